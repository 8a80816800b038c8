//! JUnit XML (SPEC §5), as GitLab, Jenkins and other CI servers read test
//! reports: one `<testsuite>` per file and one `<testcase>` per file and rule
//! that ran. A rule's test case fails when it found something at or above the
//! fail level, so the report agrees with the exit code; findings below it are
//! listed in the case's `<system-out>`. A file that could not be read or
//! parsed is one test case with an `<error>`.

use std::fmt::Write;

use super::{FileReport, Outcome};
use crate::finding::Finding;
use crate::finding::{RuleMeta, Severity};
use crate::source::SourceFile;

/// How one file was checked: the rules that ran and the severity that fails.
#[derive(Clone, Debug)]
pub struct Gate {
    pub fail_on: Severity,
    pub rules: Vec<&'static RuleMeta>,
}

/// Escapes text for XML content and attribute values, replacing characters
/// XML 1.0 cannot hold at all.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn line(path: &str, src: &SourceFile, f: &Finding) -> String {
    let at = src.line_col(f.span.start());
    let mut s = format!(
        "{path}:{}:{}: {} [{}] {}",
        at.line,
        at.column,
        f.rule.code,
        f.severity.as_str(),
        f.message
    );
    if let Some(h) = &f.help {
        let _ = write!(s, "\n  help: {h}");
    }
    s
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// Renders the report; `gates[i]` describes how `reports[i]` was checked.
pub fn junit(reports: &[FileReport], gates: &[Gate]) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures, mut errors) = (0usize, 0usize, 0usize);
    for (i, r) in reports.iter().enumerate() {
        let path = escape_xml(&r.path);
        match &r.outcome {
            Outcome::Checked { arch, findings } => {
                let gate = gates.get(i).cloned().unwrap_or(Gate {
                    fail_on: Severity::Error,
                    rules: Vec::new(),
                });
                let mut cases = String::new();
                let mut suite_failures = 0;
                for rule in &gate.rules {
                    let found: Vec<&Finding> = findings
                        .iter()
                        .filter(|f| f.rule.code == rule.code)
                        .collect();
                    let (failing, passing): (Vec<&Finding>, Vec<&Finding>) =
                        found.into_iter().partition(|f| f.severity >= gate.fail_on);
                    let _ = write!(
                        cases,
                        "    <testcase classname=\"{path}\" name=\"{} {}\" file=\"{path}\"",
                        rule.code, rule.name
                    );
                    if failing.is_empty() && passing.is_empty() {
                        cases.push_str("/>\n");
                        continue;
                    }
                    cases.push_str(">\n");
                    if !failing.is_empty() {
                        suite_failures += 1;
                        let worst = failing
                            .iter()
                            .map(|f| f.severity)
                            .max()
                            .unwrap_or(Severity::Error);
                        let body: Vec<String> = failing
                            .iter()
                            .map(|f| line(&r.path, &arch.source, f))
                            .collect();
                        let _ = writeln!(
                            cases,
                            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                            worst.as_str(),
                            escape_xml(&format!(
                                "{}: {}",
                                plural(failing.len(), "finding"),
                                failing[0].message
                            )),
                            escape_xml(&body.join("\n"))
                        );
                    }
                    if !passing.is_empty() {
                        let body: Vec<String> = passing
                            .iter()
                            .map(|f| line(&r.path, &arch.source, f))
                            .collect();
                        let _ = writeln!(
                            cases,
                            "      <system-out>{}</system-out>",
                            escape_xml(&body.join("\n"))
                        );
                    }
                    cases.push_str("    </testcase>\n");
                }
                tests += gate.rules.len();
                failures += suite_failures;
                let _ = write!(
                    suites,
                    "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{suite_failures}\" errors=\"0\" skipped=\"0\">\n{cases}  </testsuite>\n",
                    gate.rules.len()
                );
            }
            Outcome::Failed {
                source,
                errors: errs,
            } => {
                tests += 1;
                errors += 1;
                let body: Vec<String> = errs
                    .iter()
                    .map(|e| {
                        let (l, c) = match (source, e.span) {
                            (Some(src), Some(span)) => {
                                let at = src.line_col(span.start());
                                (at.line, at.column)
                            }
                            _ => (1, 1),
                        };
                        let mut s = format!("{}:{l}:{c}: error: {}", r.path, e.message);
                        if let Some(h) = &e.help {
                            let _ = write!(s, "\n  help: {h}");
                        }
                        s
                    })
                    .collect();
                let first = errs.first().map_or("", |e| e.message.as_str());
                let _ = write!(
                    suites,
                    "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase classname=\"{path}\" name=\"load\" file=\"{path}\">\n      <error type=\"load\" message=\"{}\">{}</error>\n    </testcase>\n  </testsuite>\n",
                    escape_xml(&format!("could not be checked: {first}")),
                    escape_xml(&body.join("\n"))
                );
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pipelint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{suites}</testsuites>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_characters_xml_cannot_hold() {
        assert_eq!(
            escape_xml("a<b & \"c\" 'd'>\u{1}\r"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{FFFD}&#13;"
        );
    }
}
