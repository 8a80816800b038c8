//! The pack checks itself: every id known, every fact sourced, no alias
//! ambiguous (checked while indexing), no gap contradicting an edge.

use std::collections::BTreeSet;

use super::{AttrType, OneOrMany, Pack, PackError};

/// A seed note file name, e.g. `004_ec5ece75883298b9.txt`.
pub fn is_seed_name(s: &str) -> bool {
    let Some(stem) = s.strip_suffix(".txt") else {
        return false;
    };
    let Some((n, hash)) = stem.split_once('_') else {
        return false;
    };
    n.len() == 3
        && n.bytes().all(|b| b.is_ascii_digit())
        && hash.len() == 16
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

fn source_problem(source: &OneOrMany) -> Option<String> {
    let items = source.items();
    if items.is_empty() {
        return Some("has no source".into());
    }
    items
        .iter()
        .find(|s| !(is_seed_name(s) || s.starts_with("https://")))
        .map(|s| format!("has a source that is neither a seed note nor an https address: `{s}`"))
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Checks a merged pack; returns every problem found.
pub fn validate(pack: &Pack) -> Vec<PackError> {
    let mut out = Vec::new();
    let mut err = |file: &str, message: String| {
        out.push(PackError {
            file: file.to_string(),
            message,
        })
    };
    let ids: BTreeSet<&str> = pack.services.iter().map(|s| s.id.as_str()).collect();
    let groups: BTreeSet<&str> = pack
        .services
        .iter()
        .flat_map(|s| s.groups.iter().map(String::as_str))
        .collect();

    for (s, file) in pack.services.iter().zip(&pack.service_files) {
        if !is_id(&s.id) {
            err(
                file,
                format!(
                    "service id `{}` must be lower-case letters, digits and '-'",
                    s.id
                ),
            );
        }
        if let Some(p) = source_problem(&s.source) {
            err(file, format!("service `{}` {p}", s.id));
        }
        if s.effort > 4 {
            err(
                file,
                format!(
                    "service `{}` has effort {}; the scale is 0-4",
                    s.id, s.effort
                ),
            );
        }
        for a in &s.attributes {
            if pack.attribute(a).is_none() {
                err(
                    file,
                    format!(
                        "service `{}` takes attribute `{a}`, which attributes.toml does not define",
                        s.id
                    ),
                );
            }
        }
        for r in &s.renamed_from {
            if let Some(p) = source_problem(&r.source) {
                err(
                    file,
                    format!("service `{}`: rename from `{}` {p}", s.id, r.name),
                );
            }
        }
        let mut last = None;
        for phase in &s.lifecycle {
            if let Some(p) = source_problem(&phase.source) {
                err(file, format!("service `{}`: lifecycle phase {p}", s.id));
            }
            if let Some(r) = &phase.replacement {
                if !ids.contains(r.as_str()) {
                    err(
                        file,
                        format!(
                            "service `{}` names replacement `{r}`, which is not in the catalog",
                            s.id
                        ),
                    );
                }
                if r == &s.id {
                    err(
                        file,
                        format!("service `{}` names itself as its replacement", s.id),
                    );
                }
            }
            if let (Some(prev), Some(d)) = (last, phase.date)
                && d < prev
            {
                err(
                    file,
                    format!("service `{}`: lifecycle phases are not in date order", s.id),
                );
            }
            last = phase.date.or(last);
        }
    }

    for e in &pack.edge_defs {
        if let Some(p) = source_problem(&e.source) {
            err("rules", format!("edge via `{}` {p}", e.via));
        }
        if e.via.trim().is_empty() {
            err("rules", "an edge has an empty `via`".into());
        }
        for end in e.from.items().iter().chain(e.to.items()) {
            check_endpoint(end, &ids, &groups, &mut |m| {
                err("rules", format!("edge via `{}`: {m}", e.via))
            });
        }
    }
    for g in &pack.gap_defs {
        if let Some(p) = source_problem(&g.source) {
            err("rules", format!("gap `{}` {p}", g.reason));
        }
    }
    for (&(from, to), &g) in &pack.gaps_by_pair {
        if pack.supports(from, to) {
            err(
                "rules",
                format!(
                    "gap `{}` contradicts an edge: {} -> {} is supported",
                    pack.gap_defs[g].reason,
                    pack.service(from).id,
                    pack.service(to).id
                ),
            );
        }
    }

    for a in pack.attributes() {
        check_attribute(a, &mut |m| err("rules/attributes.toml", m));
    }
    out
}

fn check_endpoint(
    end: &str,
    ids: &BTreeSet<&str>,
    groups: &BTreeSet<&str>,
    err: &mut dyn FnMut(String),
) {
    match end.strip_prefix("group:") {
        Some(g) if !groups.contains(g) => err(format!("no service is in group `{g}`")),
        Some(_) => {}
        None if !ids.contains(end) => err(format!("`{end}` is not in the catalog")),
        None => {}
    }
}

fn check_attribute(a: &super::AttributeDef, err: &mut dyn FnMut(String)) {
    match a.ty {
        AttrType::Enum if a.values.is_empty() => {
            err(format!("enum attribute `{}` lists no values", a.name))
        }
        AttrType::Table if a.fields.is_empty() => {
            err(format!("table attribute `{}` has no fields", a.name))
        }
        _ => {}
    }
    if a.ty != AttrType::Table && !a.fields.is_empty() {
        err(format!(
            "attribute `{}` has fields but is not a table",
            a.name
        ));
    }
    for f in &a.fields {
        check_attribute(f, err);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_seed_names() {
        assert!(is_seed_name("004_ec5ece75883298b9.txt"));
        assert!(!is_seed_name("004_ec5ece75883298b.txt"));
        assert!(!is_seed_name("notes.txt"));
        assert!(!is_seed_name("004_ec5ece75883298b9.md"));
    }
}
