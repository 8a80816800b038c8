use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::model::{Attr, Service};
use crate::numfmt::number;
use crate::pack::LimitDef;
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL303",
    name: "record-too-large",
    severity: Severity::Error,
    summary: "records are larger than a service accepts",
    doc: r#"## What it does
Compares the record size a service declares (`max_record_size_kb`, else the
average `record_size_kb`) with the largest record its kind accepts, from the
`record-size` limits of `rules/limits.toml`: Kinesis Data Streams 1,024 KiB
(raisable per stream to 10,240 KiB), Firehose 1,000 KiB, SQS 1,024 KiB, SNS
256 KiB (a topic can be raised to 1,024 KiB), Lambda payloads 6,144 KiB,
DynamoDB items 400 KiB, API Gateway payloads 10,240 KiB. Where a service is
configured to take larger or smaller records than its default (a stream's
`UpdateMaxRecordSize`, a queue's or a topic's `MaximumMessageSize`),
`record_size_limit_kb` says what it is set to.

It also follows flows: records a service declares are checked against the
limit of the service they flow into when that one declares no size of its own
(a stream raised to 2 MiB records feeding Firehose, which takes 1,000 KiB).

## Why is this bad?
AWS rejects an oversized record outright (`ValidationException`,
`InvalidParameterValue`): the producer's write fails, and data that is not
retried is lost.

## Example
```toml
[pipeline]
flows = ["scans -> delivery"]

[services.scans]
kind = "kinesis-data-streams"
shards = 2
max_record_size_kb = 1500

[services.delivery]
kind = "firehose"
```

## How to fix
Raise the limit where AWS allows it (a stream's `UpdateMaxRecordSize`, a
topic's `MaximumMessageSize`) and record it in `record_size_limit_kb`; else
split or compress records, or store large payloads in S3 and send a pointer."#,
};

pub struct RecordTooLarge;

/// Slack for sizes computed in floating point.
const EPSILON: f64 = 1e-9;

/// Whether a record of `size` KB is over `limit` KiB.
pub fn too_large(size: f64, limit: f64) -> bool {
    size > limit + EPSILON
}

/// The record size a service declares: its largest, else its average.
fn declared(svc: &Service) -> Option<(f64, &Attr)> {
    ["max_record_size_kb", "record_size_kb"]
        .iter()
        .find_map(|k| svc.attr(k).and_then(|a| a.as_f64().map(|v| (v, a))))
}

/// The largest record a service takes: what it is set to, within what AWS
/// allows, else the default.
/// The most a service can be configured to accept: `raisable_to`, else `max`.
fn ceiling(limit: &LimitDef) -> Option<f64> {
    limit.raisable_to.or(limit.max)
}

/// What the service accepts: what `record_size_limit_kb` sets it to (within
/// what AWS allows), else the default maximum.
fn accepted(svc: &Service, limit: &LimitDef) -> Option<f64> {
    match (svc.number("record_size_limit_kb"), ceiling(limit)) {
        (Some(s), Some(c)) => Some(s.min(c)),
        _ => limit.max,
    }
}

fn raise_help(limit: &LimitDef, accepted: f64, name: &str) -> String {
    match limit.raisable_to {
        Some(r) if accepted < r => format!(
            "{name} can be configured to take records of up to {} KiB; do so and set `record_size_limit_kb`, or split the records or send large payloads through S3",
            number(r)
        ),
        _ => "split or compress the records, or store large payloads in S3 and send a pointer to them".to_string(),
    }
}

impl Rule for RecordTooLarge {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let limit_of = |s: usize| {
            let kind = cx.kind(s)?;
            Some((cx.pack.limit(kind, "record-size")?, cx.pack.service(kind)))
        };
        for (s, svc) in cx.arch.services.iter().enumerate() {
            let Some((limit, def)) = limit_of(s) else {
                continue;
            };
            if let (Some(set), Some(r)) = (svc.attr("record_size_limit_kb"), ceiling(limit))
                && set.as_f64().is_some_and(|v| too_large(v, r))
            {
                out.push(
                    Finding::new(
                        &META,
                        Subject::Service(s),
                        set.span,
                        format!(
                            "{} cannot be configured to take records over {} KiB",
                            def.name,
                            number(r)
                        ),
                    )
                    .label(format!("above {} KiB", number(r)))
                    .help(format!(
                        "set `record_size_limit_kb` to {} or less",
                        number(r)
                    )),
                );
            }
            let (Some((size, attr)), Some(accepts)) = (declared(svc), accepted(svc, limit)) else {
                continue;
            };
            if too_large(size, accepts) {
                out.push(
                    Finding::new(
                        &META,
                        Subject::Service(s),
                        attr.span,
                        format!(
                            "{} takes records of {} KiB; {} accepts at most {} KiB",
                            cx.describe(s),
                            number(size),
                            def.name,
                            number(accepts)
                        ),
                    )
                    .label(format!("over {} KiB", number(accepts)))
                    .help(raise_help(limit, accepts, &def.name)),
                );
            }
        }
        // Each service's declared size, looked up once rather than per flow.
        let sizes: Vec<Option<f64>> = cx
            .arch
            .services
            .iter()
            .map(|s| declared(s).map(|(v, _)| v))
            .collect();
        for (f, flow) in cx.arch.flows.iter().enumerate() {
            let (Some(a), Some(b)) = (flow.from.service, flow.to.service) else {
                continue;
            };
            let target = &cx.arch.services[b];
            if sizes[b].is_some() {
                continue;
            }
            let (Some(size), Some((limit, def))) = (sizes[a], limit_of(b)) else {
                continue;
            };
            let Some(accepts) = accepted(target, limit) else {
                continue;
            };
            if too_large(size, accepts) {
                out.push(
                    Finding::new(
                        &META,
                        Subject::Flow(f),
                        flow.arrow,
                        format!(
                            "records of {} ({} KiB) are larger than {} accepts ({} KiB)",
                            cx.describe(a),
                            number(size),
                            cx.describe(b),
                            number(accepts)
                        ),
                    )
                    .label(format!("{} KiB at most", number(accepts)))
                    .help(raise_help(limit, accepts, &def.name)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_limit_is_accepted_one_over_is_not() {
        assert!(!too_large(1024.0, 1024.0));
        assert!(too_large(1025.0, 1024.0));
        assert!(!too_large(1000.0, 1000.0));
        assert!(too_large(1000.5, 1000.0));
    }
}
