//! Drawings that fit where they are shown, read back from what the renderers
//! write: the built-in SVG fitted to a page, one row or a box keeps its text
//! readable; no two labels overlap, no label covers a node, no edge runs
//! through a node, on every example, every render fixture and generated
//! pipelines; Graphviz's drawing of our DOT keeps its labels clear of nodes,
//! of each other and of clusters they are not part of.

mod common;

use std::path::{Path, PathBuf};

use common::TODAY;
use pipelint::render::{Annotations, Diagram, Fit, SvgOptions};
use pipelint::{CheckOptions, Pack, SourceFile};

/// The examples and the render fixtures.
fn inputs() -> Vec<PathBuf> {
    let mut all = common::files("examples", ".arch.toml");
    all.extend(common::files("tests/fixtures/render", ".arch.toml"));
    all
}

/// Generated pipelines: small to medium, some with broken flows (which add
/// suggested paths), as (name, architecture text).
fn generated() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (n, seeds) in [(6, 1..5), (12, 1..5), (25, 1..3)] {
        for seed in seeds {
            for broken in [0.0, 0.25] {
                out.push((
                    format!("synth n={n} seed={seed} broken={broken}"),
                    pipelint::synth::pipeline(n, seed, broken),
                ));
            }
        }
    }
    out
}

const FITS: [&str; 5] = ["page", "wide", "1600x900", "700x1000", "400x1400"];

fn render_file(path: &Path, fit: &str) -> String {
    let rel = common::rel(path);
    let (code, out, err) = common::run(&[
        "render", &rel, "--format", "svg", "--engine", "builtin", "--fit", fit, "--today", TODAY,
    ]);
    assert_eq!(code, 0, "{rel} at {fit}: {err}");
    out
}

fn render_text(name: &str, text: &str, fit: Fit) -> String {
    let pack = Pack::embedded();
    let arch = pipelint::load(SourceFile::new(name, text), pack)
        .unwrap_or_else(|e| panic!("{name} loads: {e:?}"));
    let findings = pipelint::check(&arch, pack, &CheckOptions::new(common::today()));
    let d = Diagram::build(
        &arch,
        pack,
        &findings,
        common::today(),
        &Annotations::default(),
    );
    pipelint::render::svg_with(
        &d,
        &SvgOptions {
            fit,
            ..SvgOptions::default()
        },
    )
    .expect("small enough for the built-in layout")
}

// --- reading our SVG back -------------------------------------------------

#[derive(Clone, Copy, Debug)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn empty() -> Rect {
        Rect {
            x0: f64::INFINITY,
            y0: f64::INFINITY,
            x1: f64::NEG_INFINITY,
            y1: f64::NEG_INFINITY,
        }
    }

    fn add(&mut self, x: f64, y: f64) {
        self.x0 = self.x0.min(x);
        self.y0 = self.y0.min(y);
        self.x1 = self.x1.max(x);
        self.y1 = self.y1.max(y);
    }

    /// Whether the insides meet (touching edges do not count).
    fn meets(&self, o: &Rect) -> bool {
        self.x0 < o.x1 - 0.05
            && o.x0 < self.x1 - 0.05
            && self.y0 < o.y1 - 0.05
            && o.y0 < self.y1 - 0.05
    }
}

/// What a drawing shows, in its own coordinates.
struct Drawing {
    /// Shown width over the viewBox's width.
    scale: f64,
    width: f64,
    view_w: f64,
    view_h: f64,
    /// (title, box) of each service or suggested service.
    nodes: Vec<(String, Rect)>,
    /// The outlines of the pieces of each node's shape (each piece's convex
    /// hull), in the same order.
    outlines: Vec<Vec<Vec<(f64, f64)>>>,
    /// (title, box) of each edge label.
    labels: Vec<(String, Rect)>,
    /// (title, polyline) of each edge.
    edges: Vec<(String, Vec<(f64, f64)>)>,
    smallest_font: f64,
}

fn num(s: &str) -> f64 {
    s.trim()
        .parse()
        .unwrap_or_else(|_| panic!("a number: {s:?}"))
}

