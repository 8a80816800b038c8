//! The built-in SVG: the diagram laid out by [`super::layout`], drawn with the
//! shared colours and shapes, so a picture needs no Graphviz. The output is a
//! plain, self-contained SVG 1.1 document; every coordinate is rounded to a
//! tenth of a pixel, so the same diagram always gives the same bytes.

use std::fmt::Write;

use super::diagram::{Diagram, Edge, EdgeRole, LegendItem, Node, NodeRole};
use super::fit::{Fit, MIN_TEXT_PX};
use super::layout::{
    self, Direction, EdgeSpec, Layout, Options, Piece, Point, Route, Size, TooLarge,
};
use super::style::{self, Shape};
use super::text;
use crate::finding::Severity;

/// The fonts asked for; text is measured with DejaVu Sans, which Verdana
/// matches and other sans-serif fonts undercut.
const FONT: &str = "DejaVu Sans, Verdana, Geneva, sans-serif";
const MARGIN: f64 = 20.0;
const NAME_SIZE: f64 = 13.0;
const SMALL: f64 = 11.0;
const EDGE_SIZE: f64 = 10.0;
const LINE: f64 = 1.3;
const PAD_X: f64 = 12.0;
const PAD_Y: f64 = 8.0;
const MIN_NODE_W: f64 = 96.0;
/// Extra width of the pointed, six-sided and tabbed shapes.
const POINT: f64 = 12.0;
const TAB: f64 = 10.0;
/// The half-height of a cylinder's rim.
const RIM: f64 = 6.0;

/// A number with at most one decimal, and no `-0`.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_string()
    } else {
        format!("{r}")
    }
}

/// Text for XML content and attribute values, one line.
fn xml(s: &str) -> String {
    escape_xml(&text::one_line(s))
}

/// Text for a `<title>`, line breaks kept.
fn xml_lines(s: &str) -> String {
    escape_xml(&text::lines(s).join("\n"))
}

fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One line of text in a node or label.
#[derive(Clone, Debug)]
struct TextLine {
    text: String,
    size: f64,
    bold: bool,
    color: &'static str,
    strike: bool,
}

impl TextLine {
    fn new(text: String, size: f64, color: &'static str) -> TextLine {
        TextLine {
            text,
            size,
            bold: false,
            color,
            strike: false,
        }
    }

    fn width(&self) -> f64 {
        text::width(&self.text, self.size, self.bold)
    }

    fn height(&self) -> f64 {
        self.size * LINE
    }
}

fn wrapped(s: &str, width: usize, size: f64, color: &'static str) -> Vec<TextLine> {
    text::wrap(s, width)
        .into_iter()
        .map(|l| TextLine::new(l, size, color))
        .collect()
}

fn mark_lines(marks: &[super::diagram::Mark], width: usize, size: f64) -> Vec<TextLine> {
    marks
        .iter()
        .flat_map(|m| {
            wrapped(
                &format!("{} {}", style::severity_symbol(m.severity), m.text),
                width,
                size,
                style::severity_color(m.severity),
            )
        })
        .collect()
}

/// A node's text and the size of its shape.
struct NodeBox {
    lines: Vec<TextLine>,
    shape: Shape,
    size: Size,
}

fn node_box(n: &Node) -> NodeBox {
    let muted = n.deprecated || n.role == NodeRole::Suggested;
    let mut lines: Vec<TextLine> = text::wrap(&n.name, style::WRAP_NAME)
        .into_iter()
        .map(|l| TextLine {
            text: l,
            size: NAME_SIZE,
            bold: true,
            color: if muted {
                style::TEXT_MUTED
            } else {
                style::TEXT
            },
            strike: false,
        })
        .collect();
    let kind = match (&n.kind, n.role) {
        (Some(k), _) => Some(k.as_str()),
        (None, NodeRole::Undeclared) => Some("not declared"),
        _ => None,
    };
    if let Some(k) = kind {
        for mut l in wrapped(k, style::WRAP_NODE, SMALL, style::TEXT_MUTED) {
            l.strike = n.deprecated;
            lines.push(l);
        }
    }
    if let Some(r) = &n.replacement {
        lines.extend(wrapped(
            &format!("→ {r}"),
            style::WRAP_NODE,
            SMALL,
            style::TEXT,
        ));
    }
    for e in &n.extra {
        lines.extend(wrapped(e, style::WRAP_NODE, SMALL, style::TEXT));
    }
    lines.extend(mark_lines(&n.marks, style::WRAP_MARK, SMALL));
    if n.role == NodeRole::Suggested {
        lines.push(TextLine::new("suggested".into(), SMALL, style::SUGGESTED));
    }
    let shape = style::shape(n.category);
    let text_w = lines.iter().map(TextLine::width).fold(0.0, f64::max);
    let text_h: f64 = lines.iter().map(TextLine::height).sum();
    let mut w = (text_w + 2.0 * PAD_X).max(MIN_NODE_W);
    let mut h = text_h + 2.0 * PAD_Y;
    match shape {
        Shape::Queue => w += POINT,
        Shape::Hexagon => w += 2.0 * POINT,
        Shape::Component => w += TAB,
        Shape::Cylinder => h += 2.0 * RIM,
        Shape::Note | Shape::Rounded => {}
    }
    NodeBox {
        lines,
        shape,
        size: Size {
            w: w.ceil(),
            h: h.ceil(),
        },
    }
}

