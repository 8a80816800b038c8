//! `pipelint services`: the catalog as a table, JSON or Markdown, and one
//! service in detail with what it connects to.

use serde_json::json;

use super::ListFormat;
use crate::date::Date;
use crate::pack::{KindId, Pack};

/// "end-of-life since 2026-01-27 → managed-flink", or "" for a current service.
fn lifecycle_cell(pack: &Pack, kind: KindId, today: Date) -> String {
    let (current, next) = pack.lifecycle(kind, today);
    let describe = |p: &crate::pack::PhaseDef, word: &str| {
        let mut s = format!("{:?}", p.status);
        s = kebab(&s);
        if let Some(d) = p.date {
            s.push_str(&format!(" {word} {d}"));
        }
        if let Some(r) = &p.replacement {
            s.push_str(&format!(" → {r}"));
        }
        s
    };
    match (current, next) {
        (Some(c), _) => describe(c, "since"),
        (None, Some(n)) => describe(n, "from"),
        (None, None) => String::new(),
    }
}

fn kebab(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('-');
        }
        out.extend(c.to_lowercase());
    }
    out
}

pub fn service_list(pack: &Pack, today: Date, format: ListFormat) -> String {
    let mut kinds: Vec<KindId> = pack.kinds().collect();
    kinds.sort_by(|a, b| pack.service(*a).id.cmp(&pack.service(*b).id));
    match format {
        ListFormat::Json => {
            let items: Vec<_> = kinds
                .iter()
                .map(|&k| {
                    let s = pack.service(k);
                    json!({
                        "id": s.id,
                        "name": s.name,
                        "aliases": s.aliases,
                        "category": s.category.as_str(),
                        "lifecycle": lifecycle_cell(pack, k, today),
                    })
                })
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&items).unwrap_or_default()
            )
        }
        ListFormat::Markdown => {
            let mut s = String::from(
                "| id | name | category | aliases | lifecycle |\n|---|---|---|---|---|\n",
            );
            for &k in &kinds {
                let d = pack.service(k);
                s.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} |\n",
                    d.id,
                    d.name,
                    d.category.as_str(),
                    d.aliases.join(", "),
                    lifecycle_cell(pack, k, today)
                ));
            }
            s
        }
        ListFormat::Table => {
            let w = kinds
                .iter()
                .map(|&k| pack.service(k).id.len())
                .max()
                .unwrap_or(2);
            let mut s = format!(
                "{:<w$}  {:<17}  {:<40}  {}\n",
                "ID", "CATEGORY", "LIFECYCLE", "ALIASES"
            );
            for &k in &kinds {
                let d = pack.service(k);
                s.push_str(
                    format!(
                        "{:<w$}  {:<17}  {:<40}  {}",
                        d.id,
                        d.category.as_str(),
                        lifecycle_cell(pack, k, today),
                        d.aliases.join(", ")
                    )
                    .trim_end(),
                );
                s.push('\n');
            }
            s
        }
    }
}

pub fn service_detail(pack: &Pack, kind: KindId, today: Date, format: ListFormat) -> String {
    let d = pack.service(kind);
    let mut outgoing: Vec<(String, String)> = Vec::new();
    let mut incoming: Vec<(String, String)> = Vec::new();
    for e in pack.edges() {
        let def = &pack.edge_defs[e.def];
        let label = format!("{} ({})", def.via, def.kind.as_str());
        if e.from == kind {
            outgoing.push((pack.service(e.to).id.clone(), label.clone()));
        }
        if e.to == kind {
            incoming.push((pack.service(e.from).id.clone(), label));
        }
    }
    outgoing.sort();
    outgoing.dedup();
    incoming.sort();
    incoming.dedup();
    if format == ListFormat::Json {
        let pairs = |v: &[(String, String)]| -> Vec<serde_json::Value> {
            v.iter()
                .map(|(id, via)| json!({"service": id, "via": via}))
                .collect()
        };
        let doc = json!({
            "id": d.id,
            "name": d.name,
            "aliases": d.aliases,
            "category": d.category.as_str(),
            "attributes": d.attributes,
            "lifecycle": lifecycle_cell(pack, kind, today),
            "source": d.source.items(),
            "feeds": pairs(&outgoing),
            "fed_by": pairs(&incoming),
        });
        return format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        );
    }
    let mut s = format!("{} ({})\n", d.name, d.id);
    s.push_str(&format!("category:   {}\n", d.category.as_str()));
    if !d.aliases.is_empty() {
        s.push_str(&format!("aliases:    {}\n", d.aliases.join(", ")));
    }
    for r in &d.renamed_from {
        let when = r
            .date
            .map(|d| format!(" (renamed {d})"))
            .unwrap_or_default();
        s.push_str(&format!("formerly:   {}{when}\n", r.name));
    }
    let life = lifecycle_cell(pack, kind, today);
    if !life.is_empty() {
        s.push_str(&format!("lifecycle:  {life}\n"));
    }
    if !d.attributes.is_empty() {
        s.push_str(&format!("attributes: {}\n", d.attributes.join(", ")));
    }
    s.push_str(&format!("source:     {}\n", d.source.items().join(", ")));
    for (title, list) in [("feeds", &outgoing), ("fed by", &incoming)] {
        s.push_str(&format!("\n{title}:\n"));
        if list.is_empty() {
            s.push_str("  (nothing)\n");
        }
        for (id, via) in list.iter() {
            s.push_str(&format!("  {id:<28} {via}\n"));
        }
    }
    s
}
