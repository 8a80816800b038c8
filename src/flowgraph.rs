//! The flows of an architecture as a graph: what kind of edge each flow is
//! (from the integration matrix), which stores a query engine reads, loops of
//! flows, and an order to walk them in. Everything is linear in services plus
//! flows, built once per check: files may hold tens of thousands of services.

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::lists::IndexLists;
use crate::model::{Architecture, FlowIx, FlowKind, ServiceIx};
use crate::pack::{EdgeKind, KindId, Pack};

/// One flow between two services, as the graph sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub from: ServiceIx,
    pub to: ServiceIx,
    pub flow: FlowIx,
    /// The flow's kind, declared or inferred.
    pub kind: FlowKind,
}

/// What kind of edge a flow between two kinds is. A trigger wins over data
/// (S3 notifies Lambda, which then reads the object), data over metadata; a
/// flow the matrix does not know counts as data (it is reported elsewhere).
pub fn edge_kind(pack: &Pack, from: Option<KindId>, to: Option<KindId>) -> EdgeKind {
    let (Some(a), Some(b)) = (from, to) else {
        return EdgeKind::Data;
    };
    let mut best: Option<EdgeKind> = None;
    for e in pack.edges_between(a, b) {
        let rank = |k: EdgeKind| match k {
            EdgeKind::Trigger => 0,
            EdgeKind::Data => 1,
            EdgeKind::Metadata => 2,
            EdgeKind::Orchestration => 3,
        };
        if best.is_none_or(|b| rank(e.kind) < rank(b)) {
            best = Some(e.kind);
        }
    }
    best.unwrap_or(EdgeKind::Data)
}

/// The flows between declared services, with their kinds and adjacency.
#[derive(Clone, Debug)]
pub struct FlowGraph {
    pub links: Vec<Link>,
    /// Links leaving each service, in flow order (indexes into `links`).
    pub out: IndexLists,
    /// Links entering each service, in flow order.
    pub into: IndexLists,
    /// The link of each flow, when both its ends are services.
    pub by_flow: Vec<Option<usize>>,
}

impl FlowGraph {
    pub fn new(arch: &Architecture) -> FlowGraph {
        let n = arch.services.len();
        let mut links: Vec<Link> = Vec::with_capacity(arch.flows.len());
        let mut by_flow = vec![None; arch.flows.len()];
        for (i, f) in arch.flows.iter().enumerate() {
            let (Some(a), Some(b)) = (f.from.service, f.to.service) else {
                continue;
            };
            by_flow[i] = Some(links.len());
            links.push(Link {
                from: a,
                to: b,
                flow: i,
                kind: f.kind,
            });
        }
        let out = IndexLists::new(n, links.iter().enumerate().map(|(i, l)| (l.from, i)));
        let into = IndexLists::new(n, links.iter().enumerate().map(|(i, l)| (l.to, i)));
        FlowGraph {
            links,
            out,
            into,
            by_flow,
        }
    }

    /// Links that carry records (data and triggers), not table definitions or
    /// control calls.
    pub fn carries_data(link: &Link) -> bool {
        link.kind.carries_data()
    }
}

/// A lake store a query engine reads, and the flow it reads it through when
/// the file draws one (otherwise the engine reaches it through a catalog).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LakeSource {
    pub store: ServiceIx,
    pub flow: Option<FlowIx>,
}

/// Whether a kind is a lake store: it takes a `storage_class`.
pub fn is_store(pack: &Pack, kind: Option<KindId>) -> bool {
    kind.is_some_and(|k| {
        pack.service(k)
            .attributes
            .iter()
            .any(|a| a == "storage_class")
    })
}

