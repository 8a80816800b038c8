//! What an importer builds: services, flows and notes with spans into the
//! template; turned into an [`Architecture`] for `check` and into a readable
//! architecture file for `import`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::mapping::AttrMap;
use super::tree::{Hit, Node, Val};
use crate::model::{
    Allow, Architecture, Attr, Attrs, Endpoint, Flow, FlowDetails, FlowKind, FlowOrigin, KindRef,
    Service, Unresolved, Value,
};
use crate::pack::{AttrType, Pack};
use crate::source::{SourceFile, Span};

/// Why an imported service with no flow is not an orphan.
pub const NOT_WIRED: &str =
    "no resource of the template wires it; its flows, if any, are outside the template";

#[derive(Clone, Debug)]
pub struct DService {
    pub id: String,
    /// The kind as the mapping names it.
    pub kind: String,
    pub span: Span,
    pub kind_span: Span,
    pub attrs: BTreeMap<String, Attr>,
    /// "AWS::Kinesis::Stream `Clicks`", for the comment above the service.
    pub origin: String,
    /// Made from a catalog kind alone (a Step Functions integration).
    pub implicit: bool,
    /// Dropped unless a flow reaches or leaves it.
    pub optional: bool,
    /// Why it may stand without a flow (the role it plays for another resource).
    pub attached_to: Option<String>,
    /// The current resource type, when this one is written under a former name.
    pub instead: Option<String>,
}

#[derive(Clone, Debug)]
pub struct DFlow {
    pub from: usize,
    pub to: usize,
    /// The property that wires the two, key and value.
    pub span: Span,
    /// The property's key.
    pub arrow: Span,
    /// The property's path, e.g. `KinesisStreamSourceConfiguration.KinesisStreamARN`.
    pub via: String,
    /// What the wiring makes the flow, when it says (an S3 notification is
    /// a trigger); otherwise inferred from the matrix.
    pub kind: Option<FlowKind>,
    /// Whether an architecture file should write the kind on the arrow:
    /// every kind but data, and data where the matrix would infer another.
    pub write_kind: bool,
}

/// Something the importer could not resolve, or assumed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Note {
    pub span: Span,
    pub message: String,
}

/// What became of one resource of the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Became {
    /// A service with this id.
    Service(String),
    /// Folded into another service (a Lambda alias into its function).
    Folded(String),
    /// A connector that wires services.
    Wiring,
    /// Not part of the data flow (IAM, networking, ...).
    LeftOut,
    /// Skipped: its `Condition` is false with the parameters' defaults.
    ConditionFalse,
    /// A nested stack or module that is not read.
    Unresolved,
}

#[derive(Clone, Debug)]
pub struct ResourceOutcome {
    pub id: String,
    pub ty: String,
    /// Whether the mapping counts it as part of the data flow.
    pub data_flow: bool,
    pub became: Became,
}

#[derive(Debug, Default)]
pub struct Draft {
    pub services: Vec<DService>,
    pub flows: Vec<DFlow>,
    pub notes: Vec<Note>,
    pub resources: Vec<ResourceOutcome>,
    /// Whether the wiring held more flows than a file may
    /// ([`MAX_FLOWS`](crate::model::MAX_FLOWS)); those past it were dropped.
    pub overflow: bool,
    /// The (from, to) pairs of `flows`, and the notes, for constant-time
    /// repeats: a large template must not make importing quadratic.
    pairs: HashSet<(usize, usize)>,
    noted: HashSet<Note>,
    /// Every service id, lower-cased, and the suffix to try next for a base
    /// already taken: finding a fresh id stays constant-time however many
    /// resources share a name.
    taken: HashMap<String, usize>,
    next_suffix: HashMap<String, u64>,
}

impl Draft {
    pub fn note(&mut self, span: Span, message: impl Into<String>) {
        let n = Note {
            span,
            message: message.into(),
        };
        if self.noted.insert(n.clone()) {
            self.notes.push(n);
        }
    }

    /// A fresh id: `base`, or `base-2`, `base-3`... when taken (case-insensitively).
    pub fn unique_id(&mut self, base: &str) -> String {
        let lower = base.to_ascii_lowercase();
        if !self.taken.contains_key(&lower) {
            return base.to_string();
        }
        // Suffixes below the one remembered are taken already; one above
        // may be taken by a service whose own name ends in `-N`.
        let next = self.next_suffix.entry(lower.clone()).or_insert(2);
        loop {
            let n = *next;
            *next += 1;
            if !self.taken.contains_key(&format!("{lower}-{n}")) {
                return format!("{base}-{n}");
            }
        }
    }

    /// The service with this exact id, if any.
    pub fn service_named(&self, id: &str) -> Option<usize> {
        self.taken
            .get(&id.to_ascii_lowercase())
            .copied()
            .filter(|&i| self.services[i].id == id)
    }

    pub fn add_service(&mut self, s: DService) -> usize {
        let i = self.services.len();
        self.taken.entry(s.id.to_ascii_lowercase()).or_insert(i);
        self.services.push(s);
        i
    }

