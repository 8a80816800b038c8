//! The README's rules table is generated from the registry; this test fails
//! when the two drift. Run `pipelint rules --format markdown` to refresh it.

mod common;

#[test]
fn readme_rules_table_matches_the_registry() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let begin = "<!-- rules:begin -->\n";
    let end = "<!-- rules:end -->";
    let start = readme.find(begin).expect("rules:begin marker") + begin.len();
    let stop = readme.find(end).expect("rules:end marker");
    assert_eq!(
        &readme[start..stop],
        pipelint::cli::rules_markdown(),
        "the README rules table is stale: paste `pipelint rules --format markdown` between the markers"
    );
}

#[test]
fn readme_quick_start_commands_are_the_ones_ci_runs() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let ci = std::fs::read_to_string(common::root().join(".ci/run")).expect(".ci/run");
    assert!(
        readme.contains("cargo run --release -- check examples/"),
        "README quick start runs pipelint on the examples"
    );
    assert!(
        readme.contains("cargo test"),
        "README shows the test command"
    );
    assert!(
        ci.contains("cargo test"),
        ".ci/run runs the README's test command"
    );
}

#[test]
fn the_import_types_list_matches_the_mapping() {
    let path = common::root().join("rules/import/TYPES.md");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        text,
        pipelint::import::mapping::types_markdown(),
        "rules/import/TYPES.md is stale: regenerate it from pipelint::import::mapping::types_markdown()"
    );
}
