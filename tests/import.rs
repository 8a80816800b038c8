//! `pipelint import` and checking templates directly, as users meet them:
//! the written architecture file, findings on template lines, the round trip,
//! and bad input.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::{TODAY, run};

const SAM: &str = "examples/templates/clickstream-sam.yaml";
const TF: &str = "examples/templates/clickstream.tf";

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// (rule, service, flow) of every finding, from `check --format json`.
fn findings(path: &str, extra: &[&str]) -> BTreeSet<(String, String, String)> {
    let mut args = vec!["check", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    args.push(path);
    let (_, out, err) = run(&args);
    let doc: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}{err}"));
    let mut set = BTreeSet::new();
    for f in doc["files"][0]["findings"].as_array().expect("findings") {
        if f["rule"] == "unresolved-reference" {
            continue;
        }
        let flow = match &f["flow"] {
            serde_json::Value::Null => String::new(),
            fl => format!("{} -> {}", fl["from"], fl["to"]),
        };
        set.insert((
            f["rule"].as_str().unwrap_or("").to_string(),
            f["service"].as_str().unwrap_or("").to_string(),
            flow,
        ));
    }
    set
}

#[test]
fn import_prints_a_readable_architecture_file() {
    let settings = common::settings();
    for (tool, path, name) in [
        ("cloudformation", SAM, "import__cli__clickstream-sam"),
        ("terraform", TF, "import__cli__clickstream-tf"),
    ] {
        let (code, out, err) = run(&["import", tool, path]);
        assert_eq!(code, 0, "{err}");
        assert!(err.is_empty(), "{err}");
        settings.bind(|| insta::assert_snapshot!(name, out));
    }
}

#[test]
fn checking_a_template_points_at_its_lines() {
    let settings = common::settings();
    for (path, name) in [
        (SAM, "import__check__clickstream-sam"),
        (TF, "import__check__clickstream-tf"),
    ] {
        let (code, out, _) = run(&["check", "--today", TODAY, path]);
        let (_, concise, _) = run(&["check", "--today", TODAY, "--format", "concise", path]);
        settings.bind(|| {
            insta::assert_snapshot!(name, format!("exit: {code}\n{out}\n{concise}"));
        });
    }
}