    pub fn add_flow(&mut self, from: usize, to: usize, hit_span: Span, arrow: Span, via: &str) {
        self.add_flow_of(from, to, hit_span, arrow, via, None);
    }

    /// A flow whose kind the wiring knows (or `None` to infer it).
    pub fn add_flow_of(
        &mut self,
        from: usize,
        to: usize,
        hit_span: Span,
        arrow: Span,
        via: &str,
        kind: Option<FlowKind>,
    ) {
        if from == to {
            return;
        }
        if self.pairs.contains(&(from, to)) {
            return;
        }
        if self.flows.len() >= crate::model::MAX_FLOWS {
            self.overflow = true;
            return;
        }
        self.pairs.insert((from, to));
        self.flows.push(DFlow {
            from,
            to,
            span: hit_span,
            arrow,
            via: via.to_string(),
            kind,
            write_kind: false,
        });
    }

    pub fn connected(&self, a: usize, b: usize) -> bool {
        self.pairs.contains(&(a, b)) || self.pairs.contains(&(b, a))
    }

    /// Drops optional services nothing connects and renumbers the flows.
    fn prune(&mut self) {
        let mut used = vec![false; self.services.len()];
        for f in &self.flows {
            used[f.from] = true;
            used[f.to] = true;
        }
        let mut map = vec![usize::MAX; self.services.len()];
        let mut kept = Vec::new();
        let mut dropped = HashSet::new();
        for (i, s) in std::mem::take(&mut self.services).into_iter().enumerate() {
            if s.optional && !used[i] {
                dropped.insert(s.id);
                continue;
            }
            map[i] = kept.len();
            kept.push(s);
        }
        for r in &mut self.resources {
            if matches!(&r.became, Became::Service(id) if dropped.contains(id)) {
                r.became = Became::LeftOut;
            }
        }
        self.services = kept;
        // Indices moved: the id index is rebuilt for any later lookup.
        self.taken = self
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.to_ascii_lowercase(), i))
            .collect();
        for f in &mut self.flows {
            f.from = map[f.from];
            f.to = map[f.to];
        }
    }

    /// The architecture, its source being the template itself.
    pub fn finish(mut self, source: SourceFile, name: String, pack: &Pack) -> Imported {
        self.prune();
        self.notes.sort();
        self.notes.dedup();
        let orphan = crate::rules::find("orphan-service").map(|r| r.meta().name);
        let mut connected = vec![false; self.services.len()];
        for f in &self.flows {
            connected[f.from] = true;
            connected[f.to] = true;
        }
        let services: Vec<Service> = self
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| {
                // A template is part of a larger system: a resource nothing in
                // it wires is expected, and says so instead of warning.
                let mut allow = Vec::new();
                if let (false, false, Some(rule)) = (connected[i], s.implicit, orphan) {
                    let reason = s
                        .attached_to
                        .clone()
                        .unwrap_or_else(|| NOT_WIRED.to_string());
                    allow.push(Allow {
                        rule,
                        reason: Some(reason),
                        span: s.span,
                    });
                }
                Service {
                    id: s.id.clone(),
                    span: s.span,
                    kind: KindRef {
                        written: s.kind.clone(),
                        span: s.kind_span,
                        resolved: pack.resolve(&s.kind),
                        instead: s.instead.clone(),
                    },
                    implicit: s.implicit,
                    description: None,
                    attrs: s.attrs.clone().into(),
                    allow,
                }
            })
            .collect();
        let flows = self
            .flows
            .iter()
            .enumerate()
            .map(|(index, f)| Flow {
                from: Endpoint {
                    name: self.services[f.from].id.as_str().into(),
                    span: f.span,
                    service: Some(f.from),
                },
                to: Endpoint {
                    name: self.services[f.to].id.as_str().into(),
                    span: f.span,
                    service: Some(f.to),
                },
                span: f.span,
                arrow: f.arrow,
                origin: FlowOrigin::Table { index },
                kind: f.kind.unwrap_or(FlowKind::Data),
                declared: f.kind.is_some(),
                details: FlowDetails {
                    label: Some(f.via.clone()),
                    ..FlowDetails::default()
                }
                .boxed(),
            })
            .collect();
        let mut arch = Architecture::new(source, name);
        arch.services = services;
        arch.flows = flows;
        arch.from_template = true;
        arch.infer_flow_kinds(pack);
        for (f, d) in arch.flows.iter().zip(&mut self.flows) {
            let kind = |e: &Endpoint| e.service.and_then(|s| arch.services[s].kind.kind());
            let matrix = FlowKind::of_edge(crate::flowgraph::edge_kind(
                pack,
                kind(&f.from),
                kind(&f.to),
            ));
            d.write_kind = f.kind != FlowKind::Data || (f.declared && matrix != f.kind);
        }
        arch.unresolved = self
            .notes
            .iter()
            .map(|n| Unresolved {
                span: n.span,
                message: n.message.clone(),
            })
            .collect();
        Imported { arch, draft: self }
    }
}

