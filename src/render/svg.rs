//! The built-in SVG: the diagram laid out by [`super::layout`], drawn with the
//! shared colours and shapes, so a picture needs no Graphviz. The output is a
//! plain, self-contained SVG 1.1 document; every coordinate is rounded to a
//! tenth of a pixel, so the same diagram always gives the same bytes.

use std::fmt::Write;

use super::diagram::{Diagram, Edge, EdgeRole, LegendItem, Node, NodeRole};
use super::layout::{self, EdgeSpec, Point, Size, TooLarge};
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
        lines.extend(wrapped(l, style::WRAP_EDGE, EDGE_SIZE, color));
    }
    lines.extend(mark_lines(&e.marks, style::WRAP_MARK, EDGE_SIZE));
    lines
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
        Shape::Component if !right => edge + TAB / 2.0,
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

fn write_node(out: &mut String, n: &Node, b: &NodeBox, c: Point) {
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
        "<g id=\"{}\" class=\"node\"{opacity}>\n<title>{}</title>",
        n.key,
        xml_lines(&n.tooltip)
    );
    shape_svg(out, b.shape, c, b.size, &attrs);
    let t = text_center(b.shape, c);
    let text_h: f64 = b.lines.iter().map(TextLine::height).sum();
    write_lines(out, &b.lines, t.x, t.y - text_h / 2.0, "middle");
    if let Some(sev) = n.severity() {
        badge(
            out,
            Point {
                x: c.x + b.size.w / 2.0 - 3.0,
                y: c.y - b.size.h / 2.0 + 3.0,
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

fn path_data(points: &[Point], self_loop: bool) -> String {
    let mut d = String::new();
    let Some(first) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{},{}", num(first.x), num(first.y));
    if self_loop && points.len() == 2 {
        let (a, b) = (points[0], points[1]);
        let top = a.y - layout::LOOP_H + 4.0;
        let _ = write!(
            d,
            " C{},{} {},{} {},{}",
            num(a.x + 8.0),
            num(top),
            num(b.x - 8.0),
            num(top),
            num(b.x),
            num(b.y)
        );
        return d;
    }
    for w in points.windows(2) {
        let (p, q) = (w[0], w[1]);
        let mid = (q.x - p.x) / 2.0;
        let _ = write!(
            d,
            " C{},{} {},{} {},{}",
            num(p.x + mid),
            num(p.y),
            num(q.x - mid),
            num(q.y),
            num(q.x),
            num(q.y)
        );
    }
    d
}

fn legend_swatch(out: &mut String, item: LegendItem, x: f64, y: f64) {
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
                "<path d=\"M{},{} L{},{}\" stroke=\"{}\" stroke-width=\"1.4\"{dash} fill=\"none\" marker-end=\"url(#{m})\"/>",
                num(x),
                num(y),
                num(x + 22.0),
                num(y),
                look.color
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
                "<path d=\"M{},{} L{},{}\" stroke=\"{color}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\" fill=\"none\" marker-end=\"url(#{m})\"/>",
                num(x),
                num(y),
                num(x + 22.0),
                num(y)
            );
        }
        LegendItem::Severity(s) => badge(out, Point { x: x + 11.0, y }, s),
    }
}

