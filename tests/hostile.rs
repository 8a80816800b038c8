//! Hostile input, one test per way it once broke a promise: each feeds the
//! smallest input that showed the problem and checks the behaviour that
//! replaced it (a clear diagnostic with exit 2, an honest figure, a file
//! written where it belongs). The growth of time with each size a user
//! controls is checked in `tests/complexity.rs`.

mod common;

use std::path::Path;

use common::run;

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("a directory");
    }
    std::fs::write(&p, text).expect("a file");
    p.to_string_lossy().into_owned()
}

/// `check --format json` on one path: (exit code, the first file's errors).
fn errors(args: &[&str]) -> (u8, serde_json::Value) {
    let mut full = vec!["check", "--format", "json"];
    full.extend_from_slice(args);
    let (code, out, err) = run(&full);
    let doc: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}{err}"));
    (code, doc["files"][0]["errors"].clone())
}

// --- Templates: repeated ids ------------------------------------------------

#[test]
fn a_logical_id_defined_twice_in_yaml_is_an_error_at_the_second() {
    let d = scratch();
    let p = write(
        d.path(),
        "t.yaml",
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SQS::Queue\n",
    );
    let (code, e) = errors(&["--from", "cloudformation", &p]);
    assert_eq!(code, 2);
    assert_eq!(e[0]["message"], "`Q` is defined twice", "{e:#}");
    assert_eq!(
        (e[0]["line"].as_u64(), e[0]["column"].as_u64()),
        (Some(4), Some(3))
    );
    let help = e[0]["help"].as_str().unwrap_or_default();
    assert!(help.starts_with("first defined on line 2;"), "{help}");
}

#[test]
fn a_key_defined_twice_in_json_or_in_properties_is_an_error() {
    let d = scratch();
    let json = write(
        d.path(),
        "t.json",
        r#"{"Resources":{"Q":{"Type":"AWS::SQS::Queue"},"Q":{"Type":"AWS::SQS::Queue"}}}"#,
    );
    let (code, e) = errors(&["--from", "cloudformation", &json]);
    assert_eq!(code, 2);
    assert_eq!(
        (e[0]["line"].as_u64(), e[0]["column"].as_u64()),
        (Some(1), Some(46))
    );
    let help = e[0]["help"].as_str().unwrap_or_default();
    assert!(
        help.starts_with("first defined on line 1, column 15;"),
        "{help}"
    );
    // Deep in a resource, and in a mapping too large for a linear search.
    let mut props: String = (0..40).map(|i| format!("      P{i}: 1\n")).collect();
    props.push_str("      P7: 2\n");
    let yaml = write(
        d.path(),
        "p.yaml",
        &format!("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n{props}"),
    );
    let (code, e) = errors(&["--from", "cloudformation", &yaml]);
    assert_eq!(code, 2);
    assert_eq!(e[0]["message"], "`P7` is defined twice");
    assert_eq!(e[0]["line"].as_u64(), Some(45));
    assert!(
        e[0]["help"]
            .as_str()
            .unwrap_or_default()
            .starts_with("first defined on line 12;")
    );
}

