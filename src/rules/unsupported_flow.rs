use std::collections::HashMap;

use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::model::{Flow, FlowKind, FlowOrigin};
use crate::pack::{Category, Effort, KindId, Pack, PathStep};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL103",
    name: "unsupported-flow",
    severity: Severity::Error,
    summary: "no integration carries data from one service to the next",
    doc: r#"## What it does
Checks every flow `A -> B` against the integration matrix (`rules/integrations.toml`):
some AWS mechanism must connect A's kind to B's kind — a delivery
destination, an event source mapping, a `COPY`, a rule action, code you run with
the SDK. A flow whose kind is written must be carried by an edge of that kind:
`data` by a data edge, `control` by an orchestration call (Step Functions
starting a Glue job), `metadata` by a catalog or schema edge, and `trigger` by
an event notification or a delivery that invokes its target (an EventBridge
rule target, an SNS subscription). A flow whose kind is not written takes the
kind of the edge the matrix has. When nothing fits, the help shows the
cheapest path through the matrix that does what the flow would, preferring
configuration over code and never passing data through a control call or a
catalog, and `--format json` gives it as the `suggestion` list of catalog ids.

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
When the matrix has an edge of another kind, the message says what it does
instead ("`sfn` (step-functions) starts `etl` (glue-etl) (Step Functions
service integration); it does not send it data"): write the kind that is true
(`sfn -[control]-> etl`, or `kind = "control"` in a `[[flow]]`).

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

/// "`a` (kind) starts `b` (kind)": what an edge of the matrix does.
fn verb(kind: FlowKind) -> &'static str {
    match kind {
        FlowKind::Data => "sends data to",
        FlowKind::Trigger => "triggers",
        FlowKind::Control => "starts",
        FlowKind::Metadata => "gives metadata to",
    }
}

/// What a flow of this kind would do that the matrix does not have.
fn not_done(kind: FlowKind) -> &'static str {
    match kind {
        FlowKind::Data => "send it data",
        FlowKind::Trigger => "trigger it",
        FlowKind::Control => "start or run it",
        FlowKind::Metadata => "give it metadata",
    }
}

/// The kind a suggested path must carry for a flow: its own, or, for a
/// flow whose kind the matrix could not tell, data — or metadata when it
/// leads into a catalog.
fn wanted(cx: &Context<'_>, flow: &Flow, kb: KindId) -> FlowKind {
    if flow.declared {
        flow.kind
    } else if cx.pack.service(kb).category == Category::Catalog {
        FlowKind::Metadata
    } else {
        FlowKind::Data
    }
}

impl Rule for UnsupportedFlow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // The help and suggestion depend on the pair of kinds and the flow's
        // kind only: a large file repeats the same few.
        let mut advice: HashMap<(KindId, KindId, FlowKind), Advice> = HashMap::new();
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
            let supported = if flow.declared {
                cx.pack.supports_kind(ka, kb, flow.kind.edge())
            } else {
                cx.pack.supports(ka, kb)
            };
            if supported {
                continue;
            }
            let (ida, idb) = (&cx.pack.service(ka).id, &cx.pack.service(kb).id);
            let want = wanted(cx, flow, kb);
            // An edge of another kind, when the matrix has one.
            let other = cx
                .pack
                .edges_between(ka, kb)
                .min_by_key(|e| (e.effort, e.kind))
                .map(|e| (FlowKind::of_edge(e.kind), e.via.clone(), e.effort));
            let (mut message, label) = match &other {
                Some((k, via, _)) => (
                    format!(
                        "{} {} {} ({via}); it does not {}",
                        cx.describe(a),
                        verb(*k),
                        cx.describe(b),
                        not_done(flow.kind)
                    ),
                    format!("{ida} → {idb} is no {} flow", flow.kind.as_str()),
                ),
                None => (
                    match flow.kind {
                        FlowKind::Data => format!(
                            "no integration carries data from {} to {}",
                            cx.describe(a),
                            cx.describe(b)
                        ),
                        FlowKind::Trigger => format!(
                            "no integration lets {} trigger {}",
                            cx.describe(a),
                            cx.describe(b)
                        ),
                        FlowKind::Control => format!(
                            "no integration lets {} start or run {}",
                            cx.describe(a),
                            cx.describe(b)
                        ),
                        FlowKind::Metadata => format!(
                            "no integration gives {} metadata from {}",
                            cx.describe(b),
                            cx.describe(a)
                        ),
                    },
                    format!("{ida} → {idb} is not an integration"),
                ),
            };
            if let Some(gap) = cx.pack.gap(ka, kb) {
                message = format!("{message}: {}", gap.reason);
            }
            // A configured integration of another kind is most likely the
            // flow meant: say so, without a detour for the kind written.
            let native_other = other
                .as_ref()
                .filter(|(_, _, effort)| *effort == Effort::Native)
                .map(|(k, _, _)| *k);
            let (mut help, mut suggestion) = advice
                .entry((ka, kb, want))
                .or_insert_with(|| match cx.pack.suggest_path(ka, kb, want.edge()) {
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
                            "no path through the integration matrix {} from {ida} to {idb}; \
                             `pipelint services` lists what each kind connects to",
                            match want {
                                FlowKind::Data => "carries data",
                                FlowKind::Trigger => "triggers",
                                FlowKind::Control => "starts",
                                FlowKind::Metadata => "gives metadata",
                            }
                        ),
                        None,
                    ),
                })
                .clone();
            if let Some(k) = native_other {
                suggestion = None;
                help = match (flow.origin, cx.arch.is_template()) {
                    (_, true) => format!(
                        "the template wires a {} flow here; the matrix knows only a {} one",
                        flow.kind.as_str(),
                        k.as_str()
                    ),
                    (FlowOrigin::Chain { .. }, false) => format!(
                        "if that is the flow you mean, mark it `-[{}]->`",
                        k.as_str()
                    ),
                    (FlowOrigin::Table { .. }, false) => format!(
                        "if that is the flow you mean, write kind = \"{}\"",
                        k.as_str()
                    ),
                };
            }
            let span = if flow.declared {
                flow.kind_span()
            } else {
                flow.arrow
            };
            let mut finding = Finding::new(&META, Subject::Flow(i), span, message)
                .label(label)
                .help(help);
            if let Some(path) = suggestion {
                finding = finding.suggestion(path);
            }
            out.push(finding);
        }
    }
}
