//! Shortest valid paths through the integration matrix, for the help of
//! `unsupported-flow`. Computed with petgraph over the kind graph and cached per
//! pair of kinds, so many unsupported flows cost one search each pair.

use crate::FastMap;
use std::sync::Mutex;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{EdgeFiltered, EdgeRef};

use super::{Category, EdgeKind, Effort, KindId, Pack};

/// One service on a suggested path and the edge that reaches it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathStep {
    pub kind: KindId,
    /// The `[[edge]]` (index into `Pack::edge_defs`) from the previous step.
    pub via: Option<usize>,
}

/// Cost of one hop: configuration beats code.
fn hop_cost(effort: Effort) -> u32 {
    match effort {
        Effort::Native => 1,
        Effort::Code => 3,
    }
}

#[derive(Clone, Copy, Debug)]
struct Hop {
    cost: u32,
    kind: EdgeKind,
    def: usize,
}

/// Found paths (or their absence) per pair of kinds.
type PathCache = FastMap<(KindId, KindId), Option<Vec<PathStep>>>;

#[derive(Debug)]
pub(super) struct PathFinder {
    graph: DiGraph<KindId, Hop>,
    cache: Mutex<PathCache>,
}

impl PathFinder {
    pub(super) fn new(pack: &Pack) -> PathFinder {
        let mut graph = DiGraph::new();
        for kind in pack.kinds() {
            graph.add_node(kind);
        }
        // Keep the cheapest edge per (pair, kind of edge), in a stable order.
        let mut best: std::collections::BTreeMap<(KindId, KindId, EdgeKind), Hop> =
            Default::default();
        for e in pack.edges() {
            let def = &pack.edge_defs[e.def];
            let hop = Hop {
                cost: hop_cost(def.effort),
                kind: def.kind,
                def: e.def,
            };
            best.entry((e.from, e.to, def.kind))
                .and_modify(|h| {
                    if hop.cost < h.cost {
                        *h = hop;
                    }
                })
                .or_insert(hop);
        }
        for ((from, to, _), hop) in best {
            graph.add_edge(
                NodeIndex::new(from.0 as usize),
                NodeIndex::new(to.0 as usize),
                hop,
            );
        }
        PathFinder {
            graph,
            cache: Mutex::new(FastMap::default()),
        }
    }

    pub(super) fn shortest(&self, pack: &Pack, from: KindId, to: KindId) -> Option<Vec<PathStep>> {
        if let Ok(cache) = self.cache.lock()
            && let Some(hit) = cache.get(&(from, to))
        {
            return hit.clone();
        }
        let found = self.search(pack, from, to);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert((from, to), found.clone());
        }
        found
    }

    fn search(&self, pack: &Pack, from: KindId, to: KindId) -> Option<Vec<PathStep>> {
        let start = NodeIndex::new(from.0 as usize);
        let goal = NodeIndex::new(to.0 as usize);
        let endpoint = |n: NodeIndex| n == start || n == goal;
        // Deprecated or renamed-away services are never suggested in the middle.
        let usable = |n: NodeIndex| endpoint(n) || pack.service(self.graph[n]).lifecycle.is_empty();
        let about_catalog = [from, to]
            .iter()
            .any(|&k| pack.service(k).category == Category::Catalog);
        let filtered = EdgeFiltered::from_fn(&self.graph, |e| {
            let hop = e.weight();
            let kind_ok = match hop.kind {
                EdgeKind::Data | EdgeKind::Trigger => true,
                // Orchestration does not carry data onward: only as the first hop.
                EdgeKind::Orchestration => e.source() == start,
                // Chaining metadata edges would send data through a catalog.
                EdgeKind::Metadata => about_catalog,
            };
            kind_ok && usable(e.source()) && usable(e.target())
        });
        let (_, nodes) = petgraph::algo::astar(
            &filtered,
            start,
            |n| n == goal,
            |e| {
                let through = if e.source() == start {
                    0
                } else {
                    u32::from(pack.service(self.graph[e.source()]).effort)
                };
                e.weight().cost + through
            },
            |_| 0,
        )?;
        if nodes.len() < 2 {
            return None;
        }
        let mut steps = vec![PathStep {
            kind: from,
            via: None,
        }];
        for pair in nodes.windows(2) {
            let def = self
                .graph
                .edges_connecting(pair[0], pair[1])
                .filter(|e| e.weight().kind != EdgeKind::Metadata || about_catalog)
                .min_by_key(|e| (e.weight().cost, e.weight().def))
                .map(|e| e.weight().def);
            steps.push(PathStep {
                kind: self.graph[pair[1]],
                via: def,
            });
        }
        Some(steps)
    }
}
