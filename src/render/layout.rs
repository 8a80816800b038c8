//! A layered (Sugiyama-style) layout for graphs that are mostly pipelines:
//! break cycles, rank by longest path, route long edges through virtual
//! nodes, order each rank by barycenter sweeps with adjacent swaps, then
//! place nodes by weighted averages projected onto non-overlapping positions.
//!
//! Nodes sit on even ranks; an edge spans at least two ranks, and its label is
//! a virtual node on the odd rank after its source, so labels take part in the
//! layout like nodes and never overlap them or each other.
//!
//! Ranks run left to right. Given a width, a part of the graph too wide for it
//! is folded into rows, like a paragraph: the ranks are cut into bands that
//! fit, where few edges cross and the rows come out even; an edge that crosses
//! a cut leaves its row on the right, runs back under it in a lane of its own
//! and enters the next row from the left, in the order it left, so wrapped
//! edges neither merge nor cross. The same layout can run top to bottom
//! instead (it is laid out transposed). Everything is deterministic: ties
//! break by index, and only basic arithmetic feeds the coordinates.

/// A width and a height.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    pub w: f64,
    pub h: f64,
}

impl Size {
    fn transposed(self) -> Size {
        Size {
            w: self.h,
            h: self.w,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    fn transposed(self) -> Point {
        Point {
            x: self.y,
            y: self.x,
        }
    }

    fn shifted(self, dy: f64) -> Point {
        Point {
            x: self.x,
            y: self.y + dy,
        }
    }
}

/// An edge to lay out, with the size of its label.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EdgeSpec {
    pub from: usize,
    pub to: usize,
    pub label: Option<Size>,
}

/// Which way the ranks run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    /// Left to right, folded into rows when a width is given.
    #[default]
    Right,
    /// Top to bottom.
    Down,
}

/// What the layout aims for.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Options {
    pub direction: Direction,
    /// With [`Direction::Right`], fold each part into rows no wider than this
    /// where it can (a single rank wider than it stays as wide as it is).
    pub max_width: Option<f64>,
}

/// How the piece of a route between two consecutive points is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// A curve that leaves and arrives along the layout's direction.
    Curve,
    /// A straight line (the tracks of an edge wrapped from row to row).
    Line,
}

/// How an edge is drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Route {
    /// From the source's port, through each virtual node, to the target's
    /// port. For a loop: a cubic Bézier curve (start, two control points,
    /// end) outside the node, above it or, top to bottom, to its left.
    pub points: Vec<Point>,
    /// How each piece between `points[i]` and `points[i + 1]` is drawn.
    pub pieces: Vec<Piece>,
    /// The centre of the label, when the edge has one.
    pub label: Option<Point>,
    pub self_loop: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    pub direction: Direction,
    /// The centre of each node.
    pub centers: Vec<Point>,
    /// The size each node is drawn at: the size it was given, or taller
    /// (wider, top to bottom) where many edges share one of its sides, so
    /// they meet it apart.
    pub sizes: Vec<Size>,
    pub routes: Vec<Route>,
    pub width: f64,
    pub height: f64,
    /// How many times the parts were folded into a new row, in all.
    pub folds: usize,
    /// How many edges cross those folds, in all.
    pub wraps: usize,
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
const PORT_STEP: f64 = 10.0;
/// The least space between them: a node with many edges on a side grows.
const PORT_MIN: f64 = 7.0;
/// The share of a side that ports spread over.
const PORT_SPREAD: f64 = 0.7;
/// Extra room above a node with an edge to itself.
pub const LOOP_H: f64 = 26.0;
/// Space between a wrapped edge's tracks, and between a row and its tracks.
const TRACK_STEP: f64 = 8.0;
const TRACK_MARGIN: f64 = 12.0;
/// Space between a row and the lanes under it that lead to the next row.
const ROW_MARGIN: f64 = 16.0;
/// What an edge crossing a cut between rows costs, against how unevenly the
/// rows are filled (the squared share of the width a row leaves empty, times
/// `EMPTY_WEIGHT`).
const CUT_PENALTY: f64 = 0.15;
const EMPTY_WEIGHT: f64 = 3.0;

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

/// The width taken by `n` parallel tracks beside a row (none for no edge).
fn tracks_width(n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        2.0 * TRACK_MARGIN + (n - 1) as f64 * TRACK_STEP
    }
}

