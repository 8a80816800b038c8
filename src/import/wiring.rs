//! The mechanism shared by both template languages: resources become
//! services by the mapping, and the properties the mapping names become flows.

use std::collections::HashMap;

use super::draft::{self, Became, DService, Draft, ResourceOutcome};
use super::mapping::{Access, KindFrom, Mapping, ResourceMap, action_matches};
use super::tree::{Hit, Node, Val, select};
use crate::pack::{KindId, Pack};
use crate::source::Span;

/// A wiring property met: its span, its key's span and the services it names.
type Wire = (Span, Span, Vec<(usize, Span)>);

/// What a resource of the template is to the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Service(usize),
    /// Stands for a service (a Lambda alias, a DMS endpoint).
    Folded(usize),
    Proxy,
    Connector,
    /// An IAM role or policy.
    Iam,
    Other,
}

struct Res {
    id: String,
    /// The id its service gets (the logical id, or a Terraform resource's name).
    service_id: String,
    ty: String,
    key_span: Span,
    type_span: Span,
    props: Node,
}

pub struct Wiring<'a> {
    pack: &'a Pack,
    mapping: &'a Mapping,
    pub draft: Draft,
    res: Vec<Res>,
    index: HashMap<String, usize>,
    target: Vec<Target>,
    /// Parts of a resource: (attribute names, service).
    parts: HashMap<usize, Vec<(Vec<String>, usize)>>,
    /// Literal names of resources (their `name` property) → resource.
    names: HashMap<String, usize>,
    /// Values passed to something pipelint does not read, with why.
    passed: Vec<(Node, String)>,
}

fn pick_kind(kf: &KindFrom, props: &Node) -> Option<String> {
    let v = select(props, &kf.path).first()?.node.scalar()?;
    kf.kinds
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(v.trim()))
        .map(|(_, kind)| kind.clone())
}

impl<'a> Wiring<'a> {
    pub fn new(pack: &'a Pack, mapping: &'a Mapping) -> Self {
        Wiring {
            pack,
            mapping,
            draft: Draft::default(),
            res: Vec::new(),
            index: HashMap::new(),
            target: Vec::new(),
            parts: HashMap::new(),
            names: HashMap::new(),
            passed: Vec::new(),
        }
    }

    pub fn add_resource(
        &mut self,
        id: &str,
        ty: &str,
        key_span: Span,
        type_span: Span,
        props: Node,
    ) {
        self.add_resource_as(id, id, ty, key_span, type_span, props);
    }

    /// A resource whose address (`aws_s3_bucket.x`) differs from its service's id.
    pub fn add_resource_as(
        &mut self,
        address: &str,
        service_id: &str,
        ty: &str,
        key_span: Span,
        type_span: Span,
        props: Node,
    ) {
        self.index.insert(address.to_string(), self.res.len());
        self.res.push(Res {
            id: address.to_string(),
            service_id: service_id.to_string(),
            ty: ty.to_string(),
            key_span,
            type_span,
            props,
        });
    }

    /// The resources `value` refers to are wired by something pipelint does
    /// not read (a module from a registry): `why` says what.
    pub fn passed_to(&mut self, value: Node, why: String) {
        self.passed.push((value, why));
    }

    fn kind_of(&self, s: usize) -> Option<KindId> {
        self.pack
            .resolve(&self.draft.services[s].kind)
            .map(|(k, _)| k)
    }

    /// The services a value refers to, with where: by reference, or by a
    /// literal name that is the name of a resource of the template.
    fn targets(&self, node: &Node) -> Vec<(usize, Span)> {
        let mut out = Vec::new();
        let mut refs = node.refs();
        for item in node.items() {
            if matches!(
                item.val,
                Val::Str(_) | Val::Template(_) | Val::Opaque { .. }
            ) && let Some(&i) = item.canon().and_then(|c| self.names.get(&c))
            {
                refs.push((
                    super::tree::RefTo {
                        target: self.res[i].id.clone(),
                        attr: None,
                    },
                    item.span,
                ));
            }
        }
        for (r, span) in refs {
            let Some(&i) = self.index.get(&r.target) else {
                continue;
            };
            let s = match self.target[i] {
                Target::Service(s) => {
                    let part = r.attr.as_ref().and_then(|a| {
                        self.parts.get(&i).and_then(|ps| {
                            ps.iter()
                                .find(|(attrs, _)| attrs.iter().any(|x| x.eq_ignore_ascii_case(a)))
                                .map(|(_, p)| *p)
                        })
                    });
                    part.unwrap_or(s)
                }
                Target::Folded(s) => s,
                _ => continue,
            };
            if !out.iter().any(|(x, _)| *x == s) {
                out.push((s, span));
            }
        }
        out
    }

