//! Bad input: every file under tests/fixtures/invalid/ must be refused with
//! exit code 2 and a diagnostic that says what is wrong where; the header line
//! `# error: TEXT` names text the message must contain. The human rendering of
//! each is pinned in a snapshot, so the span it points at is reviewed.

mod common;

#[test]
fn invalid_files_are_refused_with_a_precise_diagnostic() {
    let settings = common::settings();
    let fixtures = common::files("tests/fixtures/invalid", ".toml");
    assert!(fixtures.len() >= 20);
    for path in fixtures {
        let rel = common::rel(&path);
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let want = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# error: "))
            .unwrap_or_else(|| panic!("{rel}: first line must be `# error: TEXT`"));
        let (code, out, _) = common::run(&["check", "--format", "json", &rel]);
        assert_eq!(code, 2, "{rel}: exit code");
        let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
        let errors = doc["files"][0]["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{rel}: no errors in {out}"));
        assert!(
            errors
                .iter()
                .any(|e| e["message"].as_str().is_some_and(|m| m.contains(want))),
            "{rel}: no error message contains {want:?}: {errors:#?}"
        );
        for e in errors {
            assert!(
                e["line"].as_u64().is_some(),
                "{rel}: every error here has a position: {e}"
            );
        }
        let (_, human, _) = common::run(&["check", &rel]);
        let stem = rel
            .trim_start_matches("tests/fixtures/invalid/")
            .trim_end_matches(".toml");
        settings.bind(|| insta::assert_snapshot!(format!("invalid__{stem}"), human));
    }
}
