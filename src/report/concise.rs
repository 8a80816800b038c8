//! One line per finding: `path:line:col: CODE [severity] message`.

use std::fmt::Write;

use super::{FileReport, Outcome, visible};

pub fn concise(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        match &r.outcome {
            Outcome::Checked { arch, findings } => {
                for f in findings {
                    let at = arch.source.line_col(f.span.start());
                    let _ = writeln!(
                        out,
                        "{}:{}:{}: {} [{}] {}",
                        visible(&r.path),
                        at.line,
                        at.column,
                        f.rule.code,
                        f.severity.as_str(),
                        visible(&f.message)
                    );
                }
            }
            Outcome::Failed { source, errors } => {
                for e in errors {
                    let (line, col) = match (source, e.span) {
                        (Some(src), Some(span)) => {
                            let at = src.line_col(span.start());
                            (at.line, at.column)
                        }
                        _ => (1, 1),
                    };
                    let _ = writeln!(
                        out,
                        "{}:{line}:{col}: error: {}",
                        visible(&r.path),
                        visible(&e.message)
                    );
                }
            }
        }
    }
    out
}