/// The diagram as a standalone SVG document, laid out without Graphviz; an
/// error when it is too large for the built-in layout.
pub fn svg(d: &Diagram) -> Result<String, TooLarge> {
    let boxes: Vec<NodeBox> = d.nodes.iter().map(node_box).collect();
    let labels: Vec<Vec<TextLine>> = d.edges.iter().map(edge_lines).collect();
    let specs: Vec<EdgeSpec> = d
        .edges
        .iter()
        .zip(&labels)
        .map(|(e, l)| EdgeSpec {
            from: e.from,
            to: e.to,
            label: (!l.is_empty()).then(|| block_size(l)),
        })
        .collect();
    let sizes: Vec<Size> = boxes.iter().map(|b| b.size).collect();
    let lay = layout::layout(&sizes, &specs)?;

    // The heading: title, counts and annotations, findings about the file.
    let mut head = vec![TextLine {
        text: text::one_line(&d.title),
        size: 18.0,
        bold: true,
        color: style::TEXT,
        strike: false,
    }];
    for s in &d.subtitle {
        head.extend(wrapped(s, 120, 12.0, style::TEXT_MUTED));
    }
    head.extend(mark_lines(&d.notes, 120, 12.0));
    let head_h: f64 = head.iter().map(TextLine::height).sum();
    let head_w = head.iter().map(TextLine::width).fold(0.0, f64::max);

    let legend = d.legend();
    let legend_w_of = |i: LegendItem| 30.0 + text::width(i.text(), SMALL, false) + 18.0;
    let content_w = lay.width.max(head_w).max(320.0);
    // Legend rows, wrapped to the drawing's width.
    let mut rows: Vec<Vec<LegendItem>> = vec![Vec::new()];
    let mut row_w = text::width("legend", SMALL, true) + 14.0;
    for &item in &legend {
        let w = legend_w_of(item);
        if row_w + w > content_w && !rows.last().is_some_and(Vec::is_empty) {
            rows.push(Vec::new());
            row_w = 0.0;
        }
        row_w += w;
        if let Some(r) = rows.last_mut() {
            r.push(item);
        }
    }
    let legend_h = if legend.is_empty() {
        0.0
    } else {
        rows.len() as f64 * 20.0 + 8.0
    };

    let top = MARGIN + head_h + 16.0;
    let width = (content_w + 2.0 * MARGIN).ceil();
    let graph_bottom = top + lay.height;
    let height = (graph_bottom + 20.0 + legend_h + MARGIN).ceil();
    let at = |p: Point| Point {
        x: p.x + MARGIN,
        y: p.y + top,
    };

    let mut out = String::with_capacity(4096 + 600 * d.nodes.len() + 300 * d.edges.len());
    let _ = writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" font-family=\"{FONT}\">",
        num(width),
        num(height),
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
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\"><path d=\"M0,1 L10,5 L0,9 Z\" fill=\"{color}\"/></marker>"
        );
    }
    if d.edges
        .iter()
        .any(|e| matches!(e.role, EdgeRole::Flow(_)) && e.kind == crate::model::FlowKind::Metadata)
    {
        let _ = writeln!(
            out,
            "<marker id=\"arrow-metadata\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\"><path d=\"M0.7,1.5 L9.3,5 L0.7,8.5 Z\" fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"1.2\"/></marker>",
            style::EDGE_METADATA
        );
    }
    out.push_str("</defs>\n");
    let _ = writeln!(
        out,
        "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        num(width),
        num(height)
    );
    out.push_str("<g class=\"heading\">\n");
    write_lines(&mut out, &head, MARGIN, MARGIN, "start");
    out.push_str("</g>\n<g class=\"edges\" fill=\"none\">\n");

    for (e, route) in d.edges.iter().zip(&lay.routes) {
        let (color, m, w, dash) = edge_look(e);
        let mut points: Vec<Point> = route.points.iter().map(|&p| at(p)).collect();
        if !route.self_loop && points.len() >= 2 {
            let last = points.len() - 1;
            for (i, node) in [(0, e.from), (last, e.to)] {
                let b = &boxes[node];
                points[i].x = port_x(b.shape, at(lay.centers[node]), b.size, points[i]);
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
            "<g class=\"edge\"><title>{}</title><path d=\"{}\" stroke=\"{color}\" stroke-width=\"{}\"{dash}{opacity} marker-end=\"url(#{m})\"/></g>",
            xml_lines(&e.tooltip),
            path_data(&points, route.self_loop),
            num(w)
        );
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for ((n, b), &c) in d.nodes.iter().zip(&boxes).zip(&lay.centers) {
        write_node(&mut out, n, b, at(c));
    }
    out.push_str("</g>\n<g class=\"labels\">\n");
    for ((e, lines), route) in d.edges.iter().zip(&labels).zip(&lay.routes) {
        let Some(center) = route.label else { continue };
        if lines.is_empty() {
            continue;
        }
        let c = at(center);
        let s = block_size(lines);
        let _ = writeln!(
            out,
            "<g class=\"label\"><title>{}</title>\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.9\"/>",
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

    if !legend.is_empty() {
        let y0 = graph_bottom + 20.0;
        let _ = writeln!(
            out,
            "<g class=\"legend\">\n<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#e0e0e0\"/>",
            num(MARGIN),
            num(y0 - 6.0),
            num(width - MARGIN),
            num(y0 - 6.0)
        );
        for (r, row) in rows.iter().enumerate() {
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
                legend_swatch(&mut out, item, x, y);
                write_lines(
                    &mut out,
                    &[TextLine::new(item.text().into(), SMALL, style::TEXT)],
                    x + 30.0,
                    y - SMALL * LINE / 2.0,
                    "start",
                );
                x += legend_w_of(item);
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
    fn xml_text_is_escaped_and_control_free() {
        assert_eq!(xml("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(xml("x\u{7}y"), "x\u{FFFD}y");
        assert_eq!(xml_lines("a\nb"), "a\nb");
    }
}