/// The stores `reader` reads: those flowing into it directly; or, when none
/// does, those whose tables reach it through catalog services (`lake ->
/// crawler -> catalog -> query`). A catalog shared by several engines says
/// nothing about which engine reads which store, so direct flows, when the
/// file draws them, are taken as the whole answer. In order of appearance.
pub fn lake_sources(
    arch: &Architecture,
    pack: &Pack,
    graph: &FlowGraph,
    reader: ServiceIx,
) -> Vec<LakeSource> {
    let kind = |s: ServiceIx| arch.services[s].kind.kind();
    let mut found: Vec<LakeSource> = Vec::new();
    for &l in &graph.into[reader] {
        let link = graph.links[l];
        if link.kind.carries_data()
            && is_store(pack, kind(link.from))
            && !found.iter().any(|f| f.store == link.from)
        {
            found.push(LakeSource {
                store: link.from,
                flow: Some(link.flow),
            });
        }
    }
    if !found.is_empty() {
        return found;
    }
    // Walk back through catalog services only, along metadata and data
    // flows (a control flow starts a crawler; it does not describe tables).
    let describes = |l: usize| graph.links[l].kind != FlowKind::Control;
    let mut seen = vec![reader];
    let mut queue: Vec<ServiceIx> = graph.into[reader]
        .iter()
        .filter(|&&l| describes(l))
        .map(|&l| graph.links[l].from)
        .filter(|&s| kind(s).is_some_and(|k| pack.is_catalog_provider(k)))
        .collect();
    while let Some(s) = queue.pop() {
        if seen.contains(&s) {
            continue;
        }
        seen.push(s);
        for &l in &graph.into[s] {
            if !describes(l) {
                continue;
            }
            let from = graph.links[l].from;
            let k = kind(from);
            if is_store(pack, k) {
                if !found.iter().any(|f| f.store == from) {
                    found.push(LakeSource {
                        store: from,
                        flow: None,
                    });
                }
            } else if k.is_some_and(|k| pack.is_catalog_provider(k)) {
                queue.push(from);
            }
        }
    }
    found
}

/// A loop of flows: the services in order and the flows between them (the
/// last flow returns to the first service).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loop {
    pub services: Vec<ServiceIx>,
    pub flows: Vec<FlowIx>,
}

/// Loops of data-carrying flows that are not known patterns, one per strongly
/// connected group of services. A group is known when every flow inside it is
/// half of a known round trip (`s3 -> emr -> s3`): the loop shown then starts
/// at the first flow that is not.
pub fn unknown_loops(arch: &Architecture, pack: &Pack, graph: &FlowGraph) -> Vec<Loop> {
    let n = arch.services.len();
    let mut g: DiGraph<ServiceIx, usize> = DiGraph::with_capacity(n, graph.links.len());
    for s in 0..n {
        g.add_node(s);
    }
    for (i, l) in graph.links.iter().enumerate() {
        if FlowGraph::carries_data(l) {
            g.add_edge(NodeIndex::new(l.from), NodeIndex::new(l.to), i);
        }
    }
    let kind = |s: ServiceIx| arch.services[s].kind.kind();
    // Whether link `i` is one half of a known round trip.
    let known = |l: &Link| -> bool {
        let (Some(a), Some(b)) = (kind(l.from), kind(l.to)) else {
            return false;
        };
        let back = graph.out[l.to]
            .iter()
            .any(|&j| graph.links[j].to == l.from && FlowGraph::carries_data(&graph.links[j]));
        back && (pack.known_cycle(a, b).is_some() || pack.known_cycle(b, a).is_some())
    };
    // kosaraju_scc walks iteratively (tarjan_scc recurses, which a long chain
    // of services would turn into a stack overflow).
    let mut component = vec![usize::MAX; n];
    let sccs = kosaraju_scc(&g);
    for (c, members) in sccs.iter().enumerate() {
        for m in members {
            component[m.index()] = c;
        }
    }
    let mut loops = Vec::new();
    for members in &sccs {
        let c = component[members[0].index()];
        let inside: Vec<usize> = {
            let mut v: Vec<usize> = members
                .iter()
                .flat_map(|m| graph.out[m.index()].iter().copied())
                .filter(|&i| {
                    let l = &graph.links[i];
                    FlowGraph::carries_data(l) && component[l.to] == c
                })
                .collect();
            v.sort_unstable_by_key(|&i| graph.links[i].flow);
            v
        };
        if inside.is_empty() {
            continue; // a single service without a flow to itself
        }
        let Some(&start) = inside.iter().find(|&&i| !known(&graph.links[i])) else {
            continue;
        };
        if let Some(found) = close_loop(graph, &component, c, start) {
            loops.push(found);
        }
    }
    loops.sort_by_key(|l| l.flows.first().copied());
    loops
}

