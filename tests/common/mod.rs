//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The date every test evaluates lifecycle rules on, so results do not move
/// with the calendar.
pub const TODAY: &str = "2026-11-21";

pub fn today() -> pipelint::Date {
    TODAY.parse().expect("a valid date")
}

/// Insta settings: snapshots live in the top-level `snapshots/`.
pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout, when it is there.
pub fn shared() -> Option<PathBuf> {
    let p = root().join("../shared");
    p.is_dir().then_some(p)
}

/// Whether this run is CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Says on the terminal that a test was skipped, and why. Straight to the
/// stderr handle: the test harness captures `eprintln!`, and a skip the user
/// cannot see passes silently.
pub fn skip(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}

/// Skips (returns false) when a prerequisite is missing outside CI; in CI a
/// missing prerequisite fails the test.
pub fn require(what: &str, present: bool) -> bool {
    if present {
        return true;
    }
    if in_ci() {
        panic!("{what} is required when CI=true but is missing");
    }
    skip(&format!(
        "{what} is not available (it is required when CI=true)"
    ));
    false
}

/// Runs the CLI in-process; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (u8, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut full = vec!["pipelint"];
    full.extend_from_slice(args);
    let code = pipelint::cli::run(full, &mut out, &mut err, false);
    (
        code,
        String::from_utf8(out).expect("utf-8 stdout"),
        String::from_utf8(err).expect("utf-8 stderr"),
    )
}

/// Runs the real binary; returns (exit code, stdout, stderr).
pub fn run_bin(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pipelint"))
        .args(args)
        .current_dir(dir)
        .env("PIPELINT_TODAY", TODAY)
        .env_remove("NO_COLOR")
        .output()
        .expect("the pipelint binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Files under `dir` (relative to the crate root) whose names end with `suffix`, sorted.
pub fn files(dir: &str, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.expect("a directory entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(suffix) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A path relative to the crate root, with '/' separators, for stable output.
pub fn rel(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The findings a file expects, marked inline: `# expect: rule-a, rule-b` at
/// the end of the line the findings point at. Returns (line, rule) pairs.
pub fn expected_markers(text: &str) -> std::collections::BTreeSet<(usize, String)> {
    let mut out = std::collections::BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((_, rest)) = line.split_once("# expect:") {
            for rule in rest.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                out.insert((i + 1, rule.to_string()));
            }
        }
    }
    out
}

/// Checks a file with the CLI's JSON output; returns (exit code, (line, rule) pairs).
pub fn actual_findings(
    path: &Path,
) -> (
    u8,
    std::collections::BTreeSet<(usize, String)>,
    serde_json::Value,
) {
    let p = path.to_string_lossy().into_owned();
    let (code, out, err) = run(&["check", "--format", "json", "--today", TODAY, &p]);
    let doc: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{p}: not JSON ({e}): {out}{err}"));
    let mut set = std::collections::BTreeSet::new();
    for file in doc["files"].as_array().into_iter().flatten() {
        if let Some(errors) = file.get("errors") {
            panic!("{p} did not load: {errors:#}");
        }
        for f in file["findings"].as_array().into_iter().flatten() {
            set.insert((
                f["line"].as_u64().unwrap_or(0) as usize,
                f["rule"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    (code, set, doc)
}
