//! The rule pack checks itself: it loads, every fact has a source, every seed
//! service is in the catalog, and the facts the rules decide on hold.

mod common;

use pipelint::Pack;
use pipelint::pack::{EdgeKind, LifecycleStatus, is_seed_name, normalize};

fn kind(pack: &Pack, name: &str) -> pipelint::pack::KindId {
    pack.resolve(name)
        .unwrap_or_else(|| panic!("`{name}` is not in the catalog"))
        .0
}

#[test]
fn the_embedded_pack_is_valid() {
    let files: Vec<(String, String)> = pipelint::pack::EMBEDDED
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    if let Err(errors) = Pack::from_files(&files) {
        panic!(
            "invalid pack:\n{}",
            errors
                .iter()
                .map(|e| format!("  {e}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn the_compiled_pack_reads_as_its_toml_does() {
    // build.rs turns rules/*.toml into JSON for a faster start; both must say the same.
    let files: Vec<(String, String)> = pipelint::pack::EMBEDDED
        .iter()
        .map(|(n, t)| (format!("rules/{n}"), t.to_string()))
        .collect();
    let from_toml = pipelint::pack::parse_files(&files).expect("the TOML parses");
    let from_json = pipelint::pack::embedded_raw().expect("the JSON parses");
    assert_eq!(from_toml.len(), from_json.len());
    for ((name_t, t), (name_j, j)) in from_toml.iter().zip(&from_json) {
        assert_eq!(name_t, name_j);
        assert_eq!(format!("{t:#?}"), format!("{j:#?}"), "{name_t} differs");
    }
}

/// Every service and data source or sink the seed notes name, as they name it.
const SEED_SERVICES: &[&str] = &[
    "S3",
    "Kinesis Data Streams",
    "Kinesis Firehose",
    "Kinesis Data Analytics",
    "Kinesis Video Streams",
    "Glue Data Catalog",
    "Glue crawler",
    "Glue ETL",
    "Athena",
    "QuickSight",
    "EMR",
    "EC2",
    "SageMaker",
    "Amazon Machine Learning",
    "Redshift",
    "Redshift Spectrum",
    "RDS",
    "Aurora",
    "DynamoDB",
    "DynamoDB Streams",
    "ElastiCache",
    "Data Pipeline",
    "Batch",
    "DMS",
    "Step Functions",
    "Amazon MQ",
    "Lake Formation",
    "MSK",
    "Kafka",
    "IoT Core",
    "SQS",
    "SNS",
    "Lambda",
    "CloudWatch Logs",
    "EventBridge",
    "Snowball",
    "Snowball Edge",
    "Rekognition",
    "Splunk",
    "HTTP endpoint",
    "ECS",
    "EKS",
    "OpenSearch",
    "JDBC",
    "Managed Service for Apache Flink",
];

#[test]
fn every_seed_service_is_in_the_catalog() {
    let pack = Pack::embedded();
    let missing: Vec<&str> = SEED_SERVICES
        .iter()
        .copied()
        .filter(|n| pack.resolve(n).is_none())
        .collect();
    assert!(missing.is_empty(), "not in the catalog: {missing:?}");
}

#[test]
fn every_source_names_a_seed_that_exists() {
    let pack = Pack::embedded();
    let mut sources: Vec<&str> = Vec::new();
    for s in pack.services() {
        sources.extend(s.source.items().iter().map(String::as_str));
        for p in &s.lifecycle {
            sources.extend(p.source.items().iter().map(String::as_str));
        }
        for r in &s.renamed_from {
            sources.extend(r.source.items().iter().map(String::as_str));
        }
    }
    for e in &pack.edge_defs {
        sources.extend(e.source.items().iter().map(String::as_str));
    }
    for g in &pack.gap_defs {
        sources.extend(g.source.items().iter().map(String::as_str));
    }
    let lake = &pack.lake;
    let lake_sources = lake
        .latency
        .iter()
        .map(|d| &d.source)
        .chain(lake.storage_classes.iter().map(|d| &d.source))
        .chain(lake.file_formats.iter().map(|d| &d.source))
        .chain(lake.query_engines.iter().map(|d| &d.source))
        .chain(lake.catalog_providers.iter().map(|d| &d.source))
        .chain(lake.format_conversions.iter().map(|d| &d.source))
        .chain(lake.known_cycles.iter().map(|d| &d.source));
    for src in lake_sources {
        assert!(!src.items().is_empty());
        sources.extend(src.items().iter().map(String::as_str));
    }
    let seeds: Vec<&str> = sources
        .iter()
        .copied()
        .filter(|s| is_seed_name(s))
        .collect();
    assert!(!seeds.is_empty());
    if !common::require("../shared/seeds", common::shared().is_some()) {
        return;
    }
    let dir = common::shared().expect("shared").join("seeds");
    for s in seeds {
        assert!(
            dir.join(s).is_file(),
            "source `{s}` is not a seed note in ../shared/seeds"
        );
    }
}

#[test]
fn aliases_people_type_resolve_to_the_right_service() {
    let pack = Pack::embedded();
    for (alias, id) in [
        ("kinesis", "kinesis-data-streams"),
        ("KDS", "kinesis-data-streams"),
        ("KDF", "firehose"),
        ("Kinesis Data Firehose", "firehose"),
        ("elasticsearch", "opensearch"),
        ("Glue", "glue-data-catalog"),
        ("Amazon Athena", "athena"),
        ("AWS Glue Data Catalog", "glue-data-catalog"),
        ("kinesis analytics", "managed-flink"),
        (
            "kinesis data analytics for sql applications",
            "kinesis-data-analytics-sql",
        ),
        ("glacier", "s3"),
        ("amazon glacier", "glacier-vaults"),
        ("ddb", "dynamodb"),
    ] {
        assert_eq!(pack.service(kind(pack, alias)).id, id, "{alias}");
    }
    // Normalisation treats case, spaces, '-' and '_' alike.
    assert_eq!(
        normalize("  Kinesis__Data - Streams "),
        "kinesis-data-streams"
    );
}

#[test]
fn the_facts_the_rules_decide_on() {
    let pack = Pack::embedded();
    let k = |n| kind(pack, n);
    // A stream delivers nowhere by itself; Firehose does.
    assert!(!pack.supports(k("kinesis-data-streams"), k("s3")));
    assert!(pack.gap(k("kinesis-data-streams"), k("s3")).is_some());
    for (a, b) in [
        ("kinesis-data-streams", "firehose"),
        ("firehose", "s3"),
        ("s3", "athena"),
        ("s3", "glue-data-catalog"),
        ("glue-data-catalog", "athena"),
        ("kinesis-video-streams", "rekognition"),
        ("iot-core", "opensearch"),
        ("redshift", "machine-learning"),
        ("s3", "sagemaker"),
        ("iot-core", "kinesis-data-streams"),
        ("kinesis-data-streams", "lambda"),
        ("lambda", "dynamodb"),
        ("s3", "emr"),
        ("emr", "s3"),
    ] {
        assert!(pack.supports(k(a), k(b)), "{a} -> {b} must be supported");
    }
    // Firehose is a delivery service: nothing reads it.
    for b in ["managed-flink", "lambda", "kinesis-data-streams"] {
        assert!(
            !pack.supports(k("firehose"), k(b)),
            "firehose -> {b} must not be supported"
        );
    }
    // SageMaker training reads S3, EFS or FSx, not databases (Redshift ML,
    // which exports to S3 for SageMaker, is an edge of its own).
    for a in ["rds", "dynamodb"] {
        assert!(
            !pack.supports(k(a), k("sagemaker")),
            "{a} -> sagemaker must not be supported"
        );
    }
    let path = pack
        .suggest_path(k("kinesis-data-streams"), k("s3"), EdgeKind::Data)
        .expect("a path");
    let ids: Vec<&str> = path
        .iter()
        .map(|s| pack.service(s.kind).id.as_str())
        .collect();
    assert_eq!(ids, ["kinesis-data-streams", "firehose", "s3"]);
}

#[test]
fn lifecycle_facts_have_dates_and_replacements() {
    let pack = Pack::embedded();
    let today = common::today();
    let kda = kind(pack, "kinesis-data-analytics-sql");
    let (current, _) = pack.lifecycle(kda, today);
    let current = current.expect("KDA for SQL has a lifecycle");
    assert_eq!(current.status, LifecycleStatus::EndOfLife);
    assert_eq!(
        current.date.map(|d| d.to_string()).as_deref(),
        Some("2026-01-27")
    );
    let ml = kind(pack, "machine-learning");
    let (current, _) = pack.lifecycle(ml, today);
    assert!(
        current
            .expect("Amazon ML has a lifecycle")
            .status
            .is_terminal()
    );
    let es = pack
        .resolve("elasticsearch")
        .expect("elasticsearch resolves");
    assert!(matches!(es.1, pipelint::pack::NameMatch::Former(_)));
    // Every deprecated service names where to go, except where AWS names nothing.
    for s in pack.services() {
        for p in &s.lifecycle {
            assert!(
                !p.source.items().is_empty(),
                "{}: lifecycle without a source",
                s.id
            );
        }
    }
}

#[test]
fn a_user_pack_merges_and_conflicts_are_named() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        d.path().join("extra.toml"),
        r#"
[[service]]
id = "clickhouse"
name = "ClickHouse"
category = "external"
source = "https://clickhouse.com/docs"

[[edge]]
from = "firehose"
to = "clickhouse"
via = "HTTP endpoint destination"
kind = "data"
effort = "native"
source = "https://clickhouse.com/docs"
"#,
    )
    .expect("write");
    let pack = Pack::with_user_dir(d.path()).expect("merged pack");
    assert!(pack.supports(kind(&pack, "firehose"), kind(&pack, "clickhouse")));

    std::fs::write(
        d.path().join("conflict.toml"),
        "[[service]]\nid = \"s3\"\nname = \"Mine\"\ncategory = \"storage\"\nsource = \"https://example.com\"\n",
    )
    .expect("write");
    std::fs::write(
        d.path().join("price.toml"),
        "[[price]]\nregion = \"us-east-1\"\nservice = \"kinesis-data-streams\"\ncomponent = \"shard-hour\"\nunit = \"shard-hour\"\nusd = 0.01\nas_of = 2026-01-01\nsource = \"https://example.com\"\n",
    )
    .expect("write");
    let errors = Pack::with_user_dir(d.path()).expect_err("a conflict");
    assert!(
        errors.iter().any(|e| e.message
            == "price `kinesis-data-streams shard-hour in us-east-1` is already defined in rules/prices/us-east-1.toml"),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e
            .message
            .contains("service `s3` is already defined in rules/services.toml")),
        "{errors:?}"
    );
}

#[test]
fn the_lake_and_latency_facts_the_rules_decide_on() {
    let pack = Pack::embedded();
    let k = |n: &str| kind(pack, n);
    // Athena skips Flexible Retrieval and Deep Archive objects; Instant Retrieval is read in place.
    for (class, queryable) in [
        ("glacier-flexible", false),
        ("glacier-deep-archive", false),
        ("glacier-ir", true),
        ("standard", true),
    ] {
        assert_eq!(
            pack.storage_class(class).expect(class).queryable,
            queryable,
            "{class}"
        );
    }
    assert!(
        pack.storage_class("glacier-deep-archive")
            .expect("deep archive")
            .source
            .items()
            .iter()
            .any(|s| s.ends_with("athena/latest/ug/querying-glacier.html"))
    );
    // Row and columnar formats, and the assumed reduction (AWS: 1 TB of text -> 130 GB of Parquet).
    for f in ["csv", "json"] {
        assert_eq!(
            pack.file_format(f).expect(f).layout,
            pipelint::pack::Layout::Row
        );
    }
    assert_eq!(
        pack.file_format("parquet").expect("parquet").scan_reduction,
        Some(0.87)
    );
    // Athena and Spectrum bill per TB scanned: $5 (Athena's figure is not in
    // AWS's price list data, so it is marked as an estimate).
    for engine in ["athena", "redshift-spectrum"] {
        let price = pack.scan_price(k(engine), "us-east-1").expect(engine);
        assert_eq!(price.usd, 5.0);
        assert_eq!(price.estimate, engine == "athena");
        assert!(pack.query_engine(k(engine)).expect(engine).billed_by_scan);
    }
    // Firehose needs a Glue Data Catalog table to write Parquet or ORC.
    let conv = pack
        .format_conversions(k("firehose"))
        .next()
        .expect("a conversion");
    assert_eq!(conv.needs, "glue-data-catalog");
    assert_eq!(conv.formats, ["parquet", "orc"]);
    // Known round trips through S3.
    assert!(pack.known_cycle(k("s3"), k("redshift")).is_some());
    assert!(pack.known_cycle(k("s3"), k("emr")).is_some());
    assert!(pack.known_cycle(k("s3"), k("lambda")).is_none());
    // Latency figures AWS gives: 200 ms shared, 70 ms enhanced fan-out, Firehose 300 s by default.
    let typical = |kind: &str, ms: u64| {
        pack.latency(k(kind))
            .any(|d| d.typical.map(|t| t.0) == Some(std::time::Duration::from_millis(ms)))
    };
    assert!(typical("kinesis-data-streams", 200));
    assert!(typical("kinesis-data-streams", 70));
    assert!(pack.latency(k("firehose")).any(|d| {
        d.when.is_none() && d.default.map(|t| t.0) == Some(std::time::Duration::from_secs(300))
    }));
}

#[test]
fn user_packs_cannot_redefine_lake_and_latency_facts() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        d.path().join("mine.toml"),
        r#"
[[storage_class]]
id = "standard"
name = "Mine"
queryable = false
source = "https://example.com"

[[latency]]
service = "firehose"
typical = "1ms"
what = "wishful thinking"
source = "https://example.com"
"#,
    )
    .expect("write");
    let errors = Pack::with_user_dir(d.path()).expect_err("conflicts");
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert!(
        messages.contains(&"storage class `standard` is already defined in rules/lake.toml"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"the latency of `firehose` is already defined in rules/latency.toml"),
        "{messages:?}"
    );
}

