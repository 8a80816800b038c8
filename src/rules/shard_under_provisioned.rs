use super::{Rule, RuleMeta, Severity};
use crate::capacity::{self, Dimension, Need, ShardLimits, StreamLoad};
use crate::finding::{Finding, Subject};
use crate::numfmt::{money, money_change, number, plural};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL301",
    name: "shard-under-provisioned",
    severity: Severity::Error,
    summary: "a provisioned stream has fewer shards than its declared load needs",
    doc: r#"## What it does
Works out the shards a provisioned Kinesis data stream needs for the load
declared on it (`throughput.mb_per_s`, `throughput.records_per_s`,
`record_size_kb`) in each dimension, with the per-shard limits of
`rules/limits.toml`:

- writes: 1 MB/s **and** 1,000 records/s per shard;
- reads: 2 MB/s per shard shared by every polling consumer (`consumers`, by
  default the number of flows leaving the stream, each reading all that is
  written), or 2 MB/s per consumer per shard with `enhanced_fan_out = true`.

Each dimension needs the ceiling of load ÷ per-shard limit; the largest binds.
The message shows the arithmetic of the binding dimension, the help all of
them, the shard count that suffices and what it costs a month.

## Why is this bad?
A stream with too few shards throttles producers
(`ProvisionedThroughputExceededException`) or lets consumers fall behind:
records arrive late or are lost when the producers give up.

## Example
```toml
[pipeline]
flows = ["clicks -> delivery"]

[services.clicks]
kind = "kinesis-data-streams"
shards = 2
[services.clicks.throughput]
mb_per_s = 5

[services.delivery]
kind = "firehose"
```
5 MB/s of writes needs 5 shards at 1 MB/s each; 2 are given.

## How to fix
Set `shards` to the count the help names, give the consumers enhanced fan-out
when reads bind, or use `mode = "on-demand"`."#,
};

pub struct ShardUnderProvisioned;

/// "5 MB/s of writes needs 5 shards at 1 MB/s each".
pub(super) fn why(n: &Need, load: &StreamLoad) -> String {
    let shards = plural(n.shards, "shard");
    match n.dimension {
        Dimension::WriteMb => format!(
            "{} MB/s of writes needs {shards} at {} MB/s each",
            number(n.load),
            number(n.per_shard)
        ),
        Dimension::WriteRecords => format!(
            "{} records/s needs {shards} at {} records/s each",
            number(n.load),
            number(n.per_shard)
        ),
        Dimension::Read if load.efo => format!(
            "enhanced fan-out reads of {} MB/s need {shards} at {} MB/s per consumer each",
            number(n.load),
            number(n.per_shard)
        ),
        Dimension::Read => format!(
            "{} reading {} MB/s each ({} MB/s) need {shards} at {} MB/s each, shared",
            plural(u64::from(load.consumers), "consumer"),
            number(load.write_mb.unwrap_or(0.0)),
            number(n.load),
            number(n.per_shard)
        ),
    }
}

/// "writes 5 MB/s ÷ 1 MB/s = 5 shards; 1,000 records/s ÷ 1,000 = 1 shard; ...".
fn breakdown(needs: &[Need], load: &StreamLoad) -> String {
    needs
        .iter()
        .map(|n| {
            let shards = plural(n.shards, "shard");
            match n.dimension {
                Dimension::WriteMb => format!(
                    "writes {} MB/s ÷ {} MB/s = {shards}",
                    number(n.load),
                    number(n.per_shard)
                ),
                Dimension::WriteRecords => format!(
                    "{} records/s ÷ {} = {shards}",
                    number(n.load),
                    number(n.per_shard)
                ),
                Dimension::Read if load.efo => format!(
                    "reads (enhanced fan-out, each consumer its own {} MB/s a shard) {} MB/s ÷ {} MB/s = {shards}",
                    number(n.per_shard),
                    number(n.load),
                    number(n.per_shard)
                ),
                Dimension::Read => format!(
                    "reads {} × {} MB/s = {} MB/s ÷ {} MB/s = {shards}",
                    plural(u64::from(load.consumers), "consumer"),
                    number(load.write_mb.unwrap_or(0.0)),
                    number(n.load),
                    number(n.per_shard)
                ),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "set `shards = 5` (writes 5 MB/s ÷ 1 MB/s = 5 shards; ...; the write throughput binds)".
pub(super) fn set_shards(needs: &[Need], binding: &Need, load: &StreamLoad) -> String {
    format!(
        "set `shards = {}` ({}; {})",
        binding.shards,
        breakdown(needs, load),
        binds(binding.dimension)
    )
}

fn binds(d: Dimension) -> &'static str {
    match d {
        Dimension::WriteMb => "the write throughput binds",
        Dimension::WriteRecords => "the write record rate binds",
        Dimension::Read => "the read throughput binds",
    }
}

/// The monthly price of `shards` shards, in cents, when the pack has it.
pub(super) fn shard_cents(cx: &Context<'_>, s: usize, shards: u64) -> Option<i64> {
    let kind = cx.def(s)?;
    let p = cx
        .pack
        .price(cx.arch.pricing_region(), &kind.id, "shard-hour", None)?;
    // None too when too large to price: no saving is better than a wrong one.
    crate::money::Money::from_usd(shards as f64 * crate::cost::HOURS_PER_MONTH * p.usd).cents()
}

/// A provisioned stream's shard count, its span, the load and the limits.
pub(super) fn provisioned<'a>(
    cx: &Context<'a>,
    s: usize,
) -> Option<(u64, &'a crate::model::Attr, StreamLoad, ShardLimits)> {
    let svc = &cx.arch.services[s];
    let limits = ShardLimits::of(cx.pack, cx.kind(s)?)?;
    if svc.text("mode") == Some("on-demand") {
        return None;
    }
    let shards_attr = svc.attr("shards")?;
    let shards = shards_attr.as_i64()?.max(0) as u64;
    Some((shards, shards_attr, StreamLoad::of(cx.arch, s), limits))
}

impl Rule for ShardUnderProvisioned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for s in 0..cx.arch.services.len() {
            let Some((shards, attr, load, limits)) = provisioned(cx, s) else {
                continue;
            };
            let needs = capacity::needs(&load, &limits);
            if !capacity::under_provisioned(&needs, shards) {
                continue;
            }
            let Some(b) = capacity::binding(&needs) else {
                continue;
            };
            let mut help = set_shards(&needs, b, &load);
            if let (Some(now), Some(then)) =
                (shard_cents(cx, s, shards), shard_cents(cx, s, b.shards))
            {
                help.push_str(&format!(
                    "; {} cost {} a month ({})",
                    plural(b.shards, "shard"),
                    money(then),
                    money_change(then - now)
                ));
            }
            if b.dimension == Dimension::Read && !load.efo {
                help.push_str(
                    "; or enable `enhanced_fan_out`, which gives each consumer its own read throughput",
                );
            }
            out.push(
                Finding::new(
                    &META,
                    Subject::Service(s),
                    attr.span,
                    format!(
                        "{}: {}; {} given",
                        cx.describe(s),
                        why(b, &load),
                        number(shards as f64)
                    ),
                )
                .label(format!(
                    "{} given, {} needed",
                    number(shards as f64),
                    number(b.shards as f64)
                ))
                .help(help),
            );
        }
    }
}
