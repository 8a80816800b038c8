use super::shard_under_provisioned::{provisioned, set_shards, shard_cents};
use super::{Rule, RuleMeta, Severity};
use crate::capacity::{self, LOW_UTILISATION};
use crate::finding::{Finding, Subject};
use crate::numfmt::{money, number, plural};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL302",
    name: "shard-over-provisioned",
    severity: Severity::Info,
    summary: "a provisioned stream uses under a quarter of its shards",
    doc: r#"## What it does
Works out the shards a provisioned Kinesis data stream needs for its declared
load, as `shard-under-provisioned` does, and reports a stream whose busiest
dimension uses under 25% of the shards it has, when fewer shards would do. The
message names the count that suffices; the help, the arithmetic and the
monthly saving at the pack's shard-hour price.

## Why is this bad?
Every shard is billed by the hour whether records flow or not: idle shards are
money spent on nothing.

## Example
```toml
[pipeline]
flows = ["events -> consumer"]

[services.events]
kind = "kinesis-data-streams"
shards = 8
[services.events.throughput]
mb_per_s = 1
records_per_s = 500

[services.consumer]
kind = "lambda"
```
1 MB/s uses 12.5% of 8 shards; 1 shard suffices.

## How to fix
Lower `shards` to the count named, keeping headroom for peaks you know of, or
use `mode = "on-demand"` for traffic that is low most of the time."#,
};

pub struct ShardOverProvisioned;

impl Rule for ShardOverProvisioned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for s in 0..cx.arch.services.len() {
            let Some((shards, attr, load, limits)) = provisioned(cx, s) else {
                continue;
            };
            let needs = capacity::needs(&load, &limits);
            if !capacity::over_provisioned(&needs, shards) {
                continue;
            }
            let (Some(b), Some(u)) = (
                capacity::binding(&needs),
                capacity::utilisation(&needs, shards),
            ) else {
                continue;
            };
            let mut help = set_shards(&needs, b, &load);
            if let (Some(now), Some(then)) =
                (shard_cents(cx, s, shards), shard_cents(cx, s, b.shards))
            {
                help.push_str(&format!(" to save {} a month", money(now - then)));
            }
            out.push(
                Finding::new(
                    &META,
                    Subject::Service(s),
                    attr.span,
                    format!(
                        "{} uses {}% of its {}: {} suffice{}",
                        cx.describe(s),
                        number(u * 100.0),
                        plural(shards, "shard"),
                        plural(b.shards, "shard"),
                        if b.shards == 1 { "s" } else { "" }
                    ),
                )
                .label(format!("under {}% used", number(LOW_UTILISATION * 100.0)))
                .help(help),
            );
        }
    }
}
