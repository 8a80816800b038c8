//! The command line as users and CI meet it: exit codes, errors, directories,
//! determinism.

mod common;

use std::fs;

use common::{TODAY, run, run_bin};

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

#[test]
fn exit_codes_follow_the_fail_level() {
    let d = scratch();
    let warn = d.path().join("warn.arch.toml");
    fs::write(
        &warn,
        "[pipeline]\nflows = [\"Kinesis -> Firehose\"]\n[services.spare]\nkind = \"s3\"\n",
    )
    .unwrap();
    let p = warn.to_string_lossy().into_owned();
    // A warning (orphan-service) does not fail by default...
    assert_eq!(run(&["check", &p, "--today", TODAY]).0, 0);
    // ...but does with --fail-on warning or info.
    assert_eq!(
        run(&["check", &p, "--today", TODAY, "--fail-on", "warning"]).0,
        1
    );
    assert_eq!(
        run(&["check", &p, "--today", TODAY, "--fail-on", "info"]).0,
        1
    );
    let err = d.path().join("err.arch.toml");
    fs::write(&err, "flows = [\"Kinesis -> S3\"]\n").unwrap();
    assert_eq!(
        run(&["check", &err.to_string_lossy(), "--today", TODAY]).0,
        1
    );
}

#[test]
fn a_bad_file_exits_2_even_beside_good_ones_and_the_others_are_still_checked() {
    let d = scratch();
    fs::write(
        d.path().join("a.arch.toml"),
        "flows = [\"Kinesis -> S3\"]\n",
    )
    .unwrap();
    fs::write(d.path().join("b.arch.toml"), "[pipeline\n").unwrap();
    let (code, out, _) = run(&[
        "check",
        "--format",
        "concise",
        "--today",
        TODAY,
        &d.path().to_string_lossy(),
    ]);
    assert_eq!(code, 2);
    assert!(out.contains("a.arch.toml:1:19: PL103 [error]"), "{out}");
    assert!(
        out.contains("b.arch.toml:1:10: error: TOML syntax error"),
        "{out}"
    );
}

