//! The architecture file: services, flows and suppressions, each with the byte
//! span it came from.

mod chain;
mod load;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub use chain::{Chain, ChainLink, parse_chain};
pub use load::{
    LoadError, MAX_CHAIN_LENGTH, MAX_FLOWS, MAX_SERVICES, MAX_TOML_NESTING, ReadFailure, load,
    read_source, source_from_bytes,
};

use crate::lists::IndexLists;
use crate::pack::{EdgeKind, KindId, NameMatch, Pack};
use crate::source::{SourceFile, Span};

/// A value of a service attribute, typed by `rules/attributes.toml`.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Integer(i64),
    Number(f64),
    Bool(bool),
    String(String),
    Duration(Duration),
    Table(Attrs),
}

/// An attribute as written: its value, the key's span and the value's span.
#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    pub value: Value,
    pub key_span: Span,
    pub span: Span,
}

impl Attr {
    /// The value as a number (integers widen).
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Integer(i) => Some(i as f64),
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Integer(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_duration(&self) -> Option<Duration> {
        match self.value {
            Value::Duration(d) => Some(d),
            _ => None,
        }
    }

    pub fn field(&self, name: &str) -> Option<&Attr> {
        match &self.value {
            Value::Table(t) => t.get(name),
            _ => None,
        }
    }
}

/// A suppression: `allow = ["rule"]` or `allow = [{ rule = "…", reason = "…" }]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allow {
    /// The rule's name (a code written by the user is resolved to the name).
    pub rule: &'static str,
    pub reason: Option<String>,
    pub span: Span,
}

/// The kind of a service as the user wrote it, and what it resolved to.
#[derive(Clone, Debug)]
pub struct KindRef {
    pub written: String,
    pub span: Span,
    pub resolved: Option<(KindId, NameMatch)>,
    /// What to write instead of a former name, when it is not the catalog id
    /// (an importer's current resource type, e.g. `AWS::OpenSearchService::Domain`).
    pub instead: Option<String>,
}

impl KindRef {
    pub fn kind(&self) -> Option<KindId> {
        self.resolved.map(|(k, _)| k)
    }
}

/// Index of a service in `Architecture::services`.
pub type ServiceIx = usize;

#[derive(Clone, Debug)]
pub struct Service {
    pub id: String,
    /// The `[services.ID]` header (or the first mention, for an implicit service).
    pub span: Span,
    pub kind: KindRef,
    /// Created by naming a catalog kind in a chain rather than declared.
    pub implicit: bool,
    pub description: Option<String>,
    pub attrs: Attrs,
    pub allow: Vec<Allow>,
}

/// Attributes (of a service, or fields of a table attribute) by name, in name
/// order. There are a handful, so a sorted vector: a tenth of a map's memory,
/// and as fast to search.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attrs(Vec<(String, Attr)>);

impl Attrs {
    pub fn new() -> Self {
        Attrs(Vec::new())
    }

    pub fn get(&self, name: &str) -> Option<&Attr> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Sets `name`, returning the value it replaces.
    pub fn insert(&mut self, name: String, attr: Attr) -> Option<Attr> {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(&name)) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, attr)),
            Err(i) => {
                self.0.insert(i, (name, attr));
                None
            }
        }
    }

    /// Sets `name` unless it is set already.
    pub fn insert_if_absent(&mut self, name: &str, attr: Attr) -> &mut Attr {
        let i = match self.0.binary_search_by(|(k, _)| k.as_str().cmp(name)) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (name.to_string(), attr));
                i
            }
        };
        &mut self.0[i].1
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// In name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Attr)> + '_ {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl FromIterator<(String, Attr)> for Attrs {
    fn from_iter<I: IntoIterator<Item = (String, Attr)>>(iter: I) -> Self {
        let mut out = Attrs::new();
        for (k, v) in iter {
            out.insert(k, v);
        }
        out.0.shrink_to_fit();
        out
    }
}

