//! The CI formats (SARIF, GitHub workflow commands, JUnit XML) and several
//! reports from one run: SARIF is validated against the official schema,
//! JUnit parsed as XML, the escaping of workflow commands checked.

mod common;

use std::fs;

use common::{TODAY, run};
use serde_json::Value;

const STREAM: &str = "examples/findings/stream-to-s3.arch.toml";
const LEGACY: &str = "examples/findings/legacy-services.arch.toml";
const TYPOS: &str = "examples/findings/typos.arch.toml";
const BROKEN: &str = "tests/fixtures/invalid/unknown-key.toml";

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

fn check(args: &[&str]) -> (u8, String, String) {
    let mut full = vec!["check", "--today", TODAY];
    full.extend_from_slice(args);
    run(&full)
}

fn sarif_validator() -> Option<jsonschema::Validator> {
    let shared = common::shared();
    let path = shared
        .as_ref()
        .map(|s| s.join("reference/sarif-schema-2.1.0.json"));
    let present = path.as_ref().is_some_and(|p| p.is_file());
    if !common::require("../shared/reference/sarif-schema-2.1.0.json", present) {
        return None;
    }
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(path.expect("checked above")).expect("readable schema"),
    )
    .expect("the schema is JSON");
    Some(
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&schema)
            .expect("the SARIF schema compiles"),
    )
}

