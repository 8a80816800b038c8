//! The JSON report (SPEC §5), stable for tools.

use serde_json::{Value, json};

use super::{FileReport, Outcome, Summary, subject_names};
use crate::source::SourceFile;

fn position(
    src: Option<&SourceFile>,
    span: Option<crate::source::Span>,
) -> (Value, Value, Value, Value) {
    match (src, span) {
        (Some(src), Some(span)) => {
            let (a, b) = src.range(span);
            (
                json!(a.line),
                json!(a.column),
                json!(b.line),
                json!(b.column),
            )
        }
        _ => (Value::Null, Value::Null, Value::Null, Value::Null),
    }
}

/// The JSON report as text.
pub fn json(reports: &[FileReport]) -> String {
    json_text(&json_document(reports))
}

/// Pretty JSON with a final newline.
pub fn json_text(doc: &Value) -> String {
    let mut text = serde_json::to_string_pretty(doc).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON report as a value, for callers that add fields to it.
pub fn json_document(reports: &[FileReport]) -> Value {
    let files: Vec<Value> = reports
        .iter()
        .map(|r| match &r.outcome {
            Outcome::Checked { arch, findings } => {
                let findings: Vec<Value> = findings
                    .iter()
                    .map(|f| {
                        let (line, column, end_line, end_column) =
                            position(Some(&arch.source), Some(f.span));
                        let (service, flow) = subject_names(arch, f);
                        let kind = match f.subject {
                            crate::finding::Subject::Flow(i) => Some(&arch.flows[i]),
                            _ => None,
                        };
                        json!({
                            "code": f.rule.code,
                            "rule": f.rule.name,
                            "severity": f.severity.as_str(),
                            "message": f.message,
                            "help": f.help,
                            "line": line,
                            "column": column,
                            "end_line": end_line,
                            "end_column": end_column,
                            "service": service,
                            "flow": flow.zip(kind).map(|((from, to), fl)| json!({
                                "from": from,
                                "to": to,
                                "kind": fl.kind.as_str(),
                                "inferred": !fl.declared,
                            })),
                            "suggestion": f.suggestion,
                        })
                    })
                    .collect();
                json!({"path": r.path, "findings": findings})
            }
            Outcome::Failed { source, errors } => {
                let errors: Vec<Value> = errors
                    .iter()
                    .map(|e| {
                        let (line, column, end_line, end_column) =
                            position(source.as_ref(), e.span);
                        json!({
                            "message": e.message,
                            "help": e.help,
                            "line": line,
                            "column": column,
                            "end_line": end_line,
                            "end_column": end_column,
                        })
                    })
                    .collect();
                json!({"path": r.path, "findings": [], "errors": errors})
            }
        })
        .collect();
    let s = Summary::of(reports);
    json!({
        "version": 1,
        "tool": {
            "name": "pipelint",
            "version": env!("CARGO_PKG_VERSION"),
            "rule_pack_as_of": crate::report::rule_pack_as_of(),
        },
        "files": files,
        "summary": {"error": s.errors, "warning": s.warnings, "info": s.infos},
    })
}
