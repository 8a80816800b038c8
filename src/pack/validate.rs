//! The pack checks itself: every id known, every fact sourced, no alias
//! ambiguous (checked while indexing), no gap contradicting an edge.

use std::collections::BTreeSet;

use super::{AttrType, LatencyUnit, Layout, OneOrMany, Pack, PackError, Scalar};

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
    validate_lake(pack, &ids, &mut |m| err("rules", m));
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
        if let Some(d) = l.default
            && (l.min.is_some_and(|m| d < m) || l.max.is_some_and(|m| d > m))
        {
            err(format!("{what}: `default` is outside `min`..`max`"));
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
        for f in s
            .unsupported_families
            .iter()
            .chain(&s.previous_families)
            .chain(&s.current_families)
        {
            if !pack.families.contains_key(f) {
                err(format!(
                    "instance service `{}` names unknown family `{f}`",
                    s.service
                ));
            }
        }
        if let Some(c) = &s.catalog
            && !pack.instance_catalogs.iter().any(|d| &d.service == c)
        {
            err(format!(
                "instance service `{}` reads catalog `{c}`, which no [[instance_catalog]] defines",
                s.service
            ));
        }
        if !pack
            .attribute(&s.attribute)
            .is_some_and(|a| a.ty == AttrType::String)
        {
            err(format!(
                "instance service `{}`: `{}` is not a string attribute",
                s.service, s.attribute
            ));
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
        if let Some(s) = &f.arm_successor
            && !pack
                .instance_family(s)
                .is_some_and(|succ| succ.generation == super::Generation::Current)
        {
            err(format!(
                "family `{}` names Arm successor `{s}`, which is not a current family",
                f.id
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
    for l in &pack.family_lists {
        let what = format!("family list `{}`", l.families.join(", "));
        if let Some(p) = source_problem(&l.source) {
            err(format!("{what} {p}"));
        }
        if let Some(c) = &l.class
            && pack.instance_class(c).is_none()
        {
            err(format!("{what} has unknown class `{c}`"));
        }
        for (f, succ) in &l.successors {
            if !l.families.contains(f) {
                err(format!(
                    "{what}: a successor for `{f}`, which it does not list"
                ));
            }
            if !pack
                .instance_family(succ)
                .is_some_and(|s| s.generation == super::Generation::Current)
            {
                err(format!(
                    "{what}: successor `{succ}` of `{f}` is not a current family with shapes"
                ));
            }
        }
    }
    for c in &pack.instance_catalogs {
        if !ids.contains(c.service.as_str()) {
            err(format!(
                "instance catalog `{}` is not a service in the catalog",
                c.service
            ));
        }
        if let Some(p) = source_problem(&c.source) {
            err(format!("instance catalog `{}` {p}", c.service));
        }
    }
    for p in &pack.prices {
        match (p.retention_over_hours, p.retention_up_to_hours) {
            (None, Some(_)) => err(format!(
                "price of `{}` {} has `retention_up_to_hours` without `retention_over_hours`",
                p.service, p.component
            )),
            (Some(a), Some(b)) if a >= b => err(format!(
                "price of `{}` {}: its retention band is empty",
                p.service, p.component
            )),
            _ => {}
        }
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
    for (alias, value) in &a.aliases {
        if a.ty != AttrType::Enum {
            err(format!(
                "attribute `{}` has aliases but is not an enum",
                a.name
            ));
            break;
        }
        if !a.values.contains(value) {
            err(format!(
                "attribute `{}`: alias `{alias}` names `{value}`, which is not one of its values",
                a.name
            ));
        }
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

/// The attribute a service takes, by name.
fn taken<'a>(pack: &'a Pack, service: &str, attr: &str) -> Option<&'a super::AttributeDef> {
    let s = pack.services.iter().find(|s| s.id == service)?;
    if s.attributes.iter().any(|a| a == attr) {
        pack.attribute(attr)
    } else {
        None
    }
}

fn unit_fits(unit: LatencyUnit, ty: AttrType) -> bool {
    match unit {
        LatencyUnit::Schedule => ty == AttrType::String,
        _ => matches!(ty, AttrType::Integer | AttrType::Number),
    }
}

/// Checks the latency, data-lake and scan-price sections.
fn validate_lake(pack: &Pack, ids: &BTreeSet<&str>, err: &mut dyn FnMut(String)) {
    let lake = &pack.lake;
    let known = |what: &str, id: &str, err: &mut dyn FnMut(String)| {
        if !ids.contains(id) {
            err(format!("{what} names `{id}`, which is not in the catalog"));
        }
    };

    let mut unconditional: BTreeSet<&str> = BTreeSet::new();
    for d in &lake.latency {
        let who = format!("latency of `{}`", d.service);
        known("a latency", &d.service, err);
        if let Some(p) = source_problem(&d.source) {
            err(format!("{who} {p}"));
        }
        if unconditional.contains(d.service.as_str()) {
            err(format!(
                "{who}: an entry follows one without `when`, so it never applies"
            ));
        }
        match (&d.typical, &d.attribute) {
            (Some(_), None) | (None, Some(_)) => {}
            _ => err(format!(
                "{who}: give exactly one of `typical` and `attribute`"
            )),
        }
        if d.typical.is_some() && (d.unit.is_some() || d.default.is_some() || d.lower.is_some()) {
            err(format!(
                "{who}: `unit`, `default` and `lower` go with `attribute`, not `typical`"
            ));
        }
        if let Some(a) = &d.attribute {
            match (taken(pack, &d.service, a), d.unit) {
                (None, _) => err(format!("{who}: `{}` does not take `{a}`", d.service)),
                (_, None) => err(format!("{who}: `attribute` needs a `unit`")),
                (Some(def), Some(u)) if !unit_fits(u, def.ty) => err(format!(
                    "{who}: unit {u:?} does not fit `{a}`, which is {}",
                    def.ty.describe()
                )),
                _ => {}
            }
            if d.lower.is_some() && d.unit == Some(LatencyUnit::Schedule) {
                err(format!("{who}: `lower` needs a numeric attribute"));
            }
        }
        if let Some(l) = &d.lower
            && !l.contains("{allowed}")
        {
            err(format!("{who}: `lower` must say `{{allowed}}`"));
        }
        for add in &d.add {
            match taken(pack, &d.service, &add.attribute) {
                None => err(format!(
                    "{who}: `{}` does not take `{}`",
                    d.service, add.attribute
                )),
                Some(def) if !unit_fits(add.unit, def.ty) || add.unit == LatencyUnit::Schedule => {
                    err(format!(
                        "{who}: unit {:?} does not fit `{}`",
                        add.unit, add.attribute
                    ))
                }
                _ => {}
            }
        }
        match &d.when {
            None => {
                unconditional.insert(&d.service);
            }
            Some(w) => {
                for t in &w.to {
                    known("a latency condition", t, err);
                }
                if w.attribute.is_none() && w.edge.is_none() && w.to.is_empty() {
                    err(format!("{who}: `when` names no condition"));
                }
                if w.attribute.is_none() && (!w.is.is_empty() || w.or_absent) {
                    err(format!("{who}: `is` and `or_absent` need an `attribute`"));
                }
                if let Some(a) = &w.attribute {
                    match taken(pack, &d.service, a) {
                        None => err(format!("{who}: `{}` does not take `{a}`", d.service)),
                        Some(def) => {
                            if w.is.is_empty() {
                                err(format!("{who}: `when` on `{a}` lists no values in `is`"));
                            }
                            for v in &w.is {
                                let fits = match (v, def.ty) {
                                    (Scalar::Bool(_), AttrType::Boolean) => true,
                                    (Scalar::Int(_), AttrType::Integer) => true,
                                    (Scalar::Text(t), AttrType::Enum) => def.values.contains(t),
                                    (Scalar::Text(_), AttrType::String) => true,
                                    _ => false,
                                };
                                if !fits {
                                    err(format!("{who}: `{v:?}` is not a value of `{a}`"));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    let enum_values = |attr: &str| -> Vec<String> {
        pack.attribute(attr)
            .map(|a| a.values.clone())
            .unwrap_or_default()
    };
    let classes = enum_values("storage_class");
    for c in &lake.storage_classes {
        if let Some(p) = source_problem(&c.source) {
            err(format!("storage class `{}` {p}", c.id));
        }
        if !classes.contains(&c.id) {
            err(format!(
                "storage class `{}` is not a value of `storage_class`",
                c.id
            ));
        }
    }
    for v in &classes {
        if pack.storage_class(v).is_none() {
            err(format!(
                "`storage_class` value `{v}` has no `[[storage_class]]` entry"
            ));
        }
    }
    let mut formats = enum_values("format");
    formats.extend(enum_values("output_format"));
    for f in &lake.file_formats {
        if let Some(p) = source_problem(&f.source) {
            err(format!("file format `{}` {p}", f.id));
        }
        if !formats.contains(&f.id) {
            err(format!(
                "file format `{}` is not a value of `format` or `output_format`",
                f.id
            ));
        }
        if let Some(r) = f.scan_reduction
            && (f.layout != Layout::Columnar || !(r > 0.0 && r < 1.0))
        {
            err(format!(
                "file format `{}`: `scan_reduction` is a share between 0 and 1, for a columnar format",
                f.id
            ));
        }
    }
    let workloads = enum_values("workload");
    for q in &lake.query_engines {
        known("a query engine", &q.service, err);
        if let Some(p) = source_problem(&q.source) {
            err(format!("query engine `{}` {p}", q.service));
        }
        if !q.needs_catalog_for.is_empty() && taken(pack, &q.service, "workload").is_none() {
            err(format!(
                "query engine `{}` has `needs_catalog_for` but takes no `workload`",
                q.service
            ));
        }
        for w in &q.needs_catalog_for {
            if !workloads.contains(w) {
                err(format!(
                    "query engine `{}`: `{w}` is not a value of `workload`",
                    q.service
                ));
            }
        }
        if (q.needs_catalog || !q.needs_catalog_for.is_empty()) && q.catalog_why.is_none() {
            err(format!(
                "query engine `{}` needs a catalog but gives no `catalog_why`",
                q.service
            ));
        }
    }
    for c in &lake.catalog_providers {
        known("a catalog provider", &c.service, err);
        if let Some(p) = source_problem(&c.source) {
            err(format!("catalog provider `{}` {p}", c.service));
        }
    }
    for c in &lake.format_conversions {
        let who = format!("format conversion of `{}`", c.service);
        known("a format conversion", &c.service, err);
        known("a format conversion", &c.needs, err);
        if let Some(p) = source_problem(&c.source) {
            err(format!("{who} {p}"));
        }
        match taken(pack, &c.service, &c.attribute) {
            None => err(format!(
                "{who}: `{}` does not take `{}`",
                c.service, c.attribute
            )),
            Some(def) => {
                for f in &c.formats {
                    if !def.values.contains(f) {
                        err(format!("{who}: `{f}` is not a value of `{}`", c.attribute));
                    }
                }
            }
        }
    }
    for c in &lake.known_cycles {
        known("a known cycle", &c.store, err);
        for t in &c.through {
            known("a known cycle", t, err);
        }
        if let Some(p) = source_problem(&c.source) {
            err(format!("known cycle via `{}` {p}", c.via));
        }
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
