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

// --- Writing output files ----------------------------------------------------

const GOOD: &str = "[pipeline]\nflows = [\"Kinesis -> Firehose -> S3\"]\n";

/// Runs the real binary through `bash -c` (for umask and process
/// substitution); (exit code, stdout, stderr).
fn sh(script: &str, dir: &Path) -> (i32, String, String) {
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("PIPELINT", env!("CARGO_BIN_EXE_pipelint"))
        .current_dir(dir)
        .output()
        .expect("bash runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o7777
}

#[cfg(unix)]
#[test]
fn a_symlink_target_is_followed_and_the_link_kept() {
    let d = scratch();
    write(d.path(), "a.arch.toml", GOOD);
    write(d.path(), "real/out.dot", "old");
    std::os::unix::fs::symlink("real/out.dot", d.path().join("out.dot")).expect("a link");
    let (code, _, err) = sh(
        "$PIPELINT render --format dot a.arch.toml -o out.dot",
        d.path(),
    );
    assert_eq!(code, 0, "{err}");
    let link = std::fs::symlink_metadata(d.path().join("out.dot")).expect("the link");
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let text = std::fs::read_to_string(d.path().join("real/out.dot")).expect("the target");
    assert!(text.starts_with("digraph"), "{text}");
    // A dangling link: the file it names is created.
    std::os::unix::fs::symlink("real/new.dot", d.path().join("new.dot")).expect("a link");
    let (code, _, err) = sh(
        "$PIPELINT render --format dot a.arch.toml -o new.dot",
        d.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(d.path().join("real/new.dot").is_file());
    assert!(
        std::fs::symlink_metadata(d.path().join("new.dot"))
            .expect("link")
            .file_type()
            .is_symlink()
    );
}

#[cfg(unix)]
#[test]
fn written_files_keep_their_mode_and_new_ones_honour_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let d = scratch();
    write(d.path(), "a.arch.toml", GOOD);
    let kept = d.path().join("kept.dot");
    std::fs::write(&kept, "old").expect("a file");
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o664)).expect("chmod");
    write(
        d.path(),
        "t.yaml",
        "Resources:\n  S:\n    Type: AWS::SQS::Queue\n",
    );
    let (code, _, err) = sh(
        "umask 022 && $PIPELINT render --format dot a.arch.toml -o kept.dot \
         && $PIPELINT render --format dot a.arch.toml -o new022.dot \
         && umask 002 && $PIPELINT check --no-config --quiet --output-format sarif=new002.sarif a.arch.toml \
         && umask 077 && $PIPELINT import cloudformation t.yaml -o new077.toml",
        d.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&kept), 0o664);
    assert_eq!(mode(&d.path().join("new022.dot")), 0o644);
    assert_eq!(mode(&d.path().join("new002.sarif")), 0o664);
    assert_eq!(mode(&d.path().join("new077.toml")), 0o600);
}

#[cfg(unix)]
#[test]
fn fifos_process_substitution_and_process_fds_are_written_into() {
    let d = scratch();
    write(d.path(), "a.arch.toml", GOOD);
    // Process substitution: a pipe to another program.
    let (code, _, err) = sh(
        "$PIPELINT check --no-config --quiet --output-format sarif=>(cat > got.sarif) a.arch.toml; s=$?; wait; sleep 0.3; exit $s",
        d.path(),
    );
    assert_eq!(code, 0, "{err}");
    let got = std::fs::read_to_string(d.path().join("got.sarif")).unwrap_or_default();
    assert!(got.contains("\"version\": \"2.1.0\""), "{got}{err}");
    // A FIFO stays a FIFO, and its reader gets the report.
    let (code, _, err) = sh(
        "mkfifo pipe && (cat pipe > fifo.dot &) && $PIPELINT render --format dot a.arch.toml -o pipe; s=$?; sleep 0.3; exit $s",
        d.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(d.path().join("fifo.dot"))
            .unwrap_or_default()
            .starts_with("digraph")
    );
    {
        use std::os::unix::fs::FileTypeExt;
        let t = std::fs::symlink_metadata(d.path().join("pipe"))
            .expect("the fifo")
            .file_type();
        assert!(t.is_fifo(), "the FIFO was replaced");
    }
    // A link to standard output, as /dev/stdout is, stays a link, and the
    // report reaches standard output.
    std::os::unix::fs::symlink("/proc/self/fd/1", d.path().join("stdout")).expect("a link");
    let (code, out, err) = sh(
        "$PIPELINT render --format dot a.arch.toml -o stdout",
        d.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("digraph"), "{out}");
    assert!(
        std::fs::symlink_metadata(d.path().join("stdout"))
            .expect("link")
            .file_type()
            .is_symlink()
    );
    // /proc/self/fd/N itself.
    let (code, out, err) = sh(
        "$PIPELINT render --format dot a.arch.toml -o /proc/self/fd/1",
        d.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("digraph"), "{out}");
}

