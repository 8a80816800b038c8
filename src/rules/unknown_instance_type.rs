use super::{Rule, RuleMeta, Severity, instance_fleets, who_uses};
use crate::finding::{Finding, Subject};
use crate::rules::Context;
use crate::suggest::did_you_mean;

pub static META: RuleMeta = RuleMeta {
    code: "PL401",
    name: "unknown-instance-type",
    severity: Severity::Warning,
    summary: "an instance type is not in the rule pack",
    doc: r#"## What it does
Looks up every `instance_type` (of the service, or of EMR's `master_nodes`,
`core_nodes` and `task_nodes`) of the services that run EC2 hardware in
`rules/instances.toml`, and reports a type it does not list, with the closest
types it does. SageMaker types carry the `ml.` prefix (`ml.g4dn.xlarge`).

It is a warning, not an error: AWS adds instance types faster than any list is
updated, and a stale list must not break a build.

## Why is this bad?
Most unknown types are typos (`r5.xlarg`, `m5.xl`) that the deployment would
reject; the instance rules and `pipelint cost` can say nothing about a type
they do not know.

## Example
```toml
[pipeline]
flows = ["lake -> spark"]

[services.lake]
kind = "s3"

[services.spark]
kind = "emr"
workload = "spark"
instance_type = "r5.xlarg"
instance_count = 3
```

## How to fix
Correct the type. If it is a real type the pack does not list yet, add it to a
pack of your own (`--rules DIR`) with its vCPUs, memory and source, or `allow`
the rule on the service."#,
};

pub struct UnknownInstanceType;

impl Rule for UnknownInstanceType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (s, how, groups) in instance_fleets(cx) {
            for g in &groups {
                if g.lookup(cx.pack, how).is_some() {
                    continue;
                }
                let written = g.type_name();
                let names: Vec<String> = cx
                    .pack
                    .instance_type_names()
                    .map(|n| format!("{}{n}", how.prefix))
                    .collect();
                let bare_known = !how.prefix.is_empty() && cx.pack.instance_type(written).is_some();
                let help = if bare_known {
                    Some(format!(
                        "{} names it `{}{written}`",
                        cx.pack
                            .service(cx.kind(s).unwrap_or(crate::pack::KindId(0)))
                            .name,
                        how.prefix
                    ))
                } else {
                    did_you_mean(written, names.iter().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`?"))
                };
                let help = help.map_or_else(
                    || "if it is a type AWS added recently, add it to a rule pack of your own (--rules DIR) or `allow` this rule".to_string(),
                    |h| format!("{h} (if it is a type AWS added recently, add it to a rule pack of your own with --rules)"),
                );
                out.push(
                    Finding::new(
                        &META,
                        Subject::Service(s),
                        g.type_attr.span,
                        format!(
                            "{}, an instance type the rule pack does not list",
                            who_uses(cx, s, g)
                        ),
                    )
                    .label("unknown instance type")
                    .help(help),
                );
            }
        }
    }
}
