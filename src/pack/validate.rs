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
    check_knowledge(pack, &ids, &mut |m| err("rules", m));
    out
}

/// Limits, instances and prices: every fact sourced, every name known.
fn check_knowledge(pack: &Pack, ids: &BTreeSet<&str>, err: &mut dyn FnMut(String)) {
    for l in &pack.limits {
        let what = format!("limit `{}` of `{}`", l.limit, l.service);
        if !ids.contains(l.service.as_str()) {
            err(format!("{what}: `{}` is not in the catalog", l.service));
        }
        if let Some(p) = source_problem(&l.source) {
            err(format!("{what} {p}"));
        }
        if !super::lookup::LIMIT_NAMES.contains(&l.limit.as_str()) {
            err(format!(
                "{what}: no rule reads a limit of that name (known: {})",
                super::lookup::LIMIT_NAMES.join(", ")
            ));
        }
        match (l.min, l.max) {
            (None, None) => err(format!("{what} has neither `min` nor `max`")),
            (Some(a), Some(b)) if a > b => err(format!("{what}: `min` is above `max`")),
            _ => {}
        }
        if let (Some(r), Some(m)) = (l.raisable_to, l.max)
            && r < m
        {
            err(format!("{what}: `raisable_to` is below `max`"));
        }
        if l.unit.trim().is_empty() {
            err(format!("{what} has no unit"));
        }
    }
    for s in &pack.instance_services {
        if !ids.contains(s.service.as_str()) {
            err(format!(
                "instance service `{}` is not in the catalog",
                s.service
            ));
        }
        if let Some(p) = source_problem(&s.source) {
            err(format!("instance service `{}` {p}", s.service));
        }
    }
    for c in &pack.instance_classes {
        if let Some(p) = source_problem(&c.source) {
            err(format!("instance class `{}` {p}", c.id));
        }
        for f in &c.suggest {
            match pack.instance_family(f) {
                None => err(format!(
                    "instance class `{}` suggests `{f}`, which is not a family",
                    c.id
                )),
                Some(fam) if fam.class != c.id => err(format!(
                    "instance class `{}` suggests `{f}`, which is of class `{}`",
                    c.id, fam.class
                )),
                Some(_) => {}
            }
        }
    }
    let workload_values: Option<&Vec<String>> = pack.attribute("workload").map(|a| &a.values);
    for w in &pack.workloads {
        if let Some(p) = source_problem(&w.source) {
            err(format!("workload `{}` {p}", w.id));
        }
        if workload_values.is_some_and(|v| !v.contains(&w.id)) {
            err(format!(
                "workload `{}` is not a value of the `workload` attribute",
                w.id
            ));
        }
        if w.classes.is_empty() {
            err(format!("workload `{}` names no class", w.id));
        }
        for c in &w.classes {
            if pack.instance_class(c).is_none() {
                err(format!("workload `{}` names unknown class `{c}`", w.id));
            }
        }
    }
    for f in &pack.instance_families {
        if let Some(p) = source_problem(&f.source) {
            err(format!("instance family `{}` {p}", f.id));
        }
        if pack.instance_class(&f.class).is_none() {
            err(format!(
                "instance family `{}` has unknown class `{}`",
                f.id, f.class
            ));
        }
        match (&f.generation, &f.successor) {
            (super::Generation::Previous, None) => err(format!(
                "previous-generation family `{}` names no successor",
                f.id
            )),
            (_, Some(s)) => match pack.instance_family(s) {
                Some(succ) if succ.generation == super::Generation::Current => {}
                _ => err(format!(
                    "family `{}` names successor `{s}`, which is not a current family",
                    f.id
                )),
            },
            _ => {}
        }
        for t in &f.types {
            if t.name.split_once('.').map(|(fam, _)| fam) != Some(f.id.as_str()) {
                err(format!(
                    "instance type `{}` is not of family `{}`",
                    t.name, f.id
                ));
            }
            if t.vcpu == 0 || t.memory_gib.is_nan() || t.memory_gib <= 0.0 {
                err(format!("instance type `{}` needs vCPUs and memory", t.name));
            }
        }
    }
    for p in &pack.prices {
        let what = format!(
            "price of `{}` {}{} in {}",
            p.service,
            p.component,
            p.item.as_ref().map(|i| format!(" {i}")).unwrap_or_default(),
            p.region
        );
        if !ids.contains(p.service.as_str()) {
            err(format!("{what}: `{}` is not in the catalog", p.service));
        }
        if let Some(problem) = source_problem(&p.source) {
            err(format!("{what} {problem}"));
        }
        if p.unit.trim().is_empty() {
            err(format!("{what} has no unit"));
        }
        if !(p.usd.is_finite() && p.usd >= 0.0) {
            err(format!("{what} is not a price: {}", p.usd));
        }
    }
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