#[test]
fn a_terraform_address_defined_twice_is_an_error_naming_the_first() {
    let d = scratch();
    let one = write(
        d.path(),
        "one/main.tf",
        "resource \"aws_sqs_queue\" \"q\" {}\nresource \"aws_sqs_queue\" \"q\" {}\n",
    );
    let (code, e) = errors(&["--from", "terraform", &one]);
    assert_eq!(code, 2);
    assert_eq!(
        e[0]["message"],
        "resource `aws_sqs_queue.q` is defined twice"
    );
    assert_eq!(e[0]["line"].as_u64(), Some(2));
    assert_eq!(
        e[0]["help"],
        "first defined on line 1; names must be unique per type in each module"
    );
    // Across the files of a directory, the first is named by its file.
    write(
        d.path(),
        "two/a.tf",
        "variable \"v\" {}\n\nresource \"aws_sqs_queue\" \"q\" {}\n",
    );
    write(
        d.path(),
        "two/b.tf",
        "resource \"aws_sqs_queue\" \"q\" {}\n",
    );
    let dir = d.path().join("two").to_string_lossy().into_owned();
    let (code, e) = errors(&["--from", "terraform", &dir]);
    assert_eq!(code, 2);
    let help = e[0]["help"].as_str().unwrap_or_default();
    assert!(help.starts_with("first defined on line 3 of "), "{help}");
    assert!(help.contains("a.tf"), "{help}");
    // Data sources, module calls, variables, outputs and locals likewise.
    for (text, message) in [
        (
            "data \"aws_s3_bucket\" \"b\" {}\ndata \"aws_s3_bucket\" \"b\" {}\n",
            "data source `data.aws_s3_bucket.b` is defined twice",
        ),
        (
            "variable \"v\" {}\nvariable \"v\" {}\n",
            "variable `v` is defined twice",
        ),
        (
            "output \"o\" { value = 1 }\noutput \"o\" { value = 2 }\n",
            "output `o` is defined twice",
        ),
        (
            "module \"m\" { source = \"x/y\" }\nmodule \"m\" { source = \"x/y\" }\n",
            "module call `m` is defined twice",
        ),
        (
            "locals { a = 1 }\nlocals { a = 2 }\n",
            "local value `a` is defined twice",
        ),
    ] {
        let p = write(d.path(), "k/main.tf", text);
        let (code, e) = errors(&["--from", "terraform", &p]);
        assert_eq!(code, 2, "{text}");
        assert_eq!(e[0]["message"], message, "{text}");
        assert_eq!(e[0]["line"].as_u64(), Some(2), "{text}");
    }
}

#[test]
fn ids_that_differ_only_in_case_stay_distinct() {
    let d = scratch();
    let p = write(
        d.path(),
        "t.yaml",
        "Resources:\n  q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SQS::Queue\n  Q-2:\n    Type: AWS::SQS::Queue\n",
    );
    let (code, out, err) = run(&["import", "cloudformation", &p]);
    assert_eq!(code, 0, "{err}");
    // First come, first named: `Q` takes `Q-2`, so the template's own `Q-2` is next.
    for id in ["[services.q]", "[services.Q-2]", "[services.Q-2-2]"] {
        assert!(out.contains(id), "{id} missing from:\n{out}");
    }
}

// --- Templates: the YAML library's panics ------------------------------------

#[test]
fn inputs_that_panic_the_yaml_library_are_syntax_errors_at_their_place() {
    let d = scratch();
    // (input, line, column of the diagnostic; None: the input is read).
    for (text, at) in [
        ("{!,", Some((1, 3))),
        ("\"\\", Some((1, 2))),
        ("e: |\n e", None),
    ] {
        let p = write(d.path(), "t.yaml", text);
        let (code, out, err) = common::run_bin(
            &["check", "--format", "json", "--from", "cloudformation", &p],
            d.path(),
        );
        assert_eq!(code, 2, "{text:?}: {err}");
        assert!(!err.contains("panicked"), "{text:?}: {err}");
        let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let e = &doc["files"][0]["errors"][0];
        match at {
            Some((line, col)) => {
                assert!(
                    e["message"]
                        .as_str()
                        .unwrap_or_default()
                        .starts_with("YAML syntax error"),
                    "{text:?}: {e:#}"
                );
                assert_eq!(
                    (e["line"].as_u64(), e["column"].as_u64()),
                    (Some(line), Some(col)),
                    "{text:?}: {e:#}"
                );
            }
            // Valid YAML, which the library once could not read: it is now
            // read, and found not to be a template.
            None => assert!(
                e["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("no `Resources`"),
                "{text:?}: {e:#}"
            ),
        }
    }
}
