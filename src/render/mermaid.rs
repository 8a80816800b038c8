//! The diagram as a Mermaid flowchart, which GitHub and GitLab render from a
//! ```` ```mermaid ```` block: the same clusters, colours and finding styles
//! as the other outputs, within what Mermaid can style.

use std::fmt::Write;

use super::diagram::{Diagram, EdgeRole, Node, NodeRole};
use super::layout::Direction;
use super::style::{self, Shape};
use super::text;
use crate::finding::Severity;
use crate::model::FlowKind;
use crate::pack::Category;

/// User text inside a quoted Mermaid label: quotes, markup and Mermaid's own
/// entity sign as entity codes, one line.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in text::one_line(s).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            '\\' => out.push_str("#92;"),
            c => out.push(c),
        }
    }
    out
}

fn wrapped(s: &str, width: usize) -> String {
    text::wrap(s, width)
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("<br/>")
}

fn node_label(n: &Node) -> String {
    let mut parts = vec![format!("<b>{}</b>", wrapped(&n.name, style::WRAP_NAME))];
    match (&n.kind, n.role) {
        (Some(k), _) if n.deprecated => {
            parts.push(format!("<s>{}</s>", wrapped(k, style::WRAP_NODE)))
        }
        (Some(k), _) => parts.push(wrapped(k, style::WRAP_NODE)),
        (None, NodeRole::Undeclared) => parts.push("not declared".to_string()),
        _ => {}
    }
    if let Some(r) = &n.replacement {
        parts.push(wrapped(&format!("→ {r}"), style::WRAP_NODE));
    }
    parts.extend(n.extra.iter().map(|e| wrapped(e, style::WRAP_NODE)));
    parts.extend(n.marks.iter().map(|m| {
        wrapped(
            &format!("{} {}", style::severity_symbol(m.severity), m.text),
            style::WRAP_MARK,
        )
    }));
    if n.role == NodeRole::Suggested {
        parts.push("suggested".to_string());
    }
    parts.join("<br/>")
}

fn node_decl(n: &Node) -> String {
    let label = node_label(n);
    let (open, close) = match style::shape(n.category) {
        Shape::Cylinder => ("[(", ")]"),
        Shape::Queue => (">", "]"),
        Shape::Note => ("[/", "/]"),
        Shape::Component => ("[[", "]]"),
        Shape::Hexagon => ("{{", "}}"),
        Shape::Rounded => ("(", ")"),
    };
    format!("{}{open}\"{label}\"{close}", n.key)
}

fn class_name(c: Option<Category>) -> String {
    match c {
        Some(c) => c.as_str().replace('-', "_"),
        None => "unknown".to_string(),
    }
}

/// The diagram as Mermaid `flowchart LR` text.
pub fn mermaid(d: &Diagram) -> String {
    mermaid_with(d, Direction::Right)
}

