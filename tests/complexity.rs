//! Time against every size a user controls: each case runs at N and at 8N in
//! one process and asserts that the time grows at most about linearly (a
//! ratio under 24: linear is 8, n·log n about 9 to 10, quadratic 64). They
//! are ignored by default (they take seconds and measure time); `.ci/run`
//! runs them with `cargo test --test complexity -- --ignored`.

mod common;

use std::time::{Duration, Instant};

use pipelint::{CheckOptions, Pack};

/// The most a time may grow from N to 8N.
const MAX_RATIO: f64 = 24.0;

/// The best of `tries` runs of `f`.
fn best(tries: usize, f: &dyn Fn()) -> Duration {
    (0..tries)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Times `make(n)` and `make(8n)`; fails when the ratio is super-linear.
fn assert_linear(what: &str, n: usize, run: impl Fn(usize)) {
    run(n); // warm caches and the embedded pack
    let small = best(3, &|| run(n));
    let large = best(2, &|| run(8 * n));
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
    eprintln!(
        "{what}: N={n} {small:?}, 8N={} {large:?}, ratio {ratio:.1}",
        8 * n
    );
    assert!(
        ratio < MAX_RATIO,
        "{what}: {small:?} at N={n} but {large:?} at 8N (ratio {ratio:.1}, at most {MAX_RATIO})"
    );
}

fn opts() -> CheckOptions {
    CheckOptions::new(common::today())
}

fn check_text(text: &str) {
    let src = pipelint::model::source_from_bytes("c.arch.toml", text.as_bytes().to_vec())
        .expect("a text");
    let report = pipelint::check_source("c.arch.toml", src, Pack::embedded(), &opts());
    std::hint::black_box(report);
}

fn check_template(name: &str, text: &str, format: pipelint::import::Format) {
    let d = tempfile::tempdir().expect("a directory");
    let p = d.path().join(name);
    std::fs::write(&p, text).expect("a file");
    let r = pipelint::check_template(&p, name, format, Pack::embedded(), &opts());
    std::hint::black_box(r);
}

#[test]
#[ignore]
fn template_ids_that_differ_only_in_case() {
    assert_linear("CloudFormation ids differing in case", 150, |n| {
        let mut t = String::from("Resources:\n");
        for i in 0..n {
            let id: String = "queuequeuequeuequeue"
                .chars()
                .enumerate()
                .map(|(k, c)| {
                    if (i >> k) & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            t.push_str(&format!("  {id}:\n    Type: AWS::SQS::Queue\n"));
        }
        check_template("t.yaml", &t, pipelint::import::Format::CloudFormation);
    });
}

#[test]
#[ignore]
fn terraform_resources_variables_and_blocks() {
    assert_linear("Terraform resources, variables, nested blocks", 80, |n| {
        let mut t = String::new();
        for i in 0..n {
            t.push_str(&format!(
                "variable \"v{i}\" {{ default = \"q{i}\" }}\n\
                 resource \"aws_sqs_queue\" \"q{i}\" {{\n  name = var.v{i}\n  tag {{ k = 1 }}\n  tag {{ k = 2 }}\n}}\n"
            ));
        }
        check_template("main.tf", &t, pipelint::import::Format::Terraform);
    });
}

#[test]
#[ignore]
fn string_length_in_drawings() {
    assert_linear("a long service id, drawn", 25_000, |n| {
        let id = "x".repeat(n);
        let text = format!(
            "[pipeline]\nflows = [\"a -> {id}\"]\n[services.a]\nkind = \"kinesis\"\n[services.{id}]\nkind = \"firehose\"\n"
        );
        let src =
            pipelint::model::source_from_bytes("c.arch.toml", text.into_bytes()).expect("a text");
        let report = pipelint::check_source("c.arch.toml", src, Pack::embedded(), &opts());
        if let pipelint::report::Outcome::Checked { arch, findings } = &report.outcome {
            let d = pipelint::render::Diagram::build(
                arch,
                Pack::embedded(),
                findings,
                common::today(),
                &Default::default(),
            );
            let _ = std::hint::black_box((
                pipelint::render::dot(&d),
                pipelint::render::mermaid(&d),
                pipelint::render::svg(&d).map(|s| s.len()),
            ));
        }
    });
}

#[test]
#[ignore]
fn number_of_flows() {
    assert_linear("flows", 120, |n| {
        check_text(&pipelint::synth::pipeline(n, 7, 0.1))
    });
}

#[test]
#[ignore]
fn chain_length() {
    assert_linear("services in one chain", 250, |n| {
        let chain: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
        let mut t = format!("[pipeline]\nflows = [\"{}\"]\n", chain.join(" -> "));
        for i in 0..n {
            t.push_str(&format!("[services.s{i}]\nkind = \"sqs\"\n"));
        }
        check_text(&t);
    });
}

#[test]
#[ignore]
fn exclude_globs() {
    assert_linear("exclude globs", 20, |n| {
        let globs: Vec<String> = (0..n)
            .map(|i| format!("\"dir{i}/**/*.arch.toml\""))
            .collect();
        let text = format!("exclude = [{}]\n", globs.join(", "));
        let src = pipelint::SourceFile::new("pipelint.toml", text);
        for _ in 0..4 {
            let c = pipelint::config::parse(&src, std::path::Path::new("/project"))
                .expect("a configuration");
            std::hint::black_box(c.excludes(std::path::Path::new("/project/dir3/a/x.arch.toml")));
        }
    });
}

#[test]
#[ignore]
fn nesting_depth() {
    assert_linear("nesting of TOML arrays and YAML mappings", 30, |n| {
        for _ in 0..40 {
            let toml = format!(
                "[pipeline]\nflows = []\nx = {}{}\n",
                "[".repeat(n),
                "]".repeat(n)
            );
            check_text(&toml);
        }
        let mut yaml =
            String::from("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n");
        for d in 0..(n / 2).min(100) {
            yaml.push_str(&format!("{}k{d}:\n", "  ".repeat(d + 3)));
        }
        check_template("t.yaml", &yaml, pipelint::import::Format::CloudFormation);
    });
}