fn edge_lines(e: &Edge) -> Vec<TextLine> {
    let mut lines = Vec::new();
    if let Some(l) = &e.label {
        let color = match e.role {
            EdgeRole::Suggested => style::SUGGESTED,
            _ => style::TEXT_MUTED,
        };
        lines.extend(
            wrap_label(l, style::WRAP_EDGE)
                .into_iter()
                .map(|t| TextLine::new(t, EDGE_SIZE, color)),
        );
    }
    lines.extend(mark_lines(&e.marks, style::WRAP_MARK, EDGE_SIZE));
    lines
}

/// Wraps an edge's label like [`text::wrap`], and breaks a word longer than
/// a line where a lower-case letter meets a capital, so an API name such as
/// `KinesisStreamSourceConfiguration` takes two narrow lines, not one wide.
fn wrap_label(s: &str, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in text::lines(s) {
        // (piece, whether it continues the previous piece's word)
        let mut pieces: Vec<(String, bool)> = Vec::new();
        for word in line.split(' ').filter(|w| !w.is_empty()) {
            let chars: Vec<char> = word.chars().collect();
            if chars.len() <= max {
                pieces.push((word.to_string(), false));
                continue;
            }
            let mut start = 0;
            let mut cont = false;
            for i in 1..=chars.len() {
                let boundary =
                    i == chars.len() || (chars[i].is_uppercase() && chars[i - 1].is_lowercase());
                if boundary && (i == chars.len() || i - start >= 4) {
                    pieces.push((chars[start..i].iter().collect(), cont));
                    start = i;
                    cont = true;
                }
            }
        }
        let mut current = String::new();
        let mut len = 0;
        for (piece, cont) in pieces {
            let n = piece.chars().count();
            let sep = usize::from(len > 0 && !cont);
            if len > 0 && len + sep + n > max {
                out.push(std::mem::take(&mut current));
                len = 0;
            } else if sep == 1 {
                current.push(' ');
                len += 1;
            }
            current.push_str(&piece);
            len += n;
        }
        if len > 0 || out.is_empty() {
            out.push(current);
        }
    }
    // A run of letters with no break is cut as `text::wrap` cuts it.
    out.into_iter().flat_map(|l| text::wrap(&l, max)).collect()
}

fn block_size(lines: &[TextLine]) -> Size {
    Size {
        w: (lines.iter().map(TextLine::width).fold(0.0, f64::max) + 8.0).ceil(),
        h: (lines.iter().map(TextLine::height).sum::<f64>() + 4.0).ceil(),
    }
}

/// Writes lines of text centred on `x`, starting at `top`.
fn write_lines(out: &mut String, lines: &[TextLine], x: f64, top: f64, anchor: &str) {
    let mut y = top;
    for l in lines {
        let h = l.height();
        // The baseline sits about four fifths down the line box.
        let base = y + h * 0.5 + l.size * 0.36;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\" text-anchor=\"{anchor}\"",
            num(x),
            num(base),
            num(l.size),
            l.color
        );
        if l.bold {
            out.push_str(" font-weight=\"bold\"");
        }
        if l.strike {
            out.push_str(" text-decoration=\"line-through\"");
        }
        let _ = writeln!(out, ">{}</text>", xml(&l.text));
        y += h;
    }
}

