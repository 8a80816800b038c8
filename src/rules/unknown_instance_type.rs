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
Looks up every instance type a service names (`instance_type`, EMR's
`master_nodes`, `core_nodes` and `task_nodes`, a cache's or a warehouse's
`node_type`, a Kafka cluster's `broker_type`) in the list of types its API
accepts, `rules/instance-types.toml`, generated from botocore's service
models and the instance type lists cfn-lint takes from AWS's price list: EC2
and the services that run EC2 types (EMR, ECS, EKS, Batch), SageMaker AI
(`ml.g5.xlarge`), RDS and Aurora (`db.r7g.large`), DocumentDB, ElastiCache
(`cache.r7g.large`), OpenSearch Service (`r7g.large.search`), Redshift
(`ra3.4xlarge`) and Amazon MQ. For DMS (`dms.r5.large`) and MSK
(`kafka.m7g.large`), which publish no such list, the family must be known.
It reports a type not listed, with the closest types that are.

It is a warning, not an error: AWS adds instance types between refreshes of
the pack, and a stale list must not break a build.

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
Correct the type. If it is a real type AWS added after the pack's list, add an
`[[instance_catalog]]` with it to a pack of your own (`--rules DIR`), or
`allow` the rule on the service."#,
};

pub struct UnknownInstanceType;

impl Rule for UnknownInstanceType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (s, how, groups) in instance_fleets(cx) {
            let service = cx
                .def(s)
                .map_or_else(|| "the service".to_string(), |d| d.name.clone());
            for g in &groups {
                let written = g.type_name();
                // A previous-generation type that newer lists left out is
                // reported as such, not as unknown.
                if cx
                    .pack
                    .instance_info(how, written)
                    .is_some_and(|i| i.listed || i.is_previous())
                {
                    continue;
                }
                let catalog = cx.pack.catalog_types(how);
                let names: Vec<String> = if catalog.is_empty() {
                    cx.pack
                        .instance_type_names()
                        .map(|n| how.write(n))
                        .collect()
                } else {
                    catalog.iter().map(|n| n.to_string()).collect()
                };
                // `r5.large` for a service that writes `db.r5.large`.
                let written_as = how.write(written);
                let bare = written_as != written
                    && cx
                        .pack
                        .instance_info(how, &written_as)
                        .is_some_and(|i| i.listed);
                let help = if bare {
                    Some(format!("{service} names it `{written_as}`"))
                } else {
                    did_you_mean(written, names.iter().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`?"))
                };
                let help = help.map_or_else(
                    || "if it is a type AWS added after the rule pack's list, add it to a rule pack of your own (--rules DIR) or `allow` this rule".to_string(),
                    |h| format!("{h} (if it is a type AWS added after the rule pack's list, add it to a rule pack of your own with --rules)"),
                );
                let message = if catalog.is_empty() {
                    format!(
                        "{}, which is not an instance type the rule pack knows",
                        who_uses(cx, s, g)
                    )
                } else {
                    format!(
                        "{}, which is not among the instance types {service} accepts",
                        who_uses(cx, s, g)
                    )
                };
                out.push(
                    Finding::new(&META, Subject::Service(s), g.type_attr.span, message)
                        .label("unknown instance type")
                        .help(help),
                );
            }
        }
    }
}