#[test]
fn the_sarif_validator_rejects_what_the_schema_forbids() {
    let Some(validator) = sarif_validator() else {
        return;
    };
    let (_, out, _) = check(&["--format", "sarif", STREAM]);
    let mut doc: Value = serde_json::from_str(&out).unwrap();
    assert!(validator.is_valid(&doc));
    doc["version"] = Value::from("2.0.0");
    assert!(!validator.is_valid(&doc));
    doc["version"] = Value::from("2.1.0");
    doc["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&doc));
}

fn assert_valid(validator: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: SARIF invalid:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let Some(validator) = sarif_validator() else {
        return;
    };
    // Every example, a file that cannot be parsed, a missing file, and a
    // file name that needs percent-encoding.
    let d = scratch();
    let odd = d.path().join("a b,c#d.arch.toml");
    fs::write(&odd, "flows = [\"Kinesis -> S3\"]\n").unwrap();
    let odd = odd.to_string_lossy().into_owned();
    for args in [
        vec!["examples"],
        vec![BROKEN],
        vec!["tests/fixtures/invalid"],
        vec!["does/not/exist.arch.toml"],
        vec![odd.as_str()],
        vec![STREAM, "--no-allow", "--fail-on", "info"],
    ] {
        let mut full = vec!["--format", "sarif"];
        full.extend_from_slice(&args);
        let (_, out, err) = check(&full);
        assert!(err.is_empty(), "{args:?}: {err}");
        let doc: Value = serde_json::from_str(&out).expect("SARIF is JSON");
        assert_valid(&validator, &doc, &format!("{args:?}"));
    }
}

#[test]
fn sarif_lists_every_rule_with_its_documentation() {
    let (_, out, _) = check(&["--format", "sarif", STREAM]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), pipelint::rules::RULES.len());
    for (r, meta) in rules.iter().zip(pipelint::rules::RULES) {
        let m = meta.meta();
        assert_eq!(r["id"], m.code);
        assert_eq!(r["name"], m.name);
        assert_eq!(r["shortDescription"]["text"], m.summary);
        assert!(
            r["fullDescription"]["text"]
                .as_str()
                .is_some_and(|t| t.len() > 20 && !t.contains("##")),
            "{r}"
        );
        assert_eq!(r["help"]["markdown"], m.doc);
        assert!(
            r["helpUri"]
                .as_str()
                .is_some_and(|u| u.ends_with(&format!("docs/rules/{}.md", m.name))),
            "{r}"
        );
    }
    // The result points where the JSON report does.
    let (_, json, _) = check(&["--format", "json", STREAM]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let f = &json["files"][0]["findings"][0];
    let r = &doc["runs"][0]["results"][0];
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(r["ruleId"], f["code"]);
    assert_eq!(region["startLine"], f["line"]);
    assert_eq!(region["startColumn"], f["column"]);
    assert_eq!(region["endLine"], f["end_line"]);
    assert_eq!(region["endColumn"], f["end_column"]);
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        STREAM
    );
    assert_eq!(
        doc["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn load_errors_appear_in_every_machine_format() {
    let (code, out, _) = check(&["--format", "sarif", BROKEN]);
    assert_eq!(code, 2);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let inv = &doc["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let note = &inv["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert!(
        note["message"]["text"]
            .as_str()
            .unwrap()
            .contains("unknown key"),
        "{note}"
    );
    assert!(note["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64());

    let (code, out, _) = check(&["--format", "github", BROKEN]);
    assert_eq!(code, 2);
    assert!(
        out.starts_with(&format!("::error file={BROKEN},line=")),
        "{out}"
    );

    let (code, out, _) = check(&["--format", "junit", BROKEN]);
    assert_eq!(code, 2);
    let xml = roxmltree::Document::parse(&out).expect("well-formed XML");
    let error = xml
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .expect("an <error> element");
    assert!(error.attribute("message").unwrap().contains("unknown key"));
}

#[test]
fn github_commands_escape_properties_and_data() {
    let d = scratch();
    let name = "x,y:z%.arch.toml";
    fs::write(d.path().join(name), "flows = [\"Kinesis -> S3\"]\n").unwrap();
    let p = d.path().join(name).to_string_lossy().into_owned();
    let (code, out, _) = check(&["--format", "github", &p]);
    assert_eq!(code, 1);
    let dir = d.path().to_string_lossy().into_owned();
    let expected_file = format!("file={}/x%2Cy%3Az%25.arch.toml,", dir.replace(':', "%3A"));
    assert!(out.contains(&expected_file), "{out}");
    // One line per finding: the help's line break is escaped.
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("%0Ahelp: a path that works"), "{out}");
    assert!(
        out.contains(",line=1,endLine=1,col=19,endColumn=21,title=PL103 unsupported-flow::"),
        "{out}"
    );
}

/// Checks the counts a JUnit document declares against its elements.
fn assert_consistent_junit<'a>(xml: &'a str, what: &str) -> roxmltree::Document<'a> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{what}: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites", "{what}");
    let count = |n: roxmltree::Node, tag: &str| {
        n.descendants()
            .filter(|c| c.has_tag_name(tag))
            .count()
            .to_string()
    };
    assert_eq!(
        root.attribute("tests"),
        Some(count(root, "testcase").as_str())
    );
    assert_eq!(
        root.attribute("failures"),
        Some(count(root, "failure").as_str())
    );
    assert_eq!(
        root.attribute("errors"),
        Some(count(root, "error").as_str())
    );
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        assert_eq!(
            suite.attribute("tests"),
            Some(count(suite, "testcase").as_str()),
            "{what}"
        );
    }
    doc
}

#[test]
fn junit_is_well_formed_even_with_hostile_text() {
    for args in [vec!["examples"], vec!["tests/fixtures/invalid"]] {
        let mut full = vec!["--format", "junit"];
        full.extend_from_slice(&args);
        let (_, out, _) = check(&full);
        assert_consistent_junit(&out, &format!("{args:?}"));
    }
    // Markup and a control character in what the user wrote end up in messages.
    let d = scratch();
    let p = d.path().join("x.arch.toml");
    fs::write(
        &p,
        "flows = [\"a<b>&\\\"c\\u0001 -> S3\"]\n[services.\"]]>\"]\nkind = \"s3\"\n",
    )
    .unwrap();
    let (code, out, _) = check(&["--format", "junit", &p.to_string_lossy()]);
    assert_eq!(code, 1, "{out}");
    let doc = assert_consistent_junit(&out, "hostile");
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failure");
    assert!(
        failure.text().unwrap().contains("a<b>&\"c\u{FFFD}"),
        "{out}"
    );
}

#[test]
fn junit_fails_a_rule_only_at_the_fail_level() {
    // Warnings only: below the default fail level they are listed, not failed.
    let d = scratch();
    let p = d.path().join("w.arch.toml");
    fs::write(
        &p,
        "flows = [\"Kinesis -> Firehose\"]\n[services.spare]\nkind = \"s3\"\n",
    )
    .unwrap();
    let p = p.to_string_lossy().into_owned();
    let (code, out, _) = check(&["--format", "junit", &p]);
    assert_eq!(code, 0);
    let doc = assert_consistent_junit(&out, "warning");
    assert_eq!(doc.root_element().attribute("failures"), Some("0"));
    assert!(out.contains("<system-out>"), "{out}");
    let (code, out, _) = check(&["--format", "junit", "--fail-on", "warning", &p]);
    assert_eq!(code, 1);
    let doc = assert_consistent_junit(&out, "warning");
    assert_eq!(doc.root_element().attribute("failures"), Some("1"));
}

#[test]
fn one_run_prints_for_humans_and_writes_sarif_and_junit() {
    let d = scratch();
    let sarif = d.path().join("out/pipelint.sarif");
    fs::create_dir(d.path().join("out")).unwrap();
    let junit = d.path().join("out/junit.xml");
    let (code, out, err) = check(&[
        "--output-format",
        &format!("sarif={}", sarif.display()),
        "--output-format",
        &format!("junit={}", junit.display()),
        STREAM,
    ]);
    assert_eq!(code, 1, "{err}");
    // Standard output gets the human report when no report is sent there.
    assert!(
        out.contains("PL103 unsupported-flow") && out.contains("╭─["),
        "{out}"
    );
    let written: Value = serde_json::from_str(&fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(written["runs"][0]["results"][0]["ruleId"], "PL103");
    if let Some(v) = sarif_validator() {
        assert_valid(&v, &written, "written SARIF");
    }
    assert_consistent_junit(&fs::read_to_string(&junit).unwrap(), "written JUnit");
    // The same report to stdout and to a file is byte-identical (and colourless).
    let (_, stdout_sarif, _) = check(&["--format", "sarif", STREAM]);
    assert_eq!(fs::read_to_string(&sarif).unwrap(), stdout_sarif);
}

#[test]
fn line_formats_share_stdout_in_order_and_documents_do_not() {
    let (code, out, _) = check(&["--format", "concise", "--output-format", "github", STREAM]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(STREAM) && lines[1].starts_with("::error "),
        "{out}"
    );

    let (code, _, err) = check(&["--format", "json", "--output-format", "human", STREAM]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`json` must be the only report on standard output"),
        "{err}"
    );
    let (code, out, _) = check(&["--output-format", "sarif=-", STREAM]);
    assert_eq!(code, 1);
    assert!(out.starts_with('{'), "{out}");
    let (code, _, err) = check(&[
        "--output-format",
        "sarif=x.sarif",
        "--output-format",
        "junit=./x.sarif",
        STREAM,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("two reports are written to"), "{err}");
    let (code, _, err) = check(&["--output-format", "sarif2", STREAM]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "`sarif2` is not a format; one of: human, concise, json, sarif, github, junit"
        ),
        "{err}"
    );
    let (code, _, err) = check(&[
        "--output-format",
        "human",
        "--output-format",
        "human",
        STREAM,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("twice"), "{err}");
}

#[test]
fn an_unwritable_output_is_an_error() {
    let (code, _, err) = check(&["--output-format", "sarif=/nonexistent-dir/x.sarif", STREAM]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot write /nonexistent-dir/x.sarif"),
        "{err}"
    );
}

/// SARIF with the rule table reduced to ids: the rules' documentation is
/// pinned by their own snapshots.
fn sarif_without_rule_docs(text: &str) -> String {
    let mut doc: Value = serde_json::from_str(text).unwrap();
    let rules = &mut doc["runs"][0]["tool"]["driver"]["rules"];
    let ids: Vec<Value> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    *rules = Value::Array(ids);
    serde_json::to_string_pretty(&doc).unwrap()
}

#[test]
fn snapshots_of_the_ci_formats() {
    let settings = common::settings();
    settings.bind(|| {
        for (name, file) in [
            ("stream-to-s3", STREAM),
            ("legacy-services", LEGACY),
            ("typos", TYPOS),
            ("unknown-key", BROKEN),
        ] {
            let (code, out, _) = check(&["--format", "github", file]);
            insta::assert_snapshot!(
                format!("format__{name}__github"),
                format!("exit: {code}\n{out}")
            );
            let (code, out, _) = check(&["--format", "junit", file]);
            insta::assert_snapshot!(
                format!("format__{name}__junit"),
                format!("exit: {code}\n{out}")
            );
            let (code, out, _) = check(&["--format", "sarif", file]);
            insta::assert_snapshot!(
                format!("format__{name}__sarif"),
                format!("exit: {code}\n{}", sarif_without_rule_docs(&out))
            );
        }
    });
}
