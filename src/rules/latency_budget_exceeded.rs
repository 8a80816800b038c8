use std::borrow::Cow;
use std::time::Duration;

use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::latency::{HopLatency, LatencyModel, PathEstimate, allowed_value, format_duration};
use crate::model::ServiceIx;
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL601",
    name: "latency-budget-exceeded",
    severity: Severity::Error,
    summary: "the slowest path takes longer than `max_latency`",
    doc: r#"## What it does
Estimates how long data takes from each source to each sink with the latency
model (`rules/latency.toml`): a Firehose stream holds records for its buffer
interval (`buffer_seconds`, 300 s by default), a Kinesis data stream reaches a
polling consumer in about 200 ms and an enhanced fan-out consumer in about 70
ms, S3 event notifications take seconds, scheduled Glue jobs and crawlers run
at most every 5 minutes. A `latency` on a service replaces its estimate.

With `max_latency` in `[pipeline]`, reports the slowest path when it takes
longer, naming each hop's share, the hop that dominates and what would bring
it within the budget. A `max_latency` on a `[[flow]]` is a budget for that one
hop: the time data spends in `from` before it reaches `to`. Without a budget
nothing is reported; `pipelint check --explain-latency` shows the estimates.

## Why is this bad?
"Real time" and "near real time" are different architectures. A dashboard
promised within a second cannot be fed through a service that buffers for
minutes; the design has to change, not the configuration.

## Example
```toml
[pipeline]
max_latency = "1s"
flows = ["clicks -> delivery -> lake"]

[services.clicks]
kind = "kinesis-data-streams"

[services.delivery]
kind = "firehose"

[services.lake]
kind = "s3"
```

## How to fix
Change the hop the help names — here lower `buffer_seconds`, or read the
stream with a Lambda consumer instead of Firehose — or, if the budget was
wrong, raise `max_latency`."#,
};

pub struct LatencyBudgetExceeded;

/// Whether an estimate breaks a budget (a path exactly at the budget fits).
pub fn exceeds(total: Duration, budget: Duration) -> bool {
    total > budget
}

/// What to change in the hop that dominates: lower its attribute as far as
/// the budget needs, or replace it.
pub fn advice(hop: &HopLatency<'_>, budget: Duration, total: Duration) -> String {
    let rest = total.saturating_sub(hop.latency);
    let mut parts = Vec::new();
    if let Some(def) = hop.def {
        if let (Some(lower), Some(unit)) = (&def.lower, def.unit)
            && let Some(v) = allowed_value(budget, total, hop.latency, unit)
            && v >= 1
        {
            parts.push(lower.replace("{allowed}", &v.to_string()));
        }
        if let Some(instead) = &def.instead {
            parts.push(instead.clone());
        }
    } else if hop.attribute.is_some_and(|(name, _)| name == "latency") {
        parts.push(
            "the `latency` given for it is the figure to beat: a faster service is needed".into(),
        );
    }
    if parts.is_empty() {
        parts.push("make it faster, or take it off this path".into());
    }
    let mut text = parts.join(", or ");
    if rest > budget {
        text.push_str(&format!(
            "; the other hops alone take {}, so they have to change too",
            format_duration(rest)
        ));
    }
    text
}

/// "`delivery` (firehose) 300 s: buffer interval, `buffer_seconds` = 300".
fn hop_line(cx: &Context<'_>, s: ServiceIx, hop: &HopLatency<'_>) -> String {
    let estimate = if hop.estimate { ", an estimate" } else { "" };
    format!(
        "{} {}: {}{estimate}",
        cx.describe(s),
        format_duration(hop.latency),
        hop.basis
    )
}

