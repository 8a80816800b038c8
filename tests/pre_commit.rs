//! The pre-commit hook with the real pre-commit: installed from PyPI into a
//! virtual environment, used by a scratch Git repository whose
//! .pre-commit-config.yaml points at a snapshot of this checkout. A commit
//! with a broken architecture file is stopped; the fixed one goes through.
//!
//! pre-commit builds pipelint with `cargo install` (a release build), so the
//! test takes minutes: it always runs in CI, and locally when
//! PIPELINT_TEST_PRE_COMMIT=1.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

fn ok(out: &Output) -> bool {
    out.status.success()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn run_in(dir: &Path, program: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output()
        .unwrap_or_else(|e| panic!("{} {args:?}: {e}", program.display()))
}

fn git(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    run_in(dir, Path::new("git"), args, env)
}

/// A committed copy of this checkout as it is now (uncommitted changes
/// included), for pre-commit to install the hook from.
fn snapshot_repo(dest: &Path) -> String {
    let root = common::root();
    let files = git(
        &root,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
        &[],
    );
    assert!(ok(&files), "git ls-files: {}", text(&files));
    for rel in files.stdout.split(|&b| b == 0).filter(|s| !s.is_empty()) {
        let rel = PathBuf::from(String::from_utf8_lossy(rel).into_owned());
        let from = root.join(&rel);
        if !from.is_file() {
            continue; // deleted but not yet committed
        }
        let to = dest.join(&rel);
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("mkdir");
        std::fs::copy(&from, &to).expect("copy");
    }
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "-m",
            "snapshot",
        ],
    ] {
        let out = git(dest, args, &[]);
        assert!(ok(&out), "git {args:?}: {}", text(&out));
    }
    let head = git(dest, &["rev-parse", "HEAD"], &[]);
    String::from_utf8_lossy(&head.stdout).trim().to_string()
}

const BROKEN: &str = "[pipeline]\nflows = [\"Kinesis -> S3 -> Athena\"]\n";
const FIXED: &str =
    "[pipeline]\nflows = [\"Kinesis -> Firehose -> S3 -> Glue Data Catalog -> Athena\"]\n";

#[test]
fn the_hook_stops_a_broken_commit_and_passes_the_fixed_one() {
    if !common::in_ci() && std::env::var("PIPELINT_TEST_PRE_COMMIT").is_err() {
        common::skip("the pre-commit test runs in CI, or with PIPELINT_TEST_PRE_COMMIT=1");
        return;
    }
    let has = |p: &str, arg: &str| Command::new(p).arg(arg).output().is_ok_and(|o| ok(&o));
    if !common::require("git", has("git", "--version"))
        || !common::require("cargo", has("cargo", "--version"))
        || !common::require(
            "python3 with venv (python3-venv)",
            Command::new("python3")
                .args(["-c", "import venv, ensurepip"])
                .output()
                .is_ok_and(|o| ok(&o)),
        )
    {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("tempdir");
    // The release build pre-commit runs is kept between runs.
    let target = common::root().join("target/pre-commit");
    let home = tmp.path().join("pre-commit-home");
    let env: [(&str, &Path); 2] = [("PRE_COMMIT_HOME", &home), ("CARGO_TARGET_DIR", &target)];

    // The real pre-commit, from PyPI, in its own virtual environment.
    let venv = tmp.path().join("venv");
    let out = run_in(
        tmp.path(),
        Path::new("python3"),
        &["-m", "venv", &venv.to_string_lossy()],
        &[],
    );
    assert!(ok(&out), "python3 -m venv: {}", text(&out));
    let out = run_in(
        tmp.path(),
        &venv.join("bin/pip"),
        &[
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "pre-commit",
        ],
        &[],
    );
    if !common::require("pre-commit from PyPI (network)", ok(&out)) {
        return;
    }
    let pre_commit = venv.join("bin/pre-commit");

    let hooks = tmp.path().join("hooks");
    std::fs::create_dir(&hooks).expect("mkdir");
    let rev = snapshot_repo(&hooks);

    let work = tmp.path().join("work");
    std::fs::create_dir_all(work.join("pipelines")).expect("mkdir");
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["config", "user.name", "Data Engineer"],
        &["config", "user.email", "de@example.com"],
    ] {
        assert!(ok(&git(&work, args, &env)));
    }
    std::fs::write(
        work.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: pipelint\n",
            hooks.display()
        ),
    )
    .expect("write config");
    let out = run_in(&work, &pre_commit, &["install"], &env);
    assert!(ok(&out), "pre-commit install: {}", text(&out));
    let installing = Instant::now();
    let out = run_in(&work, &pre_commit, &["install-hooks"], &env);
    assert!(ok(&out), "pre-commit install-hooks: {}", text(&out));
    eprintln!("pre-commit built the hook in {:.0?}", installing.elapsed());

    // A broken architecture file: the commit is stopped, with the finding.
    // Other TOML files are not the hook's business.
    std::fs::write(work.join("pipelines/clicks.arch.toml"), BROKEN).expect("write");
    std::fs::write(work.join("pyproject.toml"), "[project]\nname = \"x\"\n").expect("write");
    assert!(ok(&git(&work, &["add", "-A"], &env)));
    let out = git(&work, &["commit", "-m", "add the click stream"], &env);
    let said = text(&out);
    assert!(!ok(&out), "the broken commit went through:\n{said}");
    assert!(
        said.contains("pipelint") && said.contains("Failed"),
        "{said}"
    );
    assert!(said.contains("PL103 unsupported-flow"), "{said}");
    assert!(said.contains("kinesis-data-streams → firehose"), "{said}");
    assert!(!said.contains("pyproject.toml"), "{said}");
    assert!(
        !ok(&git(&work, &["rev-parse", "--verify", "HEAD"], &env)),
        "no commit was made"
    );

    // A file that does not parse is stopped too.
    std::fs::write(work.join("pipelines/clicks.arch.toml"), "[pipeline\n").expect("write");
    assert!(ok(&git(&work, &["add", "-A"], &env)));
    let out = git(&work, &["commit", "-m", "add the click stream"], &env);
    assert!(!ok(&out), "{}", text(&out));
    assert!(text(&out).contains("TOML syntax error"), "{}", text(&out));

    // Fixed: the commit goes through.
    std::fs::write(work.join("pipelines/clicks.arch.toml"), FIXED).expect("write");
    assert!(ok(&git(&work, &["add", "-A"], &env)));
    let out = git(&work, &["commit", "-m", "add the click stream"], &env);
    let said = text(&out);
    assert!(ok(&out), "the fixed commit was stopped:\n{said}");
    assert!(
        said.contains("pipelint") && said.contains("Passed"),
        "{said}"
    );
    eprintln!("the pre-commit test took {:.0?}", started.elapsed());
}