/// The shortest way back from the end of link `start` to its beginning,
/// within component `c` (breadth first, flows in file order).
fn close_loop(graph: &FlowGraph, component: &[usize], c: usize, start: usize) -> Option<Loop> {
    let first = graph.links[start];
    let mut services = vec![first.from];
    let mut flows = vec![first.flow];
    if first.to == first.from {
        return Some(Loop { services, flows });
    }
    let mut prev: std::collections::HashMap<ServiceIx, usize> = Default::default();
    let mut queue = std::collections::VecDeque::from([first.to]);
    let mut reached = false;
    'search: while let Some(s) = queue.pop_front() {
        let mut next: Vec<usize> = graph.out[s]
            .iter()
            .copied()
            .filter(|&i| {
                let l = &graph.links[i];
                FlowGraph::carries_data(l) && component[l.to] == c
            })
            .collect();
        next.sort_unstable_by_key(|&i| graph.links[i].flow);
        for i in next {
            let to = graph.links[i].to;
            if to == first.to || prev.contains_key(&to) {
                continue;
            }
            prev.insert(to, i);
            if to == first.from {
                reached = true;
                break 'search;
            }
            queue.push_back(to);
        }
    }
    if !reached {
        return None;
    }
    let mut back = Vec::new();
    let mut at = first.from;
    while at != first.to {
        let i = prev[&at];
        back.push(i);
        at = graph.links[i].from;
    }
    for &i in back.iter().rev() {
        services.push(graph.links[i].from);
        flows.push(graph.links[i].flow);
    }
    Some(Loop { services, flows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn load(text: &str) -> Architecture {
        crate::load(SourceFile::new("t.arch.toml", text), Pack::embedded()).expect("loads")
    }

    fn ids(arch: &Architecture, s: &[ServiceIx]) -> Vec<String> {
        s.iter().map(|&i| arch.services[i].id.clone()).collect()
    }

    #[test]
    fn a_trigger_wins_over_data_and_data_over_metadata() {
        let pack = Pack::embedded();
        let k = |n| pack.kind_by_id(n);
        assert_eq!(edge_kind(pack, k("s3"), k("lambda")), EdgeKind::Trigger);
        assert_eq!(edge_kind(pack, k("s3"), k("athena")), EdgeKind::Data);
        assert_eq!(
            edge_kind(pack, k("s3"), k("glue-crawler")),
            EdgeKind::Metadata
        );
        assert_eq!(
            edge_kind(pack, k("step-functions"), k("glue-etl")),
            EdgeKind::Orchestration
        );
        // Not in the matrix (reported by unsupported-flow): counted as data.
        assert_eq!(edge_kind(pack, k("firehose"), k("lambda")), EdgeKind::Data);
        assert_eq!(edge_kind(pack, None, k("lambda")), EdgeKind::Data);
    }

    #[test]
    fn direct_flows_name_the_stores_a_catalog_only_suggests() {
        let arch = load(
            r#"
[pipeline]
flows = [
  "a -> crawler -> catalog -> q",
  "b -> catalog",
  "b -> q",
  "catalog -> other",
]
[services.a]
kind = "s3"
[services.b]
kind = "s3"
[services.crawler]
kind = "glue-crawler"
[services.catalog]
kind = "glue-data-catalog"
[services.q]
kind = "athena"
[services.other]
kind = "redshift-spectrum"
"#,
        );
        let pack = Pack::embedded();
        let g = FlowGraph::new(&arch);
        let of = |id: &str| {
            let s = arch.service_by_id(id).expect("id");
            let found = lake_sources(&arch, pack, &g, s);
            let stores: Vec<ServiceIx> = found.iter().map(|f| f.store).collect();
            (ids(&arch, &stores), found.iter().all(|f| f.flow.is_some()))
        };
        // `q` reads `b` directly, so the catalog's `a` is not assumed.
        assert_eq!(of("q"), (vec!["b".to_string()], true));
        // `other` reads only through the catalog: every store it describes.
        assert_eq!(of("other"), (vec!["b".to_string(), "a".to_string()], false));
    }

    #[test]
    fn loops_made_of_known_round_trips_are_not_reported() {
        let pack = Pack::embedded();
        // raw and curated both go through spark and back: every flow is half
        // of a known round trip, including the loop raw -> spark -> curated
        // -> etl -> raw.
        let known = load(
            r#"
[pipeline]
flows = ["raw -> spark -> raw", "curated -> spark -> curated", "raw -> etl -> raw", "curated -> etl -> curated"]
[services.raw]
kind = "s3"
[services.curated]
kind = "s3"
[services.spark]
kind = "emr"
[services.etl]
kind = "glue-etl"
"#,
        );
        let g = FlowGraph::new(&known);
        assert!(unknown_loops(&known, pack, &g).is_empty());
        // One flow that is not half of a round trip makes the group a loop to report.
        let unknown = load(
            r#"
[pipeline]
flows = ["raw -> spark -> raw", "spark -> fn -> raw"]
[services.raw]
kind = "s3"
[services.spark]
kind = "emr"
[services.fn]
kind = "lambda"
"#,
        );
        let g = FlowGraph::new(&unknown);
        let loops = unknown_loops(&unknown, pack, &g);
        assert_eq!(loops.len(), 1);
        assert_eq!(ids(&unknown, &loops[0].services), ["spark", "fn", "raw"]);
    }
}