    fn new_service(&mut self, i: usize, kind: String, optional: bool) -> usize {
        let r = &self.res[i];
        let id = self.draft.unique_id(&r.service_id);
        self.draft.add_service(DService {
            id,
            kind,
            span: r.key_span,
            kind_span: r.type_span,
            attrs: Default::default(),
            origin: format!("{} `{}`", r.ty, r.id),
            implicit: false,
            optional,
            attached_to: None,
            instead: self
                .mapping
                .resource(&r.ty)
                .and_then(|m| m.current_type.clone()),
        })
    }

    /// Makes services of every resource, then reads every flow.
    pub fn wire(&mut self) {
        let mapping = self.mapping;
        let iam = mapping.iam.as_ref();
        for (i, r) in self.res.iter().enumerate() {
            // Services only: a proxy repeats the name of what it stands for.
            if mapping.resource(&r.ty).is_none() {
                continue;
            }
            for key in &mapping.names {
                if let Some(n) = r.props.get(key).and_then(Node::canon) {
                    // A name two resources share names neither.
                    if self.names.insert(n.clone(), i).is_some_and(|o| o != i) {
                        self.names.insert(n.clone(), usize::MAX);
                    }
                }
            }
        }
        self.names.retain(|_, i| *i != usize::MAX);
        for r in &self.res {
            if let Some(u) = mapping.unread(&r.ty) {
                self.draft
                    .note(r.key_span, format!("`{}`: {}", r.id, u.reason));
            }
        }
        // Services.
        for i in 0..self.res.len() {
            let ty = self.res[i].ty.clone();
            let t = if let Some(m) = mapping.resource(&ty) {
                let kind = m
                    .kind_from
                    .as_ref()
                    .and_then(|kf| pick_kind(kf, &self.res[i].props))
                    .unwrap_or_else(|| m.kind.clone());
                let s = self.new_service(i, kind, m.optional);
                let mut notes = Vec::new();
                let attrs =
                    draft::attributes(self.pack, &m.attributes, &self.res[i].props, &mut notes);
                self.draft.services[s].attrs = attrs;
                for (span, msg) in notes {
                    self.draft.note(span, msg);
                }
                for p in &m.parts {
                    let present = select(&self.res[i].props, &p.when)
                        .iter()
                        .any(|h| !matches!(h.node.val, Val::Bool(false) | Val::Null));
                    if present {
                        let hit_span = select(&self.res[i].props, &p.when)[0].span();
                        let id = self
                            .draft
                            .unique_id(&format!("{}-{}", self.res[i].service_id, p.suffix));
                        let part = self.draft.add_service(DService {
                            id,
                            kind: p.kind.clone(),
                            span: hit_span,
                            kind_span: hit_span,
                            attrs: Default::default(),
                            origin: format!("`{}` of {} `{}`", p.when, ty, self.res[i].id),
                            implicit: false,
                            optional: false,
                            attached_to: None,
                            instead: None,
                        });
                        self.parts
                            .entry(i)
                            .or_default()
                            .push((p.attrs.clone(), part));
                        let span = hit_span;
                        self.draft.add_flow(s, part, span, span, &p.when);
                    }
                }
                Target::Service(s)
            } else if mapping.proxy(&ty).is_some() {
                Target::Proxy
            } else if mapping.connector(&ty).is_some() {
                Target::Connector
            } else if iam
                .is_some_and(|m| m.role_types.contains(&ty) || m.policy_types.contains(&ty))
            {
                Target::Iam
            } else {
                Target::Other
            };
            self.target.push(t);
        }
        // Proxies: a few passes, as one may stand for another.
        for _ in 0..4 {
            for i in 0..self.res.len() {
                if self.target[i] != Target::Proxy {
                    continue;
                }
                let Some(m) = mapping.proxy(&self.res[i].ty) else {
                    continue;
                };
                let found = m
                    .targets
                    .iter()
                    .flat_map(|p| select(&self.res[i].props, p))
                    .flat_map(|h| self.targets(h.node))
                    .next();
                if let Some((s, _)) = found {
                    self.target[i] = Target::Folded(s);
                }
            }
        }
        for i in 0..self.res.len() {
            if self.target[i] != Target::Proxy {
                continue;
            }
            let Some(m) = mapping.proxy(&self.res[i].ty) else {
                continue;
            };
            let kind = m
                .fallback
                .as_ref()
                .and_then(|kf| pick_kind(kf, &self.res[i].props))
                .or_else(|| m.fallback_kind.clone());
            match kind {
                Some(k) => {
                    let s = self.new_service(i, k, false);
                    self.target[i] = Target::Service(s);
                }
                None => {
                    let what = m.fallback.as_ref().and_then(|kf| {
                        select(&self.res[i].props, &kf.path).first().map(|h| {
                            (
                                kf.path.clone(),
                                h.node.scalar().unwrap_or_default(),
                                h.span(),
                            )
                        })
                    });
                    if let Some((path, v, span)) = what {
                        self.draft.note(
                            span,
                            format!(
                                "`{}` is left out: pipelint does not map {path} `{v}`",
                                self.res[i].id
                            ),
                        );
                    }
                    self.target[i] = Target::Other;
                }
            }
        }
        // What a proxy says about the service it stands for (the instance
        // class of a database instance, of an endpoint configuration).
        for i in 0..self.res.len() {
            let (Target::Folded(s) | Target::Service(s)) = self.target[i] else {
                continue;
            };
            let Some(m) = mapping.proxy(&self.res[i].ty) else {
                continue;
            };
            if m.attributes.is_empty() {
                continue;
            }
            let takes: Vec<String> = self
                .pack
                .resolve(&self.draft.services[s].kind)
                .map(|(k, _)| self.pack.service(k).attributes.clone())
                .unwrap_or_default();
            let mut notes = Vec::new();
            let attrs = draft::attributes(self.pack, &m.attributes, &self.res[i].props, &mut notes);
            for (name, attr) in attrs {
                if takes.contains(&name) {
                    self.draft.services[s].attrs.entry(name).or_insert(attr);
                }
            }
            for (span, msg) in notes {
                self.draft.note(span, msg);
            }
        }
        // Flows.
        for i in 0..self.res.len() {
            let ty = self.res[i].ty.clone();
            match self.target[i] {
                Target::Service(s) => {
                    if let Some(m) = mapping.resource(&ty) {
                        self.service_flows(i, s, m);
                    } else if let Some(p) = mapping.proxy(&ty) {
                        self.io(i, s, &p.inputs, &p.outputs);
                    }
                }
                Target::Folded(s) => {
                    if let Some(p) = mapping.proxy(&ty) {
                        self.io(i, s, &p.inputs, &p.outputs);
                    }
                }
                Target::Connector => self.connector(i),
                _ => {
                    if let Some(a) = mapping.attacher(&ty) {
                        let ts: Vec<usize> = select(&self.res[i].props, &a.path)
                            .iter()
                            .flat_map(|h| self.targets(h.node))
                            .map(|(t, _)| t)
                            .collect();
                        let owner = format!("{ty} `{}`", self.res[i].id);
                        if a.passes {
                            let mut rest = self.res[i].props.clone();
                            if let Val::Map(entries) = &mut rest.val {
                                entries.retain(|(k, _)| k.name != a.path);
                            }
                            self.passed.push((
                                rest,
                                format!("passed to {owner}, which pipelint does not read"),
                            ));
                        }
                        for t in ts {
                            let svc = &mut self.draft.services[t];
                            if svc.attached_to.is_none() {
                                svc.attached_to = Some(format!("{} of {owner}", a.role));
                            }
                        }
                    }
                }
            }
        }
        self.iam_flows();
        for (value, why) in std::mem::take(&mut self.passed) {
            for (t, _) in self.targets(&value) {
                let svc = &mut self.draft.services[t];
                if svc.attached_to.is_none() {
                    svc.attached_to = Some(why.clone());
                }
            }
        }
        // Outcomes.
        for i in 0..self.res.len() {
            let r = &self.res[i];
            let data_flow = mapping.resource(&r.ty).is_some() || mapping.proxy(&r.ty).is_some();
            let became = match self.target[i] {
                Target::Service(s) => Became::Service(self.draft.services[s].id.clone()),
                Target::Folded(s) => Became::Folded(self.draft.services[s].id.clone()),
                Target::Connector => Became::Wiring,
                _ if mapping.unread(&r.ty).is_some() => Became::Unresolved,
                _ => Became::LeftOut,
            };
            self.draft.resources.push(ResourceOutcome {
                id: r.id.clone(),
                ty: r.ty.clone(),
                data_flow,
                became,
            });
        }
    }

