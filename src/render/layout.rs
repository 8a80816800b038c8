//! A layered (Sugiyama-style) layout, left to right, for graphs that are
//! mostly pipelines: break cycles, rank by longest path, route long edges
//! through virtual nodes, order each rank by barycenter sweeps with
//! adjacent swaps, then place nodes by weighted averages projected onto
//! non-overlapping positions.
//!
//! Nodes sit on even ranks; an edge spans at least two ranks, and its label is
//! a virtual node on the odd rank after its source, so labels take part in the
//! layout like nodes and never overlap them. Everything is deterministic: ties
//! break by index, and only basic arithmetic feeds the coordinates.

/// A width and a height.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    pub w: f64,
    pub h: f64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// An edge to lay out, with the size of its label.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EdgeSpec {
    pub from: usize,
    pub to: usize,
    pub label: Option<Size>,
}

/// How an edge is drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Route {
    /// From the source's port, through each virtual node, to the target's
    /// port; consecutive points are one rank apart. For a loop: the two ends
    /// on top of the node.
    pub points: Vec<Point>,
    /// The centre of the label, when the edge has one.
    pub label: Option<Point>,
    pub self_loop: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// The centre of each node.
    pub centers: Vec<Point>,
    pub routes: Vec<Route>,
    pub width: f64,
    pub height: f64,
}

/// Horizontal space between a rank and the next.
const RANK_GAP: f64 = 24.0;
/// Vertical space between two nodes of a rank.
const NODE_GAP: f64 = 22.0;
/// Vertical space around a label or a passing edge.
const LANE_GAP: f64 = 8.0;
/// The height of a virtual node that only carries an edge.
const DUMMY_H: f64 = 2.0;
/// Space between separate parts of the graph.
const PART_GAP: f64 = 36.0;
/// The most space between two edges leaving or entering one side of a node.
const PORT_STEP: f64 = 9.0;
/// Extra room above a node with an edge to itself.
pub const LOOP_H: f64 = 26.0;

/// The largest offset between linked nodes that is straightened out.
const KINK: f64 = 6.0;

const ORDER_SWEEPS: usize = 16;
const PLACE_SWEEPS: usize = 12;
/// Up to this many virtual nodes every sweep is made; beyond it, fewer, so
/// that a large tangled graph still takes well under a second.
const FULL_EFFORT: usize = 16_000;

/// The most virtual nodes (the bends of edges that span several ranks, and
/// their labels) a layout makes: time and memory grow with them, and a graph
/// that needs more is too tangled to read as one picture anyway.
pub const MAX_VIRTUAL_NODES: usize = 250_000;

/// A graph the built-in layout declines: it would need `needed` virtual nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge {
    pub needed: usize,
}

/// How many sweeps a part of `n` virtual nodes gets, at most `most`.
fn sweeps(most: usize, n: usize) -> usize {
    (most * FULL_EFFORT / n.max(1)).clamp(4, most)
}

