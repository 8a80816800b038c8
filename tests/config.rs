//! `pipelint.toml`: discovery, every setting, precedence (command line over
//! configuration over defaults) and errors that point into the file.

mod common;

use std::fs;

use common::{TODAY, run};

const PROJECT: &str = "tests/fixtures/config/project";
const TEAM: &str = "tests/fixtures/config/project/team/arch.toml";
const LEGACY: &str = "tests/fixtures/config/project/team/legacy/old.arch.toml";

fn check(args: &[&str]) -> (u8, String, String) {
    let mut full = vec!["check", "--today", TODAY, "--format", "concise"];
    full.extend_from_slice(args);
    run(&full)
}

#[test]
fn the_nearest_configuration_applies() {
    // project/pipelint.toml: ignore orphan-service, renamed-service as a
    // warning, fail on warnings, a rule pack that knows ClickHouse.
    let (code, out, err) = check(&[TEAM]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        out,
        "tests/fixtures/config/project/team/arch.toml:5:8: PL202 [warning] `elasticsearch` is the former name of Amazon OpenSearch Service: Amazon Elasticsearch Service was renamed on 2021-09-08\n"
    );
    // Without it: the defaults, and ClickHouse is unknown.
    let (code, out, _) = check(&["--no-config", TEAM]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("PL104 [warning] `spare`"), "{out}");
    assert!(out.contains("PL202 [info]"), "{out}");
    assert!(out.contains("`ClickHouse` is neither"), "{out}");
}

#[test]
fn the_command_line_overrides_the_configuration() {
    // --fail-on over fail-on.
    let (code, _, _) = check(&["--fail-on", "error", TEAM]);
    assert_eq!(code, 0);
    // --select replaces the configuration's select and ignore.
    let (code, out, _) = check(&["--select", "orphan-service", TEAM]);
    assert_eq!(code, 1);
    assert!(out.contains("PL104") && !out.contains("PL202"), "{out}");
    // --ignore adds to the configuration's ignore.
    let (code, out, _) = check(&["--ignore", "renamed-service", TEAM]);
    assert_eq!(code, 0);
    assert_eq!(out, "");
    // --rules adds a pack to the configuration's: both apply.
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("extra.toml"),
        "[[service]]\nid = \"duckdb\"\nname = \"DuckDB\"\ncategory = \"external\"\nsource = \"https://duckdb.org/docs\"\n",
    )
    .unwrap();
    let (code, out, err) = check(&["--rules", &d.path().to_string_lossy(), TEAM]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(!out.contains("ClickHouse"), "{out}");
}

#[test]
fn nearest_wins_without_merging_and_tool_pipelint_is_read() {
    // nested/inner/pipelint.toml ([tool.pipelint]) selects only
    // unsupported-flow; nested/pipelint.toml fails on info.
    let (code, out, _) = check(&["tests/fixtures/config/nested"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "tests/fixtures/config/nested/arch.toml:4:1: PL104 [warning] `spare` (s3) is not in any flow\n"
    );
}

#[test]
fn an_explicit_config_replaces_discovery() {
    let (code, out, _) = check(&[
        "--config",
        "tests/fixtures/config/nested/pipelint.toml",
        TEAM,
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("PL104") && out.contains("PL202 [info]"),
        "{out}"
    );
    let (code, _, err) = run(&["check", "--config", "x.toml", "--no-config", TEAM]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
    let (code, out, _) = check(&["--config", "no/such/pipelint.toml", TEAM]);
    assert_eq!(code, 2);
    assert!(
        out.contains("no/such/pipelint.toml:1:1: error: no such file"),
        "{out}"
    );
}

#[test]
fn excluded_files_are_skipped_even_when_named() {
    let (code, out, _) = check(&[PROJECT]);
    assert_eq!(code, 1);
    assert!(!out.contains("legacy"), "{out}");
    let (code, out, _) = run(&["check", "--today", TODAY, LEGACY]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, "pipelint: no findings in 0 files\n");
    // --no-config checks it.
    let (code, _, _) = check(&["--no-config", LEGACY]);
    assert_eq!(code, 1);
}

#[test]
fn discovery_stops_at_the_repository_root() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("pipelint.toml"),
        "ignore = [\"orphan-service\"]\n",
    )
    .unwrap();
    let repo = d.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::write(
        repo.join("arch.toml"),
        "flows = [\"Kinesis -> Firehose\"]\n[services.spare]\nkind = \"s3\"\n",
    )
    .unwrap();
    let (_, out, _) = check(&[&repo.to_string_lossy()]);
    assert!(
        out.contains("PL104"),
        "the configuration above .git applied: {out}"
    );
    fs::remove_dir(repo.join(".git")).unwrap();
    let (_, out, _) = check(&[&repo.to_string_lossy()]);
    assert!(!out.contains("PL104"), "{out}");
}

#[test]
fn a_broken_configuration_is_reported_where_it_is_wrong() {
    let (code, out, _) = run(&["check", "--today", TODAY, "tests/fixtures/config/broken"]);
    assert_eq!(code, 2);
    common::settings().bind(|| insta::assert_snapshot!("config__broken", out));
    // Machine formats carry the errors too, under the configuration's path.
    let (_, out, _) = run(&["check", "--format", "json", "tests/fixtures/config/broken"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        doc["files"][0]["path"],
        "tests/fixtures/config/broken/pipelint.toml"
    );
    assert_eq!(doc["files"][0]["errors"].as_array().unwrap().len(), 4);
}

#[test]
fn settings_of_every_type_are_checked() {
    let d = tempfile::tempdir().unwrap();
    let arch = d.path().join("arch.toml");
    fs::write(&arch, "flows = [\"Kinesis -> Firehose -> S3\"]\n").unwrap();
    let arch = arch.to_string_lossy().into_owned();
    for (text, message) in [
        (
            "select = \"PL103\"\n",
            "`select` must be an array of rule codes or names, not a string",
        ),
        (
            "rules = [\"missing\"]\n",
            "the rule-pack directory `missing` does not exist",
        ),
        ("exclude = [\"{a\"]\n", "`{a` is not a valid glob"),
        (
            "[severity]\norphan-service = 2\n",
            "`severity.orphan-service` must be",
        ),
        ("[tool.ruff]\nx = 1\n", "unknown table `tool.ruff`"),
        (
            "fail-on = \"error\"\n[tool.pipelint]\n",
            "outside [tool.pipelint]",
        ),
        ("fail-on = \n", "TOML syntax error"),
    ] {
        fs::write(d.path().join("pipelint.toml"), text).unwrap();
        let (code, out, _) = check(&[&arch]);
        assert_eq!(code, 2, "{text}");
        assert!(out.contains(message), "{text}: {out}");
    }
}
