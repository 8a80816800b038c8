//! Baselines: the findings a project accepted on the day it adopted pipelint,
//! so that only new ones are reported. A finding is known by its file, what
//! it is about (a service id, a flow `from -> to`, or `[pipeline]`) and its
//! rule — not by its line, so edits elsewhere in the file do not disturb it.
//! Each key carries a count: a third finding where two were accepted is new.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::absolute;
use crate::report::{FileReport, Outcome, subject_key};

/// The version of the baseline file format.
pub const VERSION: u32 = 1;

/// (path relative to the baseline file, subject, rule name)
type Key = (String, String, String);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: BTreeMap<Key, usize>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormat {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    subject: String,
    rule: String,
    count: usize,
}

/// `target` relative to `base` (both absolute), with `/` separators.
fn relative(target: &Path, base: &Path) -> String {
    let t: Vec<Component> = target.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out.to_string_lossy().replace('\\', "/")
}

impl Baseline {
    /// The key path of a report's file for a baseline kept in `dir`.
    fn path_key(report: &FileReport, dir: &Path) -> String {
        relative(&absolute(Path::new(&report.path)), dir)
    }

    /// Records the findings of `reports` for a baseline file kept in `dir`.
    pub fn of(reports: &[FileReport], dir: &Path) -> Baseline {
        let mut entries = BTreeMap::new();
        for r in reports {
            if let Outcome::Checked { arch, findings } = &r.outcome {
                let path = Self::path_key(r, dir);
                for f in findings {
                    let key = (path.clone(), subject_key(arch, f), f.rule.name.to_string());
                    *entries.entry(key).or_insert(0) += 1;
                }
            }
        }
        Baseline { entries }
    }

    /// How many findings the baseline holds.
    pub fn len(&self) -> usize {
        self.entries.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn to_json(&self) -> String {
        let doc = FileFormat {
            version: VERSION,
            findings: self
                .entries
                .iter()
                .map(|((path, subject, rule), count)| Entry {
                    path: path.clone(),
                    subject: subject.clone(),
                    rule: rule.clone(),
                    count: *count,
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let doc: FileFormat =
            serde_json::from_str(text).map_err(|e| format!("not a pipelint baseline: {e}"))?;
        if doc.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (this pipelint writes version {VERSION})",
                doc.version
            ));
        }
        let mut entries = BTreeMap::new();
        for e in doc.findings {
            *entries.entry((e.path, e.subject, e.rule)).or_insert(0) += e.count;
        }
        Ok(Baseline { entries })
    }

    /// Removes the findings the baseline accepts from `reports` (for a
    /// baseline kept in `dir`); returns how many were removed. Where a key has
    /// more findings than its count, the first ones in report order are
    /// taken as the known ones and the rest are reported.
    pub fn filter(&self, reports: &mut [FileReport], dir: &Path) -> usize {
        let mut removed = 0;
        for r in reports.iter_mut() {
            let path = Self::path_key(r, dir);
            if let Outcome::Checked { arch, findings } = &mut r.outcome {
                let mut left: BTreeMap<Key, usize> = BTreeMap::new();
                findings.retain(|f| {
                    let key = (path.clone(), subject_key(arch, f), f.rule.name.to_string());
                    let budget = left
                        .entry(key.clone())
                        .or_insert_with(|| self.entries.get(&key).copied().unwrap_or(0));
                    if *budget > 0 {
                        *budget -= 1;
                        removed += 1;
                        false
                    } else {
                        true
                    }
                });
            }
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/r/a/b.toml"), Path::new("/r")),
            "a/b.toml"
        );
        assert_eq!(
            relative(Path::new("/r/a/b.toml"), Path::new("/r/c")),
            "../a/b.toml"
        );
    }

    #[test]
    fn parse_refuses_other_versions_and_shapes() {
        assert!(Baseline::parse("{\"version\":2,\"findings\":[]}").is_err());
        assert!(Baseline::parse("[]").is_err());
        assert!(
            Baseline::parse(
                "{\"version\":1,\"findings\":[{\"path\":\"a\",\"subject\":\"s\",\"rule\":\"r\",\"count\":2,\"x\":1}]}"
            )
            .is_err()
        );
        let b = Baseline::parse(
            "{\"version\":1,\"findings\":[{\"path\":\"a\",\"subject\":\"s\",\"rule\":\"r\",\"count\":2}]}",
        )
        .unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(Baseline::parse(&b.to_json()).unwrap(), b);
    }
}
