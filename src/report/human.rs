//! The human report: each finding drawn by miette under the source line it
//! points at, with `help:`, then a summary.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, Severity as MSeverity, SourceCode, SourceSpan, SpanContents,
};

use super::{FileReport, Outcome, Summary};
use crate::finding::Finding;
use crate::finding::Severity;
use crate::model::LoadError;
use crate::source::SourceFile;

/// Width the report is wrapped at; fixed so output does not depend on the terminal.
const WIDTH: usize = 100;

#[derive(Debug)]
struct Diag {
    message: String,
    code: Option<String>,
    severity: MSeverity,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Option<Arc<Indexed>>,
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<MSeverity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_deref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// A file's text with the start of every line as miette counts lines (`\n`,
/// `\r\n` and a lone `\r` each end one), so a snippet is read from a few lines
/// before its span instead of from the top of the file: reporting many
/// findings in a large file stays linear.
#[derive(Debug)]
pub struct Indexed {
    name: String,
    text: Arc<str>,
    starts: Vec<usize>,
}

impl Indexed {
    pub fn new(src: &SourceFile) -> Indexed {
        let text = src.shared_text();
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    i += 2;
                    starts.push(i);
                }
                b'\r' | b'\n' => {
                    i += 1;
                    starts.push(i);
                }
                _ => i += 1,
            }
        }
        // Snippets show control characters as `?` (same offsets).
        let text = match super::visible::same_length(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(t) => Arc::from(t),
        };
        Indexed {
            name: super::visible(src.name()).into_owned(),
            text,
            starts,
        }
    }

    /// Bytes of the lines from `before` lines above `span` to `after` lines
    /// below it: what a snippet of it would print.
    fn snippet_len(&self, span: crate::source::Span, before: usize, after: usize) -> usize {
        let line = |offset: usize| {
            self.starts
                .partition_point(|&s| s <= offset)
                .saturating_sub(1)
        };
        let first = line(span.start()).saturating_sub(before);
        let last = line(span.end()) + after + 1;
        let end = self.starts.get(last).copied().unwrap_or(self.text.len());
        end.saturating_sub(self.starts[first])
    }
}

impl SourceCode for Indexed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // Read from the start of the first context line: miette's reading of
        // that suffix is its reading of the whole text, shifted by `base`
        // bytes and `first` lines.
        let line = self
            .starts
            .partition_point(|&s| s <= span.offset())
            .saturating_sub(1);
        let first = line.saturating_sub(context_lines_before);
        let base = self.starts[first];
        let local = SourceSpan::new((span.offset() - base).into(), span.len());
        let rest: &'a str = &self.text[base..];
        let c = rest.read_span(&local, context_lines_before, context_lines_after)?;
        let data: &'a [u8] = c.data();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new((c.span().offset() + base).into(), c.span().len()),
            c.line() + first,
            c.column(),
            c.line_count() + first,
        )))
    }
}

/// Options of the human report.
#[derive(Clone, Copy, Debug, Default)]
pub struct Human {
    pub color: bool,
    pub quiet: bool,
}

impl Human {
    pub fn handler(&self) -> GraphicalReportHandler {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_width(WIDTH)
            .with_links(false)
    }

    pub fn render(&self, reports: &[FileReport]) -> String {
        let handler = self.handler();
        let mut out = String::new();
        for r in reports {
            match &r.outcome {
                Outcome::Checked { arch, findings } => {
                    if findings.is_empty() {
                        continue;
                    }
                    let indexed = Arc::new(Indexed::new(&arch.source));
                    for f in findings {
                        out.push_str(&finding(&handler, &arch.source, &indexed, f));
                    }
                }
                Outcome::Failed { source, errors } => {
                    let indexed = source.as_ref().map(|s| (s, Arc::new(Indexed::new(s))));
                    for e in errors {
                        out.push_str(&error(&handler, &r.path, indexed.as_ref(), e));
                    }
                }
            }
        }
        if !self.quiet {
            out.push_str(&Summary::of(reports).line());
        }
        out
    }
}