/// Lays out nodes of the given sizes joined by edges.
pub fn layout(sizes: &[Size], edges: &[EdgeSpec], opts: Options) -> Result<Layout, TooLarge> {
    let mut out = match opts.direction {
        Direction::Right => connected(sizes, edges, opts.max_width)?,
        Direction::Down => {
            let sizes_t: Vec<Size> = sizes.iter().map(|s| s.transposed()).collect();
            let edges_t: Vec<EdgeSpec> = edges
                .iter()
                .map(|e| EdgeSpec {
                    label: e.label.map(Size::transposed),
                    ..*e
                })
                .collect();
            let t = connected(&sizes_t, &edges_t, None)?;
            Layout {
                direction: Direction::Down,
                centers: t.centers.iter().map(|p| p.transposed()).collect(),
                sizes: t.sizes.iter().map(|s| s.transposed()).collect(),
                routes: t
                    .routes
                    .into_iter()
                    .map(|r| Route {
                        points: r.points.iter().map(|p| p.transposed()).collect(),
                        label: r.label.map(Point::transposed),
                        ..r
                    })
                    .collect(),
                width: t.height,
                height: t.width,
                folds: t.folds,
                wraps: t.wraps,
            }
        }
    };
    // Nodes with no edge at all go in rows at the bottom.
    let mut has_edge = vec![false; sizes.len()];
    for e in edges {
        has_edge[e.from] = true;
        has_edge[e.to] = true;
    }
    let singles: Vec<usize> = (0..sizes.len()).filter(|&v| !has_edge[v]).collect();
    if !singles.is_empty() {
        let limit = opts.max_width.unwrap_or(out.width.max(600.0));
        let mut y0 = if out.height > 0.0 {
            out.height + PART_GAP
        } else {
            0.0
        };
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
        out.height = y0 + row_h;
    }
    Ok(out)
}

/// Lays out the parts with edges, left to right, stacked top to bottom; the
/// nodes without edges are left at the origin.
fn connected(
    sizes: &[Size],
    edges: &[EdgeSpec],
    max_width: Option<f64>,
) -> Result<Layout, TooLarge> {
    let n = sizes.len();
    let mut out = Layout {
        direction: Direction::Right,
        centers: vec![Point::default(); n],
        sizes: sizes.to_vec(),
        routes: vec![Route::default(); edges.len()],
        width: 0.0,
        height: 0.0,
        folds: 0,
        wraps: 0,
    };
    let (parts, part_of) = parts(n, edges);
    // Each part's edges, bucketed once, so the work stays linear in the
    // number of parts plus edges.
    let mut part_edges: Vec<Vec<usize>> = vec![Vec::new(); parts.len()];
    for (i, e) in edges.iter().enumerate() {
        part_edges[part_of[e.from]].push(i);
    }
    let mut y0 = 0.0;
    let mut budget = MAX_VIRTUAL_NODES;
    let mut subs = Vec::with_capacity(parts.len());
    for (part, mine) in parts.iter().zip(&part_edges) {
        if mine.is_empty() {
            continue;
        }
        subs.push((part, Part::new(sizes, edges, part, mine, &mut budget)?));
    }
    let mut any = false;
    for (part, sub) in subs {
        let sub = sub.run(max_width);
        for (local, &node) in part.iter().enumerate() {
            out.centers[node] = sub.centers[local].shifted(y0);
            out.sizes[node] = sub.sizes[local];
        }
        for (e, route) in sub.routes {
            out.routes[e] = Route {
                points: route.points.iter().map(|p| p.shifted(y0)).collect(),
                label: route.label.map(|p| p.shifted(y0)),
                ..route
            };
        }
        out.width = out.width.max(sub.width);
        out.folds += sub.folds;
        out.wraps += sub.wraps;
        y0 += sub.height + PART_GAP;
        any = true;
    }
    out.height = if any { y0 - PART_GAP } else { 0.0 };
    Ok(out)
}