#[test]
fn a_duration_that_is_not_one_is_named() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        d.path().join("mine.toml"),
        r#"
[[latency]]
service = "sns"
typical = "soon"
what = "fan out"
source = "https://example.com"
"#,
    )
    .expect("write");
    let errors = Pack::with_user_dir(d.path()).expect_err("invalid");
    let text = format!("{errors:?}");
    assert!(text.contains("`soon` is not a duration"), "{text}");
}

#[test]
fn latency_entries_are_checked_against_the_catalog() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        d.path().join("mine.toml"),
        r#"
[[latency]]
service = "sqs"
attribute = "shards"
unit = "s"
what = "queue wait"
source = "notes.txt"

[[latency]]
service = "sns"
typical = "10ms"
what = "fan out"
source = "https://example.com"

[[latency]]
service = "sns"
typical = "20ms"
what = "never used"
source = "https://example.com"
"#,
    )
    .expect("write");
    let errors = Pack::with_user_dir(d.path()).expect_err("invalid");
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    for want in [
        "latency of `sqs`: `sqs` does not take `shards`",
        "latency of `sqs` has a source that is neither a seed note nor an https address: `notes.txt`",
        "latency of `sns`: an entry follows one without `when`, so it never applies",
    ] {
        assert!(messages.contains(&want), "{want}\n{messages:?}");
    }
}