/// The points a path passes through, curves sampled; arcs widen the box by
/// their radius (`bulge`).
fn path_points(d: &str) -> (Vec<(f64, f64)>, f64) {
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in d.chars() {
        if c.is_ascii_alphabetic() {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            tokens.push(c.to_string());
        } else if c == ',' || c == ' ' {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    let mut pts = Vec::new();
    let mut bulge: f64 = 0.0;
    let mut at = (0.0, 0.0);
    let mut i = 0;
    let take = |i: &mut usize, n: usize| -> Vec<f64> {
        let v: Vec<f64> = tokens[*i..*i + n].iter().map(|t| num(t)).collect();
        *i += n;
        v
    };
    while i < tokens.len() {
        let cmd = tokens[i].clone();
        i += 1;
        match cmd.as_str() {
            "M" | "L" => {
                let v = take(&mut i, 2);
                if cmd == "L" {
                    for k in 1..8 {
                        let t = f64::from(k) / 8.0;
                        pts.push((at.0 + (v[0] - at.0) * t, at.1 + (v[1] - at.1) * t));
                    }
                }
                at = (v[0], v[1]);
                pts.push(at);
            }
            "C" => {
                let v = take(&mut i, 6);
                for k in 1..=24 {
                    let t = f64::from(k) / 24.0;
                    let u = 1.0 - t;
                    let x = u * u * u * at.0
                        + 3.0 * u * u * t * v[0]
                        + 3.0 * u * t * t * v[2]
                        + t * t * t * v[4];
                    let y = u * u * u * at.1
                        + 3.0 * u * u * t * v[1]
                        + 3.0 * u * t * t * v[3]
                        + t * t * t * v[5];
                    pts.push((x, y));
                }
                at = (v[4], v[5]);
            }
            "Q" => {
                let v = take(&mut i, 4);
                for k in 1..=8 {
                    let t = f64::from(k) / 8.0;
                    let u = 1.0 - t;
                    let x = u * u * at.0 + 2.0 * u * t * v[0] + t * t * v[2];
                    let y = u * u * at.1 + 2.0 * u * t * v[1] + t * t * v[3];
                    pts.push((x, y));
                }
                at = (v[2], v[3]);
            }
            "A" => {
                let v = take(&mut i, 7);
                bulge = bulge.max(v[1]);
                at = (v[5], v[6]);
                pts.push(at);
            }
            "Z" => {}
            other => panic!("unexpected path command {other} in {d}"),
        }
    }
    (pts, bulge)
}

fn title_of(n: roxmltree::Node) -> String {
    n.children()
        .find(|c| c.has_tag_name("title"))
        .and_then(|t| t.text())
        .unwrap_or("")
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// The convex hull of points, counter-clockwise (monotone chain).
fn hull(mut pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut lower: Vec<(f64, f64)> = Vec::new();
    for &p in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], p) <= 0.0 {
            lower.pop();
        }
        lower.push(p);
    }
    let mut upper: Vec<(f64, f64)> = Vec::new();
    for &p in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], p) <= 0.0 {
            upper.pop();
        }
        upper.push(p);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

/// Whether a point lies inside a convex outline, at least `inset` from its
/// border.
fn inside(outline: &[(f64, f64)], p: (f64, f64), inset: f64) -> bool {
    if outline.len() < 3 {
        return false;
    }
    (0..outline.len()).all(|i| {
        let a = outline[i];
        let b = outline[(i + 1) % outline.len()];
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        len == 0.0 || ((b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0)) / len > inset
    })
}

/// The outlines of a node's shape: the hull of each of its rectangles and
/// paths (the severity badge is not part of it).
fn shape_outline(n: roxmltree::Node) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    for s in n.children().filter(|c| c.is_element()) {
        match s.tag_name().name() {
            "rect" => {
                let (x, y) = (
                    num(s.attribute("x").unwrap()),
                    num(s.attribute("y").unwrap()),
                );
                let (w, h) = (
                    num(s.attribute("width").unwrap()),
                    num(s.attribute("height").unwrap()),
                );
                out.push(hull(vec![(x, y), (x + w, y), (x, y + h), (x + w, y + h)]));
            }
            "path" => out.push(hull(path_points(s.attribute("d").unwrap()).0)),
            _ => {}
        }
    }
    out
}