/// Weakly connected parts, each sorted, in order of their first node, and
/// the part of each node.
fn parts(n: usize, edges: &[EdgeSpec]) -> (Vec<Vec<usize>>, Vec<usize>) {
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
    let mut part_of = vec![0; n];
    for (v, part) in part_of.iter_mut().enumerate() {
        let root = find(&mut parent, v);
        let i = match index[root] {
            Some(i) => i,
            None => {
                index[root] = Some(out.len());
                out.push(Vec::new());
                out.len() - 1
            }
        };
        out[i].push(v);
        *part = i;
    }
    (out, part_of)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Virtual {
    Real,
    /// A point of a long edge; `label` when the edge's label sits here.
    Dummy {
        label: bool,
    },
}

/// An edge of a part, in local indices.
struct Chain {
    /// The edge's global index.
    edge: usize,
    /// Its virtual nodes in rank order, from the first end to the last.
    nodes: Vec<usize>,
    /// Whether it runs against the layout.
    reversed: bool,
    /// For a loop, which of its node's loops it is (from the node outwards).
    self_loop: Option<usize>,
}

/// One connected part being laid out, in local indices.
struct Part {
    /// The room each node takes: real nodes first (local index = position in
    /// the part), then dummies. A node with loops takes room for them.
    size: Vec<Size>,
    /// The size each real node is drawn at.
    drawn: Vec<Size>,
    kind: Vec<Virtual>,
    rank: Vec<usize>,
    /// Neighbours one rank left and right, with the weight of the link.
    left: Vec<Vec<(usize, f64)>>,
    right: Vec<Vec<(usize, f64)>>,
    layers: Vec<Vec<usize>>,
    pos: Vec<usize>,
    y: Vec<f64>,
    chains: Vec<Chain>,
    /// The label size of each loop, per real node, from the node outwards.
    loops: Vec<Vec<f64>>,
    real: usize,
    /// The row (band of ranks) of each rank.
    band: Vec<usize>,
}

struct PartLayout {
    centers: Vec<Point>,
    sizes: Vec<Size>,
    routes: Vec<(usize, Route)>,
    width: f64,
    height: f64,
    folds: usize,
    wraps: usize,
}

impl Part {
    /// The part with its virtual nodes, which are taken from `budget`.
    fn new(
        sizes: &[Size],
        edges: &[EdgeSpec],
        nodes: &[usize],
        edge_ids: &[usize],
        budget: &mut usize,
    ) -> Result<Part, TooLarge> {
        let real = nodes.len();
        let mut local = crate::FastMap::default();
        local.reserve(real);
        for (i, &v) in nodes.iter().enumerate() {
            local.insert(v, i);
        }
        let mut drawn: Vec<Size> = nodes.iter().map(|&v| sizes[v]).collect();
        // (global edge, from, to) in local indices.
        let mine: Vec<(usize, usize, usize)> = edge_ids
            .iter()
            .filter_map(|&i| {
                let e = &edges[i];
                Some((i, *local.get(&e.from)?, *local.get(&e.to)?))
            })
            .collect();

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

        // A node with many edges on one side grows so they meet it apart.
        let mut ends = vec![[0usize; 2]; real];
        for (k, &(_, a, b)) in mine.iter().enumerate() {
            if a != b {
                let (s, t) = if reversed[k] { (b, a) } else { (a, b) };
                ends[s][1] += 1;
                ends[t][0] += 1;
            }
        }
        for (v, &[into, out]) in ends.iter().enumerate() {
            let k = into.max(out);
            if k > 1 {
                let need = (k - 1) as f64 * PORT_MIN / PORT_SPREAD;
                drawn[v].h = drawn[v].h.max(need.ceil());
            }
        }
        // Loops take room above the node for themselves and their labels,
        // and as much below, so the node stays centred in its room.
        let mut loops: Vec<Vec<f64>> = vec![Vec::new(); real];
        let mut size = drawn.clone();
        for &(g, a, b) in &mine {
            if a == b {
                let label = edges[g].label.unwrap_or_default();
                loops[a].push(label.h);
                size[a].h += 2.0 * (LOOP_H + label.h + 2.0);
                size[a].w = size[a].w.max(label.w);
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
            drawn,
            kind: vec![Virtual::Real; real],
            rank,
            left: vec![Vec::new(); real],
            right: vec![Vec::new(); real],
            layers: Vec::new(),
            pos: Vec::new(),
            y: Vec::new(),
            chains: Vec::with_capacity(mine.len()),
            loops,
            real,
            band: Vec::new(),
        };
        let mut loop_count = vec![0usize; real];
        for (k, &(g, a, b)) in mine.iter().enumerate() {
            if a == b {
                part.chains.push(Chain {
                    edge: g,
                    nodes: vec![a],
                    reversed: false,
                    self_loop: Some(loop_count[a]),
                });
                loop_count[a] += 1;
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
            part.chains.push(Chain {
                edge: g,
                nodes: chain,
                reversed: reversed[k],
                self_loop: None,
            });
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

    fn run(mut self, max_width: Option<f64>) -> PartLayout {
        let ranks = self.rank.iter().max().map_or(1, |r| r + 1);
        self.layers = vec![Vec::new(); ranks];
        for v in 0..self.size.len() {
            self.layers[self.rank[v]].push(v);
        }
        self.pos = vec![0; self.size.len()];
        self.order();
        let (bands, left) = self.bands(max_width);
        self.band = vec![0; ranks];
        for (b, &(first, last)) in bands.iter().enumerate() {
            for r in first..=last {
                self.band[r] = b;
            }
        }
        self.place(&bands, left)
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

    /// The widest member of each rank.
    fn column_widths(&self) -> Vec<f64> {
        self.layers
            .iter()
            .map(|l| l.iter().map(|&v| self.size[v].w).fold(0.0, f64::max))
            .collect()
    }

    /// How many edges cross from rank `c` to rank `c + 1`.
    fn crossing(&self, c: usize) -> usize {
        self.layers
            .get(c + 1)
            .map_or(0, |l| l.iter().map(|&v| self.left[v].len()).sum())
    }

    /// The rows: (first rank, last rank) of each, and the room left of every
    /// row for the tracks of edges that wrap into it.
    fn bands(&self, max_width: Option<f64>) -> (Vec<(usize, usize)>, f64) {
        let ranks = self.layers.len();
        let whole = vec![(0, ranks - 1)];
        let Some(limit) = max_width else {
            return (whole, 0.0);
        };
        let widths = self.column_widths();
        // prefix[r]: the width of ranks 0..r, each followed by a gap.
        let mut prefix = vec![0.0; ranks + 1];
        for r in 0..ranks {
            prefix[r + 1] = prefix[r] + widths[r] + RANK_GAP;
        }
        if prefix[ranks] - RANK_GAP <= limit {
            return (whole, 0.0);
        }
        let count: Vec<usize> = (0..ranks).map(|c| self.crossing(c)).collect();
        let mut left = tracks_width(1);
        let mut bands = self.cut(limit, left, &prefix, &count);
        let most = |bands: &[(usize, usize)]| {
            bands[..bands.len() - 1]
                .iter()
                .map(|&(_, last)| count[last])
                .max()
                .unwrap_or(0)
        };
        let need = tracks_width(most(&bands));
        if need > left {
            left = need;
            bands = self.cut(limit, left, &prefix, &count);
            left = left.max(tracks_width(most(&bands)));
        }
        if bands.len() == 1 {
            left = 0.0;
        }
        (bands, left)
    }

    /// The fewest rows no wider than `limit` (a row too wide only when one
    /// rank and its labels are), and among those the rows cut where the fewest
    /// edges cross and most evenly filled, by dynamic programming over the
    /// cuts. Rows end after a rank of labels and bends, so each starts with
    /// nodes.
    fn cut(&self, limit: f64, left: f64, prefix: &[f64], count: &[usize]) -> Vec<(usize, usize)> {
        let ranks = self.layers.len();
        let last = ranks - 1;
        // best[s]: (rows, cost, where the previous row started) to have
        // rows covering ranks 0..s.
        let mut best: Vec<Option<(usize, f64, usize)>> = vec![None; ranks + 1];
        best[0] = Some((0, 0.0, 0));
        let better = |a: (usize, f64), b: Option<(usize, f64, usize)>| match b {
            None => true,
            Some((rows, cost, _)) => a.0 < rows || (a.0 == rows && a.1 < cost - 1e-12),
        };
        for s in (0..ranks).step_by(2) {
            let Some((rows, cost, _)) = best[s] else {
                continue;
            };
            let mut e = s + 1;
            loop {
                let end = e.min(last);
                let content = left + prefix[end + 1] - prefix[s] - RANK_GAP;
                let is_last = end == last;
                let width = if is_last {
                    content
                } else {
                    content + tracks_width(count[end])
                };
                let first = e == s + 1 || end == s;
                if width > limit && !first {
                    break;
                }
                let empty = ((limit - width) / limit).max(0.0);
                let mut c = cost + EMPTY_WEIGHT * empty * empty;
                if !is_last {
                    c += CUT_PENALTY * count[end] as f64;
                }
                let candidate = (rows + 1, c);
                if better(candidate, best[end + 1]) {
                    best[end + 1] = Some((candidate.0, candidate.1, s));
                }
                if is_last {
                    break;
                }
                e += 2;
            }
        }
        let mut bands = Vec::new();
        let mut at = ranks;
        while at > 0 {
            let Some((_, _, s)) = best[at] else {
                // Unreachable: every rank is covered by the row it starts.
                return vec![(0, last)];
            };
            bands.push((s, at - 1));
            at = s;
        }
        bands.reverse();
        bands
    }

    /// The least space between the centres of two neighbours in a rank.
    fn separation(&self, a: usize, b: usize) -> f64 {
        let gap = match (self.kind[a], self.kind[b]) {
            (Virtual::Real, Virtual::Real) => NODE_GAP,
            _ => LANE_GAP,
        };
        (self.size[a].h + self.size[b].h) / 2.0 + gap
    }

    /// Whether `v` and `w` lie in the same row.
    fn same_row(&self, v: usize, w: usize) -> bool {
        self.band[self.rank[v]] == self.band[self.rank[w]]
    }

    /// Moves rank `r` as close as it can to where its neighbours in its row
    /// pull it, keeping its order and spacing: a weighted isotonic regression
    /// (pool adjacent violators) on positions less their cumulative spacing.
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
                            if self.same_row(v, w) {
                                sum += k * self.y[w];
                                weight += k;
                            }
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
                if self.right[u].len() != 1 || !self.same_row(u, v) {
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

    fn place(mut self, bands: &[(usize, usize)], left: f64) -> PartLayout {
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

        // Columns: each rank as wide as its widest member, each row starting
        // after the room for the tracks that wrap into it.
        let widths = self.column_widths();
        let mut x = vec![0.0; ranks];
        let mut rights = Vec::with_capacity(bands.len());
        for &(first, last) in bands {
            for r in first..=last {
                x[r] = if r == first {
                    left + widths[r] / 2.0
                } else {
                    x[r - 1] + widths[r - 1] / 2.0 + RANK_GAP + widths[r] / 2.0
                };
            }
            rights.push(x[last] + widths[last] / 2.0);
        }
        // Rows: each from its own top, one under the other, with lanes for
        // the edges that wrap between them.
        let mut tops = vec![f64::INFINITY; bands.len()];
        let mut bottoms = vec![f64::NEG_INFINITY; bands.len()];
        for v in 0..count {
            let b = self.band[self.rank[v]];
            tops[b] = tops[b].min(self.y[v] - self.size[v].h / 2.0);
            bottoms[b] = bottoms[b].max(self.y[v] + self.size[v].h / 2.0);
        }
        let mut shift = vec![0.0; bands.len()];
        let mut lanes_top = vec![0.0; bands.len()];
        let mut y0 = 0.0;
        for (b, &(_, last)) in bands.iter().enumerate() {
            let (top, bottom) = if tops[b].is_finite() {
                (tops[b], bottoms[b])
            } else {
                (0.0, 0.0)
            };
            shift[b] = y0 - top;
            y0 += bottom - top;
            if b + 1 < bands.len() {
                let n = self.crossing(last).max(1);
                lanes_top[b] = y0 + ROW_MARGIN;
                y0 += 2.0 * ROW_MARGIN + (n - 1) as f64 * TRACK_STEP;
            }
        }
        for v in 0..count {
            self.y[v] += shift[self.band[self.rank[v]]];
        }
        let at = |v: usize| Point {
            x: x[self.rank[v]],
            y: self.y[v],
        };
        let width = bands
            .iter()
            .enumerate()
            .map(|(b, &(_, last))| {
                if b + 1 < bands.len() {
                    rights[b] + tracks_width(self.crossing(last))
                } else {
                    rights[b]
                }
            })
            .fold(0.0, f64::max);

        let centers = (0..self.real).map(at).collect();
        // Where each edge leaves and enters: edges that share a side of a
        // node are spread along it in the order of where they come from, so
        // they neither merge nor cross at the node.
        let mut sides: Vec<[Vec<(f64, usize)>; 2]> = vec![[Vec::new(), Vec::new()]; self.real];
        for (k, c) in self.chains.iter().enumerate() {
            if c.self_loop.is_some() {
                continue;
            }
            let n = c.nodes.len();
            sides[c.nodes[0]][1].push((self.y[c.nodes[1]], k));
            sides[c.nodes[n - 1]][0].push((self.y[c.nodes[n - 2]], k));
        }
        let mut port_y: Vec<[f64; 2]> = vec![[0.0; 2]; self.chains.len()];
        for (v, both) in sides.iter_mut().enumerate() {
            for (side, list) in both.iter_mut().enumerate() {
                list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let k = list.len() as f64;
                let step = if k > 1.0 {
                    (self.drawn[v].h * PORT_SPREAD / (k - 1.0)).min(PORT_STEP)
                } else {
                    0.0
                };
                for (i, &(_, e)) in list.iter().enumerate() {
                    let end = if side == 1 { 0 } else { 1 };
                    port_y[e][end] = (i as f64 - (k - 1.0) / 2.0) * step;
                }
            }
        }
        // The order in which the edges crossing each cut leave their row.
        let mut wrap_slot: Vec<Vec<(usize, usize)>> = vec![Vec::new(); bands.len()];
        {
            let mut leaving: Vec<Vec<(f64, usize, usize)>> = vec![Vec::new(); bands.len()];
            for (k, c) in self.chains.iter().enumerate() {
                for (i, w) in c.nodes.windows(2).enumerate() {
                    if !self.same_row(w[0], w[1]) {
                        leaving[self.band[self.rank[w[0]]]].push((self.y[w[0]], k, i));
                    }
                }
            }
            for (b, list) in leaving.iter_mut().enumerate() {
                list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                wrap_slot[b] = list.iter().map(|&(_, k, i)| (k, i)).collect();
            }
        }
        let mut routes = Vec::with_capacity(self.chains.len());
        for (k, c) in self.chains.iter().enumerate() {
            if let Some(j) = c.self_loop {
                routes.push((c.edge, self.loop_route(at(c.nodes[0]), c.nodes[0], j)));
                continue;
            }
            let chain = &c.nodes;
            let n = chain.len();
            // Each element of the chain is crossed straight, level, from the
            // left side of its column to the right (a node from its port to
            // the column's side), so an edge only bends in the gaps between
            // columns, where there are no nodes, and never runs through one.
            let half = |v: usize| widths[self.rank[v]] / 2.0;
            let entry = |i: usize| -> (Point, Point) {
                let v = chain[i];
                let p = at(v);
                if i == n - 1 {
                    let y = p.y + port_y[k][1];
                    (
                        Point {
                            x: p.x - half(v),
                            y,
                        },
                        Point {
                            x: p.x - self.drawn[v].w / 2.0,
                            y,
                        },
                    )
                } else {
                    (
                        Point {
                            x: p.x - half(v),
                            y: p.y,
                        },
                        Point {
                            x: p.x + half(v),
                            y: p.y,
                        },
                    )
                }
            };
            let mut points = Vec::with_capacity(2 * n + 4);
            let mut pieces = Vec::with_capacity(2 * n + 4);
            let line_to = |points: &mut Vec<Point>, pieces: &mut Vec<Piece>, q: Point| {
                let p = points[points.len() - 1];
                if (q.x - p.x).abs() + (q.y - p.y).abs() > 0.05 {
                    points.push(q);
                    pieces.push(Piece::Line);
                }
            };
            let source = chain[0];
            let s0 = at(source);
            let y0 = s0.y + port_y[k][0];
            points.push(Point {
                x: s0.x + self.drawn[source].w / 2.0,
                y: y0,
            });
            line_to(
                &mut points,
                &mut pieces,
                Point {
                    x: s0.x + half(source),
                    y: y0,
                },
            );
            for i in 1..n {
                let (into, out) = entry(i);
                if self.same_row(chain[i - 1], chain[i]) {
                    points.push(into);
                    pieces.push(Piece::Curve);
                } else {
                    // Out to the right of the row, back under it in a lane,
                    // and into the next row from the left: the edge that
                    // leaves highest takes the outermost track on the right,
                    // the lowest lane and the innermost track on the left.
                    let b = self.band[self.rank[chain[i - 1]]];
                    let slots = &wrap_slot[b];
                    let m = slots.len();
                    let slot = slots.iter().position(|&s| s == (k, i - 1)).unwrap_or(0);
                    let p = points[points.len() - 1];
                    let outer = (m - 1 - slot) as f64;
                    let rx = rights[b] + TRACK_MARGIN + outer * TRACK_STEP;
                    let lane = lanes_top[b] + outer * TRACK_STEP;
                    let lx = left - TRACK_MARGIN - slot as f64 * TRACK_STEP;
                    for w in [
                        Point { x: rx, y: p.y },
                        Point { x: rx, y: lane },
                        Point { x: lx, y: lane },
                        Point { x: lx, y: into.y },
                        into,
                    ] {
                        line_to(&mut points, &mut pieces, w);
                    }
                }
                line_to(&mut points, &mut pieces, out);
            }
            let label = chain
                .iter()
                .find(|&&d| self.kind[d] == Virtual::Dummy { label: true })
                .map(|&d| at(d));
            if c.reversed {
                // Drawn from the flow's source, on the right, back to its target.
                points.reverse();
                pieces.reverse();
            }
            routes.push((
                c.edge,
                Route {
                    points,
                    pieces,
                    label,
                    self_loop: false,
                },
            ));
        }
        PartLayout {
            centers,
            sizes: self.drawn.clone(),
            routes,
            width,
            height: y0.max(0.0),
            folds: bands.len() - 1,
            wraps: bands[..bands.len() - 1]
                .iter()
                .map(|&(_, last)| self.crossing(last))
                .sum(),
        }
    }

    /// The `j`-th loop of node `v` (centred at `c`), nested over the ones
    /// before it, with its label above its top.
    fn loop_route(&self, c: Point, v: usize, j: usize) -> Route {
        let s = self.drawn[v];
        let node_top = c.y - s.h / 2.0;
        let below: f64 = self.loops[v][..j].iter().map(|h| LOOP_H + h + 2.0).sum();
        let reach = below + LOOP_H - 4.0;
        // Nested loops spread out from the middle, all within the node's width.
        let base = (s.w / 4.0).min(30.0);
        let step = ((s.w / 2.0 - 8.0 - base) / self.loops[v].len() as f64).clamp(0.0, 6.0);
        let dx = base + step * j as f64;
        let bulge = (dx + 8.0).min(s.w / 2.0);
        // A cubic's middle reaches three quarters of the way to its control points.
        let pull = reach / 0.75;
        let label_h = self.loops[v][j];
        Route {
            points: vec![
                Point {
                    x: c.x + dx,
                    y: node_top,
                },
                Point {
                    x: c.x + bulge,
                    y: node_top - pull,
                },
                Point {
                    x: c.x - bulge,
                    y: node_top - pull,
                },
                Point {
                    x: c.x - dx,
                    y: node_top,
                },
            ],
            pieces: vec![Piece::Curve],
            label: Some(Point {
                x: c.x,
                y: node_top - below - LOOP_H - 2.0 - label_h / 2.0,
            }),
            self_loop: true,
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
        let l = layout(
            &[sz(80.0, 30.0); 3],
            &[edge(0, 1), edge(1, 2)],
            Options::default(),
        )
        .unwrap();
        assert!(l.centers[0].x < l.centers[1].x && l.centers[1].x < l.centers[2].x);
        assert_eq!(l.centers[0].y, l.centers[1].y);
        assert_eq!(l.centers[1].y, l.centers[2].y);
    }

    #[test]
    fn nodes_of_a_rank_do_not_overlap() {
        // One source feeding four sinks.
        let edges: Vec<EdgeSpec> = (1..5).map(|t| edge(0, t)).collect();
        let l = layout(&[sz(80.0, 30.0); 5], &edges, Options::default()).unwrap();
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
        let l = layout(
            &sizes,
            &[edge(0, 3), edge(1, 2), edge(0, 1)],
            Options::default(),
        )
        .unwrap();
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
            Options::default(),
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
            Options::default(),
        )
        .unwrap();
        let gap = (l.centers[1].x - 30.0) - (l.centers[0].x + 30.0);
        assert!(gap >= 120.0, "{gap}");
        assert!(l.routes[0].label.is_some());
    }

    #[test]
    fn unconnected_nodes_go_below() {
        let l = layout(&[sz(50.0, 20.0); 3], &[edge(0, 1)], Options::default()).unwrap();
        assert!(l.centers[2].y > l.centers[0].y);
        assert!(l.height > 20.0);
    }

    type Boxes = (Vec<[f64; 4]>, Vec<(usize, [f64; 4])>);

    /// Boxes of a layout: (node boxes, label boxes with their edge).
    fn boxes(l: &Layout, edges: &[EdgeSpec]) -> Boxes {
        let nodes = l
            .centers
            .iter()
            .zip(&l.sizes)
            .map(|(c, s)| {
                [
                    c.x - s.w / 2.0,
                    c.y - s.h / 2.0,
                    c.x + s.w / 2.0,
                    c.y + s.h / 2.0,
                ]
            })
            .collect();
        let labels = edges
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let (c, s) = (l.routes[i].label?, e.label?);
                Some((
                    i,
                    [
                        c.x - s.w / 2.0,
                        c.y - s.h / 2.0,
                        c.x + s.w / 2.0,
                        c.y + s.h / 2.0,
                    ],
                ))
            })
            .collect();
        (nodes, labels)
    }

    fn meet(a: &[f64; 4], b: &[f64; 4]) -> bool {
        a[0] < b[2] - 0.01 && b[0] < a[2] - 0.01 && a[1] < b[3] - 0.01 && b[1] < a[3] - 0.01
    }

    /// A fixed pseudo-random sequence, so every run lays out the same graphs.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n.max(1)
        }
    }

    /// A graph of `n` nodes: mostly forward edges, some back edges, loops and
    /// repeated edges, most with labels of various sizes.
    fn random_graph(n: usize, seed: u64) -> (Vec<Size>, Vec<EdgeSpec>) {
        let mut r = Lcg(seed);
        let sizes = (0..n)
            .map(|_| sz(60.0 + r.below(200) as f64, 30.0 + r.below(60) as f64))
            .collect();
        let mut edges = Vec::new();
        for _ in 0..n + n / 2 + r.below(n as u64) as usize {
            let a = r.below(n as u64) as usize;
            let b = match r.below(10) {
                0 => a,
                1 | 2 => r.below(n as u64) as usize,
                _ => (a + 1 + r.below(4) as usize).min(n - 1),
            };
            let label = (r.below(4) != 0)
                .then(|| sz(20.0 + r.below(160) as f64, 14.0 + 13.0 * r.below(3) as f64));
            edges.push(EdgeSpec {
                from: a,
                to: b,
                label,
            });
        }
        (sizes, edges)
    }

    #[test]
    fn labels_never_meet_nodes_or_each_other_in_random_graphs() {
        let options = [
            Options::default(),
            Options {
                direction: Direction::Right,
                max_width: Some(700.0),
            },
            Options {
                direction: Direction::Down,
                max_width: None,
            },
        ];
        for seed in 1..40 {
            let (sizes, edges) = random_graph(3 + (seed as usize * 7) % 30, seed);
            for opts in options {
                let l = layout(&sizes, &edges, opts).unwrap();
                let (nodes, labels) = boxes(&l, &edges);
                for (i, a) in nodes.iter().enumerate() {
                    for b in &nodes[i + 1..] {
                        assert!(!meet(a, b), "seed {seed} {opts:?}: nodes {a:?} {b:?}");
                    }
                }
                for (i, (e, a)) in labels.iter().enumerate() {
                    for (f, b) in &labels[i + 1..] {
                        assert!(!meet(a, b), "seed {seed} {opts:?}: labels of {e} and {f}");
                    }
                    for (v, b) in nodes.iter().enumerate() {
                        assert!(
                            !meet(a, b),
                            "seed {seed} {opts:?}: label of {e} on node {v}"
                        );
                    }
                }
                for r in &l.routes {
                    // A loop's middle points are its curve's control points.
                    let drawn: Vec<Point> = if r.self_loop {
                        vec![r.points[0], r.points[3]]
                    } else {
                        assert_eq!(r.pieces.len() + 1, r.points.len());
                        r.points.clone()
                    };
                    for p in &drawn {
                        assert!(p.x >= -0.01 && p.y >= -0.01, "seed {seed} {opts:?}: {p:?}");
                        assert!(
                            p.x <= l.width + 0.01 && p.y <= l.height + 0.01,
                            "seed {seed} {opts:?}: {p:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_long_chain_folds_into_rows_no_wider_than_asked() {
        let sizes = vec![sz(120.0, 40.0); 20];
        let edges: Vec<EdgeSpec> = (0..19)
            .map(|i| EdgeSpec {
                from: i,
                to: i + 1,
                label: Some(sz(90.0, 14.0)),
            })
            .collect();
        let one = layout(&sizes, &edges, Options::default()).unwrap();
        assert!(one.width > 4000.0);
        let folded = layout(
            &sizes,
            &edges,
            Options {
                direction: Direction::Right,
                max_width: Some(900.0),
            },
        )
        .unwrap();
        assert!(folded.width <= 900.0, "{}", folded.width);
        assert!(folded.folds >= 4, "{}", folded.folds);
        // One edge crosses each fold: the chain's own.
        assert_eq!(folded.wraps, folded.folds);
        // Each row reads left to right; rows follow each other downwards.
        let rows: Vec<f64> = {
            let mut ys: Vec<f64> = folded.centers.iter().map(|c| c.y).collect();
            ys.dedup_by(|a, b| (*a - *b).abs() < 1.0);
            ys
        };
        assert_eq!(rows.len(), folded.folds + 1, "{rows:?}");
        assert!(rows.windows(2).all(|w| w[1] > w[0]));
        // Three fit in a row: seven rows, filled evenly (three or two each).
        assert_eq!(rows.len(), 7);
        for y in &rows {
            let n = folded
                .centers
                .iter()
                .filter(|c| (c.y - y).abs() < 1.0)
                .count();
            assert!((2..=3).contains(&n), "a row of {n}");
        }
    }

    #[test]
    fn top_to_bottom_runs_the_chain_downwards() {
        let l = layout(
            &[sz(80.0, 30.0); 3],
            &[edge(0, 1), edge(1, 2)],
            Options {
                direction: Direction::Down,
                max_width: None,
            },
        )
        .unwrap();
        assert!(l.centers[0].y < l.centers[1].y && l.centers[1].y < l.centers[2].y);
        assert_eq!(l.centers[0].x, l.centers[2].x);
        // Edges leave the bottom of a node and enter the top of the next.
        let p = &l.routes[0].points;
        assert_eq!(p[0].y, l.centers[0].y + 15.0);
        assert_eq!(p[p.len() - 1].y, l.centers[1].y - 15.0);
    }

    #[test]
    fn many_edges_on_one_side_meet_the_node_apart() {
        // Eight sources feed one sink: the sink grows so its ports are apart.
        let edges: Vec<EdgeSpec> = (1..9).map(|s| edge(s, 0)).collect();
        let l = layout(&[sz(80.0, 30.0); 9], &edges, Options::default()).unwrap();
        let mut ends: Vec<f64> = l
            .routes
            .iter()
            .map(|r| r.points[r.points.len() - 1].y)
            .collect();
        ends.sort_by(f64::total_cmp);
        for w in ends.windows(2) {
            assert!(w[1] - w[0] >= PORT_MIN - 1e-9, "{ends:?}");
        }
        assert!(l.sizes[0].h > 30.0);
    }

    #[test]
    fn loops_stack_their_labels_above_the_node() {
        let label = Some(sz(70.0, 14.0));
        let edges = [
            EdgeSpec {
                from: 0,
                to: 0,
                label,
            },
            EdgeSpec {
                from: 0,
                to: 0,
                label,
            },
            EdgeSpec {
                from: 0,
                to: 1,
                label: None,
            },
        ];
        let l = layout(&[sz(50.0, 30.0); 2], &edges, Options::default()).unwrap();
        let (a, b) = (l.routes[0].label.unwrap(), l.routes[1].label.unwrap());
        assert!((a.y - b.y).abs() >= 14.0, "{a:?} {b:?}");
        assert!(a.y < l.centers[0].y - 15.0 && b.y < l.centers[0].y - 15.0);
    }
}
