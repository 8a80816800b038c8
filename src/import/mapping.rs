//! The shapes of `rules/import/*.toml`: which resource type becomes which
//! catalog kind, which properties carry attributes, and which properties wire
//! one resource to another. Format: `rules/README.md`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::pack::{AttrType, OneOrMany, Pack, Source};

pub const CLOUDFORMATION: &str = include_str!("../../rules/import/cloudformation.toml");
pub const TERRAFORM: &str = include_str!("../../rules/import/terraform.toml");

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default)]
    pub resource: Vec<ResourceMap>,
    #[serde(default)]
    pub connector: Vec<ConnectorMap>,
    #[serde(default)]
    pub proxy: Vec<ProxyMap>,
    #[serde(default)]
    pub iam: Option<IamMap>,
    #[serde(default)]
    pub states_integration: Vec<StatesIntegration>,
    #[serde(default)]
    pub event: Vec<EventMap>,
    #[serde(default)]
    pub attacher: Vec<AttacherMap>,
    #[serde(default)]
    pub unread: Vec<UnreadMap>,
    /// Properties holding a resource's name: a wiring property holding the
    /// same literal text refers to that resource.
    #[serde(default)]
    pub names: Vec<String>,
}

/// Resource types pipelint knows it does not read (a stack inside a stack).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnreadMap {
    #[serde(rename = "type")]
    pub types: OneOrMany,
    pub reason: String,
    pub source: Source,
}

/// A resource that attaches a function to the pipeline without a data flow
/// (a custom resource's handler, an API authorizer).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttacherMap {
    /// Resource types; a trailing `*` matches any suffix (`Custom::*`).
    #[serde(rename = "type")]
    pub types: OneOrMany,
    pub path: String,
    pub role: String,
    /// The resources its other properties name are handed to code pipelint
    /// does not read (a custom resource's handler).
    #[serde(default)]
    pub passes: bool,
    pub source: Source,
}

/// A resource type that is a service of the pipeline.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceMap {
    #[serde(rename = "type")]
    pub types: OneOrMany,
    pub kind: String,
    /// Chooses another kind by a property's value (e.g. MSK Serverless).
    #[serde(default)]
    pub kind_from: Option<KindFrom>,
    #[serde(default)]
    pub attributes: Vec<AttrMap>,
    /// Properties whose references feed this service.
    #[serde(default)]
    pub inputs: Vec<String>,
    /// Properties whose references receive data from this service.
    #[serde(default)]
    pub outputs: Vec<String>,
    /// Services a resource also stands for (a table's stream).
    #[serde(default)]
    pub parts: Vec<PartMap>,
    /// The resource type that replaces this one, when this type carries a
    /// service's former name (`AWS::Elasticsearch::Domain`).
    #[serde(default)]
    pub current_type: Option<String>,
    /// Properties naming the IAM role the service acts with.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Properties holding inline policies (SAM `Policies`).
    #[serde(default)]
    pub policies: Vec<String>,
    /// The property holding SAM `Events`.
    #[serde(default)]
    pub events: Option<String>,
    /// Properties holding a state machine definition.
    #[serde(default)]
    pub definition: Vec<String>,
    /// Properties naming resources attached to this one that exchange no
    /// data flow with it (a Firehose record transformation Lambda).
    #[serde(default)]
    pub attached: Vec<AttachMap>,
    /// A service only when some flow reaches or leaves it (a log group).
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindFrom {
    pub path: String,
    /// Value (case-insensitive) → kind; a value not listed keeps `kind`.
    pub kinds: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttrMap {
    /// The attribute; `table.field` for a field of a table attribute.
    pub name: String,
    pub path: String,
    /// Template value (case-insensitive) → attribute value.
    #[serde(default)]
    pub map: BTreeMap<String, String>,
    /// The attribute's value when the property is present, whatever it holds.
    #[serde(default)]
    pub value: Option<String>,
    /// Multiplies a number (unit conversion, e.g. 24 for days to hours).
    #[serde(default)]
    pub scale: Option<f64>,
    /// Divides a number (unit conversion, e.g. 3600 for seconds to hours),
    /// exact where a `scale` of 1/3600 would not be.
    #[serde(default)]
    pub divide: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartMap {
    pub suffix: String,
    pub kind: String,
    /// The property that must be present (and not false) for the part to exist.
    pub when: String,
    /// Attributes of a reference that mean the part (`StreamArn`).
    pub attrs: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachMap {
    pub path: String,
    pub role: String,
}

/// A resource that is no service but wires services together.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectorMap {
    #[serde(rename = "type")]
    pub types: OneOrMany,
    pub links: Vec<LinkMap>,
    pub source: Source,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkMap {
    pub from: String,
    pub to: String,
    /// The kind of the `from` end when it is not defined in the template.
    #[serde(default)]
    pub from_kind: Option<String>,
    #[serde(default)]
    pub to_kind: Option<String>,
    /// A `kind_from` for the `to` end when it is not defined in the template.
    #[serde(default)]
    pub to_kind_from: Option<KindFrom>,
}

/// A resource that stands for another (a Lambda alias for its function, a DMS
/// endpoint for its database).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProxyMap {
    #[serde(rename = "type")]
    pub types: OneOrMany,
    pub targets: Vec<String>,
    /// When no target is in the template: the proxy is a service of this kind.
    #[serde(default)]
    pub fallback: Option<KindFrom>,
    #[serde(default)]
    pub fallback_kind: Option<String>,
    /// Attributes it sets on the service it stands for (or becomes), where
    /// that service takes them and does not set them itself.
    #[serde(default)]
    pub attributes: Vec<AttrMap>,
    #[serde(default)]
    pub inputs: Vec<String>,
    #[serde(default)]
    pub outputs: Vec<String>,
    pub source: Source,
}

/// IAM permissions as evidence of flows between a compute service and a
/// resource it reads or writes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamMap {
    pub role_types: Vec<String>,
    /// Paths of a role's inline policy documents.
    pub role_documents: Vec<String>,
    pub policy_types: Vec<String>,
    /// Paths of a policy resource naming the roles it is attached to.
    pub policy_roles: Vec<String>,
    /// Paths of a policy resource's document.
    pub policy_documents: Vec<String>,
    /// Actions (with `*` wildcards) that write to the resource.
    pub write: Vec<String>,
    /// Actions that read from it.
    pub read: Vec<String>,
    #[serde(default)]
    pub sam_policy: Vec<SamPolicy>,
    pub source: Source,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamPolicy {
    pub name: OneOrMany,
    pub access: Access,
    pub parameters: Vec<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    Read,
    Write,
}

/// A Step Functions service integration (`arn:aws:states:::glue:startJobRun`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatesIntegration {
    pub prefix: String,
    pub kind: String,
    pub source: Source,
}

/// A SAM event source type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventMap {
    #[serde(rename = "type")]
    pub types: OneOrMany,
    /// Properties of the event naming the source.
    #[serde(default)]
    pub paths: Vec<String>,
    /// The source's kind when it is not a resource of the template (an
    /// implicit API, an IoT rule written in the event).
    #[serde(default)]
    pub kind: Option<String>,
    /// The id the source gets when it is not a resource of the template;
    /// default: the function's id followed by the event's name.
    #[serde(default)]
    pub id: Option<String>,
    pub source: Source,
}

