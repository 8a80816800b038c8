//! `pipelint cost` output: the infracost-style table, JSON (SPEC §5) and the
//! comparison of two pipelines.

use serde_json::{Value, json};

use crate::cost::{CostItem, CostReport, HOURS_PER_MONTH};
use crate::money::Money;
use crate::numfmt::{number, unit_price};

/// Dollars; null when unpriced or too large to price.
fn cents_json(c: Option<Money>) -> Value {
    c.map_or(Value::Null, Money::to_json)
}

fn show(c: Option<Money>) -> String {
    c.map_or_else(|| "-".into(), |m| m.to_string())
}

fn item_json(service: &str, kind: &str, i: &CostItem) -> Value {
    json!({
        "service": service,
        "kind": kind,
        "component": i.component,
        "quantity": i.quantity,
        "unit": i.unit,
        "unit_price": i.unit_price,
        "monthly": cents_json(i.monthly),
        "estimate": i.estimate,
        "price_as_of": i.as_of.map(|d| d.to_string()),
        "price_source": i.source,
    })
}

/// The cost report as JSON: `{"currency","region","hours_per_month",
/// "total_monthly","items":[...]}` plus per-service totals, what was not
/// priced and the assumptions.
pub fn cost_json(path: &str, r: &CostReport) -> String {
    let items: Vec<Value> = r
        .services
        .iter()
        .flat_map(|s| s.items.iter().map(|i| item_json(&s.service, &s.kind, i)))
        .collect();
    let services: Vec<Value> = r
        .services
        .iter()
        .map(|s| {
            json!({
                "service": s.service,
                "kind": s.kind,
                "monthly": cents_json(s.monthly()),
            })
        })
        .collect();
    let unpriced: Vec<Value> = r
        .services
        .iter()
        .flat_map(|s| {
            s.unpriced.iter().map(|u| {
                let (what, why) = u.split_once(": ").unwrap_or((u.as_str(), ""));
                json!({"service": s.service, "kind": s.kind, "component": what, "reason": why})
            })
        })
        .collect();
    let doc = json!({
        "path": path,
        "name": r.name,
        "currency": "USD",
        "region": r.region,
        "region_priced": r.region_priced,
        "hours_per_month": HOURS_PER_MONTH,
        "total_monthly": cents_json(r.total()),
        "estimate": r.has_estimates(),
        "items": items,
        "services": services,
        "unpriced": unpriced,
        "assumptions": r.assumptions,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// Pads cells to column widths; `right` columns align right.
fn table(rows: &[Vec<String>], right: &[bool]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for r in rows {
        for (c, cell) in r.iter().enumerate() {
            widths[c] = widths[c].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            if c > 0 {
                line.push_str("  ");
            }
            if right.get(c).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The cost report as a table, like `infracost breakdown`.
pub fn cost_table(path: &str, r: &CostReport) -> String {
    let mut out = format!(
        "{} ({path})\nregion {} · USD · {} hours a month\n\n",
        r.name,
        r.region,
        number(HOURS_PER_MONTH)
    );
    if !r.region_priced {
        out.push_str(&format!(
            "The rule pack has no prices for {}: quantities are shown without prices. Pass --region with one of the regions it prices to see those prices (as an estimate for {}).\n\n",
            r.region, r.region
        ));
    }
    let mut rows: Vec<Vec<String>> = vec![vec![
        "Service / component".into(),
        "Monthly qty".into(),
        "Unit".into(),
        "Unit price".into(),
        "Monthly cost".into(),
    ]];
    for s in &r.services {
        if s.items.is_empty() {
            continue;
        }
        rows.push(vec![
            format!("{} ({})", s.service, s.kind),
            String::new(),
            String::new(),
            String::new(),
            show(s.monthly()),
        ]);
        for (n, i) in s.items.iter().enumerate() {
            let branch = if n + 1 == s.items.len() {
                "└─"
            } else {
                "├─"
            };
            rows.push(vec![
                format!("{branch} {}", i.component),
                number(i.quantity),
                i.unit.clone(),
                i.unit_price
                    .map(|p| format!("{}{}", unit_price(p), if i.estimate { "*" } else { "" }))
                    .unwrap_or_else(|| "-".into()),
                show(i.monthly),
            ]);
        }
    }
    rows.push(vec![
        "Total".into(),
        String::new(),
        String::new(),
        String::new(),
        show(r.total()),
    ]);
    out.push_str(&table(&rows, &[false, true, false, true, true]));

    // One line per (kind, unit, note): the estimated prices it covers.
    let mut estimates: Vec<(String, String, Option<String>, Vec<String>)> = Vec::new();
    for s in &r.services {
        for i in s.items.iter().filter(|i| i.estimate) {
            let Some(p) = i.unit_price else { continue };
            let price = unit_price(p);
            match estimates
                .iter_mut()
                .find(|(k, u, n, _)| *k == s.kind && *u == i.unit && *n == i.note)
            {
                Some((_, _, _, prices)) if !prices.contains(&price) => prices.push(price),
                Some(_) => {}
                None => {
                    estimates.push((s.kind.clone(), i.unit.clone(), i.note.clone(), vec![price]))
                }
            }
        }
    }
    let estimates: Vec<String> = estimates
        .into_iter()
        .map(|(kind, unit, note, prices)| {
            format!(
                "{kind}: {} per {unit}{}",
                prices.join(", "),
                note.map(|n| format!(" ({n})")).unwrap_or_default()
            )
        })
        .collect();
    if !estimates.is_empty() {
        out.push_str("\n* Estimated prices, not confirmed against AWS's price list:\n");
        for e in estimates {
            out.push_str(&format!("  - {e}\n"));
        }
    }
    out.push_str("\nAssumptions:\n");
    for a in &r.assumptions {
        out.push_str(&format!("  - {a}\n"));
    }
    let unpriced: Vec<String> = r
        .services
        .iter()
        .flat_map(|s| {
            s.unpriced
                .iter()
                .map(move |u| format!("{} ({}): {u}", s.service, s.kind))
        })
        .collect();
    if !unpriced.is_empty() {
        out.push_str("\nNot priced:\n");
        for u in unpriced {
            out.push_str(&format!("  - {u}\n"));
        }
    }
    out
}

/// Per-service monthly cost of two reports, matched by service id.
fn paired<'a>(
    old: &'a CostReport,
    new: &'a CostReport,
) -> Vec<(String, String, Option<Money>, Option<Money>)> {
    let in_new: std::collections::HashMap<&str, Option<Money>> = new
        .services
        .iter()
        .map(|s| (s.service.as_str(), s.monthly()))
        .collect();
    let in_old: std::collections::HashSet<&str> =
        old.services.iter().map(|s| s.service.as_str()).collect();
    let mut out: Vec<(String, String, Option<Money>, Option<Money>)> = Vec::new();
    for s in &old.services {
        out.push((
            s.service.clone(),
            s.kind.clone(),
            s.monthly(),
            in_new.get(s.service.as_str()).copied().flatten(),
        ));
    }
    for s in &new.services {
        if !in_old.contains(s.service.as_str()) {
            out.push((s.service.clone(), s.kind.clone(), None, s.monthly()));
        }
    }
    out
}

fn diff(a: Option<Money>, b: Option<Money>) -> Option<Money> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(b.unwrap_or(Money::ZERO) - a.unwrap_or(Money::ZERO)),
    }
}

/// The monthly difference per service, like `infracost diff`.
pub fn compare_table(old_path: &str, old: &CostReport, new_path: &str, new: &CostReport) -> String {
    let mut out = format!(
        "Monthly cost change: {old_path} → {new_path}\nregion {} · USD · {} hours a month\n\n",
        new.region,
        number(HOURS_PER_MONTH)
    );
    let mut rows = vec![vec![
        "Service".to_string(),
        "Old".into(),
        "New".into(),
        "Change".into(),
    ]];
    for (service, kind, a, b) in paired(old, new) {
        let d = diff(a, b);
        // Unchanged, or priced in neither file.
        if d.is_none() || (d.is_some_and(Money::is_zero) && a.is_some() && b.is_some()) {
            continue;
        }
        rows.push(vec![
            format!("{service} ({kind})"),
            show(a),
            show(b),
            d.map_or_else(|| "-".into(), Money::change),
        ]);
    }
    let (ta, tb) = (old.total(), new.total());
    rows.push(vec![
        "Total".into(),
        show(ta),
        show(tb),
        diff(ta, tb).map_or_else(|| "-".into(), Money::change),
    ]);
    out.push_str(&table(&rows, &[false, true, true, true]));
    out.push_str("\nServices whose cost did not change are not listed; `pipelint cost FILE` shows each file's breakdown, assumptions and what it could not price.\n");
    out
}

/// The comparison as JSON.
pub fn compare_json(old_path: &str, old: &CostReport, new_path: &str, new: &CostReport) -> String {
    let services: Vec<Value> = paired(old, new)
        .into_iter()
        .map(|(service, kind, a, b)| {
            json!({
                "service": service,
                "kind": kind,
                "old_monthly": cents_json(a),
                "new_monthly": cents_json(b),
                "diff_monthly": cents_json(diff(a, b)),
            })
        })
        .collect();
    let doc = json!({
        "currency": "USD",
        "region": new.region,
        "hours_per_month": HOURS_PER_MONTH,
        "old": {"path": old_path, "name": old.name, "total_monthly": cents_json(old.total())},
        "new": {"path": new_path, "name": new.name, "total_monthly": cents_json(new.total())},
        "diff_monthly": cents_json(diff(old.total(), new.total())),
        "services": services,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