fn shape_svg(out: &mut String, shape: Shape, c: Point, s: Size, attrs: &str) {
    let (x0, y0, x1, y1) = (
        c.x - s.w / 2.0,
        c.y - s.h / 2.0,
        c.x + s.w / 2.0,
        c.y + s.h / 2.0,
    );
    let p = |x: f64, y: f64| format!("{},{}", num(x), num(y));
    match shape {
        Shape::Rounded => {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"7\" {attrs}/>",
                num(x0),
                num(y0),
                num(s.w),
                num(s.h)
            );
        }
        Shape::Queue => {
            let _ = writeln!(
                out,
                "<path d=\"M{} L{} L{} L{} L{} Z\" {attrs}/>",
                p(x0, y0),
                p(x1 - POINT, y0),
                p(x1, c.y),
                p(x1 - POINT, y1),
                p(x0, y1)
            );
        }
        Shape::Hexagon => {
            let _ = writeln!(
                out,
                "<path d=\"M{} L{} L{} L{} L{} L{} Z\" {attrs}/>",
                p(x0 + POINT, y0),
                p(x1 - POINT, y0),
                p(x1, c.y),
                p(x1 - POINT, y1),
                p(x0 + POINT, y1),
                p(x0, c.y)
            );
        }
        Shape::Note => {
            let f = 10.0;
            let _ = writeln!(
                out,
                "<path d=\"M{} L{} L{} L{} L{} Z M{} L{} L{}\" {attrs}/>",
                p(x0, y0),
                p(x1 - f, y0),
                p(x1, y0 + f),
                p(x1, y1),
                p(x0, y1),
                p(x1 - f, y0),
                p(x1 - f, y0 + f),
                p(x1, y0 + f)
            );
        }
        Shape::Component => {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" {attrs}/>",
                num(x0 + TAB / 2.0),
                num(y0),
                num(s.w - TAB / 2.0),
                num(s.h)
            );
            for ty in [y0 + s.h * 0.25 - 4.0, y0 + s.h * 0.75 - 4.0] {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"8\" {attrs}/>",
                    num(x0),
                    num(ty),
                    num(TAB)
                );
            }
        }
        Shape::Cylinder => {
            let rx = s.w / 2.0;
            let _ = writeln!(
                out,
                "<path d=\"M{} L{} A{},{} 0 0 0 {} L{} A{},{} 0 0 0 {} Z\" {attrs}/>",
                p(x0, y0 + RIM),
                p(x0, y1 - RIM),
                num(rx),
                num(RIM),
                p(x1, y1 - RIM),
                p(x1, y0 + RIM),
                num(rx),
                num(RIM),
                p(x0, y0 + RIM)
            );
            let _ = writeln!(
                out,
                "<path d=\"M{} A{},{} 0 0 0 {}\" fill=\"none\" {}/>",
                p(x0, y0 + RIM),
                num(rx),
                num(RIM),
                p(x1, y0 + RIM),
                attrs
                    .split(' ')
                    .filter(|a| !a.starts_with("fill="))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
    }
}

/// Where an edge meets a shape's left or right side at the height of `p`.
fn port_x(shape: Shape, c: Point, s: Size, p: Point) -> f64 {
    let right = p.x > c.x;
    let edge = if right {
        c.x + s.w / 2.0
    } else {
        c.x - s.w / 2.0
    };
    let inward = if right { -1.0 } else { 1.0 };
    // How far in a pointed side is at this height.
    let slant = POINT * ((p.y - c.y).abs() / (s.h / 2.0)).min(1.0);
    match shape {
        Shape::Hexagon => edge + inward * slant,
        Shape::Queue if right => edge + inward * slant,
        // The body starts half a tab in; at the height of a tab, the tab's
        // outer side is where the shape starts.
        Shape::Component if !right => {
            let top = c.y - s.h / 2.0;
            let on_tab = [0.25, 0.75]
                .iter()
                .any(|f| (p.y - (top + s.h * f)).abs() <= 4.0);
            if on_tab { edge } else { edge + TAB / 2.0 }
        }
        _ => edge,
    }
}

/// The centre of the text block inside a shape.
fn text_center(shape: Shape, c: Point) -> Point {
    match shape {
        Shape::Queue => Point {
            x: c.x - POINT / 2.0,
            y: c.y,
        },
        Shape::Component => Point {
            x: c.x + TAB / 2.0,
            y: c.y,
        },
        Shape::Cylinder => Point {
            x: c.x,
            y: c.y + RIM / 2.0,
        },
        _ => c,
    }
}