    fn io(&mut self, i: usize, s: usize, inputs: &[String], outputs: &[String]) {
        for (paths, incoming) in [(inputs, true), (outputs, false)] {
            for path in paths {
                let mut notes = Vec::new();
                let hits: Vec<Wire> = select(&self.res[i].props, path)
                    .iter()
                    .map(|h| {
                        notes.extend(opaque_notes(h));
                        (h.span(), h.anchor(), self.targets(h.node))
                    })
                    .collect();
                for (span, msg) in notes {
                    self.draft.note(span, msg);
                }
                for (span, arrow, ts) in hits {
                    for (t, _) in ts {
                        if incoming {
                            self.draft.add_flow(t, s, span, arrow, path);
                        } else {
                            self.draft.add_flow(s, t, span, arrow, path);
                        }
                    }
                }
            }
        }
    }

    fn service_flows(&mut self, i: usize, s: usize, m: &ResourceMap) {
        self.io(i, s, &m.inputs, &m.outputs);
        // Attached resources.
        for a in &m.attached {
            let ts: Vec<usize> = select(&self.res[i].props, &a.path)
                .iter()
                .flat_map(|h| self.targets(h.node))
                .map(|(t, _)| t)
                .collect();
            let owner = format!("`{}`", self.draft.services[s].id);
            for t in ts {
                let svc = &mut self.draft.services[t];
                if svc.attached_to.is_none() {
                    svc.attached_to = Some(format!("{} of {owner}", a.role));
                }
            }
        }
        if let Some(path) = &m.events {
            self.events(i, s, path);
        }
        for path in &m.definition {
            self.definition(i, s, path);
        }
    }

