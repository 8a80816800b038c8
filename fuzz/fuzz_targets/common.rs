//! What the fuzz targets share: loading and checking bytes as the command
//! line would, with a fixed date so runs are reproducible.
#![allow(dead_code)]

use pipelint::report::{FileReport, Outcome};
use pipelint::{CheckOptions, Pack};

pub fn opts() -> CheckOptions {
    CheckOptions::new("2026-11-21".parse().expect("a date"))
}

/// Bytes checked as an architecture file.
pub fn check_bytes(bytes: &[u8]) -> FileReport {
    let pack = Pack::embedded();
    match pipelint::model::source_from_bytes("fuzz.arch.toml", bytes.to_vec()) {
        Ok(src) => pipelint::check_source("fuzz.arch.toml", src, pack, &opts()),
        Err(failure) => FileReport {
            path: "fuzz.arch.toml".into(),
            outcome: Outcome::Failed {
                source: failure.source,
                errors: vec![failure.error],
            },
        },
    }
}

/// Bytes written to a file named `name` in a fresh directory, checked as a
/// template of `format`.
pub fn check_template(bytes: &[u8], name: &str, format: pipelint::import::Format) -> FileReport {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("a temporary file");
    pipelint::check_template(&path, name, format, Pack::embedded(), &opts())
}

/// Every span of a report lies inside its text, on character boundaries.
pub fn assert_spans_inside(report: &FileReport) {
    let inside = |text: &str, s: pipelint::source::Span| {
        assert!(
            s.start() <= s.end()
                && s.end() <= text.len()
                && text.is_char_boundary(s.start())
                && text.is_char_boundary(s.end()),
            "span {s:?} outside a text of {} bytes",
            text.len()
        );
    };
    match &report.outcome {
        Outcome::Checked { arch, findings } => {
            for f in findings {
                inside(arch.source.text(), f.span);
                for (s, _) in &f.related {
                    inside(arch.source.text(), *s);
                }
            }
        }
        Outcome::Failed { source, errors } => {
            for e in errors {
                if let (Some(src), Some(s)) = (source, e.span) {
                    inside(src.text(), s);
                }
            }
        }
    }
}
