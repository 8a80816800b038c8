//! The diagram as Graphviz DOT: left to right (or top to bottom to fit a
//! page), HTML-like labels, the path suggested instead of an unsupported flow
//! in a dashed cluster. graphviz-rust prints identifiers verbatim, so every piece
//! of user text is quoted or escaped here; node names are the diagram's own
//! ASCII keys, never user text.

use std::collections::BTreeMap;

use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt,
    Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::diagram::{Diagram, EdgeRole, LegendItem, Mark, Node, NodeRole};
use super::layout::Direction;
use super::style::{self, Shape};
use super::text;

const FONT: &str = "Helvetica,Arial,sans-serif";

/// A DOT quoted string: `"` and `\` escaped, line breaks as `\n`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for (i, line) in text::lines(s).iter().enumerate() {
        if i > 0 {
            out.push_str("\\n");
        }
        for c in line.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
    }
    out.push('"');
    out
}

/// Text inside an HTML-like label: markup characters as entities, one line.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in text::one_line(s).chars() {
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

fn attr(key: &str, value: Id) -> Attribute {
    Attribute(Id::Plain(key.to_string()), value)
}

fn q(s: &str) -> Id {
    Id::Escaped(quote(s))
}

fn plain(s: impl Into<String>) -> Id {
    Id::Plain(s.into())
}

/// An HTML-like label from its inner markup.
fn label(markup: String) -> Id {
    Id::Html(format!("<{markup}>"))
}

/// Wrapped lines of text in one font, joined with `<br/>`.
fn lines(s: &str, width: usize, size: Option<u8>, color: Option<&str>, strike: bool) -> String {
    text::wrap(s, width)
        .iter()
        .map(|l| {
            let mut t = html(l);
            if strike {
                t = format!("<s>{t}</s>");
            }
            match (size, color) {
                (None, None) => t,
                (Some(p), None) => format!("<font point-size=\"{p}\">{t}</font>"),
                (None, Some(c)) => format!("<font color=\"{c}\">{t}</font>"),
                (Some(p), Some(c)) => format!("<font point-size=\"{p}\" color=\"{c}\">{t}</font>"),
            }
        })
        .collect::<Vec<_>>()
        .join("<br/>")
}

fn mark_lines(marks: &[Mark], width: usize, size: u8) -> Vec<String> {
    marks
        .iter()
        .map(|m| {
            lines(
                &format!("{} {}", style::severity_symbol(m.severity), m.text),
                width,
                Some(size),
                Some(style::severity_color(m.severity)),
                false,
            )
        })
        .collect()
}

fn node_label(n: &Node) -> String {
    let suggested = n.role == NodeRole::Suggested;
    let name_color = if n.deprecated || suggested {
        Some(style::TEXT_MUTED)
    } else {
        None
    };
    let mut parts = vec![format!(
        "<b>{}</b>",
        lines(&n.name, style::WRAP_NAME, None, name_color, false)
    )];
    let kind = match (&n.kind, n.role) {
        (Some(k), _) => Some(k.as_str()),
        (None, NodeRole::Undeclared) => Some("not declared"),
        _ => None,
    };
    if let Some(k) = kind {
        parts.push(lines(
            k,
            style::WRAP_NODE,
            Some(9),
            Some(style::TEXT_MUTED),
            n.deprecated,
        ));
    }
    if let Some(r) = &n.replacement {
        parts.push(lines(
            &format!("→ {r}"),
            style::WRAP_NODE,
            Some(9),
            Some(style::TEXT),
            false,
        ));
    }
    for e in &n.extra {
        parts.push(lines(
            e,
            style::WRAP_NODE,
            Some(9),
            Some(style::TEXT),
            false,
        ));
    }
    parts.extend(mark_lines(&n.marks, style::WRAP_MARK, 9));
    if suggested {
        parts.push(lines(
            "suggested",
            style::WRAP_NODE,
            Some(9),
            Some(style::SUGGESTED),
            false,
        ));
    }
    parts.join("<br/>")
}

fn shape_name(shape: Shape) -> &'static str {
    match shape {
        Shape::Cylinder => "cylinder",
        Shape::Queue => "cds",
        Shape::Note => "note",
        Shape::Component => "component",
        Shape::Hexagon => "hexagon",
        Shape::Rounded => "box",
    }
}