fn write_node(out: &mut String, n: &Node, b: &NodeBox, c: Point, size: Size, ids: &Ids) {
    let palette = if n.deprecated {
        style::DEPRECATED
    } else {
        style::palette(n.category)
    };
    let (fill, mut stroke) = match n.role {
        NodeRole::Suggested => ("#ffffff", style::SUGGESTED),
        _ => (palette.fill, palette.stroke),
    };
    let mut width = 1.3;
    if let Some(sev) = n.severity() {
        stroke = style::severity_color(sev);
        width = 2.5;
    }
    let mut attrs = format!(
        "fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"",
        num(width)
    );
    if n.category.is_none() || n.role == NodeRole::Suggested {
        attrs.push_str(" stroke-dasharray=\"5,4\"");
    }
    let opacity = if n.role == NodeRole::Suggested {
        " opacity=\"0.8\""
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<g id=\"{}\" class=\"node\"{opacity}{}>\n<title>{}</title>",
        ids.id(&n.key),
        ids.focusable(&n.key),
        xml_lines(&n.tooltip)
    );
    shape_svg(out, b.shape, c, size, &attrs);
    let t = text_center(b.shape, c);
    let text_h: f64 = b.lines.iter().map(TextLine::height).sum();
    write_lines(out, &b.lines, t.x, t.y - text_h / 2.0, "middle");
    if let Some(sev) = n.severity() {
        badge(
            out,
            Point {
                x: c.x + size.w / 2.0 - 3.0,
                y: c.y - size.h / 2.0 + 3.0,
            },
            sev,
        );
    }
    out.push_str("</g>\n");
}

/// A round mark in the severity's colour.
fn badge(out: &mut String, at: Point, sev: Severity) {
    let glyph = if sev == Severity::Info { "i" } else { "!" };
    let _ = writeln!(
        out,
        "<circle cx=\"{}\" cy=\"{}\" r=\"8\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>\n<text x=\"{}\" y=\"{}\" font-size=\"11\" font-weight=\"bold\" fill=\"#ffffff\" text-anchor=\"middle\">{glyph}</text>",
        num(at.x),
        num(at.y),
        style::severity_color(sev),
        num(at.x),
        num(at.y + 4.0)
    );
}

/// The colour and marker of an edge.
fn edge_look(e: &Edge) -> (&'static str, &'static str, f64, Option<&'static str>) {
    match e.role {
        EdgeRole::Unsupported(_) => (
            style::severity_color(Severity::Error),
            "arrow-error",
            2.2,
            Some("7,5"),
        ),
        EdgeRole::Suggested => (style::SUGGESTED, "arrow-suggested", 1.6, Some("5,4")),
        EdgeRole::Flow(_) => {
            let look = style::flow_look(e.kind);
            match e.severity() {
                Some(s) => (style::severity_color(s), marker(s), 2.2, look.dash),
                None if look.hollow => (look.color, "arrow-metadata", 1.4, look.dash),
                None => (look.color, "arrow", 1.4, look.dash),
            }
        }
    }
}

fn marker(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "arrow-error",
        Severity::Warning => "arrow-warning",
        Severity::Info => "arrow-info",
    }
}

/// The corner radius of a wrapped edge's tracks.
const CORNER: f64 = 6.0;

fn path_data(route: &Route, points: &[Point], direction: Direction) -> String {
    let mut d = String::new();
    let Some(first) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{},{}", num(first.x), num(first.y));
    if route.self_loop && points.len() == 4 {
        let _ = write!(
            d,
            " C{},{} {},{} {},{}",
            num(points[1].x),
            num(points[1].y),
            num(points[2].x),
            num(points[2].y),
            num(points[3].x),
            num(points[3].y)
        );
        return d;
    }
    let piece = |i: usize| route.pieces.get(i).copied().unwrap_or(Piece::Curve);
    // Curves leave and arrive along the layout's direction, halfway pulled.
    let along = |p: Point, q: Point| match direction {
        Direction::Right => Point {
            x: (q.x - p.x) * 1.5,
            y: 0.0,
        },
        Direction::Down => Point {
            x: 0.0,
            y: (q.y - p.y) * 1.5,
        },
    };
    for (i, w) in points.windows(2).enumerate() {
        let (p, q) = (w[0], w[1]);
        match piece(i) {
            Piece::Curve => {
                let t = along(p, q);
                let (t0, t1) = (t, t);
                let c1 = (p.x + t0.x / 3.0, p.y + t0.y / 3.0);
                let c2 = (q.x - t1.x / 3.0, q.y - t1.y / 3.0);
                let _ = write!(
                    d,
                    " C{},{} {},{} {},{}",
                    num(c1.0),
                    num(c1.1),
                    num(c2.0),
                    num(c2.1),
                    num(q.x),
                    num(q.y)
                );
            }
            Piece::Line => {
                // A straight track, its corner with the next track rounded.
                let next = match route.pieces.get(i + 1) {
                    Some(Piece::Line) => points.get(i + 2).copied(),
                    _ => None,
                };
                let Some(n) = next else {
                    let _ = write!(d, " L{},{}", num(q.x), num(q.y));
                    continue;
                };
                let len_in = ((q.x - p.x).powi(2) + (q.y - p.y).powi(2)).sqrt();
                let len_out = ((n.x - q.x).powi(2) + (n.y - q.y).powi(2)).sqrt();
                let r = CORNER.min(len_in / 2.0).min(len_out / 2.0);
                if r < 0.5 {
                    let _ = write!(d, " L{},{}", num(q.x), num(q.y));
                    continue;
                }
                let a = Point {
                    x: q.x - (q.x - p.x) / len_in * r,
                    y: q.y - (q.y - p.y) / len_in * r,
                };
                let b = Point {
                    x: q.x + (n.x - q.x) / len_out * r,
                    y: q.y + (n.y - q.y) / len_out * r,
                };
                let _ = write!(
                    d,
                    " L{},{} Q{},{} {},{}",
                    num(a.x),
                    num(a.y),
                    num(q.x),
                    num(q.y),
                    num(b.x),
                    num(b.y)
                );
            }
        }
    }
    d
}

