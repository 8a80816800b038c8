//! Writing an imported template as a readable architecture file: a comment
//! naming the resource each service came from, flows as chains, and what could
//! not be resolved.

use std::collections::BTreeMap;
use std::fmt::Write;

use toml_writer::{ToTomlKey, ToTomlValue};

use super::draft::{Became, Imported};
use crate::model::{Attr, Value};
use crate::source::SourceFile;

/// A TOML string, quoted and escaped.
pub fn quote(s: &str) -> String {
    s.to_toml_value()
}

/// A TOML key: bare when it can be.
pub fn key(s: &str) -> String {
    s.to_toml_key()
}

/// A comment's text on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn value(v: &Value) -> String {
    match v {
        Value::Integer(i) => i.to_string(),
        Value::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{n:.0}")
            } else {
                let s = format!("{n}");
                if s.contains(['.', 'e', 'E']) {
                    s
                } else {
                    format!("{s}.0")
                }
            }
        }
        Value::Bool(b) => b.to_string(),
        Value::String(s) => quote(s),
        Value::Duration(d) => quote(&humantime::format_duration(*d).to_string()),
        Value::Table(t) => {
            let fields: Vec<String> = t
                .iter()
                .map(|(k, a)| format!("{} = {}", key(k), value(&a.value)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
    }
}

fn line(src: &SourceFile, at: usize) -> usize {
    src.line_col(at).line
}

/// Greedy chains covering every flow once: start where nothing unused comes
/// in, follow the first unused flow out; a chain ends after a flow in
/// `stops` (one that carries no data on).
fn chains(n_flows: usize, ends: &[(usize, usize)], stops: &[bool]) -> Vec<Vec<usize>> {
    let mut used = vec![false; n_flows];
    let mut out = Vec::new();
    while let Some(start) = (0..n_flows)
        .find(|&f| !used[f] && !(0..n_flows).any(|g| !used[g] && ends[g].1 == ends[f].0))
        .or_else(|| (0..n_flows).find(|&f| !used[f]))
    {
        let mut chain = vec![start];
        used[start] = true;
        let mut cur = ends[start].1;
        while !stops[*chain.last().unwrap_or(&start)]
            && let Some(next) = (0..n_flows).find(|&g| !used[g] && ends[g].0 == cur)
        {
            used[next] = true;
            chain.push(next);
            cur = ends[next].1;
        }
        out.push(chain);
    }
    out
}

/// The architecture file for an imported template.
pub fn to_toml(imp: &Imported, tool: &str) -> String {
    let arch = &imp.arch;
    let src = &arch.source;
    let d = &imp.draft;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported by `pipelint import {tool}` from {}.",
        one_line(src.name())
    );
    let _ = writeln!(
        out,
        "# Each service names the resource it came from; flows list the property that wires them."
    );
    if !d.notes.is_empty() {
        let _ = writeln!(out, "#\n# Not resolved or assumed (check these by hand):");
        for n in &d.notes {
            let _ = writeln!(
                out,
                "#   line {}: {}",
                line(src, n.span.start()),
                one_line(&n.message)
            );
        }
    }
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &d.resources {
        if r.became == Became::LeftOut {
            *left.entry(r.ty.as_str()).or_default() += 1;
        }
    }
    if !left.is_empty() {
        let list: Vec<String> = left
            .iter()
            .map(|(t, n)| {
                if *n == 1 {
                    t.to_string()
                } else {
                    format!("{t} ×{n}")
                }
            })
            .collect();
        let _ = writeln!(out, "#\n# Not part of the data flow, left out:");
        let mut current = String::from("#  ");
        for item in list {
            if current.len() + item.len() > 88 {
                let _ = writeln!(out, "{}", current.trim_end_matches(','));
                current = String::from("#  ");
            }
            let _ = write!(current, " {item},");
        }
        let _ = writeln!(out, "{}", current.trim_end_matches(','));
    }
    out.push('\n');
    let _ = writeln!(out, "[pipeline]");
    let _ = writeln!(out, "name = {}", quote(&arch.name));
    let ends: Vec<(usize, usize)> = arch
        .flows
        .iter()
        .map(|f| (f.from.service.unwrap_or(0), f.to.service.unwrap_or(0)))
        .collect();
    let stops: Vec<bool> = arch.flows.iter().map(|f| !f.kind.carries_data()).collect();
    let cs = chains(arch.flows.len(), &ends, &stops);
    if cs.is_empty() {
        let _ = writeln!(out, "flows = []");
    } else {
        let _ = writeln!(out, "flows = [");
        for chain in cs {
            for &f in &chain {
                let flow = &arch.flows[f];
                let _ = writeln!(
                    out,
                    "  # {} -> {}: {} (line {})",
                    flow.from.name,
                    flow.to.name,
                    one_line(flow.label().unwrap_or("")),
                    line(src, flow.span.start())
                );
            }
            let mut text = arch.flows[chain[0]].from.name.to_string();
            for &f in &chain {
                let flow = &arch.flows[f];
                // The kind is written where it says more than a plain arrow.
                if d.flows[f].write_kind {
                    let _ = write!(text, " -[{}]-> {}", flow.kind.as_str(), flow.to.name);
                } else {
                    let _ = write!(text, " -> {}", flow.to.name);
                }
            }
            let _ = writeln!(out, "  {},", quote(&text));
        }
        let _ = writeln!(out, "]");
    }
    for (i, s) in arch.services.iter().enumerate() {
        let ds = &d.services[i];
        if s.implicit && s.id == ds.kind {
            continue;
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "# {}, line {}",
            one_line(&ds.origin),
            line(src, s.span.start())
        );
        let _ = writeln!(out, "[services.{}]", key(&s.id));
        let _ = writeln!(out, "kind = {}", quote(&s.kind.written));
        for (name, a) in &s.attrs {
            let Attr { key_span, .. } = a;
            let what = src.slice(*key_span);
            let what = if what.is_empty() || what.contains('\n') {
                String::new()
            } else {
                format!("{}, ", one_line(what.trim_matches(['"', '\''])))
            };
            let _ = writeln!(
                out,
                "{} = {}  # {what}line {}",
                key(name),
                value(&a.value),
                line(src, key_span.start())
            );
        }
        if !s.allow.is_empty() {
            let items: Vec<String> = s
                .allow
                .iter()
                .map(|a| match &a.reason {
                    Some(r) => format!("{{ rule = {}, reason = {} }}", quote(a.rule), quote(r)),
                    None => quote(a.rule),
                })
                .collect();
            let _ = writeln!(out, "allow = [{}]", items.join(", "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_cover_every_flow_once() {
        // a->b, b->c, a->d, e->b
        let ends = [(0, 1), (1, 2), (0, 3), (4, 1)];
        let cs = chains(4, &ends, &[false; 4]);
        let mut all: Vec<usize> = cs.iter().flatten().copied().collect();
        all.sort();
        assert_eq!(all, vec![0, 1, 2, 3]);
        assert_eq!(cs[0], vec![0, 1]);
    }

    #[test]
    fn quoting() {
        assert_eq!(key("My-Id_1"), "My-Id_1");
        // Whatever the quoting style, TOML reads back what was written.
        for text in [
            "a\"b\\c\nd",
            "a.b",
            "unknown \"thing\" x",
            "tab\there",
            "'single'",
            "→ ünïcode",
            "",
        ] {
            let doc = format!("{} = {}", key(text), quote(text));
            let table: toml::Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
            assert_eq!(
                table.get(text).and_then(|v| v.as_str()),
                Some(text),
                "{doc}"
            );
        }
        assert_eq!(value(&Value::Number(168.0)), "168");
        assert_eq!(value(&Value::Number(0.5)), "0.5");
    }
}
