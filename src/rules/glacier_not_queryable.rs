use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::flowgraph::lake_sources;
use crate::model::{Attr, Service};
use crate::pack::{Pack, StorageClassDef};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL502",
    name: "glacier-not-queryable",
    severity: Severity::Error,
    summary: "a query engine reads S3 data kept in an archived Glacier storage class",
    doc: r#"## What it does
Finds Athena, Redshift Spectrum and EMR reading an S3 store whose
`storage_class` is archived — S3 Glacier Flexible Retrieval or S3 Glacier Deep
Archive (`rules/lake.toml`, `[[storage_class]]`). A store counts as read when a
flow goes from it to the engine, or when its tables reach the engine through a
crawler or the Data Catalog.

## Why is this bad?
Archived objects are not accessible in real time: a temporary copy has to be
restored first, which takes minutes to hours. Athena silently skips them, so
queries return partial results; other engines fail to read them. S3 Glacier
Instant Retrieval is not archived and is read in milliseconds, so it is not
reported.

## Example
```toml
[pipeline]
flows = ["archive -> glue-data-catalog -> query", "archive -> query"]

[services.archive]
kind = "s3"
storage_class = "glacier-deep-archive"

[services.query]
kind = "athena"
```

## How to fix
Keep the data you query in a class that is read in place (`standard`,
`intelligent-tiering`, `standard-ia`, `one-zone-ia` or `glacier-ir`) and archive
older partitions only; or restore the objects before querying them (Athena also
needs `read_restored_glacier_objects = true` on the table)."#,
};

pub struct GlacierNotQueryable;

/// The archived storage class a store declares, with the attribute.
pub fn archived_class<'p, 's>(
    pack: &'p Pack,
    store: &'s Service,
) -> Option<(&'p StorageClassDef, &'s Attr)> {
    let attr = store.attr("storage_class")?;
    let class = pack.storage_class(attr.as_str()?)?;
    (!class.queryable).then_some((class, attr))
}

impl Rule for GlacierNotQueryable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for r in 0..cx.arch.services.len() {
            let Some(k) = cx.kind(r) else { continue };
            let Some(engine) = cx.pack.query_engine(k) else {
                continue;
            };
            let graph = cx.graph();
            for src in lake_sources(cx.arch, cx.pack, graph, r) {
                let store = &cx.arch.services[src.store];
                let Some((class, attr)) = archived_class(cx.pack, store) else {
                    continue;
                };
                let queryable: Vec<String> = cx
                    .pack
                    .lake
                    .storage_classes
                    .iter()
                    .filter(|c| c.queryable)
                    .map(|c| format!("`{}`", c.id))
                    .collect();
                let page = class
                    .source
                    .items()
                    .iter()
                    .find(|s| s.contains("athena"))
                    .or_else(|| class.source.items().first())
                    .cloned()
                    .unwrap_or_default();
                let subject = src.flow.map_or(Subject::Service(src.store), Subject::Flow);
                let mut finding = Finding::new(
                    &META,
                    subject,
                    attr.span,
                    format!(
                        "{} cannot query {}: {} objects are archived",
                        cx.describe(r),
                        cx.describe(src.store),
                        class.name
                    ),
                )
                .label("archived: restore before reading")
                .help(format!(
                    "{} {}; keep the data it queries in a class read in place ({}) and archive \
                     only what nobody queries, or restore the objects first; see {page}",
                    cx.pack.service(k).name,
                    engine.archived,
                    queryable.join(", ")
                ));
                if let Some(f) = src.flow {
                    finding = finding.related(cx.arch.flows[f].arrow, "queried here");
                }
                out.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::service;

    fn store(class: Option<&str>) -> Service {
        service("s3", class.map(|c| ("storage_class", c)).as_slice())
    }

    #[test]
    fn only_archived_classes_are_reported() {
        let pack = Pack::embedded();
        for c in ["glacier-flexible", "glacier-deep-archive"] {
            assert!(archived_class(pack, &store(Some(c))).is_some(), "{c}");
        }
        // Glacier Instant Retrieval is archival storage read in milliseconds.
        for c in [
            "glacier-ir",
            "standard",
            "standard-ia",
            "one-zone-ia",
            "intelligent-tiering",
        ] {
            assert!(archived_class(pack, &store(Some(c))).is_none(), "{c}");
        }
        assert!(archived_class(pack, &store(None)).is_none());
    }
}
