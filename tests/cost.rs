//! `pipelint cost`: the arithmetic a user can redo by hand, snapshots of the
//! table and JSON of every example, comparisons, regions without prices, and
//! the price pack itself.

mod common;

use pipelint::Pack;
use serde_json::Value;

fn cost_json(path: &str, extra: &[&str]) -> Value {
    let mut args = vec!["cost", "--format", "json", path];
    args.extend_from_slice(extra);
    let (code, out, err) = common::run(&args);
    assert_eq!(code, 0, "{path}: {err}{out}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {out}"))
}

fn item<'a>(doc: &'a Value, service: &str, component: &str) -> &'a Value {
    doc["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["service"] == service && i["component"] == component)
        .unwrap_or_else(|| panic!("no item {service} / {component} in {doc:#}"))
}

#[test]
fn clickstream_shard_hours_are_four_shards_times_730_hours_at_the_list_price() {
    let doc = cost_json("examples/clickstream.arch.toml", &[]);
    assert_eq!(doc["currency"], "USD");
    assert_eq!(doc["region"], "us-east-1");
    assert_eq!(doc["hours_per_month"], 730.0);
    let shards = item(&doc, "clicks", "Shard hours");
    assert_eq!(shards["quantity"], 2920.0);
    assert_eq!(shards["unit"], "shard-hour");
    assert_eq!(shards["unit_price"], 0.015);
    assert_eq!(shards["monthly"], 43.8);
    assert_eq!(shards["kind"], "kinesis-data-streams");
    // 1,500 records/s of 2 KB: one 25 KB PUT payload unit each, all month.
    let put = item(&doc, "clicks", "PUT payload units (25 KB each)");
    assert_eq!(put["quantity"], 3942.0);
    assert_eq!(put["unit"], "million-units");
    assert_eq!(put["monthly"], 55.19);
    let athena = item(&doc, "query", "Data scanned");
    assert_eq!(
        (athena["quantity"].clone(), athena["monthly"].clone()),
        (1.5.into(), 7.5.into())
    );
    // The total is the sum of the items, to the cent.
    let sum: f64 = doc["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["monthly"].as_f64())
        .sum();
    let total = doc["total_monthly"].as_f64().expect("a total");
    assert!((sum - total).abs() < 0.005, "{sum} vs {total}");
    // Estimated prices are flagged.
    assert_eq!(item(&doc, "delivery", "Data ingested")["estimate"], true);
    assert_eq!(doc["estimate"], true);
}

#[test]
fn every_item_has_the_spec_fields() {
    for path in common::files("examples", ".arch.toml") {
        let rel = common::rel(&path);
        let doc = cost_json(&rel, &[]);
        for key in [
            "currency",
            "region",
            "hours_per_month",
            "total_monthly",
            "items",
        ] {
            assert!(doc.get(key).is_some(), "{rel}: no `{key}`");
        }
        for i in doc["items"].as_array().expect("items") {
            for key in [
                "service",
                "kind",
                "component",
                "quantity",
                "unit",
                "unit_price",
                "monthly",
            ] {
                assert!(i.get(key).is_some(), "{rel}: an item without `{key}`: {i}");
            }
        }
    }
}

#[test]
fn missing_usage_is_named_never_priced_at_zero() {
    let d = tempfile::tempdir().expect("tempdir");
    let p = d.path().join("bare.arch.toml");
    std::fs::write(
        &p,
        "[pipeline]\nflows = [\"s -> f -> lake -> q\"]\n[services.s]\nkind = \"kinesis-data-streams\"\nshards = 2\n[services.f]\nkind = \"firehose\"\n[services.lake]\nkind = \"s3\"\n[services.q]\nkind = \"athena\"\n",
    )
    .expect("write");
    let path = p.to_string_lossy().into_owned();
    let doc = cost_json(&path, &[]);
    assert!(
        doc["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["monthly"].as_f64().is_some_and(|m| m > 0.0)),
        "{doc:#}"
    );
    let unpriced: Vec<String> = doc["unpriced"]
        .as_array()
        .expect("unpriced")
        .iter()
        .map(|u| format!("{} {}: {}", u["service"], u["component"], u["reason"]))
        .collect();
    let text = unpriced.join("\n");
    for want in [
        "throughput.records_per_s",
        "stored_gb",
        "scanned_tb_per_month",
        "gb_per_month",
    ] {
        assert!(text.contains(want), "`{want}` is not named in:\n{text}");
    }
    let (_, table, _) = common::run(&["cost", &path]);
    assert!(table.contains("Not priced:"), "{table}");
    assert!(table.contains("needs `stored_gb`"), "{table}");
}

#[test]
fn a_region_without_prices_says_so_and_prices_nothing() {
    let d = tempfile::tempdir().expect("tempdir");
    let p = d.path().join("eu.arch.toml");
    std::fs::write(
        &p,
        "[pipeline]\nregion = \"eu-west-1\"\nflows = [\"s -> l\"]\n[services.s]\nkind = \"kinesis-data-streams\"\nshards = 4\n[services.l]\nkind = \"lambda\"\n",
    )
    .expect("write");
    let path = p.to_string_lossy().into_owned();
    let doc = cost_json(&path, &[]);
    assert_eq!(doc["region"], "eu-west-1");
    assert_eq!(doc["region_priced"], false);
    assert_eq!(doc["total_monthly"], Value::Null);
    let shards = item(&doc, "s", "Shard hours");
    assert_eq!(shards["quantity"], 2920.0);
    assert_eq!(shards["unit_price"], Value::Null);
    let (_, table, _) = common::run(&["cost", &path]);
    assert!(
        table.contains("The rule pack has no prices for eu-west-1"),
        "{table}"
    );
    // --region prices it at a region the pack has.
    let doc = cost_json(&path, &["--region", "us-east-1"]);
    assert_eq!(doc["total_monthly"], 43.8);
}

#[test]
fn compare_shows_the_difference_per_service() {
    let old = "examples/clickstream.arch.toml";
    let new = "tests/fixtures/cost/clickstream-bigger.arch.toml";
    let (code, out, err) = common::run(&["cost", "--format", "json", "--compare", old, new]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    let clicks = doc["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["service"] == "clicks")
        .expect("clicks");
    // Four more shards: 4 × 730 × $0.015.
    assert_eq!(clicks["diff_monthly"], 43.8);
    let settings = common::settings();
    let (_, table, _) = common::run(&["cost", "--compare", old, new]);
    settings.bind(|| {
        insta::assert_snapshot!("cost__compare__table", table);
        insta::assert_snapshot!("cost__compare__json", out);
    });
}

#[test]
fn command_line_errors_exit_2() {
    assert_eq!(common::run(&["cost"]).0, 2);
    assert_eq!(common::run(&["cost", "no/such/file.arch.toml"]).0, 2);
    let (code, out, _) = common::run(&["cost", "tests/fixtures/invalid/syntax-error.toml"]);
    assert_eq!(code, 2);
    assert!(out.contains("TOML syntax error"), "{out}");
}

#[test]
fn snapshots_of_the_cost_of_every_example() {
    let settings = common::settings();
    for path in common::files("examples", ".arch.toml") {
        let rel = common::rel(&path);
        let stem = rel
            .trim_start_matches("examples/")
            .trim_end_matches(".arch.toml")
            .replace('/', "__");
        for format in ["table", "json"] {
            let (code, out, err) = common::run(&["cost", "--format", format, &rel]);
            assert!(err.is_empty(), "{rel}: stderr: {err}");
            settings.bind(|| {
                insta::assert_snapshot!(
                    format!("cost__{stem}__{format}"),
                    format!("exit: {code}\n{out}")
                );
            });
        }
    }
}

#[test]
fn every_price_has_a_unit_a_date_and_a_source() {
    let pack = Pack::embedded();
    assert!(!pack.prices.is_empty());
    for p in &pack.prices {
        let what = format!("{} {} {:?} in {}", p.service, p.component, p.item, p.region);
        assert!(!p.unit.trim().is_empty(), "{what}: no unit");
        assert!(p.as_of.to_string().len() == 10, "{what}: no date");
        assert!(
            p.source.items().iter().any(|s| s.starts_with("https://")),
            "{what}: no https source"
        );
        assert!(p.usd.is_finite() && p.usd >= 0.0, "{what}: {}", p.usd);
    }
    // The components `pipelint cost` reads exist in us-east-1, with the units it shows.
    for (service, component, unit) in [
        ("kinesis-data-streams", "shard-hour", "shard-hour"),
        ("kinesis-data-streams", "put-payload-units", "million-units"),
        ("kinesis-data-streams", "extended-retention", "shard-hour"),
        ("kinesis-data-streams", "long-term-retention", "GB-month"),
        (
            "kinesis-data-streams",
            "efo-consumer-shard-hour",
            "consumer-shard-hour",
        ),
        ("kinesis-data-streams", "efo-retrieval", "GB"),
        (
            "kinesis-data-streams",
            "on-demand-stream-hour",
            "stream-hour",
        ),
        ("kinesis-data-streams", "on-demand-ingest", "GB"),
        ("kinesis-data-streams", "on-demand-retrieval", "GB"),
        ("kinesis-data-streams", "on-demand-efo-retrieval", "GB"),
        (
            "kinesis-data-streams",
            "on-demand-extended-retention",
            "GB-month",
        ),
        ("firehose", "ingest", "GB"),
        ("firehose", "format-conversion", "GB"),
        ("s3", "storage-standard", "GB-month"),
        ("s3", "storage-intelligent-tiering", "GB-month"),
        ("s3", "storage-standard-ia", "GB-month"),
        ("s3", "storage-one-zone-ia", "GB-month"),
        ("s3", "storage-glacier-ir", "GB-month"),
        ("s3", "storage-glacier-flexible", "GB-month"),
        ("s3", "storage-glacier-deep-archive", "GB-month"),
        ("s3", "requests-standard", "1k-requests"),
        ("athena", "scanned", "TB"),
        ("redshift-spectrum", "scanned", "TB"),
        ("glue-etl", "dpu-hour", "DPU-hour"),
        ("glue-crawler", "dpu-hour", "DPU-hour"),
        ("lambda", "requests", "million-requests"),
        ("lambda", "duration", "GB-second"),
        ("sqs", "requests", "million-requests"),
        ("sqs", "requests-fifo", "million-requests"),
        ("dynamodb", "write-request-units", "million-requests"),
        ("dynamodb", "read-request-units", "million-requests"),
        ("dynamodb", "storage", "GB-month"),
        ("redshift", "managed-storage", "GB-month"),
        ("msk", "storage", "GB-month"),
    ] {
        let p = pack
            .price("us-east-1", service, component, None)
            .unwrap_or_else(|| panic!("no price for {service} {component}"));
        assert_eq!(p.unit, unit, "{service} {component}");
    }
    // Every instance type of a seed family, and its current successors, has an EC2 price.
    for family in [
        "t2", "t3", "m4", "m5", "c4", "c5", "r4", "r5", "x1", "z1d", "p2", "p3", "g3", "f1", "h1",
        "i3", "d2", "m6i", "m7i", "m7g", "c6i", "c7i", "r6i", "r7i", "g4dn", "g5", "g6", "p4d",
        "p5", "i4i", "d3",
    ] {
        let f = pack
            .instance_family(family)
            .unwrap_or_else(|| panic!("no family {family}"));
        for t in &f.types {
            let p = pack
                .price("us-east-1", "ec2", "instance", Some(&t.name))
                .unwrap_or_else(|| panic!("no price for {}", t.name));
            assert_eq!(p.unit, "instance-hour");
        }
    }
}

#[test]
fn a_pack_of_your_own_adds_prices_for_a_region_and_instance_types() {
    let d = tempfile::tempdir().expect("tempdir");
    let pack_dir = d.path().join("pack");
    std::fs::create_dir(&pack_dir).expect("mkdir");
    std::fs::write(
        pack_dir.join("eu.toml"),
        r#"
[[price]]
region = "eu-west-1"
service = "kinesis-data-streams"
component = "shard-hour"
unit = "shard-hour"
usd = 0.017
as_of = 2026-01-01
source = "https://aws.amazon.com/kinesis/data-streams/pricing/"

[[instance_family]]
id = "m9z"
class = "general"
generation = "current"
source = "https://example.com/m9z"
types = [{ name = "m9z.large", vcpu = 2, memory_gib = 8 }]
"#,
    )
    .expect("write");
    let arch = d.path().join("eu.arch.toml");
    std::fs::write(
        &arch,
        "[pipeline]\nregion = \"eu-west-1\"\nflows = [\"s -> app\"]\n[services.s]\nkind = \"kinesis-data-streams\"\nshards = 4\n[services.app]\nkind = \"ec2\"\ninstance_type = \"m9z.large\"\n",
    )
    .expect("write");
    let rules = pack_dir.to_string_lossy().into_owned();
    let path = arch.to_string_lossy().into_owned();
    let doc = cost_json(&path, &["--rules", &rules]);
    assert_eq!(doc["region_priced"], true);
    // 4 × 730 × $0.017
    assert_eq!(item(&doc, "s", "Shard hours")["monthly"], 49.64);
    // The new type is known to the rules, though it has no price.
    let (code, out, _) = common::run(&["check", "--format", "concise", "--rules", &rules, &path]);
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains("unknown-instance-type") && !out.contains("PL401"),
        "{out}"
    );
    assert!(
        doc["unpriced"]
            .as_array()
            .expect("unpriced")
            .iter()
            .any(|u| u["reason"].as_str().unwrap_or("").contains("m9z.large")),
        "{doc:#}"
    );
}