#[test]
fn the_import_mappings_name_known_kinds_and_attributes() {
    let pack = Pack::embedded();
    for (name, m) in [
        (
            "cloudformation",
            pipelint::import::Mapping::cloudformation(),
        ),
        ("terraform", pipelint::import::Mapping::terraform()),
    ] {
        let errors = m.validate(pack);
        assert!(
            errors.is_empty(),
            "rules/import/{name}.toml:\n  {}",
            errors.join("\n  ")
        );
        assert!(
            m.resource.len() >= 40,
            "{name}: {} resource entries",
            m.resource.len()
        );
    }
}

/// Every fact about AWS cites an AWS page (or a public dataset), not only a
/// seed note: the notes were where the pack started, AWS is what it follows.
#[test]
fn every_aws_fact_cites_more_than_a_seed_note() {
    let pack = Pack::embedded();
    let mut missing = Vec::new();
    let mut check = |what: String, src: &pipelint::pack::Source| {
        if !src.items().iter().any(|s| s.starts_with("https://")) {
            missing.push(what);
        }
    };
    for s in pack.services() {
        for p in &s.lifecycle {
            check(format!("lifecycle of {}", s.id), &p.source);
        }
        for r in &s.renamed_from {
            check(format!("rename of {} from {}", s.id, r.name), &r.source);
        }
    }
    for e in &pack.edge_defs {
        check(format!("edge via {}", e.via), &e.source);
    }
    for g in &pack.gap_defs {
        check(format!("gap {}", g.reason), &g.source);
    }
    for l in &pack.limits {
        check(format!("limit {} of {}", l.limit, l.service), &l.source);
    }
    for f in &pack.instance_families {
        check(format!("instance family {}", f.id), &f.source);
    }
    for f in &pack.family_lists {
        check(format!("family list {:?}", f.families), &f.source);
    }
    for c in &pack.instance_catalogs {
        check(format!("instance catalog {}", c.service), &c.source);
    }
    for s in &pack.instance_services {
        check(format!("instance service {}", s.service), &s.source);
    }
    for c in &pack.instance_classes {
        check(format!("instance class {}", c.id), &c.source);
    }
    for w in &pack.workloads {
        check(format!("workload {}", w.id), &w.source);
    }
    for d in &pack.lake.latency {
        check(format!("latency of {}", d.service), &d.source);
    }
    for d in &pack.lake.storage_classes {
        check(format!("storage class {}", d.id), &d.source);
    }
    for d in &pack.lake.query_engines {
        check(format!("query engine {}", d.service), &d.source);
    }
    for p in &pack.prices {
        check(format!("price of {} {}", p.service, p.component), &p.source);
    }
    assert!(
        missing.is_empty(),
        "facts whose only source is a seed note:\n  {}",
        missing.join("\n  ")
    );
}

/// `pipelint --version` and report metadata state the pack's date: the
/// latest `as_of` of its facts.
#[test]
fn the_pack_has_a_date() {
    let date = Pack::embedded().as_of().expect("the pack has dated facts");
    assert!(date >= "2026-12-04".parse().expect("a date"), "{date}");
}
