use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::flowgraph::lake_sources;
use crate::pack::QueryEngineDef;
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL501",
    name: "athena-without-catalog",
    severity: Severity::Warning,
    summary: "a query engine reads S3 data but no data catalog is in the pipeline",
    doc: r#"## What it does
Finds query engines that read files in S3 — Athena, Redshift Spectrum, and EMR
running Hive, Presto or Trino (`rules/lake.toml`, `[[query_engine]]`) — in a
pipeline with no AWS Glue Data Catalog, Glue crawler or Lake Formation in it.

## Why is this bad?
These engines query tables, not buckets. Athena and Redshift Spectrum read each
table's schema and S3 location from a data catalog; Hive on EMR keeps its
metastore on the cluster's primary node by default, and loses it when the
cluster terminates. Without a catalog the design has nowhere to keep its tables.

## Example
```toml
[pipeline]
flows = ["lake -> query"]

[services.lake]
kind = "s3"

[services.query]
kind = "athena"
```

## How to fix
Put the catalog in the pipeline, usually with a crawler that keeps it current:
```toml
[pipeline]
flows = ["lake -> glue-crawler -> glue-data-catalog -> query", "lake -> query"]
```"#,
};

pub struct AthenaWithoutCatalog;

/// Whether an engine needs a catalog for the workload it runs.
pub fn needs_catalog(engine: &QueryEngineDef, workload: Option<&str>) -> bool {
    engine.needs_catalog
        || workload.is_some_and(|w| engine.needs_catalog_for.iter().any(|n| n == w))
}

impl Rule for AthenaWithoutCatalog {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let has_catalog = cx.arch.services.iter().any(|s| {
            s.kind
                .kind()
                .is_some_and(|k| cx.pack.is_catalog_provider(k))
        });
        if has_catalog {
            return;
        }
        for (r, svc) in cx.arch.services.iter().enumerate() {
            let Some(engine) = cx.kind(r).and_then(|k| cx.pack.query_engine(k)) else {
                continue;
            };
            let workload = svc.text("workload");
            if !needs_catalog(engine, workload) {
                continue;
            }
            let graph = cx.graph();
            let sources = lake_sources(cx.arch, cx.pack, graph, r);
            let Some(first) = sources.first() else {
                continue;
            };
            let store = &cx.arch.services[first.store];
            let verb = match workload {
                Some(w) if !engine.needs_catalog => format!("runs `{w}` over"),
                _ => "reads".to_string(),
            };
            let mut finding = Finding::new(
                &META,
                Subject::Service(r),
                svc.span,
                format!(
                    "{} {verb} {} but no data catalog is in the pipeline",
                    cx.describe(r),
                    cx.describe(first.store)
                ),
            )
            .label("no table definitions to query")
            .help(format!(
                "{}; add one to the flows, e.g. \"{} -> glue-crawler -> glue-data-catalog -> {}\"",
                engine.catalog_why.as_deref().unwrap_or("it queries tables"),
                store.id,
                svc.id
            ));
            if let Some(f) = first.flow {
                finding = finding.related(cx.arch.flows[f].arrow, "reads S3 here");
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Pack;

    fn engine(id: &str) -> &'static QueryEngineDef {
        let pack = Pack::embedded();
        let k = pack.kind_by_id(id).expect("a kind");
        pack.query_engine(k).expect("a query engine")
    }

    #[test]
    fn which_engines_need_a_catalog() {
        assert!(needs_catalog(engine("athena"), None));
        assert!(needs_catalog(engine("redshift-spectrum"), Some("spark")));
        // EMR only for table-based engines: Spark reads s3:// paths directly.
        let emr = engine("emr");
        assert!(needs_catalog(emr, Some("hive")));
        assert!(needs_catalog(emr, Some("presto")));
        assert!(!needs_catalog(emr, Some("spark")));
        assert!(!needs_catalog(emr, None));
        assert!(!needs_catalog(engine("emr-serverless"), Some("hive")));
    }
}