fn legend_swatch(out: &mut String, item: LegendItem, x: f64, y: f64, ids: &Ids) {
    match item {
        LegendItem::Category(c) => {
            let p = style::palette(c);
            let dash = if c.is_none() {
                " stroke-dasharray=\"4,3\""
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"12\" rx=\"3\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.3\"{dash}/>",
                num(x),
                num(y - 6.0),
                p.fill,
                p.stroke
            );
        }
        LegendItem::Deprecated => {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"12\" rx=\"3\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.3\"/>\n<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>",
                num(x),
                num(y - 6.0),
                style::DEPRECATED.fill,
                style::DEPRECATED.stroke,
                num(x + 4.0),
                num(y),
                num(x + 18.0),
                num(y),
                style::TEXT_MUTED
            );
        }
        LegendItem::Flow(k) => {
            let look = style::flow_look(k);
            let m = if look.hollow {
                "arrow-metadata"
            } else {
                "arrow"
            };
            let dash = look
                .dash
                .map(|d| format!(" stroke-dasharray=\"{d}\""))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<path d=\"M{},{} L{},{}\" stroke=\"{}\" stroke-width=\"1.4\"{dash} fill=\"none\" marker-end=\"url(#{})\"/>",
                num(x),
                num(y),
                num(x + 22.0),
                num(y),
                look.color,
                ids.id(m)
            );
        }
        LegendItem::Unsupported | LegendItem::Suggested => {
            let (color, m, dash) = if item == LegendItem::Unsupported {
                (style::severity_color(Severity::Error), "arrow-error", "7,5")
            } else {
                (style::SUGGESTED, "arrow-suggested", "5,4")
            };
            let _ = writeln!(
                out,
                "<path d=\"M{},{} L{},{}\" stroke=\"{color}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\" fill=\"none\" marker-end=\"url(#{})\"/>",
                num(x),
                num(y),
                num(x + 22.0),
                num(y),
                ids.id(m)
            );
        }
        LegendItem::Severity(s) => badge(out, Point { x: x + 11.0, y }, s),
    }
}

/// How the built-in SVG is made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SvgOptions {
    pub fit: Fit,
    /// Put before every id, so that several drawings can share a page.
    pub id_prefix: String,
    /// For a drawing inside an HTML page: no XML declaration, and services
    /// and flows that take the keyboard's focus and carry their key in
    /// `data-key`.
    pub interactive: bool,
}

/// The ids and attributes an element gets.
struct Ids<'a> {
    prefix: &'a str,
    interactive: bool,
}

impl Ids<'_> {
    fn id(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// ` tabindex="0" ...` for a service or flow of an interactive drawing.
    fn focusable(&self, key: &str) -> String {
        if self.interactive {
            format!(" tabindex=\"0\" role=\"button\" data-key=\"{key}\"")
        } else {
            String::new()
        }
    }
}

/// The diagram as a standalone SVG document, laid out without Graphviz and
/// fitted to a page; an error when it is too large for the built-in layout.
pub fn svg(d: &Diagram) -> Result<String, TooLarge> {
    svg_with(d, &SvgOptions::default())
}

/// What is measured before laying out: node boxes and edge labels.
struct Measured {
    boxes: Vec<NodeBox>,
    labels: Vec<Vec<TextLine>>,
    sizes: Vec<Size>,
    specs: Vec<EdgeSpec>,
}

