//! SARIF 2.1.0 (SPEC §5), the format code-scanning services read. Every rule
//! of the registry is listed in `tool.driver.rules` with its documentation;
//! files that could not be read or parsed become tool execution
//! notifications, and the run is marked as not successful.

use std::collections::HashMap;

use serde::Serialize;

use super::{FileReport, Outcome, subject_key};
use crate::finding::{RuleMeta, Severity};
use crate::rules::RULES;
use crate::source::{SourceFile, Span};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where a rule's documentation page is published.
pub fn rule_help_uri(rule: &RuleMeta) -> String {
    format!(
        "{}/blob/main/docs/rules/{}.md",
        env!("CARGO_PKG_REPOSITORY"),
        rule.name
    )
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
    properties: DriverProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DriverProperties {
    /// The date of the embedded rule pack's facts.
    rule_pack_as_of: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    default_configuration: Configuration,
    help_uri: String,
    help: Help,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: [Location; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
}

/// A finding's identity that survives edits elsewhere in the file: the rule,
/// what it is about and its rank among the same rule's findings there.
#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "pipelint/v1")]
    v1: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first paragraph of a rule's "What it does" section.
fn what_it_does(doc: &str) -> String {
    let body = doc
        .split("## What it does")
        .nth(1)
        .unwrap_or(doc)
        .trim_start();
    let para = body.split("\n\n").next().unwrap_or("");
    let para = para.split("\n#").next().unwrap_or(para);
    para.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A path as a URI reference: relative paths stay relative (to the directory
/// pipelint ran in, `%SRCROOT%`), absolute ones become `file://` URIs.
fn artifact(path: &str) -> ArtifactLocation {
    let path = path.replace('\\', "/");
    let mut encoded = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(b as char)
            }
            _ => encoded.push_str(&format!("%{b:02X}")),
        }
    }
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{encoded}"),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encoded,
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

fn location(
    path: &str,
    src: Option<&SourceFile>,
    span: Option<Span>,
    id: Option<usize>,
    message: Option<String>,
) -> Location {
    let region = match (src, span) {
        (Some(src), Some(span)) => {
            let (a, b) = src.range(span);
            Some(Region {
                start_line: a.line,
                start_column: a.column,
                end_line: b.line,
                end_column: b.column,
            })
        }
        _ => None,
    };
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact(path),
            region,
        },
        message: message.map(|text| Text { text }),
    }
}

fn with_help(message: &str, help: Option<&str>) -> String {
    match help {
        Some(h) => format!("{message}\nhelp: {h}"),
        None => message.to_string(),
    }
}

pub fn sarif(reports: &[FileReport]) -> String {
    let rules: Vec<Rule> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            Rule {
                id: m.code,
                name: m.name,
                short_description: Text {
                    text: m.summary.to_string(),
                },
                full_description: Text {
                    text: what_it_does(m.doc),
                },
                default_configuration: Configuration {
                    level: level(m.severity),
                },
                help_uri: rule_help_uri(m),
                help: Help {
                    text: m.doc,
                    markdown: m.doc,
                },
            }
        })
        .collect();

    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for r in reports {
        match &r.outcome {
            Outcome::Checked { arch, findings } => {
                let mut seen: HashMap<String, usize> = HashMap::new();
                for f in findings {
                    let key = format!("{}|{}|{}", f.rule.name, r.path, subject_key(arch, f));
                    let rank = seen.entry(key.clone()).or_insert(0);
                    *rank += 1;
                    let rule_index = RULES
                        .iter()
                        .position(|x| x.meta().code == f.rule.code)
                        .unwrap_or(0);
                    let related = f
                        .related
                        .iter()
                        .enumerate()
                        .map(|(i, (span, label))| {
                            location(
                                &r.path,
                                Some(&arch.source),
                                Some(*span),
                                Some(i + 1),
                                Some(label.clone()),
                            )
                        })
                        .collect();
                    results.push(SarifResult {
                        rule_id: f.rule.code,
                        rule_index,
                        level: level(f.severity),
                        message: Text {
                            text: with_help(&f.message, f.help.as_deref()),
                        },
                        locations: [location(
                            &r.path,
                            Some(&arch.source),
                            Some(f.span),
                            None,
                            None,
                        )],
                        related_locations: related,
                        partial_fingerprints: Fingerprints {
                            v1: format!("{key}|{rank}"),
                        },
                    });
                }
            }
            Outcome::Failed { source, errors } => {
                for e in errors {
                    notifications.push(Notification {
                        level: "error",
                        message: Text {
                            text: with_help(&e.message, e.help.as_deref()),
                        },
                        locations: [location(&r.path, source.as_ref(), e.span, None, None)],
                    });
                }
            }
        }
    }

    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "pipelint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                    properties: DriverProperties {
                        rule_pack_as_of: crate::report::rule_pack_as_of(),
                    },
                },
            },
            invocations: [Invocation {
                execution_successful: notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        let a = artifact("examples/a b.arch.toml");
        assert_eq!(a.uri, "examples/a%20b.arch.toml");
        assert_eq!(a.uri_base_id, Some("%SRCROOT%"));
        let a = artifact("/tmp/x/é.toml");
        assert_eq!(a.uri, "file:///tmp/x/%C3%A9.toml");
        assert_eq!(a.uri_base_id, None);
    }

    #[test]
    fn full_description_is_the_first_paragraph() {
        let doc = "## What it does\nChecks a\nthing.\n\nMore.\n\n## Why is this bad?\nx";
        assert_eq!(what_it_does(doc), "Checks a thing.");
    }
}
