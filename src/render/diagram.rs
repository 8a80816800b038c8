//! What a drawing shows, whatever its format: the services, the flows between
//! them, and every finding placed on its subject. The renderers only decide
//! how it looks.

use std::collections::{BTreeMap, BTreeSet};

use crate::date::Date;
use crate::finding::Severity;
use crate::finding::{Finding, Subject};
use crate::model::{Architecture, FlowIx, FlowKind, ServiceIx};
use crate::pack::{Category, EdgeDef, Effort, KindId, Pack};

use super::text;

/// Extra text for a drawing that the checks do not produce, such as prices.
#[derive(Clone, Debug, Default)]
pub struct Annotations {
    /// Lines added under a service's name (e.g. its monthly cost).
    pub services: BTreeMap<ServiceIx, Vec<String>>,
    /// Lines added under the drawing's title (e.g. the monthly total).
    pub summary: Vec<String>,
}

/// A finding as a drawing shows it: a severity and a short text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub severity: Severity,
    pub text: String,
}

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeRole {
    /// A service of the architecture (declared or named in a chain).
    Service(ServiceIx),
    /// A name a flow uses that is neither a service nor a catalog kind.
    Undeclared,
    /// A service a finding suggests adding; not part of the architecture.
    Suggested,
}

#[derive(Clone, Debug)]
pub struct Node {
    /// A stable identifier made of ASCII letters, digits and `_`, safe to use
    /// as a node name in any output format.
    pub key: String,
    pub role: NodeRole,
    /// The service id (or the name as written).
    pub name: String,
    /// The kind's name (or the kind as written when it is not in the catalog).
    pub kind: Option<String>,
    /// `None` when the kind is not known.
    pub category: Option<Category>,
    /// Whether a `deprecated-service` finding is on the node.
    pub deprecated: bool,
    /// The name of the kind that replaces a deprecated one.
    pub replacement: Option<String>,
    /// Lines from [`Annotations`].
    pub extra: Vec<String>,
    pub marks: Vec<Mark>,
    /// The full story, for tooltips.
    pub tooltip: String,
}

impl Node {
    /// The most severe finding on the node.
    pub fn severity(&self) -> Option<Severity> {
        self.marks.iter().map(|m| m.severity).max()
    }
}

/// What an edge stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeRole {
    Flow(FlowIx),
    /// A flow no integration carries.
    Unsupported(FlowIx),
    /// A hop of the path suggested instead of an unsupported flow.
    Suggested,
}

#[derive(Clone, Debug)]
pub struct Edge {
    /// A stable identifier made of ASCII letters, digits and `_`: `f3` for
    /// flow 3, `h3_0` for the first hop of the path suggested instead of it.
    pub key: String,
    /// Indices into [`Diagram::nodes`].
    pub from: usize,
    pub to: usize,
    pub role: EdgeRole,
    /// What the flow is (data for the hops of a suggested path).
    pub kind: FlowKind,
    /// The user's label, or the mechanism that carries the data when it is short.
    pub label: Option<String>,
    pub marks: Vec<Mark>,
    pub tooltip: String,
}

impl Edge {
    pub fn severity(&self) -> Option<Severity> {
        self.marks.iter().map(|m| m.severity).max()
    }
}

/// An entry of the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LegendItem {
    /// A category (`None`: unknown kinds and undeclared names).
    Category(Option<Category>),
    /// A kind of flow, shown when a drawing has flows of more than one kind.
    Flow(FlowKind),
    Unsupported,
    Suggested,
    Deprecated,
    Severity(Severity),
}

impl LegendItem {
    pub fn text(self) -> &'static str {
        match self {
            LegendItem::Category(c) => super::style::category_title(c),
            LegendItem::Flow(k) => super::style::flow_title(k),
            LegendItem::Unsupported => "unsupported flow",
            LegendItem::Suggested => "suggested path",
            LegendItem::Deprecated => "deprecated service",
            LegendItem::Severity(Severity::Error) => "error",
            LegendItem::Severity(Severity::Warning) => "warning",
            LegendItem::Severity(Severity::Info) => "info",
        }
    }
}

