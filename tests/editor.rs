//! Generated files users rely on: the JSON Schema for editors (in sync with
//! `pipelint schema`, and agreeing with what pipelint accepts), the rule
//! documentation pages that SARIF links to, shell completions and manual
//! pages. `PIPELINT_UPDATE_GENERATED=1 cargo test --test editor` rewrites
//! the checked-in files.

mod common;

use std::fs;

use serde_json::Value;

fn update() -> bool {
    std::env::var("PIPELINT_UPDATE_GENERATED").is_ok_and(|v| v == "1")
}

/// Compares a checked-in generated file with what pipelint generates now.
fn in_sync(rel: &str, generated: &str) -> Option<String> {
    let path = common::root().join(rel);
    if update() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, generated).unwrap();
        return None;
    }
    match fs::read_to_string(&path) {
        Ok(text) if text == generated => None,
        Ok(_) => Some(format!("{rel} is stale")),
        Err(_) => Some(format!("{rel} is missing")),
    }
}

fn schema_text() -> String {
    let (code, out, _) = common::run(&["schema"]);
    assert_eq!(code, 0);
    out
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&schema_text()).expect("the schema is JSON");
    jsonschema::draft7::new(&schema).expect("a valid draft-07 schema")
}

fn toml_to_json(text: &str) -> Value {
    let v: toml::Value = toml::from_str(text).expect("TOML");
    serde_json::to_value(v).expect("JSON")
}

