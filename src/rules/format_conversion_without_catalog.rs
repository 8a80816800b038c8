use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::model::Service;
use crate::pack::{FormatConversionDef, Pack};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL504",
    name: "format-conversion-without-catalog",
    severity: Severity::Error,
    summary: "records converted to Parquet or ORC have no Glue Data Catalog table for their schema",
    doc: r#"## What it does
Finds a Firehose stream with `output_format = "parquet"` or `"orc"` in a
pipeline with no AWS Glue Data Catalog (or a crawler or Lake Formation, which
keep tables in it). The conversions and what they need are data
(`rules/lake.toml`, `[[format_conversion]]`).

## Why is this bad?
Firehose converts JSON records to Parquet or ORC with the column information of
a Glue Data Catalog table: the schema configuration is required when conversion
is enabled, so the stream cannot be created without the table.

## Example
```toml
[pipeline]
flows = ["clicks -> delivery -> lake"]

[services.clicks]
kind = "kinesis-data-streams"

[services.delivery]
kind = "firehose"
output_format = "parquet"

[services.lake]
kind = "s3"
```

## How to fix
Add the catalog table Firehose reads the schema from:
```toml
[pipeline]
flows = ["clicks -> delivery -> lake", "glue-data-catalog -> delivery"]
```
or deliver JSON and convert later (a Glue job, an Athena CTAS query)."#,
};

pub struct FormatConversionWithoutCatalog;

/// The conversion a service's attributes ask for, with the format written.
pub fn conversion<'p, 's>(
    pack: &'p Pack,
    svc: &'s Service,
) -> Option<(&'p FormatConversionDef, &'s str)> {
    let kind = svc.kind.kind()?;
    pack.format_conversions(kind).find_map(|c| {
        let v = svc.text(&c.attribute)?;
        c.formats.iter().any(|f| f == v).then_some((c, v))
    })
}

impl Rule for FormatConversionWithoutCatalog {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, svc) in cx.arch.services.iter().enumerate() {
            let Some((conv, format)) = conversion(cx.pack, svc) else {
                continue;
            };
            let needs = cx.pack.kind_by_id(&conv.needs);
            let present = cx.arch.services.iter().any(|s| {
                s.kind
                    .kind()
                    .is_some_and(|k| Some(k) == needs || cx.pack.is_catalog_provider(k))
            });
            if present {
                continue;
            }
            let Some(attr) = svc.attr(&conv.attribute) else {
                continue;
            };
            out.push(
                Finding::new(
                    &META,
                    Subject::Service(i),
                    attr.span,
                    format!(
                        "{} converts records to {format} but no `{}` is in the pipeline",
                        cx.describe(i),
                        conv.needs
                    ),
                )
                .label("needs a schema from a catalog table")
                .help(format!(
                    "{}; add the catalog to the flows, e.g. \"{} -> {}\", or write JSON and convert later",
                    conv.why, conv.needs, svc.id
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::service;

    #[test]
    fn only_columnar_output_needs_a_schema() {
        let pack = Pack::embedded();
        for f in ["parquet", "orc"] {
            let svc = service("firehose", &[("output_format", f)]);
            assert_eq!(conversion(pack, &svc).map(|(_, v)| v), Some(f));
        }
        for f in ["json", "csv"] {
            assert!(conversion(pack, &service("firehose", &[("output_format", f)])).is_none());
        }
        assert!(conversion(pack, &service("firehose", &[])).is_none());
        // The attribute means nothing on a kind without a conversion.
        assert!(conversion(pack, &service("s3", &[("output_format", "parquet")])).is_none());
    }
}
