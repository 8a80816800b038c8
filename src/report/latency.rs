//! The latency estimates `check --explain-latency` prints: a table per file
//! in the text formats, a `latency` field per file in JSON.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::latency::{Explanation, format_duration};

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The estimates of one file as text.
pub fn text(path: &str, e: &Explanation) -> String {
    let mut out = String::new();
    let budget = e.budget.map_or("no `max_latency`".to_string(), |b| {
        format!("`max_latency` {}", format_duration(b))
    });
    let _ = writeln!(out, "latency of {path} ({budget}):");
    if e.paths.is_empty() {
        let _ = writeln!(out, "  no flows between services");
    }
    for p in &e.paths {
        let names: Vec<&str> = p.hops.iter().map(|h| h.service.as_str()).collect();
        let over = match e.budget {
            Some(b) if p.total > b => ", over the budget",
            _ => "",
        };
        let _ = writeln!(
            out,
            "  {}: {}{over}",
            names.join(" → "),
            format_duration(p.total)
        );
        let id_w = p
            .hops
            .iter()
            .map(|h| h.service.chars().count())
            .max()
            .unwrap_or(0);
        let kind_w = p
            .hops
            .iter()
            .map(|h| h.kind.as_deref().unwrap_or("?").len())
            .max()
            .unwrap_or(0);
        for h in &p.hops {
            let figure = if h.modelled {
                format_duration(h.latency)
            } else {
                "—".to_string()
            };
            let estimate = if h.estimate { " (estimate)" } else { "" };
            let _ = writeln!(
                out,
                "    {:<id_w$}  {:<kind_w$}  {:>8}  {}{estimate}",
                h.service,
                h.kind.as_deref().unwrap_or("?"),
                figure,
                h.basis
            );
        }
    }
    out
}

/// The estimates of one file as the JSON `latency` field.
pub fn json(e: &Explanation) -> Value {
    json!({
        "max_latency_ms": e.budget.map(ms),
        "paths": e.paths.iter().map(|p| json!({
            "services": p.hops.iter().map(|h| h.service.as_str()).collect::<Vec<_>>(),
            "total_ms": ms(p.total),
            "over_budget": e.budget.is_some_and(|b| p.total > b),
            "hops": p.hops.iter().map(|h| json!({
                "service": h.service,
                "kind": h.kind,
                "ms": ms(h.latency),
                "modelled": h.modelled,
                "estimate": h.estimate,
                "basis": h.basis,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
