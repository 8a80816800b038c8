use super::{Rule, RuleMeta, Severity};
use crate::capacity::StreamLoad;
use crate::finding::{Finding, Subject};
use crate::numfmt::{number, plural};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL305",
    name: "stream-quota-exceeded",
    severity: Severity::Warning,
    summary: "a stream's load or consumers exceed a quota that more shards do not raise",
    doc: r#"## What it does
Checks the stream quotas of `rules/limits.toml` that adding shards does not
change:

- an on-demand stream starts with 4 MB/s of write and 8 MB/s of read
  capacity (shared by polling consumers); declared throughput above that is
  throttled until AWS scales the stream up;
- a stream registers at most 20 enhanced fan-out consumers.

## Why is this bad?
A new on-demand stream that receives more than its starting capacity throttles
producers while it scales; a consumer beyond the enhanced fan-out quota cannot
register at all.

## Example
```toml
[pipeline]
flows = ["events -> consumer"]

[services.events]
kind = "kinesis-data-streams"
mode = "on-demand"
[services.events.throughput]
mb_per_s = 10

[services.consumer]
kind = "lambda"
```

## How to fix
Create the stream in provisioned mode with the shards the load needs and
switch it to on-demand once it carries the load, or spread the load over
several streams; keep enhanced fan-out consumers at or under the quota, and let
the others share throughput."#,
};

pub struct StreamQuotaExceeded;

/// Whether `value` is over the quota `max`.
pub fn over(value: f64, max: f64) -> bool {
    value > max + 1e-9
}

impl Rule for StreamQuotaExceeded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (s, svc) in cx.arch.services.iter().enumerate() {
            let Some(kind) = cx.kind(s) else { continue };
            let max = |n: &str| cx.pack.limit(kind, n).and_then(|l| l.max);
            let load = StreamLoad::of(cx.arch, s);
            if svc.text("mode") == Some("on-demand") {
                let span = svc
                    .attr("throughput")
                    .and_then(|t| t.field("mb_per_s").or(t.field("records_per_s")))
                    .map_or(svc.span, |a| a.span);
                if let (Some(w), Some(cap)) = (load.write_mb, max("on-demand-write-throughput"))
                    && over(w, cap)
                {
                    out.push(
                        Finding::new(
                            &META,
                            Subject::Service(s),
                            span,
                            format!(
                                "on-demand stream {} starts with {} MB/s of write capacity; {} MB/s is declared",
                                cx.describe(s),
                                number(cap),
                                number(w)
                            ),
                        )
                        .label(format!("over {} MB/s", number(cap)))
                        .help(format!(
                            "AWS scales an on-demand stream up as traffic grows and throttles writes meanwhile; create it in provisioned mode with {} and switch to on-demand once it carries the load",
                            plural(crate::capacity::shards_for(w, 1.0), "shard")
                        )),
                    );
                } else if let (Some(w), Some(cap)) =
                    (load.write_mb, max("on-demand-read-throughput"))
                    && !load.efo
                    && over(w * f64::from(load.consumers), cap)
                {
                    out.push(
                        Finding::new(
                            &META,
                            Subject::Service(s),
                            span,
                            format!(
                                "on-demand stream {} starts with {} MB/s of read capacity; {} reading {} MB/s each need {} MB/s",
                                cx.describe(s),
                                number(cap),
                                plural(u64::from(load.consumers), "consumer"),
                                number(w),
                                number(w * f64::from(load.consumers))
                            ),
                        )
                        .label(format!("over {} MB/s of reads", number(cap)))
                        .help("give the consumers `enhanced_fan_out`, which gives each its own read throughput, or let fewer consumers read the stream"),
                    );
                }
            }
            if let (true, Some(cap)) = (load.efo, max("efo-consumers"))
                && over(f64::from(load.consumers), cap)
            {
                let span = svc.attr("consumers").map_or(svc.span, |c| c.span);
                out.push(
                    Finding::new(
                        &META,
                        Subject::Service(s),
                        span,
                        format!(
                            "{} has {} with enhanced fan-out; a stream registers at most {}",
                            cx.describe(s),
                            plural(u64::from(load.consumers), "consumer"),
                            number(cap)
                        ),
                    )
                    .label(format!("over {}", number(cap)))
                    .help("let the consumers beyond the quota share throughput (GetRecords), or split them across streams"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_quota_is_fine() {
        assert!(!over(4.0, 4.0));
        assert!(over(4.01, 4.0));
        assert!(!over(20.0, 20.0));
        assert!(over(21.0, 20.0));
    }
}
