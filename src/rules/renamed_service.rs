use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::pack::NameMatch;
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL202",
    name: "renamed-service",
    severity: Severity::Info,
    summary: "a service is written under a former name",
    doc: r#"## What it does
Reports a `kind` (or a name in a chain) that is a service's former name, such
as `elasticsearch` for Amazon OpenSearch Service (renamed on 2021-09-08) or
`kinesis data analytics for apache flink` for Amazon Managed Service for Apache
Flink. The service is still recognised and checked.

## Why is this bad?
AWS documentation, consoles, CloudFormation resources and prices follow the new
name; a design under the old name sends readers to retired pages and mixes up
services that changed with the rename (OpenSearch versions, Flink's new API).

## Example
```toml
[services.search]
kind = "elasticsearch"
```

## How to fix
Write the current id:
```toml
[services.search]
kind = "opensearch"
```"#,
};

pub struct RenamedService;

impl Rule for RenamedService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, svc) in cx.arch.services.iter().enumerate() {
            let Some((kind, NameMatch::Former(r))) = svc.kind.resolved else {
                continue;
            };
            let def = cx.pack.service(kind);
            let rename = &def.renamed_from[r];
            let when = rename.date.map(|d| format!(" on {d}")).unwrap_or_default();
            let mut f = Finding::new(
                &META,
                Subject::Service(i),
                svc.kind.span,
                format!(
                    "`{}` is the former name of {}: {} was renamed{when}",
                    svc.kind.written, def.name, rename.name
                ),
            )
            .label("former name");
            let instead = svc.kind.instead.as_deref().unwrap_or(&def.id);
            let mut help = vec![format!("write `{instead}`")];
            if let Some(hint) = &rename.hint {
                help.push(hint.clone());
            }
            if let Some(url) = rename
                .source
                .items()
                .iter()
                .find(|s| s.starts_with("https://"))
            {
                help.push(format!("see {url}"));
            }
            f = f.help(help.join("; "));
            out.push(f);
        }
    }
}
