use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::flowgraph::unknown_loops;
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL105",
    name: "flow-cycle",
    severity: Severity::Warning,
    summary: "data flows in a loop that is not a known round trip",
    doc: r#"## What it does
Finds loops of flows that carry data (`A -> B -> A`), one per group of services
that reach each other, and names the loop. Flows of table definitions (a
crawler, the Data Catalog) and orchestration calls do not count. Round trips that
are ordinary patterns are not reported: a store read and written back by
Redshift (COPY and UNLOAD), EMR, a Glue job or Athena (`rules/lake.toml`,
`[[known_cycle]]`).

## Why is this bad?
A loop feeds a service its own output: the pipeline reprocesses records,
duplicates them, or runs without end. A Lambda function that writes to the
bucket that triggers it invokes itself again and again, which AWS warns about
in the Lambda documentation.

## Example
```toml
[pipeline]
flows = ["uploads -> resize -> uploads"]

[services.uploads]
kind = "s3"

[services.resize]
kind = "lambda"
```

## How to fix
Write the output somewhere else (`uploads -> resize -> thumbnails`). If the
loop is intended — the function writes under a prefix that does not trigger
it — say so with `allow = ["flow-cycle"]` on the flow the finding points at or
on one of its services."#,
};

pub struct FlowCycle;

impl Rule for FlowCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if cx.arch.flows.is_empty() {
            return;
        }
        for lp in unknown_loops(cx.arch, cx.pack, cx.graph()) {
            let Some(&first) = lp.flows.first() else {
                continue;
            };
            let mut names: Vec<String> = lp
                .services
                .iter()
                .map(|&s| format!("`{}`", cx.arch.services[s].id))
                .collect();
            names.push(names[0].clone());
            let flow = &cx.arch.flows[first];
            let (a, b) = (
                &cx.arch.services[lp.services[0]].id,
                lp.services
                    .get(1)
                    .map_or(&cx.arch.services[lp.services[0]].id, |&s| {
                        &cx.arch.services[s].id
                    }),
            );
            let mut finding = Finding::new(
                &META,
                Subject::Flow(first),
                flow.arrow,
                format!("data flows in a loop: {}", names.join(" → ")),
            )
            .label("the loop starts here")
            .help(format!(
                "a loop feeds a service its own output; write it elsewhere, or if the loop is \
                 intended (output under a prefix that does not trigger it, for example) allow \
                 `flow-cycle` on `{a}` or on the flow from `{a}` to `{b}`"
            ));
            let last = lp.flows.len() - 1;
            for (i, &f) in lp.flows.iter().enumerate().skip(1) {
                let label = if i == last {
                    "and closes here"
                } else {
                    "continues here"
                };
                finding = finding.related(cx.arch.flows[f].arrow, label);
            }
            out.push(finding);
        }
    }
}
