//! Running the rules over a loaded architecture: context, findings,
//! suppressions, order.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use crate::date::Date;
use crate::flowgraph::FlowGraph;
use crate::model::{Allow, Architecture, FlowIx, ServiceIx};
use crate::pack::{KindId, Pack, ServiceDef};
use crate::rules::{RULES, RuleMeta, Severity, UNUSED_ALLOW};
use crate::source::Span;

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    File,
    Service(ServiceIx),
    Flow(FlowIx),
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

/// What rules read: the architecture, the pack and the date.
pub struct Context<'a> {
    pub arch: &'a Architecture,
    pub pack: &'a Pack,
    pub today: Date,
    /// The flow graph, built once for the rules that walk it.
    graph: OnceLock<FlowGraph>,
}

impl<'a> Context<'a> {
    pub fn new(arch: &'a Architecture, pack: &'a Pack, today: Date) -> Self {
        Context {
            arch,
            pack,
            today,
            graph: OnceLock::new(),
        }
    }

    /// The flows as a graph, shared by every rule of one check.
    pub fn graph(&self) -> &FlowGraph {
        self.graph.get_or_init(|| FlowGraph::new(self.arch))
    }

    pub fn kind(&self, s: ServiceIx) -> Option<KindId> {
        self.arch.services[s].kind.kind()
    }

    pub fn def(&self, s: ServiceIx) -> Option<&'a ServiceDef> {
        self.kind(s).map(|k| self.pack.service(k))
    }

    /// "`events` (kinesis-data-streams)", or "`s3`" when the id is the kind.
    pub fn describe(&self, s: ServiceIx) -> String {
        let svc = &self.arch.services[s];
        match self.def(s) {
            Some(def) if def.id != svc.id => format!("`{}` ({})", svc.id, def.id),
            _ => format!("`{}`", svc.id),
        }
    }
}

/// Which rules run, and how.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub today: Date,
    /// Only these rules (names), when set.
    pub select: Option<BTreeSet<&'static str>>,
    pub ignore: BTreeSet<&'static str>,
    /// Ignore every `allow` (audits).
    pub no_allow: bool,
    /// Per-rule severities that replace the defaults.
    pub severities: HashMap<&'static str, Severity>,
}

impl CheckOptions {
    pub fn new(today: Date) -> Self {
        CheckOptions {
            today,
            select: None,
            ignore: BTreeSet::new(),
            no_allow: false,
            severities: HashMap::new(),
        }
    }

    pub fn enabled(&self, rule: &str) -> bool {
        self.select.as_ref().is_none_or(|s| s.contains(rule)) && !self.ignore.contains(rule)
    }
}

/// Runs every enabled rule and applies suppressions; findings come back sorted
/// by position, then code.
pub fn check(arch: &Architecture, pack: &Pack, opts: &CheckOptions) -> Vec<Finding> {
    let cx = Context::new(arch, pack, opts.today);
    let mut raw = Vec::new();
    for rule in RULES {
        if opts.enabled(rule.meta().name) {
            rule.check(&cx, &mut raw);
        }
    }
    let mut findings = if opts.no_allow {
        raw
    } else {
        suppress(arch, raw, opts)
    };
    for f in &mut findings {
        if let Some(&s) = opts.severities.get(f.rule.name) {
            f.severity = s;
        }
    }
    findings.sort_by(|a, b| {
        (a.span.start(), a.rule.code, a.span.end(), &a.message).cmp(&(
            b.span.start(),
            b.rule.code,
            b.span.end(),
            &b.message,
        ))
    });
    findings
}

/// The allows that may silence a finding on this subject: its own, those of the
/// services at either end of a flow, and the file's.
fn allows_for(arch: &Architecture, subject: Subject) -> Vec<&Allow> {
    let mut out: Vec<&Allow> = arch.allow.iter().collect();
    match subject {
        Subject::File => {}
        Subject::Service(s) => out.extend(&arch.services[s].allow),
        Subject::Flow(f) => {
            let flow = &arch.flows[f];
            out.extend(flow.allow());
            for end in [flow.from.service, flow.to.service].into_iter().flatten() {
                out.extend(&arch.services[end].allow);
            }
        }
    }
    out
}

fn suppress(arch: &Architecture, raw: Vec<Finding>, opts: &CheckOptions) -> Vec<Finding> {
    let mut used: BTreeSet<Span> = BTreeSet::new();
    let mut kept = Vec::new();
    for f in raw {
        let hits: Vec<Span> = allows_for(arch, f.subject)
            .into_iter()
            .filter(|a| a.rule == f.rule.name)
            .map(|a| a.span)
            .collect();
        if hits.is_empty() {
            kept.push(f);
        } else {
            used.extend(hits);
        }
    }
    if opts.enabled(UNUSED_ALLOW.name) {
        let all = arch
            .allow
            .iter()
            .map(|a| (a, Subject::File))
            .chain(
                arch.services
                    .iter()
                    .enumerate()
                    .flat_map(|(i, s)| s.allow.iter().map(move |a| (a, Subject::Service(i)))),
            )
            .chain(
                arch.flows
                    .iter()
                    .enumerate()
                    .flat_map(|(i, f)| f.allow().iter().map(move |a| (a, Subject::Flow(i)))),
            );
        for (a, subject) in all {
            // An allow for a rule that did not run is moot, not unused.
            if used.contains(&a.span) || !opts.enabled(a.rule) || a.rule == UNUSED_ALLOW.name {
                continue;
            }
            kept.push(
                Finding::new(
                    &UNUSED_ALLOW,
                    subject,
                    a.span,
                    format!("`allow` of `{}` suppresses nothing", a.rule),
                )
                .label("unused")
                .help("remove it; pass --no-allow to see every finding without suppressions"),
            );
        }
    }
    kept
}
