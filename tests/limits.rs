//! Every limit on what pipelint reads, at the limit (accepted) and one past
//! it (refused with a message that names the limit, exit 2, never an
//! out-of-memory or a crash).

mod common;

use std::path::Path;

use common::run;
use pipelint::fsutil::MAX_FILE_BYTES;
use pipelint::model::{MAX_CHAIN_LENGTH, MAX_FLOWS, MAX_SERVICES};
use pipelint::report::Outcome;
use pipelint::{CheckOptions, Pack};

fn check_text(text: &str) -> pipelint::report::FileReport {
    let src = pipelint::model::source_from_bytes("limits.arch.toml", text.as_bytes().to_vec())
        .expect("UTF-8 text");
    pipelint::check_source(
        "limits.arch.toml",
        src,
        Pack::embedded(),
        &CheckOptions::new(common::today()),
    )
}

/// The load errors of a report, as text.
fn errors(r: &pipelint::report::FileReport) -> Vec<String> {
    match &r.outcome {
        Outcome::Failed { errors, .. } => errors.iter().map(|e| e.message.clone()).collect(),
        Outcome::Checked { .. } => Vec::new(),
    }
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("a temporary file");
}

/// A valid architecture file padded with a comment to exactly `len` bytes.
fn padded(len: usize) -> Vec<u8> {
    let mut text = b"[pipeline]\nflows = [\"Kinesis -> Firehose -> S3\"]\n#".to_vec();
    text.resize(len - 1, b'x');
    text.push(b'\n');
    text
}

