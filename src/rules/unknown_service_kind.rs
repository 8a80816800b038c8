use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::rules::Context;
use crate::suggest::closest;

pub static META: RuleMeta = RuleMeta {
    code: "PL101",
    name: "unknown-service-kind",
    severity: Severity::Error,
    summary: "a service's `kind` is not in the catalog",
    doc: r#"## What it does
Checks that every service's `kind` names a service in the catalog, by id, name
or alias (`pipelint services` lists them).

## Why is this bad?
pipelint cannot check flows, lifecycle, capacity or cost of a service it does
not know: every rule that needs the kind skips it, so a typo would hide problems.

## Example
```toml
[services.events]
kind = "kinesys"
```

## How to fix
Use a catalog id or alias; the help names the closest ones:
```toml
[services.events]
kind = "kinesis-data-streams"
```
For a system the catalog lacks, add it to a rule pack of your own
(`--rules DIR`)."#,
};

pub struct UnknownServiceKind;

impl Rule for UnknownServiceKind {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, svc) in cx.arch.services.iter().enumerate() {
            if svc.kind.resolved.is_some() {
                continue;
            }
            let written = crate::pack::normalize(&svc.kind.written);
            let near = closest(&written, cx.pack.names().map(|(n, _)| n), 3);
            // Several names may point at one kind: show each kind once.
            let mut ids: Vec<&str> = Vec::new();
            for n in near {
                if let Some((k, _)) = cx.pack.resolve(n) {
                    let id = cx.pack.service(k).id.as_str();
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            let help = match ids.as_slice() {
                [] => "`pipelint services` lists the catalog".to_string(),
                [one] => format!("did you mean `{one}`?"),
                many => format!(
                    "did you mean one of {}?",
                    many.iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            out.push(
                Finding::new(
                    &META,
                    Subject::Service(i),
                    svc.kind.span,
                    format!("unknown service kind `{}`", svc.kind.written),
                )
                .label("not in the catalog")
                .help(help),
            );
        }
    }
}