/// Each modelled hop's share, then the hops without an estimate; on a path of
/// more than 12 modelled hops, the five largest and the sum of the others.
fn hops_text(cx: &Context<'_>, services: &[ServiceIx], hops: &[HopLatency<'_>]) -> String {
    let mut modelled: Vec<(usize, &HopLatency<'_>)> = hops
        .iter()
        .enumerate()
        .filter(|(_, h)| h.modelled)
        .collect();
    let mut rest = None;
    if modelled.len() > 12 {
        // Largest first, the first of equals first; then back in path order.
        modelled.sort_by(|a, b| b.1.latency.cmp(&a.1.latency).then(a.0.cmp(&b.0)));
        let others = modelled.split_off(5);
        let sum = others
            .iter()
            .fold(Duration::ZERO, |acc, (_, h)| acc.saturating_add(h.latency));
        rest = Some(format!(
            "{} more hops add {}",
            others.len(),
            format_duration(sum)
        ));
        modelled.sort_by_key(|(i, _)| *i);
    }
    let mut parts: Vec<String> = modelled
        .iter()
        .map(|&(i, h)| hop_line(cx, services[i], h))
        .collect();
    parts.extend(rest);
    let unmodelled: Vec<String> = services
        .iter()
        .zip(hops)
        .filter(|(_, h)| !h.modelled)
        .map(|(&s, _)| format!("`{}`", cx.arch.services[s].id))
        .collect();
    if !unmodelled.is_empty() {
        parts.push(format!(
            "no estimate for {} (counted as 0)",
            unmodelled.join(", ")
        ));
    }
    parts.join("; ")
}

/// "a → b → c"; a path of more than 12 services shows its first and last five.
fn path_names(cx: &Context<'_>, path: &PathEstimate<'_>) -> String {
    let names: Vec<&str> = path
        .services
        .iter()
        .map(|&s| cx.arch.services[s].id.as_str())
        .collect();
    if names.len() <= 12 {
        return names.join(" → ");
    }
    format!(
        "{} → … {} more … → {}",
        names[..5].join(" → "),
        names.len() - 10,
        names[names.len() - 5..].join(" → ")
    )
}

impl Rule for LatencyBudgetExceeded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let flow_budgets = cx.arch.flows.iter().any(|f| f.max_latency().is_some());
        if cx.arch.max_latency.is_none() && !flow_budgets {
            return;
        }
        let model = LatencyModel::with_graph(cx.arch, cx.pack, Cow::Borrowed(cx.graph()));
        if let Some((budget, span)) = cx.arch.max_latency
            && let Some(path) = model.slowest()
            && exceeds(path.total, budget)
            && let Some(d) = path.dominant()
        {
            let dom = path.services[d];
            let hop = &path.hops[d];
            let at = hop
                .attribute
                .map_or(cx.arch.services[dom].span, |(_, span)| span);
            out.push(
                Finding::new(
                    &META,
                    Subject::File,
                    span,
                    format!(
                        "path `{}` takes {}, over the `max_latency` of {}; {} adds {}",
                        path_names(cx, &path),
                        format_duration(path.total),
                        format_duration(budget),
                        cx.describe(dom),
                        format_duration(hop.latency)
                    ),
                )
                .label(format!("budget {}", format_duration(budget)))
                .related(at, format!("adds {}", format_duration(hop.latency)))
                .help(format!(
                    "{}; change `{}`: {}",
                    hops_text(cx, &path.services, &path.hops),
                    cx.arch.services[dom].id,
                    advice(hop, budget, path.total)
                )),
            );
        }
        for (i, flow) in cx.arch.flows.iter().enumerate() {
            let Some((budget, span)) = flow.max_latency() else {
                continue;
            };
            let Some(hop) = model.flow_hop(i) else {
                continue;
            };
            if !exceeds(hop.latency, budget) {
                continue;
            }
            let Some(from) = flow.from.service else {
                continue;
            };
            let at = hop
                .attribute
                .map_or(cx.arch.services[from].span, |(_, span)| span);
            out.push(
                Finding::new(
                    &META,
                    Subject::Flow(i),
                    span,
                    format!(
                        "{} holds data for {} before `{}` has it, over this flow's `max_latency` of {}",
                        cx.describe(from),
                        format_duration(hop.latency),
                        flow.to.name,
                        format_duration(budget)
                    ),
                )
                .label(format!("budget {}", format_duration(budget)))
                .related(at, format!("adds {}", format_duration(hop.latency)))
                .help(format!(
                    "{}; change `{}`: {}",
                    hops_text(cx, &[from], std::slice::from_ref(&hop)),
                    cx.arch.services[from].id,
                    advice(&hop, budget, hop.latency)
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Pack;

    #[test]
    fn a_path_at_the_budget_fits_and_one_millisecond_over_does_not() {
        let ms = Duration::from_millis;
        assert!(!exceeds(ms(1000), ms(1000)));
        assert!(exceeds(ms(1001), ms(1000)));
        assert!(!exceeds(Duration::ZERO, Duration::ZERO));
    }

    #[test]
    fn advice_lowers_the_buffer_as_far_as_the_budget_needs() {
        let pack = Pack::embedded();
        let firehose = pack.kind_by_id("firehose").expect("firehose");
        let def = pack
            .latency(firehose)
            .find(|d| d.when.is_none())
            .expect("the default firehose latency");
        let hop = HopLatency {
            latency: Duration::from_secs(300),
            modelled: true,
            estimate: false,
            basis: String::new(),
            def: Some(def),
            attribute: None,
        };
        let ms = Duration::from_millis;
        // 0.8 s left for the buffer: not a whole second, and zero buffering
        // still takes seconds, so only the alternative is offered.
        let a = advice(&hop, ms(1000), ms(300_200));
        assert!(a.starts_with("read the records where they arrive"), "{a}");
        assert!(a.contains("Lambda consumer"), "{a}");
        // 60 s left: 60 fits, 61 would not.
        let a = advice(&hop, ms(60_200), ms(300_200));
        assert!(
            a.starts_with("lower `buffer_seconds` to at most 60, or read"),
            "{a}"
        );
        let a = advice(&hop, ms(1200), ms(300_200));
        assert!(
            a.starts_with("lower `buffer_seconds` to at most 1, or"),
            "{a}"
        );
        // The rest of the path alone is over: no buffer fits.
        let a = advice(&hop, ms(100), ms(300_200));
        assert!(!a.contains("lower"), "{a}");
        assert!(
            a.ends_with("the other hops alone take 200 ms, so they have to change too"),
            "{a}"
        );
    }
}