fn shape_box(n: roxmltree::Node) -> Rect {
    let mut r = Rect::empty();
    for s in n.children().filter(|c| c.is_element()) {
        match s.tag_name().name() {
            "rect" => {
                let (x, y) = (
                    num(s.attribute("x").unwrap()),
                    num(s.attribute("y").unwrap()),
                );
                r.add(x, y);
                r.add(
                    x + num(s.attribute("width").unwrap()),
                    y + num(s.attribute("height").unwrap()),
                );
            }
            "path" => {
                let (pts, bulge) = path_points(s.attribute("d").unwrap());
                for (x, y) in pts {
                    r.add(x, y - bulge);
                    r.add(x, y + bulge);
                }
            }
            "circle" => {
                let (cx, cy, rad) = (
                    num(s.attribute("cx").unwrap()),
                    num(s.attribute("cy").unwrap()),
                    num(s.attribute("r").unwrap()),
                );
                r.add(cx - rad, cy - rad);
                r.add(cx + rad, cy + rad);
            }
            _ => {}
        }
    }
    r
}

fn read(svg: &str) -> Drawing {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let root = doc.root_element();
    let width = num(root.attribute("width").expect("width"));
    let view: Vec<f64> = root
        .attribute("viewBox")
        .expect("viewBox")
        .split(' ')
        .map(num)
        .collect();
    let class = |n: &roxmltree::Node, c: &str| n.attribute("class") == Some(c);
    let mut nodes = Vec::new();
    let mut outlines = Vec::new();
    let mut labels = Vec::new();
    let mut edges = Vec::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        if class(&n, "node") {
            nodes.push((title_of(n), shape_box(n)));
            outlines.push(shape_outline(n));
        } else if class(&n, "label") {
            let rect = n
                .children()
                .find(|c| c.has_tag_name("rect"))
                .expect("a box");
            let mut r = Rect::empty();
            let (x, y) = (
                num(rect.attribute("x").unwrap()),
                num(rect.attribute("y").unwrap()),
            );
            r.add(x, y);
            r.add(
                x + num(rect.attribute("width").unwrap()),
                y + num(rect.attribute("height").unwrap()),
            );
            labels.push((title_of(n), r));
        } else if class(&n, "edge") {
            let path = n
                .children()
                .find(|c| c.has_tag_name("path"))
                .expect("a path");
            edges.push((title_of(n), path_points(path.attribute("d").unwrap()).0));
        }
    }
    let smallest_font = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.attribute("font-size"))
        .map(num)
        .fold(f64::INFINITY, f64::min);
    Drawing {
        scale: width / view[2],
        width,
        view_w: view[2],
        view_h: view[3],
        nodes,
        outlines,
        labels,
        edges,
        smallest_font,
    }
}

