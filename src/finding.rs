//! What a rule is and what it reports: its metadata and severity, and the
//! findings it emits. Shared by the rules, the pack's policies, the check
//! that runs them and the reports.

use crate::source::Span;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// What a rule is, for `rules`, `explain`, the README and SARIF.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `PL103`. Ranges: PL1xx flows and references, PL2xx
    /// lifecycle, PL3xx capacity, PL4xx instances, PL5xx data lake, PL6xx
    /// latency, PL9xx suppressions; PL8xx is left for users' own packs.
    pub code: &'static str,
    /// Stable name that states the problem, e.g. `unsupported-flow`.
    pub name: &'static str,
    pub severity: Severity,
    /// One line, lower-case, no trailing period.
    pub summary: &'static str,
    /// Markdown in fixed sections: What it does, Why is this bad?, Example, How to fix.
    pub doc: &'static str,
}

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    File,
    /// An index into `Architecture::services`.
    Service(usize),
    /// An index into `Architecture::flows`.
    Flow(usize),
}

/// One problem found by a rule.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub subject: Subject,
    pub message: String,
    pub help: Option<String>,
    /// Where the finding points; its label says what is wrong there.
    pub span: Span,
    pub label: Option<String>,
    /// Further places worth showing, with what they are.
    pub related: Vec<(Span, String)>,
    /// A path of catalog ids that would work (for unsupported flows).
    pub suggestion: Option<Vec<String>>,
}

impl Finding {
    pub fn new(
        rule: &'static RuleMeta,
        subject: Subject,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            subject,
            message: message.into(),
            help: None,
            span,
            label: None,
            related: Vec::new(),
            suggestion: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn suggestion(mut self, path: Vec<String>) -> Self {
        self.suggestion = Some(path);
        self
    }
}
