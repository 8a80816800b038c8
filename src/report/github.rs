//! GitHub Actions workflow commands (SPEC §5): one `::error`, `::warning` or
//! `::notice` line per finding, which the runner turns into an annotation on
//! the line of the pull request it points at.

use std::fmt::Write;

use super::{FileReport, Outcome};
use crate::finding::Severity;
use crate::source::{SourceFile, Span};

/// Escapes a command's message: `%`, carriage return and line feed.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, plus `:` and `,`, which end a property.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(
    out: &mut String,
    level: &str,
    path: &str,
    src: Option<&SourceFile>,
    span: Option<Span>,
    title: &str,
    message: &str,
) {
    let mut props = format!("file={}", escape_property(&super::visible(path)));
    if let (Some(src), Some(span)) = (src, span) {
        let (a, b) = src.range(span);
        let _ = write!(props, ",line={},endLine={}", a.line, b.line);
        // GitHub takes columns only for a range within one line.
        if a.line == b.line {
            let _ = write!(props, ",col={},endColumn={}", a.column, b.column);
        }
    }
    let _ = writeln!(
        out,
        "::{level} {props},title={}::{}",
        escape_property(title),
        escape_data(message)
    );
}

/// The message and its help on a second line; control characters in either
/// are shown as escapes (an ESC would reach the log's terminal emulation).
fn with_help(message: &str, help: Option<&str>) -> String {
    let message = super::visible(message);
    match help {
        Some(h) => format!("{message}\nhelp: {}", super::visible(h)),
        None => message.into_owned(),
    }
}

pub fn github(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        match &r.outcome {
            Outcome::Checked { arch, findings } => {
                for f in findings {
                    let level = match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "notice",
                    };
                    command(
                        &mut out,
                        level,
                        &r.path,
                        Some(&arch.source),
                        Some(f.span),
                        &format!("{} {}", f.rule.code, f.rule.name),
                        &with_help(&f.message, f.help.as_deref()),
                    );
                }
            }
            Outcome::Failed { source, errors } => {
                for e in errors {
                    command(
                        &mut out,
                        "error",
                        &r.path,
                        source.as_ref(),
                        e.span,
                        "pipelint could not check this file",
                        &with_help(&e.message, e.help.as_deref()),
                    );
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_github_documents() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("dir,x/a:b%.toml\n"),
            "dir%2Cx/a%3Ab%25.toml%0A"
        );
        // `%` first, so an escape already in the text is not decoded by the runner.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn a_multi_line_span_has_no_columns() {
        let src = SourceFile::new("a.toml", "ab\ncd\n");
        let mut out = String::new();
        command(
            &mut out,
            "error",
            "a.toml",
            Some(&src),
            Some(Span::new(1, 4)),
            "T",
            "m",
        );
        assert_eq!(out, "::error file=a.toml,line=1,endLine=2,title=T::m\n");
        out.clear();
        command(
            &mut out,
            "warning",
            "a.toml",
            Some(&src),
            Some(Span::new(3, 5)),
            "T",
            "m",
        );
        assert_eq!(
            out,
            "::warning file=a.toml,line=2,endLine=2,col=1,endColumn=3,title=T::m\n"
        );
    }
}
