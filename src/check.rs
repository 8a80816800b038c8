//! Running the rules over a loaded architecture: context, findings,
//! suppressions, order.

use std::collections::{BTreeSet, HashMap};

use crate::date::Date;
use crate::finding::{Finding, Severity, Subject};
use crate::model::{Allow, Architecture};
use crate::pack::Pack;
use crate::rules::{Context, RULES, UNUSED_ALLOW};
use crate::source::Span;

/// Which rules run, and how.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub today: Date,
    /// Only these rules (names), when set.
    pub select: Option<BTreeSet<&'static str>>,
    pub ignore: BTreeSet<&'static str>,
    /// Ignore every `allow` (audits).
    pub no_allow: bool,
    /// Per-rule severities that replace the defaults.
    pub severities: HashMap<&'static str, Severity>,
}

impl CheckOptions {
    pub fn new(today: Date) -> Self {
        CheckOptions {
            today,
            select: None,
            ignore: BTreeSet::new(),
            no_allow: false,
            severities: HashMap::new(),
        }
    }

    pub fn enabled(&self, rule: &str) -> bool {
        self.select.as_ref().is_none_or(|s| s.contains(rule)) && !self.ignore.contains(rule)
    }
}

/// Runs every enabled rule and applies suppressions; findings come back sorted
/// by position, then code.
pub fn check(arch: &Architecture, pack: &Pack, opts: &CheckOptions) -> Vec<Finding> {
    let cx = Context::new(arch, pack, opts.today);
    let mut raw = Vec::new();
    for rule in RULES {
        if opts.enabled(rule.meta().name) {
            rule.check(&cx, &mut raw);
        }
    }
    let mut findings = if opts.no_allow {
        raw
    } else {
        suppress(arch, raw, opts)
    };
    for f in &mut findings {
        if let Some(&s) = opts.severities.get(f.rule.name) {
            f.severity = s;
        }
    }
    findings.sort_by(|a, b| {
        (a.span.start(), a.rule.code, a.span.end(), &a.message).cmp(&(
            b.span.start(),
            b.rule.code,
            b.span.end(),
            &b.message,
        ))
    });
    findings
}

/// The allows that may silence a finding on this subject: its own, those of the
/// services at either end of a flow, and the file's.
fn allows_for(arch: &Architecture, subject: Subject) -> Vec<&Allow> {
    let mut out: Vec<&Allow> = arch.allow.iter().collect();
    match subject {
        Subject::File => {}
        Subject::Service(s) => out.extend(&arch.services[s].allow),
        Subject::Flow(f) => {
            let flow = &arch.flows[f];
            out.extend(flow.allow());
            for end in [flow.from.service, flow.to.service].into_iter().flatten() {
                out.extend(&arch.services[end].allow);
            }
        }
    }
    out
}

fn suppress(arch: &Architecture, raw: Vec<Finding>, opts: &CheckOptions) -> Vec<Finding> {
    let mut used: BTreeSet<Span> = BTreeSet::new();
    let mut kept = Vec::new();
    for f in raw {
        let hits: Vec<Span> = allows_for(arch, f.subject)
            .into_iter()
            .filter(|a| a.rule == f.rule.name)
            .map(|a| a.span)
            .collect();
        if hits.is_empty() {
            kept.push(f);
        } else {
            used.extend(hits);
        }
    }
    if opts.enabled(UNUSED_ALLOW.name) {
        let all = arch
            .allow
            .iter()
            .map(|a| (a, Subject::File))
            .chain(
                arch.services
                    .iter()
                    .enumerate()
                    .flat_map(|(i, s)| s.allow.iter().map(move |a| (a, Subject::Service(i)))),
            )
            .chain(
                arch.flows
                    .iter()
                    .enumerate()
                    .flat_map(|(i, f)| f.allow().iter().map(move |a| (a, Subject::Flow(i)))),
            );
        for (a, subject) in all {
            // An allow for a rule that did not run is moot, not unused.
            if used.contains(&a.span) || !opts.enabled(a.rule) || a.rule == UNUSED_ALLOW.name {
                continue;
            }
            kept.push(
                Finding::new(
                    &UNUSED_ALLOW,
                    subject,
                    a.span,
                    format!("`allow` of `{}` suppresses nothing", a.rule),
                )
                .label("unused")
                .help("remove it; pass --no-allow to see every finding without suppressions"),
            );
        }
    }
    kept
}
