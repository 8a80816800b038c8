//! Per-rule fixtures: every file under tests/fixtures/rules/<rule>/ (an
//! architecture file, or a CloudFormation or Terraform template for the rules
//! about imports) marks the findings it expects inline (`# expect: rule`); a
//! finding on any other line, or a missing one, fails. Each rule has a fixture
//! where it fires and one where it stays quiet.

mod common;

use std::collections::BTreeSet;

use pipelint::rules::RULES;

/// Fixture files: architecture files and templates.
fn fixtures(dir: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for ext in [".toml", ".yaml", ".tf"] {
        out.extend(common::files(dir, ext));
    }
    out.sort();
    out
}

#[test]
fn every_fixture_gets_exactly_the_findings_it_marks() {
    let mut failures = Vec::new();
    for path in fixtures("tests/fixtures/rules") {
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let want = common::expected_markers(&text);
        let (_, got, _) = common::actual_findings(&path);
        if want != got {
            failures.push(format!(
                "{}\n  expected: {want:?}\n  got:      {got:?}",
                common::rel(&path)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures disagree:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_firing_and_a_quiet_fixture() {
    let dir = common::root().join("tests/fixtures/rules");
    let mut problems = Vec::new();
    for rule in RULES {
        let name = rule.meta().name;
        let files = fixtures(&format!("tests/fixtures/rules/{name}"));
        let (mut fires, mut quiet) = (false, false);
        for f in &files {
            let text = std::fs::read_to_string(f).expect("readable fixture");
            if common::expected_markers(&text)
                .iter()
                .any(|(_, r)| r == name)
            {
                fires = true;
            } else {
                quiet = true;
            }
        }
        if !fires {
            problems.push(format!("{name}: no fixture where it fires"));
        }
        if !quiet {
            problems.push(format!("{name}: no fixture where it stays quiet"));
        }
    }
    // No fixture directory for a rule that does not exist.
    let names: BTreeSet<&str> = RULES.iter().map(|r| r.meta().name).collect();
    for e in std::fs::read_dir(&dir).expect("fixtures directory") {
        let n = e.expect("entry").file_name().to_string_lossy().into_owned();
        if !names.contains(n.as_str()) {
            problems.push(format!("tests/fixtures/rules/{n}: not a rule"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