    fn events(&mut self, i: usize, s: usize, path: &str) {
        let Some(events) = self.res[i].props.get(path).cloned() else {
            return;
        };
        for (key, ev) in events.entries() {
            let Some(ty) = ev.get("Type").and_then(Node::scalar) else {
                continue;
            };
            let Some(em) = self.mapping.event(&ty) else {
                continue;
            };
            let empty = Node::new(ev.span, Val::Map(Vec::new()));
            let props = ev.get("Properties").unwrap_or(&empty);
            let span = key.span.cover(ev.span);
            let via = format!("Events.{} ({ty})", key.name);
            let ts: Vec<usize> = em
                .paths
                .iter()
                .flat_map(|p| select(props, p))
                .flat_map(|h| self.targets(h.node))
                .map(|(t, _)| t)
                .collect();
            if !ts.is_empty() {
                for t in ts {
                    self.draft.add_flow(t, s, span, key.span, &via);
                }
                continue;
            }
            let Some(kind) = &em.kind else { continue };
            let id = em
                .id
                .clone()
                .unwrap_or_else(|| format!("{}{}", self.res[i].service_id, key.name));
            let src = match self.draft.service_named(&id) {
                Some(x) => x,
                None => {
                    let type_span = ev.get("Type").map_or(key.span, |t| t.span);
                    self.draft.add_service(DService {
                        id,
                        kind: kind.clone(),
                        span: key.span,
                        kind_span: type_span,
                        attrs: Default::default(),
                        origin: format!("event `{}` ({ty}) of `{}`", key.name, self.res[i].id),
                        implicit: false,
                        optional: false,
                        attached_to: None,
                        instead: None,
                    })
                }
            };
            self.draft.add_flow(src, s, span, key.span, &via);
        }
    }

    fn definition(&mut self, i: usize, s: usize, path: &str) {
        let hits: Vec<(Wire, Vec<(String, Span)>)> = select(&self.res[i].props, path)
            .iter()
            .map(|h| {
                (
                    (h.span(), h.anchor(), self.targets(h.node)),
                    h.node
                        .strings()
                        .into_iter()
                        .map(|(t, sp)| (t.to_string(), sp))
                        .collect(),
                )
            })
            .collect();
        for ((span, arrow, ts), strings) in hits {
            let mut kinds: Vec<Option<KindId>> = Vec::new();
            for (t, _) in &ts {
                self.draft.add_flow(s, *t, span, arrow, path);
                kinds.push(self.kind_of(*t));
            }
            for si in &self.mapping.states_integration {
                if !strings.iter().any(|(t, _)| t.contains(&si.prefix)) {
                    continue;
                }
                let Some((kind, _)) = self.pack.resolve(&si.kind) else {
                    continue;
                };
                if kinds.contains(&Some(kind)) {
                    continue;
                }
                let kind_id = self.pack.service(kind).id.clone();
                let existing = self
                    .draft
                    .services
                    .iter()
                    .position(|x| x.implicit && x.kind == kind_id);
                let t = match existing {
                    Some(t) => t,
                    None => {
                        let id = self.draft.unique_id(&kind_id);
                        self.draft.add_service(DService {
                            id,
                            kind: kind_id.clone(),
                            span: arrow,
                            kind_span: arrow,
                            attrs: Default::default(),
                            origin: format!(
                                "`{}` in the definition of `{}`",
                                si.prefix, self.res[i].id
                            ),
                            implicit: true,
                            optional: false,
                            attached_to: None,
                            instead: None,
                        })
                    }
                };
                kinds.push(Some(kind));
                self.draft
                    .add_flow(s, t, span, arrow, &format!("{path} ({})", si.prefix));
            }
        }
    }