impl Measured {
    fn new(d: &Diagram) -> Measured {
        let boxes: Vec<NodeBox> = d.nodes.iter().map(node_box).collect();
        let labels: Vec<Vec<TextLine>> = d.edges.iter().map(edge_lines).collect();
        let specs = d
            .edges
            .iter()
            .zip(&labels)
            .map(|(e, l)| EdgeSpec {
                from: e.from,
                to: e.to,
                label: (!l.is_empty()).then(|| block_size(l)),
            })
            .collect();
        let sizes = boxes.iter().map(|b| b.size).collect();
        Measured {
            boxes,
            labels,
            sizes,
            specs,
        }
    }
}

/// Wraps text into lines no wider than `width` pixels at `size`.
fn wrap_px(s: &str, width: f64, size: f64, bold: bool) -> Vec<String> {
    let widest = |lines: &[String]| {
        lines
            .iter()
            .map(|l| text::width(l, size, bold))
            .fold(0.0, f64::max)
    };
    let mut chars = ((width / (size * 0.55)).floor() as usize).max(12);
    loop {
        let lines = text::wrap(s, chars);
        if chars <= 12 || widest(&lines) <= width {
            return lines;
        }
        chars = chars * 9 / 10;
    }
}

/// Everything around the graph: the heading, the legend, and the size of
/// the whole drawing.
struct Frame {
    head: Vec<TextLine>,
    rows: Vec<Vec<LegendItem>>,
    /// Where the graph starts, under the heading.
    top: f64,
    width: f64,
    height: f64,
}

fn legend_width(i: LegendItem) -> f64 {
    30.0 + text::width(i.text(), SMALL, false) + 18.0
}

fn frame(d: &Diagram, lay: &Layout, avail: f64) -> Frame {
    // The heading: title, counts and annotations, findings about the file.
    let avail = avail.max(lay.width).max(320.0);
    let mut head: Vec<TextLine> = wrap_px(&text::one_line(&d.title), avail, 18.0, true)
        .into_iter()
        .map(|t| TextLine {
            text: t,
            size: 18.0,
            bold: true,
            color: style::TEXT,
            strike: false,
        })
        .collect();
    for s in &d.subtitle {
        head.extend(
            wrap_px(s, avail, 12.0, false)
                .into_iter()
                .map(|t| TextLine::new(t, 12.0, style::TEXT_MUTED)),
        );
    }
    for m in &d.notes {
        let t = format!("{} {}", style::severity_symbol(m.severity), m.text);
        head.extend(
            wrap_px(&t, avail, 12.0, false)
                .into_iter()
                .map(|t| TextLine::new(t, 12.0, style::severity_color(m.severity))),
        );
    }
    let head_h: f64 = head.iter().map(TextLine::height).sum();
    let head_w = head.iter().map(TextLine::width).fold(0.0, f64::max);

    let legend = d.legend();
    let content_w = lay.width.max(head_w).max(320.0);
    // Legend rows, wrapped to the drawing's width.
    let mut rows: Vec<Vec<LegendItem>> = vec![Vec::new()];
    let mut row_w = text::width("legend", SMALL, true) + 14.0;
    for &item in &legend {
        let w = legend_width(item);
        if row_w + w > content_w && !rows.last().is_some_and(Vec::is_empty) {
            rows.push(Vec::new());
            row_w = 0.0;
        }
        row_w += w;
        if let Some(r) = rows.last_mut() {
            r.push(item);
        }
    }
    if legend.is_empty() {
        rows.clear();
    }
    let legend_h = if rows.is_empty() {
        0.0
    } else {
        rows.len() as f64 * 20.0 + 8.0
    };
    let top = MARGIN + head_h + 16.0;
    Frame {
        head,
        rows,
        top,
        width: (content_w + 2.0 * MARGIN).ceil(),
        height: (top + lay.height + 20.0 + legend_h + MARGIN).ceil(),
    }
}