impl From<BTreeMap<String, Attr>> for Attrs {
    fn from(map: BTreeMap<String, Attr>) -> Self {
        // Already in name order.
        Attrs(map.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Attrs {
    type Item = (&'a String, &'a Attr);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Attr)>,
        fn(&'a (String, Attr)) -> (&'a String, &'a Attr),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl Service {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.get(name)
    }

    pub fn number(&self, name: &str) -> Option<f64> {
        self.attr(name).and_then(Attr::as_f64)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.attr(name).and_then(Attr::as_str)
    }
}

/// One end of a flow as written.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// Shared: the middle names of a chain end two flows.
    pub name: Arc<str>,
    pub span: Span,
    /// The service it names, when it names one.
    pub service: Option<ServiceIx>,
}

/// What a flow is: data moving from one service to the next, an event that
/// makes the next service act, one service starting or running the next, or
/// table definitions and schemas. The matrix calls control edges
/// `orchestration`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FlowKind {
    Data,
    Trigger,
    Control,
    Metadata,
}

impl FlowKind {
    pub const ALL: [FlowKind; 4] = [
        FlowKind::Data,
        FlowKind::Trigger,
        FlowKind::Control,
        FlowKind::Metadata,
    ];

    /// The name written in an architecture file (`kind = "control"`, `-[control]->`).
    pub fn as_str(self) -> &'static str {
        match self {
            FlowKind::Data => "data",
            FlowKind::Trigger => "trigger",
            FlowKind::Control => "control",
            FlowKind::Metadata => "metadata",
        }
    }

    pub fn parse(s: &str) -> Option<FlowKind> {
        FlowKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The matrix's kind of edge that carries a flow of this kind.
    pub fn edge(self) -> EdgeKind {
        match self {
            FlowKind::Data => EdgeKind::Data,
            FlowKind::Trigger => EdgeKind::Trigger,
            FlowKind::Control => EdgeKind::Orchestration,
            FlowKind::Metadata => EdgeKind::Metadata,
        }
    }

    pub fn of_edge(e: EdgeKind) -> FlowKind {
        match e {
            EdgeKind::Data => FlowKind::Data,
            EdgeKind::Trigger => FlowKind::Trigger,
            EdgeKind::Orchestration => FlowKind::Control,
            EdgeKind::Metadata => FlowKind::Metadata,
        }
    }

    /// Whether the flow brings records (or the news of them) to the next
    /// service: data, and triggers (an S3 notification makes a function read
    /// the object). Capacity, cost and the lake's readers follow these.
    pub fn carries_data(self) -> bool {
        matches!(self, FlowKind::Data | FlowKind::Trigger)
    }
}

/// Where a flow was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowOrigin {
    /// A link of the chain `flows[chain]`.
    Chain { chain: usize },
    /// The `[[flow]]` table number `index`.
    Table { index: usize },
}

#[derive(Clone, Debug)]
pub struct Flow {
    pub from: Endpoint,
    pub to: Endpoint,
    /// From the start of `from` to the end of `to` (or the `[[flow]]` header).
    pub span: Span,
    /// The arrow between the two names (or the `to` key of a `[[flow]]`).
    pub arrow: Span,
    pub origin: FlowOrigin,
    /// What the flow is: as declared (`kind = "control"`, `-[control]->`),
    /// else inferred from the integration matrix when the file is loaded.
    pub kind: FlowKind,
    /// Whether `kind` was written in the file (or by an importer).
    pub declared: bool,
    /// What a `[[flow]]` table adds; none for the links of a chain, most flows
    /// of a large file, which then take a third less memory.
    pub details: Option<Box<FlowDetails>>,
}

/// A flow's label, latency budget and suppressions.
#[derive(Clone, Debug, Default)]
pub struct FlowDetails {
    pub label: Option<String>,
    /// The value of a `[[flow]]`'s `kind`, when written.
    pub kind_span: Option<Span>,
    pub max_latency: Option<(Duration, Span)>,
    pub allow: Vec<Allow>,
}

impl FlowDetails {
    /// Boxed when there is anything to hold.
    pub fn boxed(self) -> Option<Box<FlowDetails>> {
        (self.label.is_some()
            || self.kind_span.is_some()
            || self.max_latency.is_some()
            || !self.allow.is_empty())
        .then(|| Box::new(self))
    }
}

impl Flow {
    /// The `label` (or `via`) of a `[[flow]]`, or the mechanism an importer read.
    pub fn label(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.label.as_deref())
    }

    pub fn max_latency(&self) -> Option<(Duration, Span)> {
        self.details.as_ref().and_then(|d| d.max_latency)
    }

    pub fn allow(&self) -> &[Allow] {
        self.details.as_ref().map_or(&[], |d| &d.allow)
    }

    /// Where the flow's kind is written: a `[[flow]]`'s `kind` value, or the
    /// arrow of a chain that names it.
    pub fn kind_span(&self) -> Span {
        self.details
            .as_ref()
            .and_then(|d| d.kind_span)
            .unwrap_or(self.arrow)
    }
}