/// Every way the drawing could fail to be read: overlapping boxes, an edge
/// through a node, something outside the picture, text too small.
fn problems(svg: &str) -> Vec<String> {
    let d = read(svg);
    let mut out = Vec::new();
    for (i, (a, ra)) in d.labels.iter().enumerate() {
        for (b, rb) in &d.labels[i + 1..] {
            if ra.meets(rb) {
                out.push(format!("label of `{a}` overlaps label of `{b}`"));
            }
        }
        for (n, rn) in &d.nodes {
            if ra.meets(rn) {
                out.push(format!("label of `{a}` covers node `{n}`"));
            }
        }
    }
    for (i, (a, ra)) in d.nodes.iter().enumerate() {
        for (b, rb) in &d.nodes[i + 1..] {
            if ra.meets(rb) {
                out.push(format!("node `{a}` overlaps node `{b}`"));
            }
        }
    }
    for (e, pts) in &d.edges {
        for ((n, _), outline) in d.nodes.iter().zip(&d.outlines) {
            // Edges meet nodes on their border; inside, a node is covered.
            if let Some(p) = pts
                .iter()
                .find(|&&p| outline.iter().any(|o| inside(o, p, 3.0)))
            {
                out.push(format!("edge `{e}` runs through node `{n}` at {p:?}"));
            }
        }
        for &(x, y) in pts {
            if x < 0.0 || y < 0.0 || x > d.view_w || y > d.view_h {
                out.push(format!("edge `{e}` leaves the picture at ({x}, {y})"));
                break;
            }
        }
    }
    for (n, r) in d.nodes.iter().chain(&d.labels) {
        if r.x0 < 0.0 || r.y0 < 0.0 || r.x1 > d.view_w || r.y1 > d.view_h {
            out.push(format!("`{n}` lies outside the picture"));
        }
    }
    let shown = d.smallest_font * d.scale;
    if shown < pipelint::render::fit::MIN_TEXT_PX - 1e-6 {
        out.push(format!("the smallest text is shown at {shown:.2} px"));
    }
    out
}

#[test]
fn examples_fit_a_page_with_readable_text() {
    for path in inputs() {
        let rel = common::rel(&path);
        let d = read(&render_file(&path, "page"));
        assert!(
            d.width <= 1000.0,
            "{rel}: {} px wide at --fit page",
            d.width
        );
        assert!(
            d.smallest_font * d.scale >= 9.0,
            "{rel}: text at {:.1} px",
            d.smallest_font * d.scale
        );
    }
}