/// The layout that fits best, its frame, and the scale it is shown at.
fn arrange(d: &Diagram, m: &Measured, fit: Fit) -> Result<(Layout, Frame, f64), TooLarge> {
    let inner = fit.width().map(|w| w - 2.0 * MARGIN);
    let folded = Options {
        direction: Direction::Right,
        max_width: inner,
    };
    let down = Options {
        direction: Direction::Down,
        max_width: None,
    };
    let candidates: Vec<Options> = match fit {
        Fit::Wide => vec![Options::default()],
        Fit::Page => vec![folded, down],
        Fit::Box { .. } => vec![Options::default(), folded, down],
    };
    let readable = (MIN_TEXT_PX / EDGE_SIZE).min(1.0);
    // (layout, frame, scale, score): the best-scoring layout whose text stays
    // readable, else the one shrunk least.
    let mut best: Option<(Layout, Frame, f64, f64)> = None;
    for opts in candidates {
        if opts == down && best.as_ref().is_some_and(|b| b.2 >= 1.0 && b.0.folds == 0) {
            // One row fits: nothing to gain from turning it.
            continue;
        }
        let lay = layout::layout(&m.sizes, &m.specs, opts)?;
        let f = frame(d, &lay, inner.unwrap_or(960.0));
        let mut scale: f64 = 1.0;
        if let Some(w) = fit.width() {
            scale = scale.min(w / f.width);
        }
        if let Some(h) = fit.height() {
            scale = scale.min(h / f.height);
        }
        let score = fit_score(&lay, scale, readable);
        if best.as_ref().is_none_or(|b| score > b.3 + 1e-9) {
            best = Some((lay, f, scale, score));
        }
    }
    let Some((lay, f, scale, _)) = best else {
        unreachable!("every fit has a candidate layout");
    };
    Ok((lay, f, scale.max(readable)))
}

/// How well a layout fits: first whether its text stays readable, then how
/// little it is shrunk, less a penalty for folds that many edges cross (more
/// than two on average: each is a long detour) and a little for running top
/// to bottom, which reads less like a pipeline.
fn fit_score(lay: &Layout, scale: f64, readable: f64) -> f64 {
    let mut score = scale;
    if lay.folds > 0 {
        let per_fold = lay.wraps as f64 / lay.folds as f64;
        score -= 0.05 * (per_fold - 2.0).max(0.0);
    }
    if lay.direction == Direction::Down {
        score -= 0.01;
    }
    if scale < readable - 1e-9 {
        // Below readable size: only the least shrunk can win.
        score = scale - 10.0;
    }
    score
}

/// Which way the ranks of Graphviz's and Mermaid's drawings should run to
/// fit: left to right when the built-in layout's single row fits the width
/// with text at a readable size, else top to bottom (they cannot fold a
/// chain into rows).
pub fn direction_for(d: &Diagram, fit: Fit) -> Direction {
    let Some(w) = fit.width() else {
        return Direction::Right;
    };
    let m = Measured::new(d);
    let readable = (MIN_TEXT_PX / EDGE_SIZE).min(1.0);
    match layout::layout(&m.sizes, &m.specs, Options::default()) {
        Ok(lay) if frame(d, &lay, w - 2.0 * MARGIN).width * readable > w => Direction::Down,
        _ => Direction::Right,
    }
}