/// The most source text one snippet may show (its lines and the context line
/// around them); a finding on longer lines is reported by position instead,
/// so a file of one huge line cannot make the report huge.
const MAX_SNIPPET_BYTES: usize = 4096;

fn write(handler: &GraphicalReportHandler, d: &Diag) -> String {
    let mut s = String::new();
    if handler.render_report(&mut s, d).is_err() {
        s = format!("{}\n", d.message);
    }
    s
}

/// Whether the lines under `labels` are short enough to draw.
fn drawable(indexed: &Indexed, labels: &[LabeledSpan]) -> bool {
    let lo = labels.iter().map(|l| l.offset()).min().unwrap_or(0);
    let hi = labels
        .iter()
        .map(|l| l.offset() + l.len())
        .max()
        .unwrap_or(0);
    indexed.snippet_len(
        crate::source::Span::new(lo, hi),
        CONTEXT_LINES,
        CONTEXT_LINES,
    ) <= MAX_SNIPPET_BYTES
}

/// Context lines miette draws around a snippet (its default).
const CONTEXT_LINES: usize = 1;

/// Where a finding is, for one whose lines are not drawn.
fn position_note(src: &SourceFile, span: crate::source::Span) -> String {
    let at = src.line_col(span.start());
    format!(
        "\n  at {}:{}:{} (the line is too long to show)",
        super::visible(src.name()),
        at.line,
        at.column
    )
}

fn finding(
    handler: &GraphicalReportHandler,
    src: &SourceFile,
    indexed: &Arc<Indexed>,
    f: &Finding,
) -> String {
    let shown = |t: &str| super::visible(t).into_owned();
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        f.label.as_deref().map(shown),
        f.span,
    )];
    labels.extend(
        f.related
            .iter()
            .map(|(span, label)| LabeledSpan::new_with_span(Some(shown(label)), *span)),
    );
    let severity = match f.severity {
        Severity::Error => MSeverity::Error,
        Severity::Warning => MSeverity::Warning,
        Severity::Info => MSeverity::Advice,
    };
    let (message, labels, source) = if drawable(indexed, &labels) {
        (shown(&f.message), labels, Some(Arc::clone(indexed)))
    } else {
        (
            format!("{}{}", shown(&f.message), position_note(src, f.span)),
            Vec::new(),
            None,
        )
    };
    write(
        handler,
        &Diag {
            message,
            code: Some(format!("{} {}", f.rule.code, f.rule.name)),
            severity,
            help: f.help.as_deref().map(shown),
            labels,
            source,
        },
    )
}

/// Draws one finding the way the human report does.
pub fn render_finding(handler: &GraphicalReportHandler, src: &SourceFile, f: &Finding) -> String {
    finding(handler, src, &Arc::new(Indexed::new(src)), f)
}

fn error(
    handler: &GraphicalReportHandler,
    path: &str,
    src: Option<&(&SourceFile, Arc<Indexed>)>,
    e: &LoadError,
) -> String {
    let shown = |t: &str| super::visible(t).into_owned();
    let (labels, source, message) = match (src, e.span) {
        (Some((file, indexed)), Some(span)) => {
            let labels = vec![LabeledSpan::new_primary_with_span(
                e.label.as_deref().map(shown),
                span,
            )];
            if drawable(indexed, &labels) {
                (labels, Some(Arc::clone(indexed)), shown(&e.message))
            } else {
                (
                    Vec::new(),
                    None,
                    format!("{}{}", shown(&e.message), position_note(file, span)),
                )
            }
        }
        // Nothing to point into: name the file in the message instead.
        _ => (
            Vec::new(),
            None,
            format!("{}: {}", shown(path), shown(&e.message)),
        ),
    };
    write(
        handler,
        &Diag {
            message,
            code: None,
            severity: MSeverity::Error,
            help: e.help.as_deref().map(shown),
            labels,
            source,
        },
    )
}

/// Draws one load error the way the human report does.
pub fn render_error(
    handler: &GraphicalReportHandler,
    path: &str,
    src: Option<&SourceFile>,
    e: &LoadError,
) -> String {
    let indexed = src.map(|s| (s, Arc::new(Indexed::new(s))));
    error(handler, path, indexed.as_ref(), e)
}