fn node_stmt(n: &Node) -> Stmt {
    let shape = style::shape(n.category);
    let palette = if n.deprecated {
        style::DEPRECATED
    } else {
        style::palette(n.category)
    };
    let mut styles = vec!["filled"];
    if shape == Shape::Rounded {
        styles.push("rounded");
    }
    let (fill, mut border) = match n.role {
        NodeRole::Suggested => ("#ffffff", style::SUGGESTED),
        _ => (palette.fill, palette.stroke),
    };
    if n.category.is_none() || n.role == NodeRole::Suggested {
        styles.push("dashed");
    }
    let mut width = "1.2";
    if let Some(sev) = n.severity() {
        border = style::severity_color(sev);
        width = "2.4";
    }
    let attrs = vec![
        attr("label", label(node_label(n))),
        attr("shape", plain(shape_name(shape))),
        attr("style", q(&styles.join(","))),
        attr("fillcolor", q(fill)),
        attr("color", q(border)),
        attr("penwidth", plain(width)),
        attr("tooltip", q(&n.tooltip)),
    ];
    Stmt::Node(DotNode::new(NodeId(plain(&n.key), None), attrs))
}

fn edge_stmt(d: &Diagram, e: &super::diagram::Edge) -> Stmt {
    let mut parts = Vec::new();
    if let Some(l) = &e.label {
        let color = match e.role {
            EdgeRole::Suggested => style::SUGGESTED,
            _ => style::TEXT_MUTED,
        };
        parts.push(lines(l, style::WRAP_EDGE, None, Some(color), false));
    }
    parts.extend(mark_lines(&e.marks, style::WRAP_MARK, 9));
    let mut attrs = Vec::new();
    if !parts.is_empty() {
        attrs.push(attr("label", label(parts.join("<br/>"))));
    }
    match e.role {
        EdgeRole::Unsupported(_) => {
            attrs.push(attr(
                "color",
                q(style::severity_color(crate::finding::Severity::Error)),
            ));
            attrs.push(attr("style", plain("dashed")));
            attrs.push(attr("penwidth", plain("2")));
        }
        EdgeRole::Suggested => {
            attrs.push(attr("color", q(&format!("{}b3", style::SUGGESTED))));
            attrs.push(attr("style", plain("dashed")));
        }
        EdgeRole::Flow(_) => {
            let look = style::flow_look(e.kind);
            if let Some(sev) = e.severity() {
                attrs.push(attr("color", q(style::severity_color(sev))));
                attrs.push(attr("penwidth", plain("2")));
            } else if look.color != style::EDGE {
                attrs.push(attr("color", q(look.color)));
            }
            if let Some(st) = look.dot_style {
                attrs.push(attr("style", plain(st)));
            }
            if look.hollow {
                attrs.push(attr("arrowhead", plain("empty")));
            }
        }
    }
    attrs.push(attr("tooltip", q(&e.tooltip)));
    let from = Vertex::N(NodeId(plain(&d.nodes[e.from].key), None));
    let to = Vertex::N(NodeId(plain(&d.nodes[e.to].key), None));
    Stmt::Edge(DotEdge {
        ty: EdgeTy::Pair(from, to),
        attributes: attrs,
    })
}

/// One legend entry: a swatch cell and a word.
fn legend_cells(item: LegendItem) -> String {
    let box_cell = |fill: &str, stroke: &str| {
        format!(
            "<td width=\"22\" height=\"12\" fixedsize=\"true\" bgcolor=\"{fill}\" color=\"{stroke}\" border=\"1\"></td>"
        )
    };
    let swatch = match item {
        LegendItem::Category(c) => {
            let p = style::palette(c);
            box_cell(p.fill, p.stroke)
        }
        LegendItem::Deprecated => box_cell(style::DEPRECATED.fill, style::DEPRECATED.stroke),
        LegendItem::Flow(k) => {
            let look = style::flow_look(k);
            let glyph = match (look.dot_style, look.hollow) {
                (Some("dashed"), _) => "- - ▶",
                (Some(_), _) => "····▶",
                (None, true) => "───▷",
                (None, false) => "───▶",
            };
            format!("<td><font color=\"{}\">{glyph}</font></td>", look.color)
        }
        LegendItem::Unsupported => format!(
            "<td><font color=\"{}\"><b>- - ▶</b></font></td>",
            style::severity_color(crate::finding::Severity::Error)
        ),
        LegendItem::Suggested => {
            format!("<td><font color=\"{}\">- - ▶</font></td>", style::SUGGESTED)
        }
        LegendItem::Severity(s) => format!(
            "<td><font color=\"{}\">{}</font></td>",
            style::severity_color(s),
            style::severity_symbol(s)
        ),
    };
    format!(
        "{swatch}<td align=\"left\"><font point-size=\"9\">{}</font></td>",
        html(item.text())
    )
}