#[test]
fn file_size_at_the_limit_and_one_byte_over() {
    let d = tempfile::tempdir().expect("a temporary directory");
    let at = d.path().join("at.arch.toml");
    let over = d.path().join("over.arch.toml");
    write(&at, &padded(MAX_FILE_BYTES as usize));
    write(&over, &padded(MAX_FILE_BYTES as usize + 1));
    let (code, out, _) = run(&[
        "check",
        "--format",
        "concise",
        "--today",
        common::TODAY,
        &at.to_string_lossy(),
        &over.to_string_lossy(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        !out.contains("at.arch.toml:"),
        "the file at the limit is read: {out}"
    );
    assert!(
        out.contains("the file has 16,777,217 bytes; pipelint reads files of up to 16 MiB"),
        "{out}"
    );
}

#[test]
fn services_at_the_limit_and_one_over() {
    let services = |n: usize| {
        let mut t = String::from("[services]\n");
        for i in 0..n {
            t.push_str(&format!("s{i}.kind = \"s3\"\n"));
        }
        t
    };
    let at = check_text(&services(MAX_SERVICES));
    assert!(
        matches!(at.outcome, Outcome::Checked { .. }),
        "{:?}",
        errors(&at)
    );
    let over = check_text(&services(MAX_SERVICES + 1));
    assert_eq!(
        errors(&over),
        ["the file declares 50,001 services; pipelint checks up to 50,000 in one file"]
    );
}

#[test]
fn flows_at_the_limit_and_one_over() {
    // Chains of the longest length, `a -> b -> a -> ...`: MAX_FLOWS links in all.
    let chains = |flows: usize| {
        let per = MAX_CHAIN_LENGTH - 1;
        let mut t = String::from("[pipeline]\nflows = [\n");
        let mut left = flows;
        while left > 0 {
            let links = left.min(per);
            let names: Vec<&str> = (0..=links).map(|i| ["a", "b"][i % 2]).collect();
            t.push_str(&format!("  \"{}\",\n", names.join("->")));
            left -= links;
        }
        t.push_str("]\n[services.a]\nkind = \"sqs\"\n[services.b]\nkind = \"lambda\"\n");
        t
    };
    let at = check_text(&chains(MAX_FLOWS));
    assert!(errors(&at).is_empty(), "{:?}", errors(&at));
    let over = check_text(&chains(MAX_FLOWS + 1));
    assert_eq!(
        errors(&over),
        ["the file holds more than 200,000 flows; pipelint checks up to that many in one file"]
    );
}

#[test]
fn chain_length_at_the_limit_and_one_over() {
    let chain = |n: usize| {
        let names: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
        let mut t = format!("[pipeline]\nflows = [\"{}\"]\n", names.join(" -> "));
        for i in 0..n {
            t.push_str(&format!("[services.s{i}]\nkind = \"lambda\"\n"));
        }
        t
    };
    let at = check_text(&chain(MAX_CHAIN_LENGTH));
    assert!(errors(&at).is_empty(), "{:?}", errors(&at));
    let over = check_text(&chain(MAX_CHAIN_LENGTH + 1));
    assert_eq!(
        errors(&over),
        ["this chain names 10,001 services; a chain may name up to 10,000"]
    );
}

#[test]
fn toml_nesting_at_the_limit_and_one_over() {
    let nested = |depth: usize| {
        format!(
            "[pipeline]\nflows = [\"a -> b\"]\n[services.a]\nkind = \"s3\"\n[services.b]\nkind = \"lambda\"\ndescription = {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    let limit = pipelint::model::MAX_TOML_NESTING;
    // At the limit the file parses: what is wrong is the value's type.
    let errs = errors(&check_text(&nested(limit)));
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("`description` must be a string"),
        "{errs:?}"
    );
    let errs = errors(&check_text(&nested(limit + 1)));
    assert_eq!(
        errs,
        ["arrays and inline tables nest deeper than 256 levels"],
        "{errs:?}"
    );
    // Far past it, the same message, not a stack overflow.
    let errs = errors(&check_text(&nested(100_000)));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].contains("nest deeper than 256 levels"), "{errs:?}");
}

/// A CloudFormation template whose one resource holds `depth` nested lists.
fn nested_template(depth: usize) -> String {
    format!(
        "Resources:\n  Lake:\n    Type: AWS::S3::Bucket\n    Metadata: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

#[test]
fn yaml_nesting_at_the_limit_and_one_over() {
    // The document, `Resources` and the resource are three levels: 125 lists
    // make 128, the deepest a template may be.
    let d = tempfile::tempdir().expect("a temporary directory");
    let at = d.path().join("at.yaml");
    let over = d.path().join("over.yaml");
    write(&at, nested_template(125).as_bytes());
    write(&over, nested_template(126).as_bytes());
    let (code, out, _) = run(&[
        "check",
        "--from",
        "cloudformation",
        "--format",
        "concise",
        &at.to_string_lossy(),
        &over.to_string_lossy(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(!out.contains("at.yaml:"), "{out}");
    assert!(
        out.contains("over.yaml:4:140: error: the template nests deeper than 128 levels"),
        "{out}"
    );
}

#[test]
fn hcl_nesting_is_refused_by_the_parser() {
    let d = tempfile::tempdir().expect("a temporary directory");
    let deep = d.path().join("deep.tf");
    let text = format!(
        "locals {{\n  a = {}{}\n}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    write(&deep, text.as_bytes());
    let (code, out, _) = run(&["check", "--format", "concise", &deep.to_string_lossy()]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("HCL syntax error: invalid nesting depth"),
        "{out}"
    );
}

#[test]
fn terraform_files_together_at_most_the_file_limit() {
    let d = tempfile::tempdir().expect("a temporary directory");
    // Two files each within the limit, together over it.
    let half = MAX_FILE_BYTES as usize / 2 + 16;
    for name in ["a.tf", "b.tf"] {
        let mut text = b"# padding\n#".to_vec();
        text.resize(half - 1, b'x');
        text.push(b'\n');
        write(&d.path().join(name), &text);
    }
    let (code, out, _) = run(&[
        "check",
        "--from",
        "terraform",
        "--format",
        "concise",
        &d.path().to_string_lossy(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(
            "the configuration's .tf files (with its local modules) add up to more than 16 MiB"
        ),
        "{out}"
    );
}

#[test]
fn baselines_larger_than_the_file_limit_are_refused() {
    let d = tempfile::tempdir().expect("a temporary directory");
    let arch = d.path().join("arch.toml");
    write(
        &arch,
        b"[pipeline]\nflows = [\"Kinesis -> Firehose -> S3\"]\n",
    );
    let baseline = d.path().join("baseline.json");
    let mut text = br#"{"version":1,"findings":[]}"#.to_vec();
    text.resize(MAX_FILE_BYTES as usize, b' ');
    write(&baseline, &text);
    let args = |b: &Path| {
        vec![
            "check".to_string(),
            "--no-config".into(),
            "--baseline".into(),
            b.to_string_lossy().into_owned(),
            arch.to_string_lossy().into_owned(),
        ]
    };
    let at: Vec<String> = args(&baseline);
    let (code, _, err) = run(&at.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "a baseline at the limit is read: {err}");
    text.push(b' ');
    write(&baseline, &text);
    let (code, _, err) = run(&at.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 2);
    assert!(
        err.contains("the file has 16,777,217 bytes; pipelint reads baselines of up to 16 MiB"),
        "{err}"
    );
}

#[test]
fn rule_packs_may_define_up_to_ten_thousand_services() {
    let embedded = Pack::embedded().kinds().count();
    let pack = |n: usize| {
        let d = tempfile::tempdir().expect("a temporary directory");
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!(
                "[[service]]\nid = \"extra-{i}\"\nname = \"Extra {i}\"\ncategory = \"storage\"\n\
                 source = \"https://docs.aws.amazon.com/\"\n"
            ));
        }
        write(&d.path().join("extra.toml"), text.as_bytes());
        let result = Pack::with_user_dir(d.path());
        result.err().unwrap_or_default()
    };
    let limit = pipelint::pack::MAX_PACK_SERVICES;
    let at = pack(limit - embedded);
    assert!(
        !at.iter()
            .any(|e| e.message.contains("pipelint reads up to")),
        "{at:?}"
    );
    let over = pack(limit - embedded + 1);
    assert!(
        over.iter()
            .any(|e| e.message
                == "the rule packs define 10,001 services; pipelint reads up to 10,000"),
        "{over:?}"
    );
}

#[test]
fn the_built_in_layout_declines_a_tangle_and_names_the_alternatives() {
    let d = tempfile::tempdir().expect("a temporary directory");
    let path = d.path().join("tangle.arch.toml");
    write(&path, pipelint::synth::pipeline(1000, 42, 0.01).as_bytes());
    let out = d.path().join("tangle.svg");
    let (code, _, err) = run(&[
        "render",
        "--engine",
        "builtin",
        "--today",
        common::TODAY,
        &path.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("this pipeline is too tangled for the built-in layout")
            && err.contains("draws up to 250,000")
            && err.contains("--format dot"),
        "{err}"
    );
    assert!(!out.exists());
    // DOT has no such limit.
    let (code, _, err) = run(&[
        "render",
        "--format",
        "dot",
        "--today",
        common::TODAY,
        &path.to_string_lossy(),
        "-o",
        &out.with_extension("dot").to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{err}");
}
