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

/// The first fenced block after a heading of a rule's doc, with its language.
fn doc_block<'a>(doc: &'a str, heading: &str) -> Option<(&'a str, &'a str)> {
    let after = &doc[doc.find(heading)? + heading.len()..];
    let fence = after.find("```")?;
    let rest = &after[fence + 3..];
    let (lang, body) = rest.split_once('\n')?;
    let len = body.find("```")?;
    Some((lang.trim(), &body[..len]))
}

#[test]
fn every_documented_example_fires_its_rule() {
    let pack = pipelint::Pack::embedded();
    let opts = pipelint::CheckOptions::new(common::today());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut problems = Vec::new();
    for rule in RULES {
        let m = rule.meta();
        let report = match doc_block(m.doc, "## Example") {
            Some(("toml", example)) => pipelint::check_source(
                "example.arch.toml",
                pipelint::SourceFile::new("example.arch.toml", example),
                pack,
                &opts,
            ),
            // Rules about templates show a template.
            Some(("yaml", example)) => {
                let path = dir.path().join(format!("{}.yaml", m.name));
                std::fs::write(&path, example).expect("write the example");
                pipelint::check_template(
                    &path,
                    "example.yaml",
                    pipelint::import::Format::CloudFormation,
                    pack,
                    &opts,
                )
            }
            _ => {
                problems.push(format!("{}: no ```toml or ```yaml example", m.name));
                continue;
            }
        };
        match report.outcome {
            pipelint::report::Outcome::Checked { findings, .. } => {
                if !findings.iter().any(|f| f.rule.name == m.name) {
                    problems.push(format!("{}: its example does not fire it", m.name));
                }
            }
            pipelint::report::Outcome::Failed { errors, .. } => {
                problems.push(format!("{}: its example does not load: {errors:?}", m.name));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