/// The diagram as SVG, laid out without Graphviz; an error when it is too
/// large for the built-in layout.
pub fn svg_with(d: &Diagram, opts: &SvgOptions) -> Result<String, TooLarge> {
    let m = Measured::new(d);
    let (lay, f, scale) = arrange(d, &m, opts.fit)?;
    let ids = Ids {
        prefix: &opts.id_prefix,
        interactive: opts.interactive,
    };
    let (width, height) = (f.width, f.height);
    let at = |p: Point| Point {
        x: p.x + MARGIN,
        y: p.y + f.top,
    };

    let mut out = String::with_capacity(4096 + 600 * d.nodes.len() + 300 * d.edges.len());
    if !opts.interactive {
        let _ = writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    }
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" font-family=\"{FONT}\">",
        num((width * scale).ceil()),
        num((height * scale).ceil()),
        num(width),
        num(height)
    );
    let _ = writeln!(out, "<title>{}</title>", xml(&d.title));
    out.push_str("<defs>\n");
    for (id, color) in [
        ("arrow", style::EDGE),
        ("arrow-error", style::severity_color(Severity::Error)),
        ("arrow-warning", style::severity_color(Severity::Warning)),
        ("arrow-info", style::severity_color(Severity::Info)),
        ("arrow-suggested", style::SUGGESTED),
    ] {
        let _ = writeln!(
            out,
            "<marker id=\"{}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\"><path d=\"M0,1 L10,5 L0,9 Z\" fill=\"{color}\"/></marker>",
            ids.id(id)
        );
    }
    if d.edges
        .iter()
        .any(|e| matches!(e.role, EdgeRole::Flow(_)) && e.kind == crate::model::FlowKind::Metadata)
    {
        let _ = writeln!(
            out,
            "<marker id=\"{}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\"><path d=\"M0.7,1.5 L9.3,5 L0.7,8.5 Z\" fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"1.2\"/></marker>",
            ids.id("arrow-metadata"),
            style::EDGE_METADATA
        );
    }
    out.push_str("</defs>\n");
    let _ = writeln!(
        out,
        "<rect class=\"paper\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        num(width),
        num(height)
    );
    out.push_str("<g class=\"heading\">\n");
    write_lines(&mut out, &f.head, MARGIN, MARGIN, "start");
    out.push_str("</g>\n<g class=\"edges\" fill=\"none\">\n");

    for (e, route) in d.edges.iter().zip(&lay.routes) {
        let (color, marker_id, w, dash) = edge_look(e);
        let mut points: Vec<Point> = route.points.iter().map(|&p| at(p)).collect();
        if !route.self_loop && points.len() >= 2 && lay.direction == Direction::Right {
            let last = points.len() - 1;
            for (i, node) in [(0, e.from), (last, e.to)] {
                let b = &m.boxes[node];
                points[i].x = port_x(b.shape, at(lay.centers[node]), lay.sizes[node], points[i]);
            }
        }
        let dash = dash
            .map(|d| format!(" stroke-dasharray=\"{d}\""))
            .unwrap_or_default();
        let opacity = if e.role == EdgeRole::Suggested {
            " stroke-opacity=\"0.75\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<g id=\"{}\" class=\"edge\"{}><title>{}</title><path d=\"{}\" stroke=\"{color}\" stroke-width=\"{}\"{dash}{opacity} marker-end=\"url(#{})\"/></g>",
            ids.id(&e.key),
            ids.focusable(&e.key),
            xml_lines(&e.tooltip),
            path_data(route, &points, lay.direction),
            num(w),
            ids.id(marker_id)
        );
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for (i, (n, b)) in d.nodes.iter().zip(&m.boxes).enumerate() {
        write_node(&mut out, n, b, at(lay.centers[i]), lay.sizes[i], &ids);
    }
    out.push_str("</g>\n<g class=\"labels\">\n");
    for ((e, lines), route) in d.edges.iter().zip(&m.labels).zip(&lay.routes) {
        let Some(center) = route.label else { continue };
        if lines.is_empty() {
            continue;
        }
        let c = at(center);
        let s = block_size(lines);
        let data = if ids.interactive {
            format!(" data-key=\"{}\"", e.key)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "<g class=\"label\"{data}><title>{}</title>\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.9\"/>",
            xml_lines(&e.tooltip),
            num(c.x - s.w / 2.0),
            num(c.y - s.h / 2.0),
            num(s.w),
            num(s.h)
        );
        write_lines(&mut out, lines, c.x, c.y - s.h / 2.0 + 2.0, "middle");
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");

    if !f.rows.is_empty() {
        let y0 = f.top + lay.height + 20.0;
        let _ = writeln!(
            out,
            "<g class=\"legend\">\n<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#e0e0e0\"/>",
            num(MARGIN),
            num(y0 - 6.0),
            num(width - MARGIN),
            num(y0 - 6.0)
        );
        for (r, row) in f.rows.iter().enumerate() {
            let y = y0 + 10.0 + r as f64 * 20.0;
            let mut x = MARGIN;
            if r == 0 {
                write_lines(
                    &mut out,
                    &[TextLine {
                        text: "legend".into(),
                        size: SMALL,
                        bold: true,
                        color: style::TEXT_MUTED,
                        strike: false,
                    }],
                    x,
                    y - SMALL * LINE / 2.0,
                    "start",
                );
                x += text::width("legend", SMALL, true) + 14.0;
            }
            for &item in row {
                legend_swatch(&mut out, item, x, y, &ids);
                write_lines(
                    &mut out,
                    &[TextLine::new(item.text().into(), SMALL, style::TEXT)],
                    x + 30.0,
                    y - SMALL * LINE / 2.0,
                    "start",
                );
                x += legend_width(item);
            }
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(0.05), "0.1");
    }

    #[test]
    fn long_api_names_break_between_words() {
        assert_eq!(
            wrap_label("KinesisStreamSourceConfiguration", 22),
            ["KinesisStreamSource", "Configuration"]
        );
        assert_eq!(
            wrap_label("ExtendedS3DestinationConfiguration", 22),
            ["ExtendedS3Destination", "Configuration"]
        );
        assert_eq!(
            wrap_label("query S3 data in place", 22),
            ["query S3 data in place"]
        );
        assert_eq!(
            wrap_label("Glue Data Catalog as metastore", 22),
            ["Glue Data Catalog as", "metastore"]
        );
        assert_eq!(wrap_label("", 22), [""]);
    }

    #[test]
    fn xml_text_is_escaped_and_control_free() {
        assert_eq!(xml("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(xml("x\u{7}y"), "x\u{FFFD}y");
        assert_eq!(xml_lines("a\nb"), "a\nb");
    }
}