/// Lays out nodes of the given sizes joined by edges.
pub fn layout(sizes: &[Size], edges: &[EdgeSpec]) -> Result<Layout, TooLarge> {
    let n = sizes.len();
    let mut out = Layout {
        centers: vec![Point::default(); n],
        routes: vec![Route::default(); edges.len()],
        width: 0.0,
        height: 0.0,
    };
    let parts = parts(n, edges);
    let mut has_edge = vec![false; n];
    for e in edges {
        has_edge[e.from] = true;
    }
    let mut y0 = 0.0;
    let mut singles = Vec::new();
    let mut budget = MAX_VIRTUAL_NODES;
    let mut subs = Vec::with_capacity(parts.len());
    for part in &parts {
        if part.len() == 1 && !has_edge[part[0]] {
            singles.push(part[0]);
            continue;
        }
        subs.push((part, Part::new(sizes, edges, part, &mut budget)?));
    }
    for (part, sub) in subs {
        let sub = sub.run();
        for (local, &node) in part.iter().enumerate() {
            let c = sub.centers[local];
            out.centers[node] = Point {
                x: c.x,
                y: c.y + y0,
            };
        }
        for (e, route) in sub.routes {
            out.routes[e] = Route {
                points: route
                    .points
                    .iter()
                    .map(|p| Point {
                        x: p.x,
                        y: p.y + y0,
                    })
                    .collect(),
                label: route.label.map(|p| Point {
                    x: p.x,
                    y: p.y + y0,
                }),
                self_loop: route.self_loop,
            };
        }
        out.width = out.width.max(sub.width);
        y0 += sub.height + PART_GAP;
    }
    // Nodes with no edge at all go in rows at the bottom.
    if !singles.is_empty() {
        let limit = out.width.max(600.0);
        let (mut x, mut row_h) = (0.0, 0.0f64);
        for &s in &singles {
            let size = sizes[s];
            if x > 0.0 && x + size.w > limit {
                y0 += row_h + NODE_GAP;
                x = 0.0;
                row_h = 0.0;
            }
            out.centers[s] = Point {
                x: x + size.w / 2.0,
                y: y0 + size.h / 2.0,
            };
            x += size.w + NODE_GAP;
            row_h = row_h.max(size.h);
            out.width = out.width.max(x - NODE_GAP);
        }
        y0 += row_h + PART_GAP;
    }
    out.height = (y0 - PART_GAP).max(0.0);
    Ok(out)
}

