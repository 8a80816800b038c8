//! Shortest valid paths through the integration matrix, for the help of
//! `unsupported-flow`. Computed with petgraph over the kind graph and cached per
//! pair of kinds and kind of flow, so many unsupported flows cost one search
//! each.
//!
//! A path carries what the flow it replaces would: data travels over data
//! and trigger edges only, never through a catalog's metadata or a control
//! call; a trigger or a control flow ends with an edge of its kind, and a
//! metadata flow with a metadata edge.

use crate::FastMap;
use std::sync::Mutex;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{EdgeFiltered, EdgeRef};

use super::{EdgeKind, Effort, KindId, Pack};

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

/// Whether an edge may stand on a path that carries a flow of kind `want`
/// (`into_goal`: the edge ends the path).
fn hop_fits(pack: &Pack, hop: &Hop, want: EdgeKind, into_goal: bool) -> bool {
    let carries = matches!(hop.kind, EdgeKind::Data | EdgeKind::Trigger);
    match want {
        EdgeKind::Data => carries,
        EdgeKind::Trigger if into_goal => triggers(pack, hop.kind, hop.def),
        EdgeKind::Trigger => carries,
        // Control reaches its target by a control call, after the events
        // (or other calls) that lead to the caller.
        EdgeKind::Orchestration if into_goal => hop.kind == EdgeKind::Orchestration,
        EdgeKind::Orchestration => hop.kind != EdgeKind::Metadata,
        // Metadata describes data that got there by data flows.
        EdgeKind::Metadata if into_goal => hop.kind == EdgeKind::Metadata,
        EdgeKind::Metadata => hop.kind != EdgeKind::Orchestration,
    }
}

/// Whether an edge makes its target act: a trigger, or a delivery the
/// services configure (a rule target, a subscription) — not code of yours
/// writing into it.
pub(super) fn triggers(pack: &Pack, kind: EdgeKind, def: usize) -> bool {
    match kind {
        EdgeKind::Trigger => true,
        EdgeKind::Data => pack.edge_defs[def].effort == Effort::Native,
        _ => false,
    }
}

#[derive(Clone, Copy, Debug)]
struct Hop {
    cost: u32,
    kind: EdgeKind,
    def: usize,
}

/// Found paths (or their absence) per pair of kinds and wanted kind.
type PathCache = FastMap<(KindId, KindId, EdgeKind), Option<Vec<PathStep>>>;

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

    pub(super) fn shortest(
        &self,
        pack: &Pack,
        from: KindId,
        to: KindId,
        want: EdgeKind,
    ) -> Option<Vec<PathStep>> {
        if let Ok(cache) = self.cache.lock()
            && let Some(hit) = cache.get(&(from, to, want))
        {
            return hit.clone();
        }
        let found = self.search(pack, from, to, want);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert((from, to, want), found.clone());
        }
        found
    }

    fn search(
        &self,
        pack: &Pack,
        from: KindId,
        to: KindId,
        want: EdgeKind,
    ) -> Option<Vec<PathStep>> {
        let start = NodeIndex::new(from.0 as usize);
        let goal = NodeIndex::new(to.0 as usize);
        let endpoint = |n: NodeIndex| n == start || n == goal;
        // Deprecated or renamed-away services are never suggested in the middle.
        let usable = |n: NodeIndex| endpoint(n) || pack.service(self.graph[n]).lifecycle.is_empty();
        let ok = |hop: &Hop, into_goal: bool| hop_fits(pack, hop, want, into_goal);
        let filtered = EdgeFiltered::from_fn(&self.graph, |e| {
            ok(e.weight(), e.target() == goal) && usable(e.source()) && usable(e.target())
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
                .filter(|e| ok(e.weight(), pair[1] == goal))
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