/// A drawing of one architecture with its findings.
#[derive(Clone, Debug)]
pub struct Diagram {
    /// The pipeline's name.
    pub title: String,
    /// The count of findings, then the summary annotations.
    pub subtitle: Vec<String>,
    /// Findings about the whole file.
    pub notes: Vec<Mark>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// Mechanisms longer than this are left to the tooltip.
const MAX_MECHANISM: usize = 36;

/// "Amazon S3" for "Amazon Simple Storage Service (Amazon S3)", "Apache Kafka"
/// for "Apache Kafka (self-managed or third-party)".
pub fn short_name(name: &str) -> String {
    if let Some(open) = name.rfind(" (")
        && name.ends_with(')')
    {
        let inner = &name[open + 2..name.len() - 1];
        let is_name =
            (inner.starts_with("Amazon ") || inner.starts_with("AWS ")) && !inner.contains(',');
        if is_name {
            return inner.to_string();
        }
        return name[..open].to_string();
    }
    name.to_string()
}

/// The mechanism that carries data from one kind to another, preferring
/// configuration over code and specific edges over generic ones: (its short label if there is one, every
/// mechanism the pack knows for the pair).
fn mechanism(pack: &Pack, from: KindId, to: KindId) -> Option<(Option<String>, String)> {
    let edges: Vec<_> = pack.edges_between(from, to).collect();
    // Configuration before code, and an edge written for these services
    // before one that holds for a whole group.
    let generic = |e: &EdgeDef| {
        e.from
            .items()
            .iter()
            .chain(e.to.items())
            .any(|n| n.starts_with("group:"))
    };
    let def = edges
        .iter()
        .min_by_key(|e| (e.effort != Effort::Native, generic(e)))?;
    let mut all: Vec<&str> = vec![&def.via];
    for e in &edges {
        if !all.contains(&e.via.as_str()) {
            all.push(&e.via);
        }
    }
    let full = all.join("\nor ");
    let short = def
        .via
        .split(" (")
        .next()
        .and_then(|s| s.split([';', ',']).next())
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().count() <= MAX_MECHANISM)
        .map(str::to_string);
    Some((short, full))
}

/// The kind that replaces a deprecated one, by the pack's lifecycle.
fn replacement(pack: &Pack, kind: KindId, today: Date) -> Option<String> {
    let (current, next) = pack.lifecycle(kind, today);
    let named = current
        .or(next)
        .and_then(|p| p.replacement.as_ref())
        .or_else(|| {
            pack.service(kind)
                .lifecycle
                .iter()
                .rev()
                .find_map(|p| p.replacement.as_ref())
        })?;
    Some(match pack.kind_by_id(named) {
        Some(k) => short_name(&pack.service(k).name),
        None => named.clone(),
    })
}

fn mark(f: &Finding) -> Mark {
    // An unsupported flow is drawn red and dashed; its label repeats what the
    // edge already shows, so a shorter text serves.
    let text = if f.rule.name == UNSUPPORTED_FLOW {
        "no integration".to_string()
    } else {
        text::one_line(f.label.as_deref().unwrap_or(f.rule.name))
    };
    Mark {
        severity: f.severity,
        text,
    }
}

/// Adds a mark unless the same text is already there (two findings can say
/// the same of one subject, e.g. both ends of a flow are unknown names).
fn add_mark(marks: &mut Vec<Mark>, m: Mark) {
    if !marks.contains(&m) {
        marks.push(m);
    }
}

fn describe(f: &Finding) -> String {
    let mut s = format!(
        "{} {} [{}]: {}",
        f.rule.code,
        f.rule.name,
        f.severity.as_str(),
        f.message
    );
    if let Some(h) = &f.help {
        s.push_str(&format!("\nhelp: {h}"));
    }
    s
}

const UNSUPPORTED_FLOW: &str = "unsupported-flow";
const DEPRECATED_SERVICE: &str = "deprecated-service";

/// "1 error, 2 warnings" or "no findings".
fn count(findings: &[Finding]) -> String {
    let mut parts = Vec::new();
    for (sev, one) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ] {
        let n = findings.iter().filter(|f| f.severity == sev).count();
        match n {
            0 => {}
            1 => parts.push(format!("1 {one}")),
            n => parts.push(format!("{n} {one}s")),
        }
    }
    if parts.is_empty() {
        "no findings".to_string()
    } else {
        parts.join(", ")
    }
}

/// The pipeline's name, or its file's name without the extension.
fn title(arch: &Architecture) -> String {
    if !arch.name.is_empty() {
        return arch.name.clone();
    }
    let path = arch.source.name();
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    file.strip_suffix(".arch.toml")
        .or_else(|| file.strip_suffix(".toml"))
        .unwrap_or(file)
        .to_string()
}