/// Weakly connected parts, each sorted, in order of their first node.
fn parts(n: usize, edges: &[EdgeSpec]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for e in edges {
        let (a, b) = (find(&mut parent, e.from), find(&mut parent, e.to));
        if a != b {
            let (lo, hi) = (a.min(b), a.max(b));
            parent[hi] = lo;
        }
    }
    let mut index: Vec<Option<usize>> = vec![None; n];
    let mut out: Vec<Vec<usize>> = Vec::new();
    for v in 0..n {
        let root = find(&mut parent, v);
        match index[root] {
            Some(i) => out[i].push(v),
            None => {
                index[root] = Some(out.len());
                out.push(vec![v]);
            }
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Virtual {
    Real,
    /// A point of a long edge; `label` when the edge's label sits here.
    Dummy {
        label: bool,
    },
}

/// One connected part being laid out, in local indices.
struct Part {
    /// Real nodes first (local index = position in the part), then dummies.
    size: Vec<Size>,
    kind: Vec<Virtual>,
    rank: Vec<usize>,
    /// Neighbours one rank left and right, with the weight of the link.
    left: Vec<Vec<(usize, f64)>>,
    right: Vec<Vec<(usize, f64)>>,
    layers: Vec<Vec<usize>>,
    pos: Vec<usize>,
    y: Vec<f64>,
    /// Per edge of the part: its global index, the chain of virtual nodes in
    /// rank order, whether it runs against the layout, and whether it loops.
    chains: Vec<(usize, Vec<usize>, bool, bool)>,
    real: usize,
}

struct PartLayout {
    centers: Vec<Point>,
    routes: Vec<(usize, Route)>,
    width: f64,
    height: f64,
}

impl Part {
    /// The part with its virtual nodes, which are taken from `budget`.
    fn new(
        sizes: &[Size],
        edges: &[EdgeSpec],
        nodes: &[usize],
        budget: &mut usize,
    ) -> Result<Part, TooLarge> {
        let real = nodes.len();
        let mut local = std::collections::HashMap::with_capacity(real);
        for (i, &v) in nodes.iter().enumerate() {
            local.insert(v, i);
        }
        let mut size: Vec<Size> = nodes.iter().map(|&v| sizes[v]).collect();
        // (global edge, from, to) in local indices.
        let mine: Vec<(usize, usize, usize)> = edges
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((i, *local.get(&e.from)?, *local.get(&e.to)?)))
            .collect();
        for &(_, a, b) in &mine {
            if a == b {
                size[a].h += 2.0 * LOOP_H;
            }
        }

        // Break cycles: depth-first from the sources, in index order; an edge
        // to a node on the stack runs backwards.
        let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); real];
        let mut indeg = vec![0usize; real];
        for (k, &(_, a, b)) in mine.iter().enumerate() {
            if a != b {
                out_edges[a].push(k);
                indeg[b] += 1;
            }
        }
        let mut reversed = vec![false; mine.len()];
        let mut state = vec![0u8; real];
        let roots = (0..real)
            .filter(|&v| indeg[v] == 0)
            .chain(0..real)
            .collect::<Vec<_>>();
        for root in roots {
            if state[root] != 0 {
                continue;
            }
            state[root] = 1;
            let mut stack = vec![(root, 0usize)];
            while let Some(top) = stack.last_mut() {
                let (v, i) = *top;
                if i < out_edges[v].len() {
                    top.1 += 1;
                    let k = out_edges[v][i];
                    let w = mine[k].2;
                    match state[w] {
                        0 => {
                            state[w] = 1;
                            stack.push((w, 0));
                        }
                        1 => reversed[k] = true,
                        _ => {}
                    }
                } else {
                    state[v] = 2;
                    stack.pop();
                }
            }
        }

        // Rank by longest path (in steps of two), in topological order.
        let dag: Vec<(usize, usize)> = mine
            .iter()
            .enumerate()
            .filter(|(_, (_, a, b))| a != b)
            .map(|(k, &(_, a, b))| if reversed[k] { (b, a) } else { (a, b) })
            .collect();
        let mut succ: Vec<Vec<usize>> = vec![Vec::new(); real];
        let mut pred_count = vec![0usize; real];
        for &(a, b) in &dag {
            succ[a].push(b);
            pred_count[b] += 1;
        }
        let mut rank = vec![0usize; real];
        let mut topo = Vec::with_capacity(real);
        let mut queue: std::collections::VecDeque<usize> =
            (0..real).filter(|&v| pred_count[v] == 0).collect();
        let mut remaining = pred_count.clone();
        while let Some(v) = queue.pop_front() {
            topo.push(v);
            for &w in &succ[v] {
                rank[w] = rank[w].max(rank[v] + 2);
                remaining[w] -= 1;
                if remaining[w] == 0 {
                    queue.push_back(w);
                }
            }
        }
        // Sources move right, next to their first successor, so a side input
        // does not start at the far left.
        for &v in topo.iter().rev() {
            if pred_count[v] == 0
                && let Some(m) = succ[v].iter().map(|&w| rank[w]).min()
            {
                rank[v] = m - 2;
            }
        }

        let needed: usize = dag
            .iter()
            .map(|&(a, b)| rank[b].saturating_sub(rank[a] + 1))
            .sum();
        if needed > *budget {
            return Err(TooLarge {
                needed: MAX_VIRTUAL_NODES - *budget + needed,
            });
        }
        *budget -= needed;

        let mut part = Part {
            size,
            kind: vec![Virtual::Real; real],
            rank,
            left: vec![Vec::new(); real],
            right: vec![Vec::new(); real],
            layers: Vec::new(),
            pos: Vec::new(),
            y: Vec::new(),
            chains: Vec::new(),
            real,
        };
        for (k, &(g, a, b)) in mine.iter().enumerate() {
            if a == b {
                part.chains.push((g, vec![a], false, true));
                continue;
            }
            let (s, t) = if reversed[k] { (b, a) } else { (a, b) };
            let mut chain = vec![s];
            let mut prev = s;
            for r in part.rank[s] + 1..part.rank[t] {
                let label = r == part.rank[s] + 1 && edges[g].label.is_some();
                let size = match edges[g].label {
                    Some(l) if label => l,
                    _ => Size { w: 0.0, h: DUMMY_H },
                };
                let d = part.size.len();
                part.size.push(size);
                part.kind.push(Virtual::Dummy { label });
                part.rank.push(r);
                part.left.push(Vec::new());
                part.right.push(Vec::new());
                part.link(prev, d);
                chain.push(d);
                prev = d;
            }
            part.link(prev, t);
            chain.push(t);
            part.chains.push((g, chain, reversed[k], false));
        }
        Ok(part)
    }

    fn link(&mut self, a: usize, b: usize) {
        let weight = match (self.kind[a], self.kind[b]) {
            (Virtual::Real, Virtual::Real) => 1.0,
            (Virtual::Real, _) | (_, Virtual::Real) => 2.0,
            _ => 8.0,
        };
        self.right[a].push((b, weight));
        self.left[b].push((a, weight));
    }

    fn run(mut self) -> PartLayout {
        let ranks = self.rank.iter().max().map_or(1, |r| r + 1);
        self.layers = vec![Vec::new(); ranks];
        for v in 0..self.size.len() {
            self.layers[self.rank[v]].push(v);
        }
        self.pos = vec![0; self.size.len()];
        self.order();
        self.place()
    }

    fn renumber(&mut self, r: usize) {
        for (i, &v) in self.layers[r].iter().enumerate() {
            self.pos[v] = i;
        }
    }

    /// Crossings between rank `r` and rank `r + 1`.
    fn crossings_between(&self, r: usize) -> usize {
        let Some(next) = self.layers.get(r + 1) else {
            return 0;
        };
        let mut targets: Vec<usize> = Vec::new();
        for &v in &self.layers[r] {
            let start = targets.len();
            targets.extend(self.right[v].iter().map(|&(w, _)| self.pos[w]));
            targets[start..].sort_unstable();
        }
        // Inversions, counted with a Fenwick tree over the next rank.
        let m = next.len();
        let mut tree = vec![0usize; m + 1];
        let mut count = 0;
        for (seen, &t) in targets.iter().enumerate() {
            // Edges seen so far that end after t cross this one.
            let mut i = t + 1;
            let mut le = 0;
            while i > 0 {
                le += tree[i];
                i &= i - 1;
            }
            count += seen - le;
            let mut i = t + 1;
            while i <= m {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
        count
    }

    fn crossings(&self) -> usize {
        (0..self.layers.len())
            .map(|r| self.crossings_between(r))
            .sum()
    }

    /// Sorts rank `r` by the mean position of its neighbours on one side.
    fn sort_by_barycenter(&mut self, r: usize, from_left: bool) {
        let mut keyed: Vec<(f64, usize, usize)> = self.layers[r]
            .iter()
            .map(|&v| {
                let nb = if from_left {
                    &self.left[v]
                } else {
                    &self.right[v]
                };
                let key = if nb.is_empty() {
                    self.pos[v] as f64
                } else {
                    nb.iter().map(|&(w, _)| self.pos[w] as f64).sum::<f64>() / nb.len() as f64
                };
                (key, self.pos[v], v)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        self.layers[r] = keyed.into_iter().map(|(_, _, v)| v).collect();
        self.renumber(r);
    }

    /// Crossings among the edges of `u` and `v` when `u` comes first.
    fn pair_crossings(&self, u: usize, v: usize) -> usize {
        let mut c = 0;
        for side in [&self.left, &self.right] {
            for &(a, _) in &side[u] {
                for &(b, _) in &side[v] {
                    if self.pos[a] > self.pos[b] {
                        c += 1;
                    }
                }
            }
        }
        c
    }

    /// Swaps neighbours in a rank while that removes crossings.
    fn transpose(&mut self) {
        for _ in 0..4 {
            let mut improved = false;
            for r in 0..self.layers.len() {
                for i in 0..self.layers[r].len().saturating_sub(1) {
                    let (u, v) = (self.layers[r][i], self.layers[r][i + 1]);
                    if self.pair_crossings(v, u) < self.pair_crossings(u, v) {
                        self.layers[r].swap(i, i + 1);
                        self.pos[u] = i + 1;
                        self.pos[v] = i;
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    fn order(&mut self) {
        for r in 0..self.layers.len() {
            self.renumber(r);
        }
        let mut best = self.layers.clone();
        let mut best_count = self.crossings();
        let mut stale = 0;
        for _ in 0..sweeps(ORDER_SWEEPS, self.size.len()) {
            if best_count == 0 {
                break;
            }
            for r in 1..self.layers.len() {
                self.sort_by_barycenter(r, true);
            }
            for r in (0..self.layers.len().saturating_sub(1)).rev() {
                self.sort_by_barycenter(r, false);
            }
            self.transpose();
            let count = self.crossings();
            if count < best_count {
                best_count = count;
                best = self.layers.clone();
                stale = 0;
            } else {
                stale += 1;
                if stale >= 4 {
                    break;
                }
            }
        }
        self.layers = best;
        for r in 0..self.layers.len() {
            self.renumber(r);
        }
    }

    /// The least space between the centres of two neighbours in a rank.
    fn separation(&self, a: usize, b: usize) -> f64 {
        let gap = match (self.kind[a], self.kind[b]) {
            (Virtual::Real, Virtual::Real) => NODE_GAP,
            _ => LANE_GAP,
        };
        (self.size[a].h + self.size[b].h) / 2.0 + gap
    }

    /// Moves rank `r` as close as it can to where its neighbours pull it,
    /// keeping its order and spacing: a weighted isotonic regression (pool
    /// adjacent violators) on positions less their cumulative spacing.
    fn settle(&mut self, r: usize, left: bool, right: bool) {
        let layer = &self.layers[r];
        let n = layer.len();
        if n == 0 {
            return;
        }
        let mut offset = vec![0.0; n];
        for i in 1..n {
            offset[i] = offset[i - 1] + self.separation(layer[i - 1], layer[i]);
        }
        // (target less offset, weight) per node.
        let wanted: Vec<(f64, f64)> = layer
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let (mut sum, mut weight) = (0.0, 0.0);
                let sides = [(left, &self.left[v]), (right, &self.right[v])];
                for (on, nb) in sides {
                    if on {
                        for &(w, k) in nb {
                            sum += k * self.y[w];
                            weight += k;
                        }
                    }
                }
                if weight == 0.0 {
                    (self.y[v] - offset[i], 0.01)
                } else {
                    (sum / weight - offset[i], weight)
                }
            })
            .collect();
        // Blocks of (mean, weight, count).
        let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(n);
        for &(t, w) in &wanted {
            blocks.push((t, w, 1));
            while blocks.len() > 1 {
                let (m2, w2, c2) = blocks[blocks.len() - 1];
                let (m1, w1, c1) = blocks[blocks.len() - 2];
                if m1 <= m2 {
                    break;
                }
                blocks.pop();
                let w = w1 + w2;
                let last = blocks.len() - 1;
                blocks[last] = ((m1 * w1 + m2 * w2) / w, w, c1 + c2);
            }
        }
        let mut i = 0;
        for (m, _, c) in blocks {
            for _ in 0..c {
                let v = self.layers[r][i];
                self.y[v] = m + offset[i];
                i += 1;
            }
        }
    }

    /// Removes the small kinks the averaging leaves in one-to-one links: a
    /// node whose only left neighbour has it as its only right neighbour moves
    /// level with it, when that is close and keeps the rank's spacing.
    fn straighten(&mut self) {
        for r in 1..self.layers.len() {
            for i in 0..self.layers[r].len() {
                let v = self.layers[r][i];
                let [(u, _)] = self.left[v][..] else {
                    continue;
                };
                if self.right[u].len() != 1 {
                    continue;
                }
                let want = self.y[u];
                if (want - self.y[v]).abs() > KINK {
                    continue;
                }
                let layer = &self.layers[r];
                let fits_above =
                    i == 0 || want - self.y[layer[i - 1]] >= self.separation(layer[i - 1], v);
                let fits_below = i + 1 == layer.len()
                    || self.y[layer[i + 1]] - want >= self.separation(v, layer[i + 1]);
                if fits_above && fits_below {
                    self.y[v] = want;
                }
            }
        }
    }

    fn place(mut self) -> PartLayout {
        let count = self.size.len();
        self.y = vec![0.0; count];
        for r in 0..self.layers.len() {
            let mut y = 0.0;
            for i in 0..self.layers[r].len() {
                let v = self.layers[r][i];
                if i > 0 {
                    y += self.separation(self.layers[r][i - 1], v);
                }
                self.y[v] = y;
            }
        }
        let ranks = self.layers.len();
        for _ in 0..sweeps(PLACE_SWEEPS, count) {
            for r in 1..ranks {
                self.settle(r, true, false);
            }
            for r in (0..ranks.saturating_sub(1)).rev() {
                self.settle(r, false, true);
            }
        }
        for r in 0..ranks {
            self.settle(r, true, true);
        }
        self.straighten();

        // Columns: each rank as wide as its widest member.
        let widths: Vec<f64> = self
            .layers
            .iter()
            .map(|l| l.iter().map(|&v| self.size[v].w).fold(0.0, f64::max))
            .collect();
        let mut x = vec![0.0; ranks];
        let mut right = 0.0;
        for r in 0..ranks {
            x[r] = if r == 0 {
                widths[0] / 2.0
            } else {
                x[r - 1] + widths[r - 1] / 2.0 + RANK_GAP + widths[r] / 2.0
            };
            right = x[r] + widths[r] / 2.0;
        }
        let top = (0..count)
            .map(|v| self.y[v] - self.size[v].h / 2.0)
            .fold(f64::INFINITY, f64::min);
        let bottom = (0..count)
            .map(|v| self.y[v] + self.size[v].h / 2.0)
            .fold(f64::NEG_INFINITY, f64::max);
        let at = |v: usize| Point {
            x: x[self.rank[v]],
            y: self.y[v] - top,
        };

        let centers = (0..self.real).map(at).collect();
        // Where each edge leaves and enters: edges that share a side of a
        // node are spread along it in the order of where they come from, so
        // they neither merge nor cross at the node.
        let mut sides: Vec<[Vec<(f64, usize)>; 2]> = vec![[Vec::new(), Vec::new()]; self.real];
        for (k, (_, chain, _, self_loop)) in self.chains.iter().enumerate() {
            if *self_loop {
                continue;
            }
            let n = chain.len();
            sides[chain[0]][1].push((self.y[chain[1]], k));
            sides[chain[n - 1]][0].push((self.y[chain[n - 2]], k));
        }
        let mut port_y: Vec<[f64; 2]> = vec![[0.0; 2]; self.chains.len()];
        for (v, both) in sides.iter_mut().enumerate() {
            for (side, list) in both.iter_mut().enumerate() {
                list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let k = list.len() as f64;
                let step = if k > 1.0 {
                    (self.size[v].h * 0.6 / (k - 1.0)).min(PORT_STEP)
                } else {
                    0.0
                };
                for (i, &(_, e)) in list.iter().enumerate() {
                    let end = if side == 1 { 0 } else { 1 };
                    port_y[e][end] = (i as f64 - (k - 1.0) / 2.0) * step;
                }
            }
        }
        let mut routes = Vec::with_capacity(self.chains.len());
        for (k, (g, chain, reversed, self_loop)) in self.chains.iter().enumerate() {
            if *self_loop {
                let v = chain[0];
                let c = at(v);
                let s = self.size[v];
                let node_top = c.y - s.h / 2.0 + LOOP_H;
                let dx = (s.w / 4.0).min(30.0);
                routes.push((
                    *g,
                    Route {
                        points: vec![
                            Point {
                                x: c.x + dx,
                                y: node_top,
                            },
                            Point {
                                x: c.x - dx,
                                y: node_top,
                            },
                        ],
                        label: Some(Point {
                            x: c.x,
                            y: node_top - LOOP_H,
                        }),
                        self_loop: true,
                    },
                ));
                continue;
            }
            let (first, last) = (chain[0], chain[chain.len() - 1]);
            let mut points = Vec::with_capacity(chain.len());
            let a = at(first);
            points.push(Point {
                x: a.x + self.size[first].w / 2.0,
                y: a.y + port_y[k][0],
            });
            points.extend(chain[1..chain.len() - 1].iter().map(|&d| at(d)));
            let b = at(last);
            points.push(Point {
                x: b.x - self.size[last].w / 2.0,
                y: b.y + port_y[k][1],
            });
            let label = chain
                .iter()
                .find(|&&d| self.kind[d] == Virtual::Dummy { label: true })
                .map(|&d| at(d));
            if *reversed {
                // Drawn from the flow's source, on the right, back to its target.
                points.reverse();
            }
            routes.push((
                *g,
                Route {
                    points,
                    label,
                    self_loop: false,
                },
            ));
        }
        PartLayout {
            centers,
            routes,
            width: right,
            height: (bottom - top).max(0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sz(w: f64, h: f64) -> Size {
        Size { w, h }
    }

    fn edge(from: usize, to: usize) -> EdgeSpec {
        EdgeSpec {
            from,
            to,
            label: None,
        }
    }

    #[test]
    fn a_chain_runs_left_to_right_on_one_line() {
        let l = layout(&[sz(80.0, 30.0); 3], &[edge(0, 1), edge(1, 2)]).unwrap();
        assert!(l.centers[0].x < l.centers[1].x && l.centers[1].x < l.centers[2].x);
        assert_eq!(l.centers[0].y, l.centers[1].y);
        assert_eq!(l.centers[1].y, l.centers[2].y);
    }

    #[test]
    fn nodes_of_a_rank_do_not_overlap() {
        // One source feeding four sinks.
        let edges: Vec<EdgeSpec> = (1..5).map(|t| edge(0, t)).collect();
        let l = layout(&[sz(80.0, 30.0); 5], &edges).unwrap();
        let mut ys: Vec<f64> = (1..5).map(|v| l.centers[v].y).collect();
        ys.sort_by(f64::total_cmp);
        for w in ys.windows(2) {
            assert!(w[1] - w[0] >= 30.0, "{ys:?}");
        }
        // The source sits in the middle of what it feeds.
        assert!((l.centers[0].y - (ys[0] + ys[3]) / 2.0).abs() < 1e-6);
    }

    #[test]
    fn crossings_are_removed_when_possible() {
        // 0→3, 1→2 drawn in index order would cross; the layout uncrosses them.
        let sizes = [sz(40.0, 20.0); 4];
        let l = layout(&sizes, &[edge(0, 3), edge(1, 2), edge(0, 1)]).unwrap();
        let routes_cross = {
            let (a, b) = (&l.routes[0].points, &l.routes[1].points);
            (a[0].y - b[0].y) * (a[a.len() - 1].y - b[b.len() - 1].y) < 0.0
        };
        assert!(!routes_cross);
    }

    #[test]
    fn cycles_and_loops_are_laid_out() {
        let l = layout(
            &[sz(50.0, 20.0); 3],
            &[edge(0, 1), edge(1, 2), edge(2, 0), edge(1, 1)],
        )
        .unwrap();
        assert!(l.routes.iter().all(|r| !r.points.is_empty()));
        assert!(l.routes[3].self_loop);
        // The back edge ends at its target.
        let back = &l.routes[2].points;
        assert!(back[back.len() - 1].x > l.centers[0].x);
    }

    #[test]
    fn labels_get_their_own_room() {
        let label = Some(sz(120.0, 14.0));
        let l = layout(
            &[sz(60.0, 30.0); 2],
            &[EdgeSpec {
                from: 0,
                to: 1,
                label,
            }],
        )
        .unwrap();
        let gap = (l.centers[1].x - 30.0) - (l.centers[0].x + 30.0);
        assert!(gap >= 120.0, "{gap}");
        assert!(l.routes[0].label.is_some());
    }

    #[test]
    fn unconnected_nodes_go_below() {
        let l = layout(&[sz(50.0, 20.0); 3], &[edge(0, 1)]).unwrap();
        assert!(l.centers[2].y > l.centers[0].y);
        assert!(l.height > 20.0);
    }
}
