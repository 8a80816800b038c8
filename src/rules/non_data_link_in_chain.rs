use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::model::{FlowKind, FlowOrigin};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL106",
    name: "non-data-link-in-chain",
    severity: Severity::Warning,
    summary: "a chain passes data on through a link that carries none",
    doc: r#"## What it does
A chain `a -> b -> c` says that data travels its whole length. This rule finds
a link whose kind was not written and that the integration matrix knows only
as a control call (Step Functions starting a Glue job) or as metadata (a
catalog giving Firehose a schema), followed further down the chain by links
that carry data. A store's tables reaching an engine through a crawler and
the Data Catalog (`lake -> crawler -> catalog -> query`) are the engine reading
the store, and pass.

## Why is this bad?
`a`'s data does not reach `c`: `a` only starts `b`, or only describes its
tables. Latency, capacity and the lake's checks follow data, so a chain drawn
this way is checked as two pipelines, not one; and a reader of the file
believes in a flow that does not exist.

## Example
```toml
[pipeline]
flows = ["schedule -> etl -> lake"]

[services.schedule]
kind = "step-functions"

[services.etl]
kind = "glue-etl"

[services.lake]
kind = "s3"
```
Step Functions starts the Glue job; it sends it no data.

## How to fix
Say what the link is, with the kind on its arrow:
```toml
[pipeline]
flows = ["schedule -[control]-> etl -> lake"]
```
or start a new chain where the data starts (`"schedule -> etl"`,
`"etl -> lake"`). A flow's kind is `data`, `trigger`, `control` or `metadata`;
in a `[[flow]]` table it is written `kind = "control"`."#,
};

pub struct NonDataLinkInChain;

/// What a link of this kind does, between two described services.
fn does(kind: FlowKind) -> &'static str {
    match kind {
        FlowKind::Control => "starts",
        FlowKind::Metadata => "gives metadata to",
        FlowKind::Data | FlowKind::Trigger => "sends data to",
    }
}

/// Whether the metadata link `at` of a chain is part of a run of metadata
/// links from a store to a service that reads that store's tables (`lake ->
/// crawler -> catalog -> query`): the engine reads the data the catalog
/// describes, so the chain does carry it.
fn read_through_catalog(cx: &Context<'_>, chain: &[crate::model::Flow], at: usize) -> bool {
    let meta = |x: usize| !chain[x].declared && chain[x].kind == FlowKind::Metadata;
    let mut first = at;
    while first > 0 && meta(first - 1) {
        first -= 1;
    }
    let mut last = at;
    while last + 1 < chain.len() && meta(last + 1) {
        last += 1;
    }
    let (Some(store), Some(reader)) = (chain[first].from.service, chain[last].to.service) else {
        return false;
    };
    let (Some(ks), Some(kr)) = (cx.kind(store), cx.kind(reader)) else {
        return false;
    };
    crate::flowgraph::is_store(cx.pack, Some(ks))
        && cx.pack.supports_kind(ks, kr, crate::pack::EdgeKind::Data)
}

impl Rule for NonDataLinkInChain {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let flows = &cx.arch.flows;
        let mut i = 0;
        while i < flows.len() {
            let FlowOrigin::Chain { chain } = flows[i].origin else {
                i += 1;
                continue;
            };
            // The links of one chain are consecutive.
            let mut end = i;
            while end < flows.len() && flows[end].origin == (FlowOrigin::Chain { chain }) {
                end += 1;
            }
            for j in i..end {
                let f = &flows[j];
                if f.declared || f.kind.carries_data() {
                    continue;
                }
                if f.kind == FlowKind::Metadata && read_through_catalog(cx, &flows[i..end], j - i) {
                    continue;
                }
                // The data links after it, to the service they lead to.
                let Some(mut last) = (j + 1..end).find(|&m| flows[m].kind.carries_data()) else {
                    continue;
                };
                while last + 1 < end && flows[last + 1].kind.carries_data() {
                    last += 1;
                }
                let (Some(a), Some(b)) = (f.from.service, f.to.service) else {
                    continue;
                };
                let sink = &flows[last].to.name;
                out.push(
                    Finding::new(
                        &META,
                        Subject::Flow(j),
                        f.arrow,
                        format!(
                            "{} {} {} but sends it no data, so this chain does not carry \
                             data from `{}` to `{sink}`",
                            cx.describe(a),
                            does(f.kind),
                            cx.describe(b),
                            cx.arch.services[a].id,
                        ),
                    )
                    .label(format!("a {} link", f.kind.as_str()))
                    .help(format!(
                        "write `{} -[{}]-> {}` to say so, or start a new chain at `{}`",
                        f.from.name,
                        f.kind.as_str(),
                        f.to.name,
                        f.to.name
                    )),
                );
            }
            i = end;
        }
    }
}
