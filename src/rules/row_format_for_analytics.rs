use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::flowgraph::lake_sources;
use crate::pack::{FileFormatDef, Layout, Pack};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL503",
    name: "row-format-for-analytics",
    severity: Severity::Info,
    summary: "a query engine billed per TB scanned reads CSV or JSON; Parquet or ORC scans less",
    doc: r#"## What it does
Finds Athena and Redshift Spectrum reading S3 data stored in a row format (CSV,
JSON, text) — the store's `format`, or the engine's when the store has none.
When the engine declares `scanned_tb_per_month`, the message estimates the
monthly saving of a columnar format from the assumed scan reduction
(`rules/lake.toml`, `[[file_format]]`) and the engine's price per TB scanned
(`rules/prices/`). Both figures are stated in the help.

## Why is this bad?
These engines bill by the bytes they scan. A row format makes every query read
every column of every row; Parquet and ORC store columns apart, compressed, with
statistics that let the engine skip blocks. AWS measured 1 TB of text logs as
130 GB of Parquet, and a query over them scanning 99% less.

## Example
```toml
[pipeline]
flows = ["lake -> glue-data-catalog -> query", "lake -> query"]

[services.lake]
kind = "s3"
format = "csv"

[services.query]
kind = "athena"
scanned_tb_per_month = 4
```

## How to fix
Convert the data to Parquet or ORC — an Athena `CREATE TABLE AS SELECT`, a Glue
job, or Firehose record format conversion (`output_format = "parquet"`) as it
lands — and set `format = "parquet"`."#,
};

pub struct RowFormatForAnalytics;

/// The monthly saving in USD of scanning `reduction` less of `tb` TB a month.
pub fn monthly_saving(tb: f64, usd_per_tb: f64, reduction: f64) -> f64 {
    tb * usd_per_tb * reduction
}

/// The columnar format with a measured scan reduction to compare against.
pub fn columnar_reference(pack: &Pack) -> Option<(&FileFormatDef, f64)> {
    pack.lake
        .file_formats
        .iter()
        .find_map(|f| Some((f, f.scan_reduction?)).filter(|_| f.layout == Layout::Columnar))
}

fn money(usd: f64) -> String {
    format!("${usd:.2}")
}

impl Rule for RowFormatForAnalytics {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (r, reader) in cx.arch.services.iter().enumerate() {
            let Some(k) = cx.kind(r) else { continue };
            if !cx.pack.query_engine(k).is_some_and(|e| e.billed_by_scan) {
                continue;
            }
            let graph = cx.graph();
            let sources = lake_sources(cx.arch, cx.pack, graph, r);
            for src in &sources {
                let store = &cx.arch.services[src.store];
                let Some(attr) = store.attr("format").or_else(|| reader.attr("format")) else {
                    continue;
                };
                let Some(format) = attr.as_str().and_then(|f| cx.pack.file_format(f)) else {
                    continue;
                };
                if format.layout != Layout::Row {
                    continue;
                }
                let reference = columnar_reference(cx.pack);
                let mut message = format!(
                    "{} scans {} stored as {}: Parquet or ORC scans less",
                    cx.describe(r),
                    cx.describe(src.store),
                    format.name
                );
                let mut help = Vec::new();
                if let Some((col, reduction)) = reference {
                    let pct = (reduction * 100.0).round();
                    message = format!(
                        "{} scans {} stored as {}: {} or ORC would scan an estimated {pct}% less",
                        cx.describe(r),
                        cx.describe(src.store),
                        format.name,
                        col.name
                    );
                    help.push(format!(
                        "the estimate assumes {} scans {pct}% less than text formats: {}",
                        col.name,
                        col.note.as_deref().unwrap_or("see rules/lake.toml")
                    ));
                    let tb = reader.number("scanned_tb_per_month");
                    match (tb, cx.pack.scan_price(k, cx.arch.pricing_region())) {
                        (Some(tb), Some(price)) if sources.len() == 1 => {
                            let cost = tb * price.usd;
                            let saving = monthly_saving(tb, price.usd, reduction);
                            message = format!(
                                "{message}, about {} of the {} a month it costs to scan {tb} TB",
                                money(saving),
                                money(cost)
                            );
                            help.push(format!(
                                "the price is {} per TB scanned in {} ({}, as of {})",
                                money(price.usd),
                                price.region,
                                if price.estimate {
                                    "an estimate from secondary sources"
                                } else {
                                    "from the AWS price list"
                                },
                                price.as_of
                            ));
                        }
                        (Some(_), Some(_)) => help.push(format!(
                            "no dollar figure: `{}` reads {} stores and `scanned_tb_per_month` does not say how much comes from each",
                            reader.id,
                            sources.len()
                        )),
                        (None, Some(_)) => help.push(format!(
                            "set `scanned_tb_per_month` on `{}` for the monthly saving",
                            reader.id
                        )),
                        _ => {}
                    }
                }
                help.push(
                    "convert with an Athena CREATE TABLE AS SELECT, a Glue job, or Firehose \
                     record format conversion as the data lands, then set `format = \"parquet\"`"
                        .to_string(),
                );
                let subject = src.flow.map_or(Subject::Service(src.store), Subject::Flow);
                let mut finding = Finding::new(&META, subject, attr.span, message)
                    .label("row format")
                    .help(help.join("; "));
                if let Some(f) = src.flow {
                    finding = finding.related(cx.arch.flows[f].arrow, "scanned here");
                }
                out.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn savings_arithmetic() {
        // 4 TB at $5/TB is $20 a month; 87% of it is $17.40.
        assert!((monthly_saving(4.0, 5.0, 0.87) - 17.4).abs() < 1e-9);
        assert_eq!(monthly_saving(0.0, 5.0, 0.87), 0.0);
        assert_eq!(money(17.4), "$17.40");
        assert_eq!(money(0.004), "$0.00");
    }

    #[test]
    fn the_reference_is_parquet_with_a_share_below_one() {
        let (f, r) = columnar_reference(Pack::embedded()).expect("a columnar reference");
        assert_eq!(f.id, "parquet");
        assert!(r > 0.0 && r < 1.0);
    }
}
