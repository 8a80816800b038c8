//! Accepting findings: `allow` in the architecture file (with or without a
//! reason, reported when it silences nothing) and baselines (a team adopts
//! pipelint on an old repository and still catches every new problem).

mod common;

use std::fs;
use std::path::Path;

use common::{TODAY, run, run_bin};

fn concise(args: &[&str]) -> (u8, String, String) {
    let mut full = vec!["check", "--today", TODAY, "--format", "concise"];
    full.extend_from_slice(args);
    run(&full)
}

#[test]
fn allows_silence_with_or_without_a_reason_and_unused_ones_are_reported() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("a.arch.toml");
    fs::write(
        &p,
        r#"[pipeline]
flows = ["stream -> lake", "lake -> ml"]
allow = ["orphan-service", "renamed-service"]

[services.stream]
kind = "kinesis"

[services.lake]
kind = "s3"

[services.ml]
kind = "machine-learning"
allow = ["deprecated-service"]

[services.spare]
kind = "s3"

[[flow]]
from = "stream"
to = "ml"
allow = [{ rule = "unsupported-flow", reason = "a consumer we run ourselves" }, "PL201"]
"#,
    )
    .unwrap();
    let p = p.to_string_lossy().into_owned();
    let (code, out, _) = concise(&[&p]);
    // stream -> lake is not silenced (its allow is on another flow);
    // renamed-service in [pipeline] and PL201 on the [[flow]] silence nothing.
    let lines: Vec<&str> = out.lines().map(|l| l.split_once(": ").unwrap().1).collect();
    assert_eq!(
        lines,
        [
            "PL103 [error] no integration carries data from `stream` (kinesis-data-streams) to `lake` (s3): a stream keeps records for consumers to read; it delivers nowhere by itself",
            "PL901 [warning] `allow` of `renamed-service` suppresses nothing",
            "PL901 [warning] `allow` of `deprecated-service` suppresses nothing",
        ],
        "{out}"
    );
    assert_eq!(code, 1);
    assert!(
        out.contains(":3:28: PL901"),
        "points at the allow entry: {out}"
    );
    assert!(out.contains(":21:81: PL901"), "the [[flow]]'s PL201: {out}");

    // --no-allow: everything, and no allow is called unused.
    let (_, out, _) = concise(&["--no-allow", &p]);
    for code in ["PL103", "PL104", "PL201"] {
        assert!(out.contains(code), "{code}: {out}");
    }
    assert!(!out.contains("PL901"), "{out}");

    // unused-allow can be ignored or made an error like any rule.
    let (_, out, _) = concise(&["--ignore", "unused-allow", &p]);
    assert!(!out.contains("PL901"), "{out}");
}

fn write_repo(dir: &Path) {
    fs::create_dir_all(dir.join("pipelines")).unwrap();
    fs::write(
        dir.join("pipelines/clicks.arch.toml"),
        "[pipeline]\nflows = [\"Kinesis -> S3\"]\n\n[services.spare]\nkind = \"s3\"\n",
    )
    .unwrap();
    fs::write(
        dir.join("pipelines/legacy.arch.toml"),
        "[services.ml]\nkind = \"machine-learning\"\n",
    )
    .unwrap();
}

#[test]
fn a_baseline_hides_known_findings_and_keeps_catching_new_ones() {
    let d = tempfile::tempdir().unwrap();
    write_repo(d.path());
    let dir = d.path();
    let base = dir.join("pipelint-baseline.json");
    let (code, out, err) = run_bin(
        &[
            "check",
            "pipelines",
            "--write-baseline",
            "pipelint-baseline.json",
        ],
        dir,
    );
    assert_eq!(code, 0, "writing a baseline succeeds: {out}{err}");
    assert!(
        err.contains("wrote a baseline of 4 findings to pipelint-baseline.json"),
        "{err}"
    );
    let text = fs::read_to_string(&base).unwrap();
    common::settings().bind(|| insta::assert_snapshot!("baseline__written", text));

    // Known findings are not reported; the run passes.
    let (code, out, err) = run_bin(
        &[
            "check",
            "pipelines",
            "--baseline",
            "pipelint-baseline.json",
            "--fail-on",
            "info",
        ],
        dir,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.ends_with("pipelint: no findings in 2 files\n"), "{out}");
    assert!(
        err.contains("4 findings in the baseline not shown"),
        "{err}"
    );

    // From another directory, with other paths, the same baseline applies.
    let (code, out, _) = run_bin(
        &[
            "check",
            &dir.join("pipelines").to_string_lossy(),
            "--baseline",
            &base.to_string_lossy(),
        ],
        &common::root(),
    );
    assert_eq!(code, 0, "{out}");

    // Edits elsewhere in a file move lines but not what the findings are about.
    let clicks = dir.join("pipelines/clicks.arch.toml");
    let moved = format!(
        "# Click stream\n# owned by the data team\n\n{}",
        fs::read_to_string(&clicks).unwrap()
    );
    fs::write(&clicks, &moved).unwrap();
    let (code, _, _) = run_bin(
        &["check", "pipelines", "--baseline", "pipelint-baseline.json"],
        dir,
    );
    assert_eq!(code, 0);

    // A new finding of a baselined rule on another service is new.
    fs::write(
        &clicks,
        format!("{moved}\n[services.spare2]\nkind = \"s3\"\n"),
    )
    .unwrap();
    let (code, out, _) = run_bin(
        &[
            "check",
            "pipelines",
            "--baseline",
            "pipelint-baseline.json",
            "--format",
            "concise",
            "--fail-on",
            "warning",
        ],
        dir,
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "pipelines/clicks.arch.toml:10:1: PL104 [warning] `spare2` (s3) is not in any flow\n"
    );

    // The same flow written twice: one is known, the second is new.
    fs::write(
        &clicks,
        moved.replace(
            "[\"Kinesis -> S3\"]",
            "[\"Kinesis -> S3\", \"Kinesis -> S3\"]",
        ),
    )
    .unwrap();
    let (code, out, _) = run_bin(
        &[
            "check",
            "pipelines",
            "--baseline",
            "pipelint-baseline.json",
            "--format",
            "concise",
        ],
        dir,
    );
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("pipelines/clicks.arch.toml:5:36: PL103"),
        "{out}"
    );
}

#[test]
fn machine_formats_leave_out_baselined_findings_too() {
    let d = tempfile::tempdir().unwrap();
    write_repo(d.path());
    let dir = d.path();
    let (code, _, _) = run_bin(&["check", ".", "--write-baseline", "b.json"], dir);
    assert_eq!(code, 0);
    let (code, out, _) = run_bin(
        &["check", ".", "--baseline", "b.json", "--format", "sarif"],
        dir,
    );
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_baselines_are_errors() {
    let d = tempfile::tempdir().unwrap();
    write_repo(d.path());
    let dir = d.path();
    let (code, _, err) = run_bin(&["check", ".", "--baseline", "missing.json"], dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("--baseline: cannot read missing.json"),
        "{err}"
    );
    fs::write(dir.join("b.json"), "{\"version\": 1}").unwrap();
    let (code, _, err) = run_bin(&["check", ".", "--baseline", "b.json"], dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("not a pipelint baseline: missing field `findings`"),
        "{err}"
    );

    // A file that cannot be checked: no partial baseline is written.
    fs::write(dir.join("pipelines/broken.arch.toml"), "[pipeline\n").unwrap();
    let (code, _, err) = run_bin(&["check", ".", "--write-baseline", "new.json"], dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("the baseline was not written to new.json"),
        "{err}"
    );
    assert!(!dir.join("new.json").exists());
}