/// Index of a flow in `Architecture::flows`.
pub type FlowIx = usize;

/// A loaded architecture file.
#[derive(Clone, Debug)]
pub struct Architecture {
    pub source: SourceFile,
    pub name: String,
    pub region: Option<(String, Span)>,
    pub max_latency: Option<(Duration, Span)>,
    pub description: Option<String>,
    /// Declared services in file order, then implicit ones in order of mention.
    pub services: Vec<Service>,
    pub flows: Vec<Flow>,
    /// File-wide suppressions from `[pipeline]`.
    pub allow: Vec<Allow>,
    /// The `[pipeline]` header, when there is one.
    pub pipeline_span: Option<Span>,
    /// Flows by service, built on first use (flows do not change after loading).
    adjacency: OnceLock<Adjacency>,
    /// What an importer could not resolve in a template (always empty for an
    /// architecture file).
    pub unresolved: Vec<Unresolved>,
    /// Read from a template by an importer, not from an architecture file.
    pub from_template: bool,
}

/// A reference an importer could not follow, or a value it had to assume,
/// with where the template writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolved {
    pub span: Span,
    pub message: String,
}

/// The flows leaving and entering each service.
#[derive(Clone, Debug, Default)]
struct Adjacency {
    outgoing: IndexLists,
    incoming: IndexLists,
}

/// The region prices are read for when the file names none.
pub const DEFAULT_REGION: &str = "us-east-1";

impl Architecture {
    /// An empty architecture over `source`; loaders and importers fill it.
    pub fn new(source: SourceFile, name: impl Into<String>) -> Self {
        Architecture {
            source,
            name: name.into(),
            region: None,
            max_latency: None,
            description: None,
            services: Vec::new(),
            flows: Vec::new(),
            allow: Vec::new(),
            pipeline_span: None,
            unresolved: Vec::new(),
            from_template: false,
            adjacency: OnceLock::new(),
        }
    }

    fn adjacency(&self) -> &Adjacency {
        self.adjacency.get_or_init(|| {
            let n = self.services.len();
            let ends = |end: fn(&Flow) -> Option<ServiceIx>| {
                self.flows
                    .iter()
                    .enumerate()
                    .filter_map(move |(i, f)| end(f).filter(|&s| s < n).map(|s| (s, i)))
            };
            Adjacency {
                outgoing: IndexLists::new(n, ends(|f| f.from.service)),
                incoming: IndexLists::new(n, ends(|f| f.to.service)),
            }
        })
    }

    /// Gives every flow whose kind is not declared the kind the integration
    /// matrix has between its ends (see [`crate::flowgraph::edge_kind`]).
    pub fn infer_flow_kinds(&mut self, pack: &Pack) {
        for i in 0..self.flows.len() {
            if self.flows[i].declared {
                continue;
            }
            let kind = |e: &Endpoint| e.service.and_then(|s| self.services[s].kind.kind());
            let f = &self.flows[i];
            let k = crate::flowgraph::edge_kind(pack, kind(&f.from), kind(&f.to));
            self.flows[i].kind = FlowKind::of_edge(k);
        }
    }

    /// Whether this was read from a template rather than an architecture file.
    pub fn is_template(&self) -> bool {
        self.from_template
    }

    /// The `region` of `[pipeline]`, or us-east-1.
    pub fn pricing_region(&self) -> &str {
        self.region
            .as_ref()
            .map_or(DEFAULT_REGION, |(r, _)| r.as_str())
    }

    pub fn service_by_id(&self, id: &str) -> Option<ServiceIx> {
        self.services.iter().position(|s| s.id == id)
    }

    /// Flows leaving a service.
    pub fn outgoing(&self, s: ServiceIx) -> impl Iterator<Item = (FlowIx, &Flow)> + '_ {
        let list = self.adjacency().outgoing.get(s);
        list.iter().map(move |&i| (i, &self.flows[i]))
    }

    /// Flows entering a service.
    pub fn incoming(&self, s: ServiceIx) -> impl Iterator<Item = (FlowIx, &Flow)> + '_ {
        let list = self.adjacency().incoming.get(s);
        list.iter().map(move |&i| (i, &self.flows[i]))
    }
}