#[test]
fn binary_huge_and_non_utf8_files_are_refused() {
    let d = scratch();
    let bin = d.path().join("bin.arch.toml");
    fs::write(&bin, [0x7f, b'E', b'L', b'F', 0, 1, 2]).unwrap();
    let (code, out, _) = run(&["check", &bin.to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(out.contains("binary file"), "{out}");

    let latin = d.path().join("latin.arch.toml");
    fs::write(&latin, b"[pipeline]\nname = \"caf\xe9\"\n").unwrap();
    let (code, out, _) = run(&["check", "--format", "concise", &latin.to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(
        out.contains("latin.arch.toml:2:12: error: the file is not valid UTF-8"),
        "{out}"
    );

    let huge = d.path().join("huge.arch.toml");
    let f = fs::File::create(&huge).unwrap();
    f.set_len(pipelint::fsutil::MAX_FILE_BYTES + 1).unwrap();
    let (code, out, _) = run(&["check", "--format", "concise", &huge.to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(
        out.contains("has 16,777,217 bytes; pipelint reads files of up to 16 MiB"),
        "{out}"
    );
}

#[test]
fn directories_are_searched_for_architecture_files_only() {
    let d = scratch();
    fs::create_dir_all(d.path().join("nested/.hidden")).unwrap();
    fs::write(
        d.path().join("nested/arch.toml"),
        "flows = [\"Kinesis -> Firehose -> S3\"]\n",
    )
    .unwrap();
    fs::write(d.path().join("nested/.hidden/x.arch.toml"), "[broken\n").unwrap();
    fs::write(d.path().join("Cargo.toml"), "[package]\n").unwrap();
    let (code, out, _) = run(&["check", &d.path().to_string_lossy(), "--today", TODAY]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no findings in 1 file"), "{out}");

    let empty = scratch();
    let (code, out, _) = run(&["check", &empty.path().to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(out.contains("no architecture files"), "{out}");
}

#[cfg(unix)]
#[test]
fn symlinked_files_are_checked_and_link_loops_and_unreadable_directories_are_survived() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let d = scratch();
    let real = d.path().join("real");
    fs::create_dir_all(&real).unwrap();
    fs::write(real.join("a.arch.toml"), "flows = [\"Kinesis -> S3\"]\n").unwrap();
    // A link to a file is followed; a link back up the tree is not entered.
    symlink(real.join("a.arch.toml"), d.path().join("linked.arch.toml")).unwrap();
    symlink(d.path(), real.join("loop")).unwrap();
    let (code, out, _) = run(&[
        "check",
        "--format",
        "concise",
        "--today",
        TODAY,
        &d.path().to_string_lossy(),
    ]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out.matches("PL103").count(), 2, "{out}");

    let locked = d.path().join("locked");
    fs::create_dir_all(&locked).unwrap();
    fs::write(
        locked.join("arch.toml"),
        "flows = [\"Kinesis -> Firehose\"]\n",
    )
    .unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: the case only means something for other users.
    if fs::read_dir(&locked).is_err() {
        let (code, out, _) = run(&[
            "check",
            "--format",
            "concise",
            "--today",
            TODAY,
            &d.path().to_string_lossy(),
        ]);
        assert_eq!(code, 2, "{out}");
        assert!(
            out.contains("locked:1:1: error: cannot read the directory: permission denied"),
            "{out}"
        );
        assert_eq!(
            out.matches("PL103").count(),
            2,
            "the other files are still checked: {out}"
        );
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_is_refused_without_waiting_and_the_others_are_checked() {
    let d = scratch();
    let fifo = d.path().join("pipe.arch.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !common::require("mkfifo", made.is_ok_and(|s| s.success())) {
        return;
    }
    let good = d.path().join("good.arch.toml");
    fs::write(&good, "flows = [\"Kinesis -> S3\"]\n").unwrap();
    for path in [fifo.to_string_lossy().into_owned(), "/dev/null".to_string()] {
        let (code, out, _) = run(&[
            "check",
            "--format",
            "concise",
            "--today",
            TODAY,
            &path,
            &good.to_string_lossy(),
        ]);
        assert_eq!(code, 2, "{out}");
        assert!(
            out.contains(&format!(
                "{path}:1:1: error: is not a regular file (a FIFO, socket or device)"
            )),
            "{out}"
        );
        assert!(out.contains("good.arch.toml:1:19: PL103"), "{out}");
    }
    // In a directory, anything but files and links to files is passed over.
    let (code, out, _) = run(&[
        "check",
        "--format",
        "concise",
        "--today",
        TODAY,
        &d.path().to_string_lossy(),
    ]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn output_is_byte_identical_on_any_number_of_threads() {
    let d = scratch();
    // Many files of every kind: clean, with findings, broken.
    let mut sources: Vec<std::path::PathBuf> = common::files("examples", ".arch.toml");
    sources.extend(common::files("tests/fixtures/invalid", ".toml"));
    for round in 0..3 {
        for (i, src) in sources.iter().enumerate() {
            fs::copy(src, d.path().join(format!("f{round}-{i:03}.arch.toml"))).unwrap();
        }
    }
    let dir = d.path().to_string_lossy().into_owned();
    for format in ["human", "concise", "json", "sarif", "github", "junit"] {
        let outputs: Vec<(u8, String, String)> = ["1", "2", "3", "8"]
            .iter()
            .map(|threads| {
                run(&[
                    "check",
                    "--no-config",
                    "--today",
                    TODAY,
                    "--format",
                    format,
                    "--threads",
                    threads,
                    &dir,
                ])
            })
            .collect();
        assert_eq!(outputs[0].0, 2, "a broken file is among them");
        for other in &outputs[1..] {
            assert!(
                other == &outputs[0],
                "{format} differs between thread counts"
            );
        }
    }
}

#[test]
fn a_missing_path_is_an_error_with_its_name() {
    let (code, out, _) = run(&["check", "does/not/exist.arch.toml"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("does/not/exist.arch.toml: no such file"),
        "{out}"
    );
}

#[test]
fn unknown_rules_on_the_command_line_are_errors() {
    let (code, _, err) = run(&["check", "--select", "unsuported-flow", "examples"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `unsupported-flow`"), "{err}");
    let (code, _, err) = run(&["check", "--ignore", "PL999", "examples"]);
    assert_eq!(code, 2);
    assert!(err.contains("`PL999` is not a rule"), "{err}");
    let (code, _, err) = run(&["check", "--today", "2026-02-30", "examples"]);
    assert_eq!(code, 2);
    assert!(err.contains("--today"), "{err}");
}

#[test]
fn select_and_ignore_choose_rules_by_code_or_name() {
    let file = "examples/findings/legacy-services.arch.toml";
    let (_, out, _) = run(&[
        "check", "--format", "concise", "--today", TODAY, "--select", "PL202", file,
    ]);
    assert!(out.contains("PL202") && !out.contains("PL201"), "{out}");
    let (_, out, _) = run(&[
        "check",
        "--format",
        "concise",
        "--today",
        TODAY,
        "--ignore",
        "deprecated-service,renamed-service",
        file,
    ]);
    assert!(!out.contains("PL201") && !out.contains("PL202"), "{out}");
}

#[test]
fn no_allow_shows_suppressed_findings() {
    let file = "tests/fixtures/rules/unused-allow/quiet.toml";
    let (code, out, _) = run(&["check", "--format", "concise", "--today", TODAY, file]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = run(&[
        "check",
        "--format",
        "concise",
        "--today",
        TODAY,
        "--no-allow",
        file,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("PL201"), "{out}");
}

#[test]
fn lifecycle_depends_on_the_date_given() {
    let file = "tests/fixtures/rules/deprecated-service/fires.toml";
    // Before 2025-10-15 KDA for SQL is only announced: a warning with the date.
    let (_, out, _) = run(&[
        "check",
        "--format",
        "concise",
        "--today",
        "2025-06-01",
        file,
    ]);
    assert!(
        out.contains("will be closed to new customers on 2025-10-15 (in 136 days)"),
        "{out}"
    );
    assert!(out.contains("[warning]"), "{out}");
    let (_, out, _) = run(&[
        "check",
        "--format",
        "concise",
        "--today",
        "2026-02-01",
        file,
    ]);
    assert!(out.contains("reached end of life on 2026-01-27"), "{out}");
}

#[test]
fn output_is_byte_identical_across_runs() {
    let a = run(&["check", "--format", "json", "--today", TODAY, "examples"]);
    let b = run(&["check", "--format", "json", "--today", TODAY, "examples"]);
    assert_eq!(a, b);
}

#[test]
fn the_binary_honours_no_color_and_prints_help() {
    let root = common::root();
    let (code, out, _) = run_bin(
        &["check", "examples/findings/stream-to-s3.arch.toml"],
        &root,
    );
    assert_eq!(code, 1);
    // Not a terminal: no escape sequences.
    assert!(!out.contains('\u{1b}'), "{out}");
    let (code, out, _) = run_bin(&["--help"], &root);
    assert_eq!(code, 0);
    assert!(out.contains("Exit codes"), "{out}");
    let (code, _, err) = run_bin(&["frobnicate"], &root);
    assert_eq!(code, 2);
    assert!(err.contains("unrecognized subcommand"), "{err}");
}

#[test]
fn explain_prints_the_rule_doc_by_code_or_name() {
    let (code, by_code, _) = run(&["explain", "PL103"]);
    assert_eq!(code, 0);
    let (_, by_name, _) = run(&["explain", "unsupported-flow"]);
    assert_eq!(by_code, by_name);
    assert!(by_code.contains("## How to fix"));
    let (code, _, err) = run(&["explain", "unsuported-flow"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `unsupported-flow`"), "{err}");
}

#[test]
fn snapshots_of_rules_and_services() {
    let settings = common::settings();
    settings.bind(|| {
        insta::assert_snapshot!("cli__rules", run(&["rules"]).1);
        insta::assert_snapshot!("cli__services", run(&["services", "--today", TODAY]).1);
        insta::assert_snapshot!(
            "cli__services_kinesis",
            run(&["services", "kinesis", "--today", TODAY]).1
        );
        insta::assert_snapshot!(
            "cli__explain_unsupported_flow",
            run(&["explain", "unsupported-flow"]).1
        );
    });
}

#[test]
fn explain_latency_shows_each_sinks_slowest_path() {
    let file = "examples/findings/clickstream-latency.arch.toml";
    let (code, human, _) = run(&["check", "--today", TODAY, "--explain-latency", file]);
    assert_eq!(code, 1, "the budget finding still fails the run");
    let (_, concise, _) = run(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "concise",
        "--explain-latency",
        "examples/log-analytics.arch.toml",
        "examples/batch-warehouse.arch.toml",
    ]);
    let (_, json, _) = run(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "--explain-latency",
        file,
    ]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let paths = &doc["files"][0]["latency"]["paths"];
    assert_eq!(paths.as_array().map(Vec::len), Some(1));
    assert_eq!(paths[0]["total_ms"], 300_200.0);
    assert_eq!(paths[0]["over_budget"], true);
    assert_eq!(doc["files"][0]["latency"]["max_latency_ms"], 1000.0);
    // Without the flag the JSON report stays as it was.
    let (_, plain, _) = run(&["check", "--today", TODAY, "--format", "json", file]);
    assert!(!plain.contains("\"latency\""), "{plain}");
    let settings = common::settings();
    settings.bind(|| {
        insta::assert_snapshot!("cli__explain_latency_human", human);
        insta::assert_snapshot!("cli__explain_latency_concise", concise);
        insta::assert_snapshot!("cli__explain_latency_json", json);
    });
}

#[test]
fn explain_latency_with_quiet_prints_no_summary() {
    let (_, out, _) = run(&[
        "check",
        "--today",
        TODAY,
        "--quiet",
        "--explain-latency",
        "examples/log-analytics.arch.toml",
    ]);
    assert!(
        out.starts_with("latency of examples/log-analytics.arch.toml"),
        "{out}"
    );
    assert!(!out.contains("pipelint:"), "{out}");
}

#[test]
fn a_long_slow_path_is_summarised() {
    let d = scratch();
    let names: Vec<String> = (0..14).map(|i| format!("f{i}")).collect();
    let mut text = format!(
        "[pipeline]\nmax_latency = \"1s\"\nflows = [\"{}\"]\n",
        names.join(" -> ")
    );
    for (i, n) in names.iter().enumerate() {
        text.push_str(&format!(
            "[services.{n}]\nkind = \"lambda\"\nduration_ms = {}\n",
            100 + i
        ));
    }
    let file = d.path().join("long.arch.toml");
    fs::write(&file, text).unwrap();
    let (code, out, _) = run(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        &file.to_string_lossy(),
    ]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &doc["files"][0]["findings"][0];
    assert_eq!(
        f["message"],
        "path `f0 → f1 → f2 → f3 → f4 → … 4 more … → f9 → f10 → f11 → f12 → f13` takes 1.5 s, \
         over the `max_latency` of 1 s; `f13` (lambda) adds 113 ms"
    );
    let help = f["help"].as_str().unwrap();
    // The five largest hops in path order, then the others summed.
    assert!(
        help.starts_with("`f9` (lambda) 109 ms: function duration, `duration_ms` = 109; "),
        "{help}"
    );
    assert!(
        help.contains("; 9 more hops add 936 ms; change `f13`: make it faster"),
        "{help}"
    );
}