/// The graph's label: the title, the counts and annotations, the findings
/// about the whole file, and the legend in one row.
fn heading(d: &Diagram) -> String {
    let row = |cell: String| format!("<tr><td align=\"left\" balign=\"left\">{cell}</td></tr>");
    let mut rows = vec![row(format!(
        "<font point-size=\"16\"><b>{}</b></font>",
        html(&d.title)
    ))];
    for s in &d.subtitle {
        rows.push(row(lines(s, 100, Some(10), Some(style::TEXT_MUTED), false)));
    }
    rows.extend(mark_lines(&d.notes, 100, 10).into_iter().map(row));
    let legend = d.legend();
    if !legend.is_empty() {
        let cells: String = legend.into_iter().map(legend_cells).collect();
        rows.push(row(format!(
            "<table border=\"0\" cellborder=\"0\" cellspacing=\"3\" cellpadding=\"0\"><tr><td><font point-size=\"9\" color=\"{}\"><b>legend</b></font></td>{cells}</tr></table>",
            style::TEXT_MUTED
        )));
    }
    format!(
        "<table border=\"0\" cellborder=\"0\" cellspacing=\"1\" cellpadding=\"1\">{}</table>",
        rows.concat()
    )
}

/// The diagram as DOT text, left to right.
pub fn dot(d: &Diagram) -> String {
    dot_with(d, Direction::Right)
}

/// The diagram as DOT text, its ranks running the given way.
pub fn dot_with(d: &Diagram, direction: Direction) -> String {
    let rankdir = match direction {
        Direction::Right => "LR",
        Direction::Down => "TB",
    };
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("rankdir", plain(rankdir)),
            attr("newrank", plain("true")),
            attr("fontname", q(FONT)),
            attr("label", label(heading(d))),
            attr("labelloc", plain("t")),
            attr("labeljust", plain("l")),
            attr("nodesep", plain("0.3")),
            attr("ranksep", plain("0.6")),
            attr("pad", plain("0.3")),
            attr("bgcolor", q("#ffffff")),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", q(FONT)),
            attr("fontsize", plain("11")),
            attr("fontcolor", q(style::TEXT)),
            attr("margin", q("0.15,0.1")),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", q(FONT)),
            attr("fontsize", plain("9")),
            attr("color", q(style::EDGE)),
            attr("arrowsize", plain("0.7")),
        ])),
    ];

    // Services are not grouped by category (colours and the legend say it):
    // such clusters pull apart what the flows join and put flow labels
    // inside boxes they do not belong to. The path suggested instead of an
    // unsupported flow is a dashed cluster of its own, so its boxes stay
    // together and clear of other labels.
    let mut suggested: BTreeMap<&str, Vec<&Node>> = BTreeMap::new();
    for n in &d.nodes {
        if n.role == NodeRole::Suggested {
            let flow = n.key.split('_').next().unwrap_or(&n.key);
            suggested.entry(flow).or_default().push(n);
        } else {
            stmts.push(node_stmt(n));
        }
    }
    for (flow, members) in suggested {
        let mut body = vec![Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("label", q("")),
            attr("style", q("dashed,rounded")),
            attr("color", q(&format!("{}99", style::SUGGESTED))),
            attr("penwidth", plain("0.8")),
            attr("margin", plain("10")),
        ]))];
        body.extend(members.into_iter().map(node_stmt));
        stmts.push(Stmt::Subgraph(Subgraph {
            id: plain(format!("cluster_suggested_{flow}")),
            stmts: body,
        }));
    }
    stmts.extend(d.edges.iter().map(|e| edge_stmt(d, e)));
    let graph = Graph::DiGraph {
        id: plain("pipeline"),
        strict: false,
        stmts,
    };
    let mut ctx = PrinterContext::default();
    let mut out = graph.print(&mut ctx);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_quotes_backslashes_and_line_breaks() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("x\\"), r#""x\\""#);
        assert_eq!(quote("one\ntwo"), r#""one\ntwo""#);
    }

    #[test]
    fn html_text_escapes_markup() {
        assert_eq!(html("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(html("a\nb"), "a b");
    }
}
