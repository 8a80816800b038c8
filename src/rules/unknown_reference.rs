use toml_writer::ToTomlKey;

use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::rules::Context;
use crate::suggest::did_you_mean;

pub static META: RuleMeta = RuleMeta {
    code: "PL102",
    name: "unknown-reference",
    severity: Severity::Error,
    summary: "a flow names neither a declared service nor a catalog kind",
    doc: r#"## What it does
Checks that every name in `flows` (and every `from`/`to` of a `[[flow]]`) is the
id of a `[services.ID]` table or a catalog kind or alias, which creates an
implicit service of that kind.

## Why is this bad?
A flow to a name nobody declared is usually a typo; the flow cannot be checked
and the service it meant is left unconnected.

## Example
```toml
[pipeline]
flows = ["lake -> lakehouse"]

[services.lake]
kind = "s3"
```

## How to fix
Declare the service, fix the spelling, or use a catalog name:
```toml
[pipeline]
flows = ["lake -> Athena"]
```"#,
};

pub struct UnknownReference;

impl Rule for UnknownReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let declared: Vec<&str> = cx.arch.services.iter().map(|s| s.id.as_str()).collect();
        let mut seen = std::collections::BTreeSet::new();
        for (i, flow) in cx.arch.flows.iter().enumerate() {
            for end in [&flow.from, &flow.to] {
                // A name in the middle of a chain belongs to two flows: report it once.
                if end.service.is_some() || !seen.insert(end.span) {
                    continue;
                }
                let help = did_you_mean(&end.name, declared.iter().copied())
                    .map(|d| format!("did you mean the service `{d}`?"))
                    .or_else(|| {
                        let norm = crate::pack::normalize(&end.name);
                        did_you_mean(&norm, cx.pack.names().map(|(n, _)| n)).and_then(|n| {
                            cx.pack.resolve(n).map(|(k, _)| {
                                format!(
                                    "did you mean the catalog kind `{}`?",
                                    cx.pack.service(k).id
                                )
                            })
                        })
                    })
                    .unwrap_or_else(|| {
                        format!(
                            "declare it as [services.{}] with a `kind`",
                            end.name.to_toml_key()
                        )
                    });
                out.push(
                    Finding::new(
                        &META,
                        Subject::Flow(i),
                        end.span,
                        format!(
                            "`{}` is neither a declared service nor a catalog kind",
                            end.name
                        ),
                    )
                    .label("unknown name")
                    .help(help),
                );
            }
        }
    }
}