impl Diagram {
    /// Lays the findings of `check` over the architecture.
    pub fn build<'a>(
        arch: &'a Architecture,
        pack: &Pack,
        findings: &[Finding],
        today: Date,
        annotations: &Annotations,
    ) -> Diagram {
        let mut nodes = Vec::new();
        for (i, svc) in arch.services.iter().enumerate() {
            let def = svc.kind.kind().map(|k| pack.service(k));
            let kind = match def {
                Some(d) => short_name(&d.name),
                None => text::one_line(&svc.kind.written),
            };
            let mut tooltip = match def {
                Some(d) => format!("{}: {}", svc.id, d.name),
                None => format!("{}: unknown kind `{}`", svc.id, svc.kind.written),
            };
            if let Some(desc) = &svc.description {
                tooltip.push_str(&format!("\n{desc}"));
            }
            nodes.push(Node {
                key: format!("s{i}"),
                role: NodeRole::Service(i),
                name: svc.id.clone(),
                kind: Some(kind),
                category: def.map(|d| d.category),
                deprecated: false,
                replacement: None,
                extra: annotations.services.get(&i).cloned().unwrap_or_default(),
                marks: Vec::new(),
                tooltip,
            });
        }

        // A name a flow uses that resolves to nothing gets one node, however
        // often it is used.
        let mut undeclared: BTreeMap<&str, usize> = BTreeMap::new();
        let mut endpoint = |name: &'a str, service: Option<ServiceIx>, nodes: &mut Vec<Node>| {
            if let Some(s) = service {
                return s;
            }
            *undeclared.entry(name).or_insert_with(|| {
                let n = nodes.len();
                nodes.push(Node {
                    key: format!("u{}", n - arch.services.len()),
                    role: NodeRole::Undeclared,
                    name: name.to_string(),
                    kind: None,
                    category: None,
                    deprecated: false,
                    replacement: None,
                    extra: Vec::new(),
                    marks: Vec::new(),
                    tooltip: format!("{name}: neither a declared service nor a catalog kind"),
                });
                n
            })
        };

        let mut edges = Vec::with_capacity(arch.flows.len());
        for (i, flow) in arch.flows.iter().enumerate() {
            let from = endpoint(&flow.from.name, flow.from.service, &mut nodes);
            let to = endpoint(&flow.to.name, flow.to.service, &mut nodes);
            let kinds = flow.from.service.zip(flow.to.service).and_then(|(a, b)| {
                arch.services[a]
                    .kind
                    .kind()
                    .zip(arch.services[b].kind.kind())
            });
            let via = kinds.and_then(|(a, b)| mechanism(pack, a, b));
            let label = match flow.label() {
                Some(l) => Some(l.to_string()),
                None => via.as_ref().and_then(|(short, _)| short.clone()),
            };
            let mut tooltip = format!("{} → {}", nodes[from].name, nodes[to].name);
            if let Some((_, full)) = &via {
                tooltip.push_str(&format!("\nvia {full}"));
            }
            if flow.kind != FlowKind::Data || flow.declared {
                tooltip.push_str(&format!(
                    "\n{} flow{}",
                    flow.kind.as_str(),
                    if flow.declared {
                        ""
                    } else {
                        " (the integration matrix's kind)"
                    }
                ));
            }
            edges.push(Edge {
                key: format!("f{i}"),
                from,
                to,
                role: EdgeRole::Flow(i),
                kind: flow.kind,
                label,
                marks: Vec::new(),
                tooltip,
            });
        }

        let mut notes = Vec::new();
        for f in findings {
            match f.subject {
                Subject::File => notes.push(Mark {
                    severity: f.severity,
                    text: text::one_line(&f.message),
                }),
                Subject::Service(s) => {
                    let Some(node) = nodes.get_mut(s) else {
                        continue;
                    };
                    add_mark(&mut node.marks, mark(f));
                    node.tooltip.push_str(&format!("\n{}", describe(f)));
                    if f.rule.name == DEPRECATED_SERVICE {
                        node.deprecated = true;
                        node.replacement = arch.services[s]
                            .kind
                            .kind()
                            .and_then(|k| replacement(pack, k, today));
                    }
                }
                // Edge `i` is flow `i`; suggested hops come after the flows.
                Subject::Flow(e) => {
                    if e >= arch.flows.len() {
                        continue;
                    }
                    add_mark(&mut edges[e].marks, mark(f));
                    edges[e].tooltip.push_str(&format!("\n{}", describe(f)));
                    if f.rule.name == UNSUPPORTED_FLOW {
                        edges[e].role = EdgeRole::Unsupported(e);
                        // The mechanism of a flow that does not exist is moot.
                        if arch.flows[e].label().is_none() {
                            edges[e].label = None;
                        }
                        if let Some(path) = &f.suggestion {
                            suggest(pack, &mut nodes, &mut edges, e, path, f);
                        }
                    }
                }
            }
        }

        let mut subtitle = vec![count(findings)];
        subtitle.extend(annotations.summary.iter().cloned());
        Diagram {
            title: title(arch),
            subtitle,
            notes,
            nodes,
            edges,
        }
    }

    /// The legend entries this drawing needs, in a fixed order.
    pub fn legend(&self) -> Vec<LegendItem> {
        let mut items = BTreeSet::new();
        for n in &self.nodes {
            items.insert(LegendItem::Category(n.category));
            if n.deprecated {
                items.insert(LegendItem::Deprecated);
            }
            items.extend(n.marks.iter().map(|m| LegendItem::Severity(m.severity)));
        }
        for e in &self.edges {
            match e.role {
                EdgeRole::Unsupported(_) => {
                    items.insert(LegendItem::Unsupported);
                }
                EdgeRole::Suggested => {
                    items.insert(LegendItem::Suggested);
                }
                EdgeRole::Flow(_) => {
                    items.insert(LegendItem::Flow(e.kind));
                }
            }
            items.extend(e.marks.iter().map(|m| LegendItem::Severity(m.severity)));
        }
        items.extend(self.notes.iter().map(|m| LegendItem::Severity(m.severity)));
        // Kinds of flow are worth a legend only when they differ.
        if !items
            .iter()
            .any(|i| matches!(i, LegendItem::Flow(k) if *k != FlowKind::Data))
        {
            items.retain(|i| !matches!(i, LegendItem::Flow(_)));
        }
        // Categories in the catalog's order, unknown last, then the overlays.
        let order = Category::ALL
            .iter()
            .map(|&c| LegendItem::Category(Some(c)))
            .chain([LegendItem::Category(None)])
            .chain(FlowKind::ALL.map(LegendItem::Flow))
            .chain([
                LegendItem::Unsupported,
                LegendItem::Suggested,
                LegendItem::Deprecated,
                LegendItem::Severity(Severity::Error),
                LegendItem::Severity(Severity::Warning),
                LegendItem::Severity(Severity::Info),
            ]);
        let out: Vec<LegendItem> = order.filter(|i| items.contains(i)).collect();
        out
    }
}

