use super::{Rule, RuleMeta, Severity, instance_fleets, who_uses};
use crate::finding::{Finding, Subject};
use crate::numfmt::unit_price;
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL402",
    name: "instance-family-mismatch",
    severity: Severity::Warning,
    summary: "instances of the wrong family for the declared workload",
    doc: r#"## What it does
Reads the service's `workload` and the classes that suit it from
`rules/instances.toml` (after seed 004): Spark, Hive, Presto, Trino, HBase and
databases want memory-optimized instances; training wants accelerated
computing; inference wants compute-optimized (or accelerated); batch
processing wants compute-optimized; HDFS, Hadoop/MapReduce, Kafka and data
warehouses want storage-optimized. It reports node groups whose instance type
is of another class and names a type of the same size in the right class with
its price. An EMR primary (master) node only coordinates, so it is not checked.

## Why is this bad?
The wrong family wastes the money spent on it: Spark on compute-optimized
nodes spills to disk and runs slower than on memory-optimized nodes of the
same size; training on CPUs is many times slower than on GPUs.

## Example
```toml
[pipeline]
flows = ["lake -> spark"]

[services.lake]
kind = "s3"

[services.spark]
kind = "emr"
workload = "spark"
instance_type = "c5.xlarge"
instance_count = 4
```

## How to fix
Use the type the help names, or one of its class that suits you; if the
workload is really something else, say so in `workload`."#,
};

pub struct InstanceFamilyMismatch;

impl Rule for InstanceFamilyMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let region = cx.arch.pricing_region();
        for (s, how, groups) in instance_fleets(cx) {
            let Some(workload) = cx.arch.services[s]
                .text("workload")
                .and_then(|w| cx.pack.workload(w))
            else {
                continue;
            };
            for g in groups.iter().filter(|g| g.role.runs_work()) {
                let Some(have) = g.lookup(cx.pack, how) else {
                    continue;
                };
                let Some(have_class) = have.class else {
                    continue;
                };
                let unsupported = how.unsupported_families.iter().any(|f| f == have.family_id);
                if workload.classes.iter().any(|c| c == have_class) && !unsupported {
                    continue;
                }
                let class_name = |id: &str| {
                    cx.pack
                        .instance_class(id)
                        .map_or(id.to_string(), |c| c.name.clone())
                };
                let want = &workload.classes[0];
                let suggestion = cx.pack.instance_class(want).and_then(|c| {
                    c.suggest
                        .iter()
                        .filter_map(|f| cx.pack.same_size_as(f, &have))
                        .find(|r| have.shape.is_none_or(|t| r.ty.vcpu == t.vcpu))
                        .or_else(|| {
                            c.suggest
                                .iter()
                                .find_map(|f| cx.pack.same_size_as(f, &have))
                        })
                });
                let mut help = match suggestion {
                    Some(r) => {
                        let name = how.write(&r.ty.name);
                        let price = match (
                            crate::cost::instance_price(cx.pack, region, how, &name),
                            crate::cost::instance_price(cx.pack, region, how, g.type_name()),
                        ) {
                            (Some(a), Some(b)) => format!(
                                " at {} an hour, against {} for `{}`",
                                unit_price(a.usd),
                                unit_price(b.usd),
                                g.type_name()
                            ),
                            (Some(a), None) => format!(" at {} an hour", unit_price(a.usd)),
                            _ => String::new(),
                        };
                        format!(
                            "use `{name}` ({}, {}){price}: ",
                            class_name(want),
                            r.shape()
                        )
                    }
                    None => format!("use a {} type: ", class_name(want)),
                };
                help.push_str(&workload.why);
                if unsupported {
                    let name = cx.def(s).map_or("the service", |d| d.name.as_str());
                    help = format!(
                        "{name} does not run {} instances; {help}",
                        class_name(have_class)
                    );
                }
                out.push(
                    Finding::new(
                        &META,
                        Subject::Service(s),
                        g.type_attr.span,
                        format!(
                            "{}, which is {}; a `{}` workload wants {} instances",
                            who_uses(cx, s, g),
                            class_name(have_class),
                            workload.id,
                            workload
                                .classes
                                .iter()
                                .map(|c| class_name(c))
                                .collect::<Vec<_>>()
                                .join(" or ")
                        ),
                    )
                    .label(class_name(have_class))
                    .help(help),
                );
            }
        }
    }
}