impl Mapping {
    pub fn cloudformation() -> &'static Mapping {
        static M: OnceLock<Mapping> = OnceLock::new();
        M.get_or_init(|| parse_embedded(CLOUDFORMATION, "rules/import/cloudformation.toml"))
    }

    pub fn terraform() -> &'static Mapping {
        static M: OnceLock<Mapping> = OnceLock::new();
        M.get_or_init(|| parse_embedded(TERRAFORM, "rules/import/terraform.toml"))
    }

    pub fn resource(&self, ty: &str) -> Option<&ResourceMap> {
        self.resource
            .iter()
            .find(|r| r.types.items().iter().any(|t| t == ty))
    }

    pub fn connector(&self, ty: &str) -> Option<&ConnectorMap> {
        self.connector
            .iter()
            .find(|r| r.types.items().iter().any(|t| t == ty))
    }

    pub fn proxy(&self, ty: &str) -> Option<&ProxyMap> {
        self.proxy
            .iter()
            .find(|r| r.types.items().iter().any(|t| t == ty))
    }

    pub fn attacher(&self, ty: &str) -> Option<&AttacherMap> {
        self.attacher.iter().find(|r| {
            r.types.items().iter().any(|t| match t.strip_suffix('*') {
                Some(prefix) => ty.starts_with(prefix),
                None => t == ty,
            })
        })
    }

    pub fn unread(&self, ty: &str) -> Option<&UnreadMap> {
        self.unread
            .iter()
            .find(|r| r.types.items().iter().any(|t| t == ty))
    }

    pub fn event(&self, ty: &str) -> Option<&EventMap> {
        self.event
            .iter()
            .find(|r| r.types.items().iter().any(|t| t == ty))
    }

    /// Every resource type the mapping reads, sorted.
    pub fn types(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .resource
            .iter()
            .flat_map(|r| r.types.items())
            .chain(self.connector.iter().flat_map(|r| r.types.items()))
            .chain(self.proxy.iter().flat_map(|r| r.types.items()))
            .map(String::as_str)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Checks the mapping against the pack: every kind known, every attribute
    /// taken by its kind and of a type a template value can be converted to.
    pub fn validate(&self, pack: &Pack) -> Vec<String> {
        let mut errors = Vec::new();
        let kind_ok = |k: &str, what: &str, errors: &mut Vec<String>| {
            if pack.resolve(k).is_none() {
                errors.push(format!("{what}: `{k}` is not a catalog kind"));
            }
        };
        let source_ok = |s: &OneOrMany, what: &str, errors: &mut Vec<String>| {
            if s.items().is_empty() || s.items().iter().any(|x| !x.starts_with("https://")) {
                errors.push(format!("{what}: every source must be an https address"));
            }
        };
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for t in self
            .resource
            .iter()
            .flat_map(|r| r.types.items())
            .chain(self.connector.iter().flat_map(|r| r.types.items()))
            .chain(self.proxy.iter().flat_map(|r| r.types.items()))
        {
            *seen.entry(t).or_default() += 1;
        }
        for (t, n) in seen {
            if n > 1 {
                errors.push(format!("`{t}` is mapped {n} times"));
            }
        }
        for r in &self.resource {
            let what = r.types.items().join(", ");
            source_ok(&r.source, &what, &mut errors);
            kind_ok(&r.kind, &what, &mut errors);
            if let Some(t) = &r.current_type {
                match self.resource(t) {
                    None => errors.push(format!(
                        "{what}: `current_type` `{t}` is not a mapped resource type"
                    )),
                    Some(current)
                        if pack.resolve(&current.kind).map(|k| k.0)
                            != pack.resolve(&r.kind).map(|k| k.0) =>
                    {
                        errors.push(format!("{what}: `current_type` `{t}` maps to another kind"))
                    }
                    Some(_) => {}
                }
            }
            let mut kinds = vec![r.kind.as_str()];
            if let Some(kf) = &r.kind_from {
                for k in kf.kinds.values() {
                    kind_ok(k, &what, &mut errors);
                    kinds.push(k);
                }
            }
            for p in &r.parts {
                kind_ok(&p.kind, &what, &mut errors);
            }
            for a in &r.attributes {
                let (top, field) = match a.name.split_once('.') {
                    Some((t, f)) => (t, Some(f)),
                    None => (a.name.as_str(), None),
                };
                let Some(def) = pack.attribute(top) else {
                    errors.push(format!(
                        "{what}: attribute `{top}` is not in attributes.toml"
                    ));
                    continue;
                };
                let def = match field {
                    Some(f) => match def.fields.iter().find(|x| x.name == f) {
                        Some(d) => d,
                        None => {
                            errors.push(format!("{what}: `{top}` has no field `{f}`"));
                            continue;
                        }
                    },
                    None => def,
                };
                if def.ty == AttrType::Table {
                    errors.push(format!("{what}: map the fields of `{top}`, not the table"));
                }
                for k in &kinds {
                    if let Some((kind, _)) = pack.resolve(k)
                        && !pack.service(kind).attributes.iter().any(|x| x == top)
                    {
                        errors.push(format!("{what}: `{k}` does not take attribute `{top}`"));
                    }
                }
                for (name, factor) in [("scale", a.scale), ("divide", a.divide)] {
                    if factor.is_some_and(|f| !(f.is_finite() && f > 0.0)) {
                        errors.push(format!(
                            "{what}: `{name}` of `{}` must be a positive number",
                            a.name
                        ));
                    }
                }
                let values: Vec<&String> = a.map.values().chain(a.value.iter()).collect();
                if def.ty == AttrType::Enum {
                    for v in values {
                        if !def.values.contains(v) {
                            errors.push(format!("{what}: `{v}` is not a value of `{}`", a.name));
                        }
                    }
                }
            }
        }
        for c in &self.connector {
            let what = c.types.items().join(", ");
            source_ok(&c.source, &what, &mut errors);
            for l in &c.links {
                for k in l.from_kind.iter().chain(&l.to_kind) {
                    kind_ok(k, &what, &mut errors);
                }
                if let Some(kf) = &l.to_kind_from {
                    for k in kf.kinds.values() {
                        kind_ok(k, &what, &mut errors);
                    }
                }
            }
        }
        for p in &self.proxy {
            let what = p.types.items().join(", ");
            source_ok(&p.source, &what, &mut errors);
            for a in &p.attributes {
                let top = a.name.split('.').next().unwrap_or_default();
                if pack.attribute(top).is_none() {
                    errors.push(format!(
                        "{what}: attribute `{top}` is not in attributes.toml"
                    ));
                }
            }
            for k in p
                .fallback
                .iter()
                .flat_map(|f| f.kinds.values())
                .chain(&p.fallback_kind)
            {
                kind_ok(k, &what, &mut errors);
            }
        }
        for s in &self.states_integration {
            source_ok(&s.source, &s.prefix, &mut errors);
            kind_ok(&s.kind, &s.prefix, &mut errors);
        }
        for e in &self.event {
            let what = e.types.items().join(", ");
            source_ok(&e.source, &what, &mut errors);
            if let Some(k) = &e.kind {
                kind_ok(k, &what, &mut errors);
            }
        }
        for u in &self.unread {
            source_ok(&u.source, &u.reason, &mut errors);
        }
        for a in &self.attacher {
            source_ok(&a.source, &a.role, &mut errors);
        }
        if let Some(iam) = &self.iam {
            source_ok(&iam.source, "iam", &mut errors);
        }
        errors
    }
}