#[test]
fn an_input_file_is_never_overwritten() {
    let d = scratch();
    let a = write(d.path(), "a.arch.toml", GOOD);
    let t = write(
        d.path(),
        "t.yaml",
        "Resources:\n  S:\n    Type: AWS::SQS::Queue\n",
    );
    for args in [
        vec!["render", "--format", "dot", &a, "-o", &a],
        vec!["import", "cloudformation", &t, "-o", &t],
        vec![
            "check",
            "--no-config",
            "--output-format",
            &format!("sarif={a}"),
            &a,
        ],
        vec!["check", "--no-config", "--write-baseline", &a, &a],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("will not write to"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read_to_string(&a).expect("a"), GOOD);
    assert!(
        std::fs::read_to_string(&t)
            .expect("t")
            .starts_with("Resources")
    );
}

#[test]
fn a_failed_write_never_names_the_temporary_file() {
    let d = scratch();
    let a = write(d.path(), "a.arch.toml", GOOD);
    // A directory where nothing can be created (/proc refuses new files
    // even to root).
    let (code, _, err) = run(&[
        "check",
        "--no-config",
        "--output-format",
        "sarif=/proc/x.sarif",
        &a,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("/proc/x.sarif"), "{err}");
    assert!(!err.contains(".pipelint-"), "{err}");
}

// --- Money ---------------------------------------------------------------------

const HUGE: &str = "[pipeline]\nflows = [\"lake -> q\"]\n[services.lake]\nkind = \"s3\"\nstored_gb = 1e300\n[services.q]\nkind = \"athena\"\nscanned_tb_per_month = 9223372036854775807\n";

#[test]
fn amounts_too_large_to_count_are_said_to_be_so_never_wrapped() {
    let d = scratch();
    let huge = write(d.path(), "huge.arch.toml", HUGE);
    let small = write(
        d.path(),
        "small.arch.toml",
        "[pipeline]\nflows = [\"lake -> q\"]\n[services.lake]\nkind = \"s3\"\nstored_gb = 10\n[services.q]\nkind = \"athena\"\nscanned_tb_per_month = 1\n",
    );
    let (code, out, err) = run(&["cost", &huge]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("-$"), "{out}");
    let total = out
        .lines()
        .find(|l| l.starts_with("Total"))
        .unwrap_or_default();
    assert!(total.ends_with("too large to price"), "{total}");
    assert!(
        out.contains("Storage (standard): too large to price (1e300 GB-month"),
        "{out}"
    );
    let (_, json, _) = run(&["cost", "--format", "json", &huge]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert!(doc["total_monthly"].is_null(), "{doc:#}");
    let (code, out, err) = run(&["cost", "--compare", &small, &huge]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("-$"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("Total") && l.ends_with("too large to price")),
        "{out}"
    );
    let (code, out, err) = run(&["render", "--cost", "--format", "dot", &huge]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("the monthly cost is too large to price"),
        "{out}"
    );
    assert!(!out.contains("-$"));
}

// --- Configuration lists -----------------------------------------------------------

#[test]
fn every_configuration_list_is_bounded() {
    let d = scratch();
    let a = write(d.path(), "a.arch.toml", GOOD);
    let many = |n: usize, item: &str| {
        let items: Vec<String> = (0..n).map(|i| format!("\"{item}{i}\"")).collect();
        format!("[{}]", items.join(", "))
    };
    for (config, message) in [
        (
            format!("exclude = {}\n", many(501, "x/")),
            "`exclude` lists 501 glob patterns; pipelint reads up to 500",
        ),
        (
            format!("exclude = [\"{}\"]\n", "x".repeat(257)),
            "an entry of `exclude` has 257 characters; pipelint reads entries of up to 256",
        ),
        (
            format!("exclude = [\"{}\"]\n", "*a".repeat(17)),
            "wildcards; pipelint reads patterns of up to 16",
        ),
        (
            format!("select = {}\n", many(1001, "PL")),
            "`select` lists 1,001 rule codes or names; pipelint reads up to 1,000",
        ),
        (
            format!("ignore = {}\n", many(1001, "PL")),
            "`ignore` lists 1,001 rule codes or names; pipelint reads up to 1,000",
        ),
        (
            format!("rules = {}\n", many(101, "p")),
            "`rules` lists 101 rule-pack directories; pipelint reads up to 100",
        ),
        (
            format!(
                "[severity]\n{}",
                (0..1001)
                    .map(|i| format!("r{i} = \"error\"\n"))
                    .collect::<String>()
            ),
            "`severity` sets 1,001 rules; pipelint reads up to 1,000",
        ),
    ] {
        write(d.path(), "pipelint.toml", &config);
        let (code, out, err) = run(&["check", "--format", "json", &a]);
        assert_eq!(code, 2, "{message}: {out}{err}");
        assert!(
            format!("{out}{err}").contains(message),
            "{message}: {out}{err}"
        );
    }
}

// --- Control characters in text output -------------------------------------------

#[test]
fn control_characters_are_escaped_in_every_text_format() {
    let d = scratch();
    let kind = r#"x\n::warning file=evil::injected\u001b[31mred\u001b]0;title\u0007"#;
    let p = write(
        d.path(),
        "ctl.arch.toml",
        &format!(
            "[pipeline]\nflows = [\"a -> b\"]\n[services.a]\nkind = \"{kind}\"\n[services.b]\nkind = \"s3\"\n"
        ),
    );
    for format in ["human", "concise", "github"] {
        let (code, out, _) = run(&["check", "--no-config", "--format", format, &p]);
        assert_eq!(code, 1, "{format}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{format}: {out:?}"
        );
        assert!(
            !out.lines().any(|l| l.trim_start().starts_with("::warning")),
            "{format}: a line starts a workflow command: {out}"
        );
        assert!(
            out.contains("x\\n::warning file=evil::injected\\u{1b}[31mred"),
            "{format}: {out}"
        );
    }
    // A line break in a file name does not split a concise line.
    let named = write(
        d.path(),
        "a\nb.arch.toml",
        "[pipeline]\nflows = [\"Kinesis -> S3\"]\n",
    );
    let (_, out, _) = run(&["check", "--no-config", "--format", "concise", &named]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("a\\nb.arch.toml:2:"), "{out}");
}

// --- Smaller honesty items --------------------------------------------------------------

#[test]
fn a_nul_byte_is_reported_with_its_line_and_column() {
    let d = scratch();
    let p = d.path().join("bin.arch.toml");
    std::fs::write(&p, b"[pipeline]\nflows = [\"a\0\"]\n").expect("a file");
    let (code, e) = errors(&[&p.to_string_lossy()]);
    assert_eq!(code, 2);
    let m = e[0]["message"].as_str().unwrap_or_default();
    assert!(
        m.contains("a NUL byte at line 2, column 12, offset 22"),
        "{m}"
    );
}

#[test]
fn counts_beyond_32_bits_are_refused_at_load_with_the_range() {
    let d = scratch();
    let p = write(
        d.path(),
        "u.arch.toml",
        "[pipeline]\nflows = [\"s -> f\"]\n[services.s]\nkind = \"kinesis\"\nshards = 4294967296\nconsumers = 99999999999\n[services.f]\nkind = \"firehose\"\n",
    );
    let (code, e) = errors(&[&p]);
    assert_eq!(code, 2);
    let messages: Vec<&str> = e
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "`shards` must be at most 4294967295",
            "`consumers` must be at most 4294967295"
        ]
    );
}

#[test]
fn a_terraform_file_too_large_is_named_by_its_own_path() {
    let d = scratch();
    let dir = d.path().join("tf");
    std::fs::create_dir(&dir).expect("a directory");
    std::fs::write(dir.join("a.tf"), "").expect("a file");
    std::fs::write(dir.join("main.tf"), vec![b'#'; 17 * 1024 * 1024]).expect("a file");
    let (code, e) = errors(&["--from", "terraform", &dir.to_string_lossy()]);
    assert_eq!(code, 2);
    let m = e[0]["message"].as_str().unwrap_or_default();
    assert!(m.contains("main.tf: the file has"), "{m}");
}