    fn connector(&mut self, i: usize) {
        let Some(m) = self.mapping.connector(&self.res[i].ty) else {
            return;
        };
        let mut own: Option<usize> = None;
        let props = self.res[i].props.clone();
        for link in &m.links {
            let from_hits = select(&props, &link.from);
            let to_hits = select(&props, &link.to);
            for h in from_hits.iter().chain(&to_hits) {
                for (span, msg) in opaque_notes(h) {
                    self.draft.note(span, msg);
                }
            }
            let mut from: Vec<usize> = from_hits
                .iter()
                .flat_map(|h| self.targets(h.node))
                .map(|(t, _)| t)
                .collect();
            let mut to: Vec<usize> = to_hits
                .iter()
                .flat_map(|h| self.targets(h.node))
                .map(|(t, _)| t)
                .collect();
            let from_kind = link.from_kind.clone();
            let to_kind = link.to_kind.clone().or_else(|| {
                link.to_kind_from
                    .as_ref()
                    .and_then(|kf| pick_kind(kf, &props))
            });
            if from.is_empty() && !to.is_empty() {
                match (&from_kind, from_hits.is_empty()) {
                    (Some(k), false) => {
                        let s = match own {
                            Some(s) => s,
                            None => self.new_service(i, k.clone(), false),
                        };
                        own = Some(s);
                        from.push(s);
                    }
                    (None, false) => unresolved_end(&mut self.draft, &from_hits),
                    _ => {}
                }
            }
            if to.is_empty() && !from.is_empty() {
                match (&to_kind, to_hits.is_empty()) {
                    (Some(k), false) => {
                        let s = match own {
                            Some(s) => s,
                            None => self.new_service(i, k.clone(), false),
                        };
                        own = Some(s);
                        to.push(s);
                    }
                    (_, false) => unresolved_end(&mut self.draft, &to_hits),
                    _ => {}
                }
            }
            let at = from_hits.first().or(to_hits.first());
            let (span, arrow) = at.map_or((self.res[i].key_span, self.res[i].key_span), |h| {
                (h.span(), h.anchor())
            });
            let via = format!("{} ({})", link.from, self.res[i].ty);
            for &f in &from {
                for &t in &to {
                    self.draft.add_flow(f, t, span, arrow, &via);
                }
            }
        }
        if let Some(s) = own {
            self.target[i] = Target::Service(s);
        }
    }

    /// The policy documents that apply to a principal (its roles' and its own).
    fn documents(&self, i: usize, m: &ResourceMap) -> Vec<Node> {
        let Some(iam) = &self.mapping.iam else {
            return Vec::new();
        };
        let mut docs = Vec::new();
        let props = &self.res[i].props;
        let mut roles = Vec::new();
        for p in &m.roles {
            for h in select(props, p) {
                for (r, _) in h.node.refs() {
                    if let Some(&ri) = self.index.get(&r.target)
                        && iam.role_types.contains(&self.res[ri].ty)
                    {
                        roles.push(ri);
                    }
                }
            }
        }
        for &ri in &roles {
            for p in &iam.role_documents {
                docs.extend(
                    select(&self.res[ri].props, p)
                        .iter()
                        .map(|h| h.node.clone()),
                );
            }
        }
        for (pi, pr) in self.res.iter().enumerate() {
            if !iam.policy_types.contains(&pr.ty) {
                continue;
            }
            let attached = iam
                .policy_roles
                .iter()
                .flat_map(|p| select(&pr.props, p))
                .any(|h| {
                    h.node.refs().iter().any(|(r, _)| {
                        self.index
                            .get(&r.target)
                            .is_some_and(|ri| roles.contains(ri))
                    })
                });
            if attached {
                for p in &iam.policy_documents {
                    docs.extend(
                        select(&self.res[pi].props, p)
                            .iter()
                            .map(|h| h.node.clone()),
                    );
                }
            }
        }
        for p in &m.policies {
            for h in select(props, p) {
                for item in h.node.items() {
                    if item.get("Statement").is_some() {
                        docs.push(item.clone());
                    }
                }
            }
        }
        docs
    }

