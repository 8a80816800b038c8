use super::{Rule, RuleMeta, Severity};
use crate::finding::Finding;
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL901",
    name: "unused-allow",
    severity: Severity::Warning,
    summary: "an `allow` suppresses nothing",
    doc: r#"## What it does
Reports an `allow` entry (on a service, a `[[flow]]` or `[pipeline]`) that
silenced no finding in this run. Allows of rules that did not run (deselected
with `--select`/`--ignore`) are not reported.

## Why is this bad?
A stale suppression hides the next real finding of that rule on the same service
without anyone deciding to accept it.

## Example
```toml
[services.lake]
kind = "s3"
allow = ["deprecated-service"]   # S3 is not deprecated
```

## How to fix
Remove the entry. To see everything that suppressions hide, run
`pipelint check --no-allow`."#,
};

/// The mechanism lives in the suppression pass of `check`, which alone knows
/// which allows were used; this rule only carries the metadata.
pub struct UnusedAllow;

impl Rule for UnusedAllow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}
}
