//! Reports: what a check of several files found, in each output format.

pub mod catalog;
mod concise;
pub mod cost;
mod github;
mod human;
mod json;
mod junit;
pub mod latency;
mod sarif;
mod visible;

pub use concise::concise;
pub use github::{escape_data, escape_property, github};
pub use human::{Human, render_error, render_finding};
pub use json::{json, json_document, json_text};
pub use junit::{Gate, escape_xml, junit};
pub use sarif::{rule_help_uri, sarif};
pub use visible::visible;

use crate::finding::Severity;
use crate::finding::{Finding, Subject};
use crate::model::{Architecture, LoadError};
use crate::source::SourceFile;

/// How a list (rules, services) is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Markdown,
}

/// The outcome for one file.
#[derive(Debug)]
pub enum Outcome {
    Checked {
        arch: Box<Architecture>,
        findings: Vec<Finding>,
    },
    /// The file could not be read or parsed. `source` is there when the text
    /// could be read, so errors can point into it.
    Failed {
        source: Option<SourceFile>,
        errors: Vec<LoadError>,
    },
}

#[derive(Debug)]
pub struct FileReport {
    /// The path as the user gave it (or as found under a directory).
    pub path: String,
    pub outcome: Outcome,
}

/// Counts over a whole run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    pub failed: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for r in reports {
            match &r.outcome {
                Outcome::Checked { findings, .. } => {
                    for f in findings {
                        match f.severity {
                            Severity::Error => s.errors += 1,
                            Severity::Warning => s.warnings += 1,
                            Severity::Info => s.infos += 1,
                        }
                    }
                }
                Outcome::Failed { .. } => s.failed += 1,
            }
        }
        s
    }

    /// The highest severity found, if any.
    pub fn worst(&self) -> Option<Severity> {
        if self.errors > 0 {
            Some(Severity::Error)
        } else if self.warnings > 0 {
            Some(Severity::Warning)
        } else if self.infos > 0 {
            Some(Severity::Info)
        } else {
            None
        }
    }

    /// The closing line of the text reports: "pipelint: 2 errors, …".
    pub fn line(&self) -> String {
        format!("pipelint: {}\n", self.sentence())
    }

    /// "2 errors, 0 warnings and 3 infos in 4 files; 1 file could not be checked".
    pub fn sentence(&self) -> String {
        fn n(count: usize, one: &str) -> String {
            if count == 1 {
                format!("1 {one}")
            } else {
                format!("{count} {one}s")
            }
        }
        let found = self.errors + self.warnings + self.infos;
        let checked = self.files - self.failed;
        let mut parts = Vec::new();
        if checked > 0 || self.failed == 0 {
            let files = n(checked, "file");
            parts.push(if found == 0 {
                format!("no findings in {files}")
            } else {
                format!(
                    "{}, {} and {} in {files}",
                    n(self.errors, "error"),
                    n(self.warnings, "warning"),
                    n(self.infos, "info")
                )
            });
        }
        if self.failed > 0 {
            parts.push(format!("{} could not be checked", n(self.failed, "file")));
        }
        parts.join("; ")
    }
}

/// What a finding is about, as one string: the service id, `from -> to` for a
/// flow, `[pipeline]` for the file. Baselines and SARIF fingerprints key on it.
pub fn subject_key(arch: &Architecture, f: &Finding) -> String {
    match subject_names(arch, f) {
        (Some(s), _) => s.to_string(),
        (None, Some((a, b))) => format!("{a} -> {b}"),
        (None, None) => "[pipeline]".to_string(),
    }
}

/// The service id and flow ends a finding is about, for machine formats.
pub fn subject_names<'a>(
    arch: &'a Architecture,
    f: &Finding,
) -> (Option<&'a str>, Option<(&'a str, &'a str)>) {
    match f.subject {
        Subject::File => (None, None),
        Subject::Service(s) => (Some(arch.services[s].id.as_str()), None),
        Subject::Flow(i) => {
            let flow = &arch.flows[i];
            let name = |e: &'a crate::model::Endpoint| {
                e.service.map_or(&*e.name, |s| arch.services[s].id.as_str())
            };
            (None, Some((name(&flow.from), name(&flow.to))))
        }
    }
}

/// The date of the embedded rule pack's facts, for report metadata.
pub fn rule_pack_as_of() -> String {
    crate::Pack::embedded()
        .as_of()
        .map(|d| d.to_string())
        .unwrap_or_default()
}