#[test]
fn examples_are_drawn_without_overlaps_at_every_fit() {
    let mut all = Vec::new();
    for path in inputs() {
        for fit in FITS {
            let rel = common::rel(&path);
            all.extend(
                problems(&render_file(&path, fit))
                    .into_iter()
                    .map(|p| format!("{rel} at {fit}: {p}")),
            );
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn generated_pipelines_are_drawn_without_overlaps_at_every_fit() {
    let mut all = Vec::new();
    for (name, text) in generated() {
        for fit in FITS {
            let svg = render_text(&name, &text, fit.parse().expect("a fit"));
            all.extend(
                problems(&svg)
                    .into_iter()
                    .map(|p| format!("{name} at {fit}: {p}")),
            );
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

/// How many times the drawn edges cross each other (each pair of crossing
/// pieces of their sampled paths counts once).
fn crossings(svg: &str) -> usize {
    let d = read(svg);
    let side = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
    };
    let cross = |p: (f64, f64), q: (f64, f64), r: (f64, f64), s: (f64, f64)| {
        side(r, s, p) * side(r, s, q) < 0.0 && side(p, q, r) * side(p, q, s) < 0.0
    };
    let mut n = 0;
    for (i, (_, a)) in d.edges.iter().enumerate() {
        for (_, b) in &d.edges[i + 1..] {
            for u in a.windows(2) {
                for v in b.windows(2) {
                    if cross(u[0], u[1], v[0], v[1]) {
                        n += 1;
                    }
                }
            }
        }
    }
    n
}

#[test]
fn edges_cross_only_where_the_pipeline_makes_them() {
    // A loop (spark-emr reads and writes the lake it is fed from) and a
    // wrongly wired pipeline, where one flow runs across the others, cross;
    // every other example is drawn with no crossing at all.
    let allowed = [("spark-emr", 1), ("wrongly-wired", 4)];
    let mut all = Vec::new();
    for path in inputs() {
        let rel = common::rel(&path);
        let most = allowed
            .iter()
            .find(|(n, _)| rel.contains(n))
            .map_or(0, |&(_, m)| m);
        for fit in ["page", "wide"] {
            let n = crossings(&render_file(&path, fit));
            if n > most {
                all.push(format!(
                    "{rel} at {fit}: {n} crossings, at most {most} expected"
                ));
            }
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn a_long_chain_folds_into_rows_for_a_page_and_keeps_one_row_when_wide() {
    let path = common::root().join("tests/fixtures/render/long-chain.arch.toml");
    let wide = read(&render_file(&path, "wide"));
    let page = read(&render_file(&path, "page"));
    assert!(wide.width > 2000.0, "one row: {}", wide.width);
    assert!(page.width <= 1000.0 && page.scale == 1.0, "{}", page.width);
    // Rows: the chain's services sit at several heights, in flow order.
    let centre = |d: &Drawing, name: &str| {
        let r = d
            .nodes
            .iter()
            .find(|(t, _)| t.starts_with(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("{name} is drawn"))
            .1;
        ((r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0)
    };
    let chain = [
        "devices", "ingest", "router", "buffer", "delivery", "raw", "etl",
    ];
    let ys: Vec<f64> = ["devices", "router", "delivery", "etl"]
        .iter()
        .map(|n| centre(&page, n).1)
        .collect();
    assert!(
        ys.windows(2).all(|w| w[1] > w[0] + 40.0),
        "rows run down: {ys:?}"
    );
    let wide_xs: Vec<f64> = chain.iter().map(|n| centre(&wide, n).0).collect();
    assert!(
        wide_xs.windows(2).all(|w| w[1] > w[0]),
        "one row when wide: {wide_xs:?}"
    );
    // A box chooses what fits it.
    let boxed = read(&render_file(&path, "1600x900"));
    assert!(boxed.width <= 1600.0, "{}", boxed.width);
    assert!(
        boxed.view_h * boxed.scale <= 900.0 + 1.0,
        "{}",
        boxed.view_h
    );
}

#[test]
fn many_wrapped_flows_turn_the_drawing_top_to_bottom() {
    // Every flow of this pipeline would wrap from row to row; running top to
    // bottom keeps them short.
    let path = common::root().join("tests/fixtures/render/wrongly-wired.arch.toml");
    let d = read(&render_file(&path, "page"));
    let centre_y = |name: &str| {
        let r = d
            .nodes
            .iter()
            .find(|(t, _)| t.starts_with(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("{name} is drawn"))
            .1;
        (r.y0 + r.y1) / 2.0
    };
    assert!(centre_y("clicks") < centre_y("lake"));
    assert!(centre_y("lake") < centre_y("dashboards"));
    assert!(d.width <= 1000.0, "{}", d.width);
}

#[test]
fn a_fit_that_cannot_be_read_is_refused() {
    let (code, out, err) =
        common::run(&["render", "examples/clickstream.arch.toml", "--fit", "a4"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("`a4` is not a fit"), "{err}");
}

// --- Graphviz -------------------------------------------------------------

/// Graphviz's layout of our DOT, as JSON.
fn graphviz_json(dot: &str) -> serde_json::Value {
    let bytes = pipelint::render::graphviz::run(dot, pipelint::render::graphviz::Output::Json)
        .unwrap_or_else(|e| panic!("dot lays it out: {e}\n{dot}"));
    serde_json::from_slice(&bytes).expect("JSON from dot")
}

/// Boxes of Graphviz's drawing: nodes, edge labels (with the edge's ends),
/// clusters (with their members).
fn graphviz_problems(json: &serde_json::Value) -> Vec<String> {
    let objects = json["objects"].as_array().cloned().unwrap_or_default();
    let name = |i: u64| {
        objects[i as usize]["name"]
            .as_str()
            .unwrap_or("?")
            .to_string()
    };
    let mut nodes: Vec<(u64, Rect)> = Vec::new();
    let mut clusters: Vec<(String, Rect, Vec<u64>)> = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        if let (Some(pos), Some(w), Some(h)) =
            (o["pos"].as_str(), o["width"].as_str(), o["height"].as_str())
        {
            let (x, y) = pos.split_once(',').expect("x,y");
            let (x, y, w, h) = (num(x), num(y), num(w) * 72.0, num(h) * 72.0);
            nodes.push((
                i as u64,
                Rect {
                    x0: x - w / 2.0,
                    y0: y - h / 2.0,
                    x1: x + w / 2.0,
                    y1: y + h / 2.0,
                },
            ));
        } else if let Some(bb) = o["bb"].as_str() {
            let v: Vec<f64> = bb.split(',').map(num).collect();
            let members = o["nodes"]
                .as_array()
                .map(|a| a.iter().filter_map(|n| n.as_u64()).collect())
                .unwrap_or_default();
            clusters.push((
                o["name"].as_str().unwrap_or("?").to_string(),
                Rect {
                    x0: v[0],
                    y0: v[1],
                    x1: v[2],
                    y1: v[3],
                },
                members,
            ));
        }
    }
    // Each edge label's text, from its drawing operations.
    let mut labels: Vec<(String, Rect, u64, u64)> = Vec::new();
    for e in json["edges"].as_array().into_iter().flatten() {
        let mut r = Rect::empty();
        let mut size = 9.0;
        for op in e["_ldraw_"].as_array().into_iter().flatten() {
            match op["op"].as_str() {
                Some("F") => size = op["size"].as_f64().unwrap_or(9.0),
                Some("T") => {
                    let x = op["pt"][0].as_f64().unwrap_or(0.0);
                    let y = op["pt"][1].as_f64().unwrap_or(0.0);
                    let w = op["width"].as_f64().unwrap_or(0.0);
                    let x0 = match op["align"].as_str() {
                        Some("l") => x,
                        Some("r") => x - w,
                        _ => x - w / 2.0,
                    };
                    // The baseline is at y; text rises about its size above it.
                    r.add(x0, y - size * 0.25);
                    r.add(x0 + w, y + size * 0.8);
                }
                _ => {}
            }
        }
        if r.x0.is_finite() {
            let (t, h) = (
                e["tail"].as_u64().unwrap_or(0),
                e["head"].as_u64().unwrap_or(0),
            );
            labels.push((format!("{} -> {}", name(t), name(h)), r, t, h));
        }
    }
    let mut out = Vec::new();
    for (i, (a, ra, t, h)) in labels.iter().enumerate() {
        for (b, rb, _, _) in &labels[i + 1..] {
            if ra.meets(rb) {
                out.push(format!("label of {a} overlaps label of {b}"));
            }
        }
        for (n, rn) in &nodes {
            if ra.meets(rn) {
                out.push(format!("label of {a} covers node {}", name(*n)));
            }
        }
        for (c, rc, members) in &clusters {
            let own = members.contains(t) && members.contains(h);
            if ra.meets(rc) && !own {
                out.push(format!("label of {a} lies on cluster {c}"));
            }
        }
    }
    out
}

fn dot_on_path() -> bool {
    pipelint::render::graphviz::find_dot().is_some()
}

#[test]
fn graphviz_keeps_labels_clear_on_examples_and_generated_pipelines() {
    if !common::require("graphviz dot", dot_on_path()) {
        return;
    }
    let mut all = Vec::new();
    for path in inputs() {
        let rel = common::rel(&path);
        for fit in ["page", "wide"] {
            let (code, dot, err) = common::run(&[
                "render", &rel, "--format", "dot", "--fit", fit, "--today", TODAY,
            ]);
            assert_eq!(code, 0, "{err}");
            all.extend(
                graphviz_problems(&graphviz_json(&dot))
                    .into_iter()
                    .map(|p| format!("{rel} at {fit}: {p}")),
            );
        }
    }
    let pack = Pack::embedded();
    for (name, text) in generated() {
        let arch =
            pipelint::load(SourceFile::new(name.as_str(), text.as_str()), pack).expect("loads");
        let findings = pipelint::check(&arch, pack, &CheckOptions::new(common::today()));
        let d = Diagram::build(
            &arch,
            pack,
            &findings,
            common::today(),
            &Annotations::default(),
        );
        let dot = pipelint::render::dot(&d);
        all.extend(
            graphviz_problems(&graphviz_json(&dot))
                .into_iter()
                .map(|p| format!("{name}: {p}")),
        );
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}
