//! The human report: each finding drawn by miette under the source line it
//! points at, with `help:`, then a summary.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource,
    Severity as MSeverity,
};

use super::{FileReport, Outcome, Summary};
use crate::check::Finding;
use crate::model::LoadError;
use crate::rules::Severity;
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
    source: Option<NamedSource<Arc<str>>>,
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
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

fn named(src: &SourceFile) -> NamedSource<Arc<str>> {
    NamedSource::new(src.name(), src.shared_text())
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
                    for f in findings {
                        out.push_str(&render_finding(&handler, &arch.source, f));
                    }
                }
                Outcome::Failed { source, errors } => {
                    for e in errors {
                        out.push_str(&render_error(&handler, &r.path, source.as_ref(), e));
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

fn write(handler: &GraphicalReportHandler, d: &Diag) -> String {
    let mut s = String::new();
    if handler.render_report(&mut s, d).is_err() {
        s = format!("{}\n", d.message);
    }
    s
}

pub fn render_finding(handler: &GraphicalReportHandler, src: &SourceFile, f: &Finding) -> String {
    let mut labels = vec![LabeledSpan::new_primary_with_span(f.label.clone(), f.span)];
    labels.extend(
        f.related
            .iter()
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), *span)),
    );
    let severity = match f.severity {
        Severity::Error => MSeverity::Error,
        Severity::Warning => MSeverity::Warning,
        Severity::Info => MSeverity::Advice,
    };
    write(
        handler,
        &Diag {
            message: f.message.clone(),
            code: Some(format!("{} {}", f.rule.code, f.rule.name)),
            severity,
            help: f.help.clone(),
            labels,
            source: Some(named(src)),
        },
    )
}

pub fn render_error(
    handler: &GraphicalReportHandler,
    path: &str,
    src: Option<&SourceFile>,
    e: &LoadError,
) -> String {
    let (labels, source, message) = match (src, e.span) {
        (Some(src), Some(span)) => (
            vec![LabeledSpan::new_primary_with_span(e.label.clone(), span)],
            Some(named(src)),
            e.message.clone(),
        ),
        // Nothing to point into: name the file in the message instead.
        _ => (Vec::new(), None, format!("{path}: {}", e.message)),
    };
    write(
        handler,
        &Diag {
            message,
            code: None,
            severity: MSeverity::Error,
            help: e.help.clone(),
            labels,
            source,
        },
    )
}
