use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::numfmt::number;
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL304",
    name: "retention-out-of-range",
    severity: Severity::Error,
    summary: "a retention period is outside what the service allows",
    doc: r#"## What it does
Compares `retention_hours` with the range of its kind in `rules/limits.toml`:
Kinesis Data Streams keeps records 24 to 8,760 hours (365 days), Kinesis Video
Streams 0 to 87,600 hours (10 years), SQS 1 minute to 336 hours (14 days).

## Why is this bad?
AWS refuses a retention period outside the range (`InvalidArgumentException`):
the deployment fails, or a design counts on replaying data that the service
will not keep.

## Example
```toml
[pipeline]
flows = ["events -> consumer"]

[services.events]
kind = "kinesis-data-streams"
shards = 1
retention_hours = 10000

[services.consumer]
kind = "lambda"
```

## How to fix
Choose a retention inside the range; to keep data longer, deliver it to S3
(through Firehose) and replay from there."#,
};

pub struct RetentionOutOfRange;

/// Whether `hours` is outside `[min, max]` (either end may be open).
pub fn out_of_range(hours: f64, min: Option<f64>, max: Option<f64>) -> bool {
    min.is_some_and(|m| hours < m) || max.is_some_and(|m| hours > m)
}

impl Rule for RetentionOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (s, svc) in cx.arch.services.iter().enumerate() {
            let (Some(kind), Some(attr)) = (cx.kind(s), svc.attr("retention_hours")) else {
                continue;
            };
            let (Some(limit), Some(hours)) = (cx.pack.limit(kind, "retention"), attr.as_f64())
            else {
                continue;
            };
            if !out_of_range(hours, limit.min, limit.max) {
                continue;
            }
            let range = match (limit.min, limit.max) {
                (Some(a), Some(b)) => format!("{}–{} hours", number(a), number(b)),
                (Some(a), None) => format!("at least {} hours", number(a)),
                (None, Some(b)) => format!("at most {} hours", number(b)),
                (None, None) => continue,
            };
            let name = &cx.pack.service(kind).name;
            let mut help = format!("set `retention_hours` within {range}");
            if let Some(note) = &limit.note {
                help.push_str(&format!(" ({note})"));
            }
            if limit.max.is_some_and(|m| hours > m) {
                help.push_str("; to keep data longer, deliver a copy to S3 and replay from there");
            }
            out.push(
                Finding::new(
                    &META,
                    Subject::Service(s),
                    attr.span,
                    format!(
                        "{} keeps records {} hours; {name} allows {range}",
                        cx.describe(s),
                        number(hours)
                    ),
                )
                .label(format!("outside {range}"))
                .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ends_are_inside() {
        let (min, max) = (Some(24.0), Some(8760.0));
        assert!(!out_of_range(24.0, min, max));
        assert!(!out_of_range(8760.0, min, max));
        assert!(out_of_range(23.0, min, max));
        assert!(out_of_range(8761.0, min, max));
        assert!(!out_of_range(0.0, Some(0.0), Some(87600.0)));
        assert!(out_of_range(87601.0, Some(0.0), Some(87600.0)));
    }
}