fn errors(v: &jsonschema::Validator, text: &str) -> Vec<String> {
    v.iter_errors(&toml_to_json(text))
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_checked_in_schema_is_what_pipelint_schema_prints() {
    if let Some(problem) = in_sync("schema/pipelint-arch.schema.json", &schema_text()) {
        panic!("{problem}: run `PIPELINT_UPDATE_GENERATED=1 cargo test --test editor`");
    }
}

#[test]
fn every_file_pipelint_accepts_is_valid_against_the_schema() {
    let v = validator();
    let mut files = common::files("examples", ".toml");
    files.extend(common::files("tests/fixtures/rules", ".toml"));
    let mut checked = 0;
    for path in files {
        let rel = common::rel(&path);
        let (_, _, doc) = common::actual_findings(&path);
        // An unknown kind is an error finding, and the schema says so too.
        let unknown_kind = doc["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "unknown-service-kind");
        let text = fs::read_to_string(&path).unwrap();
        let found = errors(&v, &text);
        if unknown_kind {
            assert!(
                !found.is_empty(),
                "{rel}: the schema accepts an unknown kind"
            );
        } else {
            assert!(found.is_empty(), "{rel}:\n{}", found.join("\n"));
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let v = validator();
    for name in [
        "attribute-not-for-kind",
        "bad-duration",
        "bad-enum",
        "below-minimum",
        "flow-table-incomplete",
        "flows-in-service",
        "flows-not-array",
        "lonely-name",
        "missing-kind",
        "not-a-whole-number",
        "unknown-allow-rule",
        "unknown-key",
        "unknown-pipeline-key",
        "unknown-table-field",
        "unknown-top-level-key",
        "wrong-type",
    ] {
        let text =
            fs::read_to_string(common::root().join(format!("tests/fixtures/invalid/{name}.toml")))
                .unwrap();
        assert!(
            !errors(&v, &text).is_empty(),
            "{name} is valid against the schema"
        );
    }
}

#[test]
fn kinds_and_values_match_in_any_spelling_pipelint_takes() {
    let v = validator();
    let pack = pipelint::Pack::embedded();
    // Every name of every kind, as written and in capitals.
    for def in pack.services() {
        let mut names = vec![def.id.clone(), def.name.clone()];
        names.extend(def.aliases.iter().cloned());
        for r in &def.renamed_from {
            names.push(r.name.clone());
            names.extend(r.aliases.iter().cloned());
        }
        for n in names {
            for spelled in [n.clone(), n.to_uppercase()] {
                let text = format!("[services.x]\nkind = {spelled:?}\n");
                assert!(pack.resolve(&spelled).is_some(), "{spelled}");
                let e = errors(&v, &text);
                assert!(e.is_empty(), "{spelled}: {e:?}");
            }
        }
    }
    for (text, valid) in [
        (
            "[services.x]\nkind = \"Amazon_Kinesis  data-streams\"\nshards = 2\n",
            true,
        ),
        ("[services.x]\nkind = \"aws glue data catalog\"\n", true),
        ("[services.x]\nkind = \"kinesys\"\n", false),
        (
            "[services.x]\nkind = \"kinesis\"\nmode = \"On_Demand\"\n",
            true,
        ),
        (
            "[services.x]\nkind = \"kinesis\"\nmode = \"reserved\"\n",
            false,
        ),
        ("[services.x]\nkind = \"s3\"\nshards = 2\n", false),
        ("[services.x]\nkind = \"kinesis\"\nshards = 0\n", false),
        (
            "[services.x]\nkind = \"kinesis\"\nallow = [\"pl104\", { rule = \"orphan-service\", reason = \"r\" }]\n",
            true,
        ),
        (
            "[services.x]\nkind = \"kinesis\"\nallow = [{ reason = \"r\" }]\n",
            false,
        ),
        ("[services.\"a -> b\"]\nkind = \"s3\"\n", false),
        (
            "[pipeline]\nmax_latency = \"1h 30m\"\nflows = [\"a → b\"]\n",
            true,
        ),
    ] {
        let e = errors(&v, text);
        assert_eq!(e.is_empty(), valid, "{text}: {e:?}");
        let loads = pipelint::load(pipelint::SourceFile::new("x", text), pack).is_ok();
        if valid {
            assert!(loads || text.contains("flows"), "pipelint refuses {text}");
        }
    }
}

#[test]
fn rule_pages_are_generated_from_the_registry() {
    let mut problems = Vec::new();
    let mut expected = std::collections::BTreeSet::new();
    for r in pipelint::rules::RULES {
        let name = r.meta().name;
        let (_, page, _) = common::run(&["explain", name]);
        let rel = format!("docs/rules/{name}.md");
        problems.extend(in_sync(&rel, &page));
        expected.insert(format!("{name}.md"));
    }
    for e in fs::read_dir(common::root().join("docs/rules")).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().into_owned();
        if !expected.contains(&n) {
            problems.push(format!("docs/rules/{n} documents no rule"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nrun `PIPELINT_UPDATE_GENERATED=1 cargo test --test editor`",
        problems.join("\n")
    );
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, out, _) = common::run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        for word in ["check", "explain", "output-format", "write-baseline"] {
            assert!(out.contains(word), "{shell} completion lacks {word}");
        }
    }
    let (code, _, err) = common::run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    let (_, bash, _) = common::run(&["completions", "bash"]);
    let has_bash = std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_ok();
    if common::require("bash", has_bash) {
        let d = tempfile::tempdir().unwrap();
        let script = d.path().join("pipelint.bash");
        fs::write(&script, &bash).unwrap();
        let status = std::process::Command::new("bash")
            .arg("-n")
            .arg(&script)
            .status()
            .unwrap();
        assert!(status.success(), "the bash completion does not parse");
    }
    common::settings().bind(|| insta::assert_snapshot!("cli__completions_bash", bash));
}

#[test]
fn manual_pages() {
    let (code, page, _) = common::run(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH pipelint 1"), "{page}");
    for sub in [
        "check",
        "explain",
        "rules",
        "services",
        "schema",
        "completions",
    ] {
        assert!(page.contains(sub), "the page lists {sub}");
    }
    let (code, check, _) = common::run(&["man", "check"]);
    assert_eq!(code, 0);
    assert!(check.contains(".TH pipelint-check 1"), "{check}");
    common::settings().bind(|| insta::assert_snapshot!("cli__man_check", check));
    let (code, _, err) = common::run(&["man", "chek"]);
    assert_eq!(code, 2);
    assert!(err.contains("`chek` is not a pipelint command"), "{err}");
}
