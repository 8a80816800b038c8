use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::pack::{LifecycleStatus, PhaseDef};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL201",
    name: "deprecated-service",
    severity: Severity::Error,
    summary: "a service is discontinued, at end of life, closed to new customers or in maintenance",
    doc: r#"## What it does
Reads the lifecycle of each service's kind in the rule pack (`rules/services.toml`)
as of today and reports the phase in effect, with its date, AWS's note, the
replacement and the source. Discontinued and end-of-life services are errors;
services closed to new customers or in maintenance are warnings; a phase AWS has
announced for a later date is a warning that names the date.

## Why is this bad?
A pipeline built on a service AWS is retiring stops working, or cannot be
deployed in a new account, on a date the team did not choose. Kinesis Data
Analytics for SQL applications were deleted on 2026-01-27; Amazon Machine
Learning accepts no new users.

## Example
```toml
[pipeline]
flows = ["warehouse -> predictions"]

[services.warehouse]
kind = "redshift"

[services.predictions]
kind = "machine-learning"
```

## How to fix
Move to the replacement the help names (here Amazon SageMaker). If the pipeline
must keep the service for now, record the decision with
`allow = [{ rule = "deprecated-service", reason = "…" }]` on it."#,
};

pub struct DeprecatedService;

fn severity(status: LifecycleStatus) -> Severity {
    if status.is_terminal() {
        Severity::Error
    } else {
        Severity::Warning
    }
}

fn phrase(phase: &PhaseDef, future: bool) -> String {
    let date = phase.date.map(|d| d.to_string());
    match (phase.status, future, date) {
        (s, true, Some(d)) => format!("will be {} on {d}", s.describe()),
        (LifecycleStatus::EndOfLife, false, Some(d)) => format!("reached end of life on {d}"),
        (s, false, Some(d)) => format!("is {} since {d}", s.describe()),
        (s, _, None) => format!("is {}", s.describe()),
    }
}

impl Rule for DeprecatedService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, svc) in cx.arch.services.iter().enumerate() {
            let Some(kind) = svc.kind.kind() else {
                continue;
            };
            let def = cx.pack.service(kind);
            let (current, next) = cx.pack.lifecycle(kind, cx.today);
            let (phase, future) = match (current, next) {
                (Some(p), _) => (p, false),
                (None, Some(p)) => (p, true),
                (None, None) => continue,
            };
            let who = if svc.id == def.id {
                def.name.clone()
            } else {
                format!("`{}` uses {}, which", svc.id, def.name)
            };
            let mut message = format!("{who} {}", phrase(phase, future));
            if let (true, Some(d)) = (future, phase.date) {
                message.push_str(&format!(" (in {} days)", cx.today.days_until(d)));
            }
            if let Some(effect) = &phase.effect {
                message.push_str(&format!(": {effect}"));
            }
            let mut help = Vec::new();
            let replacement = phase.replacement.as_ref().or_else(|| {
                def.lifecycle
                    .iter()
                    .rev()
                    .find_map(|p| p.replacement.as_ref())
            });
            if let Some(r) = replacement.and_then(|r| cx.pack.kind_by_id(r)) {
                let r = cx.pack.service(r);
                help.push(format!("move to {} (`{}`)", r.name, r.id));
            }
            if let (false, Some(n)) = (future, next) {
                help.push(format!("it {}", phrase(n, true)));
            }
            if let Some(url) = phase
                .source
                .items()
                .iter()
                .find(|s| s.starts_with("https://"))
            {
                help.push(format!("see {url}"));
            }
            let sev = if future {
                Severity::Warning
            } else {
                severity(phase.status)
            };
            let mut f = Finding::new(&META, Subject::Service(i), svc.kind.span, message)
                .severity(sev)
                .label(phrase(phase, future));
            if !help.is_empty() {
                f = f.help(help.join("; "));
            }
            out.push(f);
        }
    }
}
