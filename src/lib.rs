//! pipelint: a linter for cloud data-pipeline architectures.
//!
//! The library API: [`load`] an architecture file against the rule [`Pack`],
//! [`check()`] it, report the findings with [`report`], and draw the pipeline
//! with its findings with [`render`]. The `pipelint` binary is a thin shell
//! over [`cli::run`].

pub mod baseline;
pub mod capacity;
pub mod check;
pub mod cli;
pub mod config;
pub mod cost;
pub mod date;
pub mod finding;
pub mod fleet;
pub mod flowgraph;
pub mod fsutil;
pub(crate) mod guard;
pub mod import;
pub mod latency;
pub mod lists;
pub mod model;
pub mod money;
pub mod numfmt;
pub mod pack;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod synth;

use std::path::Path;

/// A hash map for lookups on the hot path (ids, kind pairs, prices): a fast,
/// fixed-seed hash, so anything that iterates one is the same on every run.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

pub use check::{CheckOptions, check};
pub use date::Date;
pub use finding::Finding;
pub use model::{Architecture, LoadError};
pub use pack::Pack;
pub use source::SourceFile;

use report::{FileReport, Outcome};

/// Loads an architecture file from its text.
pub fn load(source: SourceFile, pack: &Pack) -> Result<Architecture, Vec<LoadError>> {
    model::load(source, pack, rules::names())
}

/// Checks architecture text held in memory.
pub fn check_source(
    path: &str,
    source: SourceFile,
    pack: &Pack,
    opts: &CheckOptions,
) -> FileReport {
    let outcome = match load(source.clone(), pack) {
        Ok(arch) => {
            let findings = check(&arch, pack, opts);
            Outcome::Checked {
                arch: Box::new(arch),
                findings,
            }
        }
        Err(errors) => Outcome::Failed {
            source: Some(source),
            errors,
        },
    };
    FileReport {
        path: path.to_string(),
        outcome,
    }
}

/// Reads and checks one file; `display` is the path as reports show it.
pub fn check_file(path: &Path, display: &str, pack: &Pack, opts: &CheckOptions) -> FileReport {
    match model::read_source(path, display) {
        Ok(source) => check_source(display, source, pack, opts),
        Err(failure) => FileReport {
            path: display.to_string(),
            outcome: Outcome::Failed {
                source: failure.source,
                errors: vec![failure.error],
            },
        },
    }
}

/// Imports a template and checks the architecture read from it; findings
/// point into the template.
pub fn check_template(
    path: &Path,
    display: &str,
    format: import::Format,
    pack: &Pack,
    opts: &CheckOptions,
) -> FileReport {
    let outcome = match import::import(path, display, format, pack) {
        Ok(imported) => {
            let findings = check(&imported.arch, pack, opts);
            Outcome::Checked {
                arch: Box::new(imported.arch),
                findings,
            }
        }
        Err(failure) => Outcome::Failed {
            source: failure.source,
            errors: vec![failure.error],
        },
    };
    FileReport {
        path: display.to_string(),
        outcome,
    }
}
