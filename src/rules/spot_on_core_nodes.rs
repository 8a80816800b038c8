use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::fleet::{Role, market_groups};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL404",
    name: "spot-on-core-nodes",
    severity: Severity::Warning,
    summary: "master or core nodes of an EMR cluster on spot instances",
    doc: r#"## What it does
Reports an EMR cluster whose master (primary) or core node group has
`market = "spot"`, or whose single `instance_type` group runs on spot (which
puts the master and core nodes there too). Task nodes on spot are fine, and
are the usual way to add cheap capacity.

## Why is this bad?
AWS can reclaim spot instances at two minutes' notice. The master node runs
the cluster: losing it ends the cluster. Core nodes hold HDFS: losing them
loses data blocks and the work that depends on them. Task nodes run tasks only
and can be lost without failing the cluster (seed notes 000 and 002).

## Example
```toml
[pipeline]
flows = ["lake -> spark"]

[services.lake]
kind = "s3"

[services.spark]
kind = "emr"
workload = "spark"
[services.spark.master_nodes]
instance_type = "m5.xlarge"
[services.spark.core_nodes]
instance_type = "r5.2xlarge"
count = 4
market = "spot"
```

## How to fix
Run master and core nodes on demand and put the spot capacity in
`task_nodes`."#,
};

pub struct SpotOnCoreNodes;

impl Rule for SpotOnCoreNodes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (s, svc) in cx.arch.services.iter().enumerate() {
            // Only services with master/core/task roles (EMR) have core nodes.
            let has_roles = cx
                .def(s)
                .is_some_and(|d| d.attributes.iter().any(|a| a == "core_nodes"));
            if !has_roles {
                continue;
            }
            // The market is what matters, whether or not the group names its type.
            for g in market_groups(svc)
                .iter()
                .filter(|g| g.spot && g.role != Role::Task)
            {
                let (what, verb, consequence) = match g.role {
                    Role::Master => ("master node", "runs", "losing it ends the cluster"),
                    Role::Core => (
                        "core nodes",
                        "run",
                        "losing one loses its HDFS blocks and running tasks",
                    ),
                    _ => (
                        "master and core nodes",
                        "run",
                        "losing the master ends the cluster, losing a core node loses HDFS blocks",
                    ),
                };
                let span = g.market_span.unwrap_or(g.span);
                out.push(
                    Finding::new(
                        &META,
                        Subject::Service(s),
                        span,
                        format!(
                            "the {what} of {} {verb} on Spot Instances, which AWS can reclaim at two minutes' notice",
                            cx.describe(s)
                        ),
                    )
                    .label("spot")
                    .help(format!(
                        "{consequence}; run master and core nodes on demand and put Spot capacity in `task_nodes`, which run tasks only and can be lost without failing the cluster"
                    )),
                );
            }
        }
    }
}
