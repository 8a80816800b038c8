//! The bundled examples: snapshots of every output format, and the findings
//! each marks inline. Examples outside examples/findings/ must be clean.

mod common;

#[test]
fn examples_get_exactly_the_findings_they_mark() {
    let mut failures = Vec::new();
    let examples = common::files("examples", ".arch.toml");
    assert!(examples.len() >= 8, "at least eight examples");
    for path in &examples {
        let text = std::fs::read_to_string(path).expect("readable example");
        let want = common::expected_markers(&text);
        let rel = common::rel(path);
        if !rel.starts_with("examples/findings/") && !want.is_empty() {
            failures.push(format!("{rel}: a clean example must not expect findings"));
        }
        if rel.starts_with("examples/findings/") && want.is_empty() {
            failures.push(format!(
                "{rel}: an example under findings/ must show a finding"
            ));
        }
        let (_, got, _) = common::actual_findings(path);
        if want != got {
            failures.push(format!("{rel}\n  expected: {want:?}\n  got:      {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn snapshots_of_every_example_in_every_format() {
    let settings = common::settings();
    for path in common::files("examples", ".arch.toml") {
        let rel = common::rel(&path);
        let stem = rel
            .trim_start_matches("examples/")
            .trim_end_matches(".arch.toml")
            .replace('/', "__");
        for format in ["human", "concise", "json"] {
            let (code, out, err) =
                common::run(&["check", "--format", format, "--today", common::TODAY, &rel]);
            assert!(err.is_empty(), "{rel}: stderr: {err}");
            settings.bind(|| {
                insta::assert_snapshot!(
                    format!("example__{stem}__{format}"),
                    format!("exit: {code}\n{out}")
                );
            });
        }
    }
}