    /// Flows read from IAM permissions, where the wiring shows none.
    fn iam_flows(&mut self) {
        let Some(iam) = &self.mapping.iam else { return };
        let mut evidence: Vec<(usize, usize, Access, Span, Span)> = Vec::new();
        for i in 0..self.res.len() {
            let Target::Service(s) = self.target[i] else {
                continue;
            };
            let Some(m) = self.mapping.resource(&self.res[i].ty) else {
                continue;
            };
            if m.roles.is_empty() && m.policies.is_empty() {
                continue;
            }
            for doc in self.documents(i, m) {
                for st in doc
                    .get("Statement")
                    .map(|x| x.items().to_vec())
                    .unwrap_or_default()
                {
                    if st
                        .get("Effect")
                        .and_then(Node::scalar)
                        .is_some_and(|e| e != "Allow")
                    {
                        continue;
                    }
                    let actions: Vec<String> = st
                        .get("Action")
                        .map(|a| a.items().iter().filter_map(Node::scalar).collect())
                        .unwrap_or_default();
                    let access = if actions
                        .iter()
                        .any(|a| iam.write.iter().any(|p| action_matches(p, a)))
                    {
                        Access::Write
                    } else if actions
                        .iter()
                        .any(|a| iam.read.iter().any(|p| action_matches(p, a)))
                    {
                        Access::Read
                    } else {
                        continue;
                    };
                    let Some((rk, rv)) = st.entry("Resource") else {
                        continue;
                    };
                    for (t, _) in self.targets(rv) {
                        evidence.push((s, t, access, rk.span.cover(rv.span), rk.span));
                    }
                    // Roles shared by many resources multiply their grants:
                    // stop where no file could hold the flows anyway.
                    if evidence.len() > crate::model::MAX_FLOWS {
                        self.draft.overflow = true;
                        return;
                    }
                }
            }
            for p in &m.policies {
                for h in select(&self.res[i].props, p) {
                    for item in h.node.items() {
                        for (k, v) in item.entries() {
                            let Some(sp) = iam
                                .sam_policy
                                .iter()
                                .find(|x| x.name.items().contains(&k.name))
                            else {
                                continue;
                            };
                            for param in &sp.parameters {
                                if let Some(pv) = v.get(param) {
                                    for (t, _) in self.targets(pv) {
                                        evidence.push((
                                            s,
                                            t,
                                            sp.access,
                                            k.span.cover(v.span),
                                            k.span,
                                        ));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Write wins over read for the same pair.
        evidence.sort_by_key(|e| (e.0, e.1, e.2 == Access::Read));
        let mut seen = std::collections::HashSet::new();
        for (s, t, access, span, arrow) in evidence {
            if s == t || seen.contains(&(s, t)) || self.draft.connected(s, t) {
                continue;
            }
            seen.insert((s, t));
            match access {
                Access::Write => self
                    .draft
                    .add_flow(s, t, span, arrow, "IAM permission (write)"),
                Access::Read => self
                    .draft
                    .add_flow(t, s, span, arrow, "IAM permission (read)"),
            }
        }
    }
}

/// Notes for the values of a wiring property that cannot be known.
fn opaque_notes(h: &Hit<'_>) -> Vec<(Span, String)> {
    let key = h.key.map_or("the property", |k| k.name.as_str());
    h.node
        .opaques()
        .into_iter()
        .take(1)
        .map(|(why, span)| (span, format!("`{key}` {why}")))
        .collect()
}

/// Notes a wiring property that names something outside the template.
fn unresolved_end(draft: &mut Draft, hits: &[Hit<'_>]) {
    for h in hits {
        if !h.node.refs().is_empty() {
            continue;
        }
        if let Some((text, _)) = h.node.strings().first() {
            let key = h.key.map_or("the property", |k| k.name.as_str());
            draft.note(
                h.span(),
                format!("`{key}` names `{text}`, which is not a resource of this template"),
            );
        }
    }
}
