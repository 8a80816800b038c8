use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL104",
    name: "orphan-service",
    severity: Severity::Warning,
    summary: "a service takes part in no flow",
    doc: r#"## What it does
Reports a declared service that no flow reaches or leaves.

## Why is this bad?
A service outside every flow is either left over from an earlier design or
missing its connections; either way the picture and the checks are incomplete.

## Example
```toml
[pipeline]
flows = ["stream -> delivery"]

[services.stream]
kind = "kinesis-data-streams"

[services.delivery]
kind = "firehose"

[services.archive]
kind = "s3"
```

## How to fix
Connect it (`"stream -> delivery -> archive"`) or remove it."#,
};

pub struct OrphanService;

impl Rule for OrphanService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut connected = vec![false; cx.arch.services.len()];
        for f in &cx.arch.flows {
            for s in [f.from.service, f.to.service].into_iter().flatten() {
                connected[s] = true;
            }
        }
        for (i, svc) in cx.arch.services.iter().enumerate() {
            if connected[i] || svc.implicit {
                continue;
            }
            out.push(
                Finding::new(
                    &META,
                    Subject::Service(i),
                    svc.span,
                    format!("{} is not in any flow", cx.describe(i)),
                )
                .label("no flow reaches or leaves it")
                .help(format!(
                    "connect it in `flows`, e.g. \"{} -> …\", or remove it",
                    svc.id
                )),
            );
        }
    }
}