/// Adds the suggested path of an unsupported flow as faint nodes and edges
/// from the flow's source to its target.
fn suggest(
    pack: &Pack,
    nodes: &mut Vec<Node>,
    edges: &mut Vec<Edge>,
    edge: usize,
    path: &[String],
    f: &Finding,
) {
    if path.len() < 3 {
        return;
    }
    let (from, to) = (edges[edge].from, edges[edge].to);
    let kinds: Vec<Option<KindId>> = path.iter().map(|id| pack.kind_by_id(id)).collect();
    let tooltip = format!(
        "suggested: {}",
        f.help.clone().unwrap_or_else(|| path.join(" → "))
    );
    let mut prev = from;
    for (j, id) in path[1..path.len() - 1].iter().enumerate() {
        let kind = kinds[j + 1];
        let n = nodes.len();
        nodes.push(Node {
            key: format!("g{edge}_{j}"),
            role: NodeRole::Suggested,
            name: id.clone(),
            kind: kind.map(|k| short_name(&pack.service(k).name)),
            category: kind.map(|k| pack.service(k).category),
            deprecated: false,
            replacement: None,
            extra: Vec::new(),
            marks: Vec::new(),
            tooltip: tooltip.clone(),
        });
        edges.push(Edge {
            key: format!("h{edge}_{j}"),
            from: prev,
            to: n,
            role: EdgeRole::Suggested,
            kind: FlowKind::Data,
            label: kinds[j]
                .zip(kind)
                .and_then(|(a, b)| mechanism(pack, a, b))
                .and_then(|(s, _)| s),
            marks: Vec::new(),
            tooltip: tooltip.clone(),
        });
        prev = n;
    }
    let last = kinds[kinds.len() - 2].zip(kinds[kinds.len() - 1]);
    edges.push(Edge {
        key: format!("h{edge}_{}", path.len() - 2),
        from: prev,
        to,
        role: EdgeRole::Suggested,
        kind: FlowKind::Data,
        label: last
            .and_then(|(a, b)| mechanism(pack, a, b))
            .and_then(|(s, _)| s),
        marks: Vec::new(),
        tooltip,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        assert_eq!(
            short_name("Amazon Simple Storage Service (Amazon S3)"),
            "Amazon S3"
        );
        assert_eq!(
            short_name("Apache Kafka (self-managed or third-party)"),
            "Apache Kafka"
        );
        assert_eq!(
            short_name("Your application (AWS SDK, KPL, KCL, Kinesis Agent)"),
            "Your application"
        );
        assert_eq!(
            short_name("Amazon Kinesis Data Streams"),
            "Amazon Kinesis Data Streams"
        );
    }
}
