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

/// The `pipelint` command lines in a document (in Markdown, in its code
/// blocks), joined across `\` line ends, without comments, redirections and
/// what follows `&&`.
fn command_lines(text: &str, markdown: bool) -> Vec<String> {
    let mut joined = Vec::new();
    let mut current = String::new();
    let mut in_code = !markdown;
    for line in text.lines() {
        let line = line.trim_end();
        if markdown && line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            continue;
        }
        if let Some(stripped) = line.strip_suffix('\\') {
            current.push_str(stripped);
            current.push(' ');
            continue;
        }
        current.push_str(line);
        joined.push(std::mem::take(&mut current));
    }
    joined
        .iter()
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("- ").unwrap_or(l);
            let l = l.strip_prefix("run: ").unwrap_or(l);
            let l = l.strip_prefix("$ ").unwrap_or(l);
            let l = l.strip_prefix("entry: ").unwrap_or(l);
            l.starts_with("pipelint ").then(|| {
                let l = l.split(" #").next().unwrap_or(l);
                let l = l.split(" > ").next().unwrap_or(l);
                let l = l.split(" && ").next().unwrap_or(l);
                l.to_string()
            })
        })
        .collect()
}

#[test]
fn documented_command_lines_are_accepted() {
    let mut checked = 0;
    for doc in [
        "README.md",
        "docs/github-actions.md",
        "docs/PERFORMANCE.md",
        "action.yml",
        ".pre-commit-hooks.yaml",
    ] {
        let text = std::fs::read_to_string(common::root().join(doc)).expect(doc);
        for line in command_lines(&text, doc.ends_with(".md")) {
            // The action's shell variables, with values a user could give.
            let line = line
                .replace("$PIPELINT_PATHS", ".")
                .replace("\"${fail_on[@]}\"", "--fail-on error")
                .replace("$PIPELINT_ARGS", "")
                .replace("\"sarif=$PIPELINT_SARIF\"", "sarif=pipelint.sarif");
            let words: Vec<&str> = line.split_whitespace().collect();
            if let Err(e) = <pipelint::cli::Cli as clap::Parser>::try_parse_from(&words) {
                panic!("{doc}: `{line}` is not a valid command line:\n{e}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked}");
}

#[test]
fn the_taplo_configuration_points_at_the_schema() {
    let text = std::fs::read_to_string(common::root().join(".taplo.toml")).expect(".taplo.toml");
    let config: toml::Value = toml::from_str(&text).expect("TOML");
    let path = config["rule"][0]["schema"]["path"]
        .as_str()
        .expect("a schema path");
    assert!(common::root().join(path).is_file(), "{path}");
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    assert!(
        readme.contains(&format!("#:schema {path}")),
        "README shows the #:schema directive"
    );
}