#[test]
fn import_then_check_gives_the_findings_of_the_template() {
    let d = scratch();
    for (tool, path) in [("cloudformation", SAM), ("terraform", TF)] {
        let out = d.path().join(format!("{tool}.arch.toml"));
        let o = out.to_string_lossy().into_owned();
        let (code, stdout, err) = run(&["import", tool, path, "-o", &o]);
        assert_eq!(code, 0, "{err}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(err.contains("pipelint: wrote"), "{err}");
        let direct = findings(path, &[]);
        assert!(!direct.is_empty(), "{path} has findings to compare");
        assert_eq!(findings(&o, &[]), direct, "{path}");
    }
}

#[test]
fn a_sam_template_and_its_hand_written_twin_get_the_same_findings() {
    let d = scratch();
    let twin = d.path().join("clickstream.arch.toml");
    fs::write(
        &twin,
        r#"[pipeline]
flows = [
  "Clicks -> ClickWriter -> ClickTable",
  "Clicks -> Archive -> ArchiveBucket",
  "Clicks -> ClickAnalytics",
  "Alerts -> Clicks",
]

[services.Clicks]
kind = "kinesis-data-streams"
shards = 2
retention_hours = 48

[services.ClickWriter]
kind = "lambda"
memory_mb = 512
timeout_seconds = 30

[services.ClickTable]
kind = "dynamodb"

[services.Archive]
kind = "firehose"
buffer_seconds = 300
buffer_mb = 64

[services.ArchiveBucket]
kind = "s3"

[services.ClickAnalytics]
kind = "kinesis-data-analytics-sql"

[services.Alerts]
kind = "sns"
"#,
    )
    .unwrap();
    assert_eq!(findings(&twin.to_string_lossy(), &[]), findings(SAM, &[]));
}

#[test]
fn templates_are_recognised_by_name_and_content_or_by_from() {
    let d = scratch();
    // A .yaml file that is no template is not read as one...
    let other = d.path().join("config.yaml");
    fs::write(&other, "key: value\n").unwrap();
    let (code, out, _) = run(&["check", "--format", "concise", &other.to_string_lossy()]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("TOML syntax error"), "{out}");
    // ...but --from says what it is.
    let (code, out, _) = run(&[
        "check",
        "--from",
        "cloudformation",
        "--format",
        "concise",
        &other.to_string_lossy(),
    ]);
    assert_eq!(code, 2);
    assert!(out.contains("not a CloudFormation template"), "{out}");

    // A template with an unusual extension, named with --from.
    let txt = d.path().join("stack.txt");
    fs::copy(common::root().join(SAM), &txt).unwrap();
    let (code, _, _) = run(&[
        "check",
        "--from",
        "cloudformation",
        "--today",
        TODAY,
        &txt.to_string_lossy(),
    ]);
    assert_eq!(code, 1);

    // A directory is searched for architecture files only; --from terraform
    // reads its .tf files.
    let tf_dir = d.path().join("infra");
    fs::create_dir(&tf_dir).unwrap();
    fs::copy(common::root().join(TF), tf_dir.join("main.tf")).unwrap();
    let dir = tf_dir.to_string_lossy().into_owned();
    let (code, out, _) = run(&["check", &dir]);
    assert_eq!(code, 2);
    assert!(out.contains("no architecture files"), "{out}");
    let (code, out, _) = run(&["check", "--from", "terraform", "--today", TODAY, &dir]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("renamed-service"), "{out}");
}

#[test]
fn bad_templates_are_diagnosed_with_a_span_and_exit_2() {
    let settings = common::settings();
    let d = scratch();
    let cases: &[(&str, &str, &[u8])] = &[
        ("malformed-yaml", "bad.yaml", b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [1, 2\n"),
        ("malformed-json", "bad.json", b"{\"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bucket\"}\n"),
        ("no-resources", "empty.yaml", b"AWSTemplateFormatVersion: '2010-09-09'\nDescription: nothing\n"),
        ("resources-not-a-mapping", "list.yaml", b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  - a\n"),
        ("yaml-alias", "alias.yaml", b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: &x\n    Type: AWS::S3::Bucket\n  B: *x\n"),
        ("binary", "bin.template", b"AWSTemplateFormatVersion\0\x01\x02"),
        ("malformed-hcl", "bad.tf", b"resource \"aws_s3_bucket\" \"a\" {\n  bucket = \n"),
    ];
    for (name, file, bytes) in cases {
        let p = d.path().join(file);
        fs::write(&p, bytes).unwrap();
        let from = if file.ends_with(".tf") {
            "terraform"
        } else {
            "cloudformation"
        };
        let (code, out, _) = run(&["check", "--from", from, "--no-color", &p.to_string_lossy()]);
        assert_eq!(code, 2, "{name}: {out}");
        let (icode, iout, ierr) = run(&["import", from, &p.to_string_lossy()]);
        assert_eq!(icode, 2, "{name}: import: {iout}{ierr}");
        assert!(iout.is_empty(), "{name}: import printed a file: {iout}");
        let shown = out.replace(&*d.path().to_string_lossy(), "TMP");
        settings.bind(|| insta::assert_snapshot!(format!("import__bad__{name}"), shown));
    }
    // A file that is not there.
    let (code, _, err) = run(&["import", "cloudformation", "does/not/exist.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("no such file"), "{err}");
}

#[test]
fn an_empty_import_is_a_valid_architecture_file() {
    let d = scratch();
    let p = d.path().join("nested.yaml");
    fs::write(
        &p,
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./child.yaml\n",
    )
    .unwrap();
    let out = d.path().join("nested.arch.toml");
    let (code, _, err) = run(&[
        "import",
        "cloudformation",
        &p.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.contains("flows = []"), "{text}");
    assert!(
        text.contains("nested stack `Child` (./child.yaml) is not read"),
        "{text}"
    );
    let (code, report, _) = run(&["check", &out.to_string_lossy()]);
    assert_eq!(code, 0, "{report}");
    assert!(report.contains("no findings in 1 file"), "{report}");
}

#[test]
fn hostile_templates_never_panic() {
    let d = scratch();
    let deep_yaml = format!("Resources:\n  A: {}\n", "[".repeat(10_000));
    let deep_hcl = format!("locals {{\n  a = {}\n}}\n", "[".repeat(10_000));
    let cyclic = "AWSTemplateFormatVersion: '2010-09-09'\nConditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  S:\n    Type: AWS::S3::Bucket\n    Condition: A\n";
    let cases: Vec<(&str, String)> = vec![
        ("deep.yaml", deep_yaml),
        ("deep.tf", deep_hcl),
        ("cyclic.yaml", cyclic.to_string()),
        ("weird.yaml", "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: [1]\n  B: 3\n  C:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      ShardCount: !Sub [\"${X}\", {X: !GetAtt [C]}]\n".to_string()),
        ("loop.tf", "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_kinesis_stream\" \"s\" {\n  shard_count = local.a\n}\n".to_string()),
    ];
    for (name, text) in cases {
        let p = d.path().join(name);
        fs::write(&p, text).unwrap();
        let from = if name.ends_with(".tf") {
            "terraform"
        } else {
            "cloudformation"
        };
        let (code, out, err) = run(&["check", "--from", from, &p.to_string_lossy()]);
        assert!(code <= 2, "{name}: {code} {out}{err}");
    }
}
