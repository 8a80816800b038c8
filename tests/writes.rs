//! Every file pipelint writes (render -o, import -o, --write-baseline,
//! --output-format FORMAT=PATH) is written whole or not at all: a write that
//! fails, or a command that fails before it writes, leaves the old file as
//! it was and no temporary file behind.

mod common;

use std::path::Path;

use common::{TODAY, run};

const GOOD: &str = "[pipeline]\nflows = [\"Kinesis -> Firehose -> S3\"]\n";
const BROKEN: &str = "[pipeline]\nflows = [\"Kinesis -> \n";
const TEMPLATE: &str =
    "Resources:\n  Stream:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      ShardCount: 1\n";

/// The names in a directory, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("a readable directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

/// The commands that write `out`, for an input in `dir`.
fn writers(dir: &Path, input_ok: bool, out: &Path) -> Vec<Vec<String>> {
    let arch = dir.join("arch.toml");
    let template = dir.join("template.yaml");
    std::fs::write(&arch, if input_ok { GOOD } else { BROKEN }).expect("a file");
    std::fs::write(&template, if input_ok { TEMPLATE } else { "Resources: [" }).expect("a file");
    let (a, t, o) = (
        arch.to_string_lossy().into_owned(),
        template.to_string_lossy().into_owned(),
        out.to_string_lossy().into_owned(),
    );
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        s(&["render", "--today", TODAY, "--format", "dot", &a, "-o", &o]),
        s(&[
            "render", "--today", TODAY, "--format", "svg", "--engine", "builtin", &a, "-o", &o,
        ]),
        s(&["import", "cloudformation", &t, "-o", &o]),
        s(&[
            "check",
            "--no-config",
            "--today",
            TODAY,
            "--write-baseline",
            &o,
            &a,
        ]),
        s(&[
            "check",
            "--no-config",
            "--today",
            TODAY,
            "--output-format",
            &format!("sarif={o}"),
            &a,
        ]),
    ]
}

fn run_owned(args: &[String]) -> (u8, String, String) {
    run(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn a_failed_write_leaves_the_target_and_no_temporary_file() {
    let d = tempfile::tempdir().expect("a temporary directory");
    // The target is a directory with something in it: the rename fails.
    let out = d.path().join("out.file");
    std::fs::create_dir(&out).expect("a directory");
    std::fs::write(out.join("keep"), "old").expect("a file");
    for args in writers(d.path(), true, &out) {
        let before = names(d.path());
        let (code, stdout, err) = run_owned(&args);
        assert_eq!(code, 2, "{args:?}: {stdout}{err}");
        assert!(err.contains("cannot write"), "{args:?}: {err}");
        assert_eq!(names(d.path()), before, "{args:?} left a file behind");
        assert_eq!(
            std::fs::read_to_string(out.join("keep")).expect("kept"),
            "old"
        );
    }
}

#[test]
fn a_missing_directory_is_an_error_and_creates_nothing() {
    let d = tempfile::tempdir().expect("a temporary directory");
    let out = d.path().join("missing").join("out.file");
    for args in writers(d.path(), true, &out) {
        let before = names(d.path());
        let (code, stdout, err) = run_owned(&args);
        assert_eq!(code, 2, "{args:?}: {stdout}{err}");
        assert_eq!(names(d.path()), before, "{args:?}");
    }
}

#[test]
fn a_command_that_fails_before_writing_leaves_the_old_file() {
    let d = tempfile::tempdir().expect("a temporary directory");
    let out = d.path().join("out.file");
    // A report is written for a file that cannot be read (it says so), so
    // --output-format is not among these.
    let writers = writers(d.path(), false, &out);
    for args in writers
        .iter()
        .filter(|a| !a.contains(&"--output-format".to_string()))
    {
        std::fs::write(&out, "old contents").expect("a file");
        let before = names(d.path());
        let (code, stdout, err) = run_owned(args);
        assert_eq!(code, 2, "{args:?}: {stdout}{err}");
        assert!(
            std::fs::read_to_string(&out).expect("kept") == "old contents",
            "{args:?}"
        );
        assert_eq!(names(d.path()), before, "{args:?}");
    }
}

#[test]
fn a_successful_write_replaces_the_old_file_whole() {
    let d = tempfile::tempdir().expect("a temporary directory");
    let out = d.path().join("out.file");
    for args in writers(d.path(), true, &out) {
        std::fs::write(&out, "old contents").expect("a file");
        let before = names(d.path());
        let (code, stdout, err) = run_owned(&args);
        assert!(code <= 1, "{args:?}: {stdout}{err}");
        let now = std::fs::read_to_string(&out).expect("written");
        assert_ne!(now, "old contents", "{args:?}");
        assert!(!now.is_empty(), "{args:?}");
        assert_eq!(names(d.path()), before, "{args:?}");
    }
}