/// The diagram as a Mermaid flowchart, `LR` or `TB`.
pub fn mermaid_with(d: &Diagram, direction: Direction) -> String {
    let flow = match direction {
        Direction::Right => "LR",
        Direction::Down => "TB",
    };
    let mut s = String::new();
    let mut title = text::one_line(&d.title);
    // Mermaid has one title line: the subtitle lines (findings, cost) follow it.
    for line in &d.subtitle {
        title = format!("{title} — {}", text::one_line(line));
    }
    // A YAML double-quoted scalar.
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let _ = writeln!(s, "---\ntitle: \"{title}\"\n---\nflowchart {flow}");

    let in_cluster = |n: &Node| n.role != NodeRole::Suggested && n.category.is_some();
    for &c in Category::ALL.iter() {
        let members: Vec<&Node> = d
            .nodes
            .iter()
            .filter(|n| in_cluster(n) && n.category == Some(c))
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  subgraph cluster_{} [\"{}\"]",
            class_name(Some(c)),
            style::category_title(Some(c))
        );
        for n in members {
            let _ = writeln!(s, "    {}", node_decl(n));
        }
        let _ = writeln!(s, "  end");
    }
    for n in d.nodes.iter().filter(|n| !in_cluster(n)) {
        let _ = writeln!(s, "  {}", node_decl(n));
    }

    for e in &d.edges {
        let mut parts = Vec::new();
        if let Some(l) = &e.label {
            parts.push(wrapped(l, style::WRAP_EDGE));
        }
        parts.extend(e.marks.iter().map(|m| {
            wrapped(
                &format!("{} {}", style::severity_symbol(m.severity), m.text),
                style::WRAP_MARK,
            )
        }));
        let arrow = match e.role {
            EdgeRole::Flow(_) => match e.kind {
                FlowKind::Data => "-->",
                FlowKind::Trigger | FlowKind::Control => "-.->",
                FlowKind::Metadata => "--o",
            },
            EdgeRole::Unsupported(_) | EdgeRole::Suggested => "-.->",
        };
        let label = if parts.is_empty() {
            String::new()
        } else {
            format!("|\"{}\"|", parts.join("<br/>"))
        };
        let _ = writeln!(
            s,
            "  {} {arrow}{label} {}",
            d.nodes[e.from].key, d.nodes[e.to].key
        );
    }

    // Styles: one class per category, then the overlays.
    let mut classes: Vec<(String, Vec<&str>)> = Vec::new();
    for n in &d.nodes {
        let class = if n.role == NodeRole::Suggested {
            "suggested".to_string()
        } else if n.deprecated {
            "deprecated".to_string()
        } else {
            class_name(n.category)
        };
        match classes.iter_mut().find(|(c, _)| *c == class) {
            Some((_, keys)) => keys.push(&n.key),
            None => classes.push((class, vec![&n.key])),
        }
    }
    classes.sort_by(|a, b| a.0.cmp(&b.0));
    for (class, keys) in &classes {
        let def = match class.as_str() {
            "suggested" => format!(
                "fill:#ffffff,stroke:{},stroke-dasharray:5 4,color:{}",
                style::SUGGESTED,
                style::TEXT_MUTED
            ),
            "deprecated" => format!(
                "fill:{},stroke:{},color:{}",
                style::DEPRECATED.fill,
                style::DEPRECATED.stroke,
                style::TEXT_MUTED
            ),
            "unknown" => format!(
                "fill:{},stroke:{},stroke-dasharray:5 4,color:{}",
                style::UNKNOWN.fill,
                style::UNKNOWN.stroke,
                style::TEXT
            ),
            _ => {
                let c = Category::ALL
                    .iter()
                    .copied()
                    .find(|c| class_name(Some(*c)) == *class);
                let p = style::palette(c);
                format!("fill:{},stroke:{},color:{}", p.fill, p.stroke, style::TEXT)
            }
        };
        let _ = writeln!(s, "  classDef {class} {def}");
        let _ = writeln!(s, "  class {} {class}", keys.join(","));
    }
    for &c in Category::ALL.iter() {
        if d.nodes
            .iter()
            .any(|n| in_cluster(n) && n.category == Some(c))
        {
            let p = style::palette(Some(c));
            let _ = writeln!(
                s,
                "  style cluster_{} fill:{}80,stroke:{},color:{}",
                class_name(Some(c)),
                p.fill,
                p.stroke,
                p.stroke
            );
        }
    }
    for n in &d.nodes {
        if let Some(sev) = n.severity() {
            let _ = writeln!(
                s,
                "  style {} stroke:{},stroke-width:3px",
                n.key,
                style::severity_color(sev)
            );
        }
    }
    let mut link_styles: Vec<(String, Vec<String>)> = Vec::new();
    for (i, e) in d.edges.iter().enumerate() {
        let st = match e.role {
            EdgeRole::Unsupported(_) => {
                let red = style::severity_color(Severity::Error);
                format!("stroke:{red},stroke-width:2px,color:{red}")
            }
            EdgeRole::Suggested => format!(
                "stroke:{},stroke-opacity:0.7,color:{}",
                style::SUGGESTED,
                style::SUGGESTED
            ),
            EdgeRole::Flow(_) => {
                let look = style::flow_look(e.kind);
                let mut st = match e.severity() {
                    Some(sev) => {
                        let c = style::severity_color(sev);
                        format!("stroke:{c},stroke-width:2px,color:{c}")
                    }
                    None if look.color != style::EDGE => format!("stroke:{}", look.color),
                    None => String::new(),
                };
                // Mermaid draws `-.->` dashed; a control call is dotted.
                if e.kind == FlowKind::Control {
                    if !st.is_empty() {
                        st.push(',');
                    }
                    st.push_str("stroke-dasharray:1.5 3");
                }
                if st.is_empty() {
                    continue;
                }
                st
            }
        };
        match link_styles.iter_mut().find(|(s, _)| *s == st) {
            Some((_, ids)) => ids.push(i.to_string()),
            None => link_styles.push((st, vec![i.to_string()])),
        }
    }
    for (st, ids) in link_styles {
        let _ = writeln!(s, "  linkStyle {} {st}", ids.join(","));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_mermaid_reads() {
        assert_eq!(escape(r#"a"b#c"#), "a#quot;b#35;c");
        assert_eq!(escape("<x>&`|\\"), "#lt;x#gt;#amp;#96;#124;#92;");
        assert_eq!(escape("one\ntwo"), "one two");
    }
}