fn parse_embedded(text: &str, name: &str) -> Mapping {
    match toml::from_str(text) {
        Ok(m) => m,
        // Checked by the test suite; a broken embedded mapping is a build defect.
        Err(e) => panic!("{name} is invalid: {}", e.message()),
    }
}

/// Whether an IAM action matches a pattern with `*` wildcards (case-insensitive).
pub fn action_matches(pattern: &str, action: &str) -> bool {
    let p = pattern.to_ascii_lowercase();
    let a = action.to_ascii_lowercase();
    let parts: Vec<&str> = p.split('*').collect();
    if parts.len() == 1 {
        return p == a;
    }
    let mut rest = a.as_str();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// The resource types each language reads, as Markdown tables (the content
/// of `rules/import/TYPES.md`, which a test keeps in step).
pub fn types_markdown() -> String {
    use std::fmt::Write;
    let mut out = String::from(
        "# Resource types `pipelint import` reads\n\n\
         Generated from `cloudformation.toml` and `terraform.toml` in this folder \
         (a test fails when it drifts). A *service* becomes a service of the catalog kind \
         named; *wiring* makes flows between services; *stands for* folds the resource \
         into the service it names (its fallback kind applies when that service is not \
         in the template). Types not listed (IAM, networking, KMS, alarms...) are not \
         part of the data flow and are left out, named in the imported file.\n",
    );
    for (title, m) in [
        ("CloudFormation and SAM", Mapping::cloudformation()),
        ("Terraform", Mapping::terraform()),
    ] {
        let _ = write!(
            out,
            "\n## {title}\n\n| resource type | becomes |\n|---|---|\n"
        );
        let mut rows: Vec<(String, String)> = Vec::new();
        for r in &m.resource {
            let mut what = format!("service `{}`", r.kind);
            if let Some(kf) = &r.kind_from {
                let alts: Vec<String> = kf
                    .kinds
                    .iter()
                    .map(|(v, k)| format!("`{k}` when {} is {v}", kf.path))
                    .collect();
                what.push_str(&format!(" (or {})", alts.join(", ")));
            }
            for p in &r.parts {
                what.push_str(&format!(", and `{}` when {} is set", p.kind, p.when));
            }
            for t in r.types.items() {
                rows.push((t.clone(), what.clone()));
            }
        }
        for c in &m.connector {
            let links: Vec<String> = c
                .links
                .iter()
                .map(|l| format!("{} → {}", l.from, l.to))
                .collect();
            for t in c.types.items() {
                rows.push((t.clone(), format!("wiring: {}", links.join(", "))));
            }
        }
        for p in &m.proxy {
            let fallback = p
                .fallback_kind
                .clone()
                .map(|k| format!("`{k}`"))
                .or_else(|| {
                    p.fallback
                        .as_ref()
                        .map(|f| format!("of the kind its {} names", f.path))
                });
            let what = match fallback {
                Some(f) => format!("stands for {} (else a service {f})", p.targets.join(" / ")),
                None => format!("stands for {}", p.targets.join(" / ")),
            };
            for t in p.types.items() {
                rows.push((t.clone(), what.clone()));
            }
        }
        for u in &m.unread {
            for t in u.types.items() {
                rows.push((t.clone(), "named as not read".into()));
            }
        }
        rows.sort();
        for (t, what) in rows {
            let _ = writeln!(out, "| `{t}` | {} |", what.replace('|', "\\|"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(action_matches("dynamodb:Put*", "dynamodb:PutItem"));
        assert!(action_matches("s3:*Object", "s3:PutObject"));
        assert!(!action_matches("s3:Get*", "s3:PutObject"));
        assert!(action_matches("sqs:SendMessage", "SQS:sendmessage"));
    }
}
