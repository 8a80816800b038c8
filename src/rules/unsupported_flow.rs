use std::collections::HashMap;

use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::pack::{KindId, Pack, PathStep};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL103",
    name: "unsupported-flow",
    severity: Severity::Error,
    summary: "no integration carries data from one service to the next",
    doc: r#"## What it does
Checks every flow `A -> B` against the integration matrix (`rules/integrations.toml`):
some AWS mechanism must carry data from A's kind to B's kind — a delivery
destination, an event source mapping, a `COPY`, a rule action, code you run with
the SDK. When none does, the help shows the cheapest path through the matrix
that does, preferring configuration over code, and `--format json` gives it as
the `suggestion` list of catalog ids.

## Why is this bad?
The architecture cannot be built as drawn: some component is missing, and the
usual missing one (Firehose between a stream and a bucket) has costs, limits and
latency of its own that the design has not accounted for.

## Example
```toml
[pipeline]
flows = ["Kinesis -> S3 -> Glue -> Athena"]
```
Kinesis Data Streams keeps records for consumers to read; it writes nowhere by
itself.

## How to fix
Add the service the help names:
```toml
[pipeline]
flows = ["Kinesis -> Firehose -> S3 -> Glue -> Athena"]
```
If your design relies on an integration the matrix lacks, add the edge to a
rule pack of your own (`--rules DIR`) with its source, or `allow` the rule on
that flow."#,
};

pub struct UnsupportedFlow;

/// The help of a finding, and the path that works as catalog ids.
type Advice = (String, Option<Vec<String>>);

/// "kinesis-data-streams → firehose (KinesisStreamSourceConfiguration) → s3 (…)".
fn describe_path(pack: &Pack, steps: &[PathStep]) -> String {
    steps
        .iter()
        .map(|s| {
            let id = &pack.service(s.kind).id;
            match s.via {
                Some(d) => format!("{id} ({})", pack.edge_defs[d].via),
                None => id.clone(),
            }
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

impl Rule for UnsupportedFlow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // The help and suggestion depend on the pair of kinds only: a large
        // file repeats the same few pairs.
        let mut advice: HashMap<(KindId, KindId), Advice> = HashMap::new();
        for (i, flow) in cx.arch.flows.iter().enumerate() {
            let (Some(a), Some(b)) = (flow.from.service, flow.to.service) else {
                continue;
            };
            // A service feeding itself is a cycle, not a missing integration.
            if a == b {
                continue;
            }
            let (Some(ka), Some(kb)) = (cx.kind(a), cx.kind(b)) else {
                continue;
            };
            if cx.pack.supports(ka, kb) {
                continue;
            }
            let (ida, idb) = (&cx.pack.service(ka).id, &cx.pack.service(kb).id);
            let mut message = format!(
                "no integration carries data from {} to {}",
                cx.describe(a),
                cx.describe(b)
            );
            if let Some(gap) = cx.pack.gap(ka, kb) {
                message = format!("{message}: {}", gap.reason);
            }
            let (help, suggestion) = advice
                .entry((ka, kb))
                .or_insert_with(|| match cx.pack.suggest_path(ka, kb) {
                    Some(steps) => (
                        format!("a path that works: {}", describe_path(cx.pack, &steps)),
                        Some(
                            steps
                                .iter()
                                .map(|s| cx.pack.service(s.kind).id.clone())
                                .collect(),
                        ),
                    ),
                    None => (
                        format!(
                            "no path through the integration matrix leads from {ida} to {idb}; \
                             `pipelint services` lists what each kind connects to"
                        ),
                        None,
                    ),
                })
                .clone();
            let mut finding = Finding::new(&META, Subject::Flow(i), flow.arrow, message)
                .label(format!("{ida} → {idb} is not an integration"))
                .help(help);
            if let Some(path) = suggestion {
                finding = finding.suggestion(path);
            }
            out.push(finding);
        }
    }
}