/// An imported template: the architecture to check, and the draft it was
/// made from (for the architecture file and the tests).
#[derive(Debug)]
pub struct Imported {
    pub arch: Architecture,
    pub draft: Draft,
}

/// Converts template values into a typed attribute; `Err` says why not.
pub fn convert(pack: &Pack, m: &AttrMap, hit: &Hit<'_>) -> Result<Attr, String> {
    let (top, field) = match m.name.split_once('.') {
        Some((t, f)) => (t, Some(f)),
        None => (m.name.as_str(), None),
    };
    let def = pack
        .attribute(top)
        .ok_or_else(|| format!("`{top}` is not an attribute"))?;
    let def = match field {
        Some(f) => def
            .fields
            .iter()
            .find(|x| x.name == f)
            .ok_or_else(|| format!("`{top}` has no field `{f}`"))?,
        None => def,
    };
    let key = hit.key.map_or(String::new(), |k| k.name.clone());
    let text = match (&m.value, &hit.node.val) {
        (Some(v), _) => v.clone(),
        (None, Val::Opaque { why, .. }) => return Err(format!("`{key}` {why}")),
        (None, _) => hit
            .node
            .scalar()
            .ok_or_else(|| format!("`{key}` is not a single value"))?,
    };
    let text = if m.map.is_empty() || m.value.is_some() {
        text
    } else {
        m.map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(text.trim()))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("`{key}` is `{text}`, which pipelint does not map"))?
    };
    let number = |t: &str| -> Result<f64, String> {
        t.trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| n * m.scale.unwrap_or(1.0) / m.divide.unwrap_or(1.0))
            .ok_or_else(|| format!("`{key}` is `{t}`, not a number"))
    };
    let value = match def.ty {
        AttrType::Integer => {
            let n = number(&text)?;
            if n.fract().abs() > 1e-9 || n.abs() > 9.0e15 {
                return Err(format!("`{key}` is `{text}`, not a whole number"));
            }
            Value::Integer(n.round() as i64)
        }
        AttrType::Number => Value::Number(number(&text)?),
        AttrType::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(format!("`{key}` is `{text}`, not true or false")),
        },
        AttrType::String => {
            if text.trim().is_empty() {
                return Err(format!("`{key}` is empty"));
            }
            Value::String(text.trim().to_string())
        }
        AttrType::Enum => {
            let wanted = crate::pack::normalize(&text);
            match def
                .values
                .iter()
                .find(|v| crate::pack::normalize(v) == wanted)
            {
                Some(v) => Value::String(v.clone()),
                None => return Err(format!("`{key}` is `{text}`, not a valid `{}`", m.name)),
            }
        }
        AttrType::Duration | AttrType::Table => {
            return Err(format!("`{}` cannot be read from a template", m.name));
        }
    };
    if let Value::Integer(_) | Value::Number(_) = value {
        let n = match value {
            Value::Integer(i) => i as f64,
            Value::Number(n) => n,
            _ => 0.0,
        };
        if def.min.is_some_and(|min| n < min) || def.max.is_some_and(|max| n > max) {
            return Err(format!(
                "`{key}` is `{text}`, out of range for `{}`",
                m.name
            ));
        }
    }
    Ok(Attr {
        value,
        key_span: hit.anchor(),
        span: hit.node.span,
    })
}

/// Sets an attribute (or a field of a table attribute) unless already set.
pub fn set_attr(attrs: &mut BTreeMap<String, Attr>, name: &str, attr: Attr) {
    match name.split_once('.') {
        None => {
            attrs.entry(name.to_string()).or_insert(attr);
        }
        Some((top, field)) => {
            let entry = attrs.entry(top.to_string()).or_insert_with(|| Attr {
                value: Value::Table(Attrs::new()),
                key_span: attr.key_span,
                span: attr.span,
            });
            entry.span = entry.span.cover(attr.span);
            if let Value::Table(t) = &mut entry.value {
                t.insert_if_absent(field, attr);
            }
        }
    }
}

/// Applies the attribute mappings of a resource to its properties; notes
/// what could not be converted.
pub fn attributes(
    pack: &Pack,
    maps: &[AttrMap],
    props: &Node,
    notes: &mut Vec<(Span, String)>,
) -> BTreeMap<String, Attr> {
    let mut attrs = BTreeMap::new();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for m in maps {
        if done.contains(m.name.as_str()) {
            continue;
        }
        let hits = super::tree::select(props, &m.path);
        let mut first_err = None;
        for hit in &hits {
            match convert(pack, m, hit) {
                Ok(a) => {
                    set_attr(&mut attrs, &m.name, a);
                    done.insert(&m.name);
                    first_err = None;
                    break;
                }
                Err(e) => {
                    first_err.get_or_insert((hit.span(), e));
                }
            }
        }
        if let Some((span, e)) = first_err
            && hits.len() == 1
        {
            notes.push((span, format!("{e}: `{}` is left out", m.name)));
        }
    }
    attrs
}
