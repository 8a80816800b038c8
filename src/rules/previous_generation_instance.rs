use super::{Rule, RuleMeta, Severity, instance_fleets, who_uses};
use crate::finding::{Finding, Subject};
use crate::numfmt::unit_price;
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL403",
    name: "previous-generation-instance",
    severity: Severity::Warning,
    summary: "an instance type of a previous generation",
    doc: r#"## What it does
Reports instance types whose family `rules/instances.toml` marks as a previous
generation, as AWS lists them (A1, C1, C3, C4, G3, I2, M1, M2, M3, M4, P3,
P3dn, R3, R4, T1 for EC2), in every service that takes instance types: EC2,
EMR, ECS, EKS, Batch, SageMaker AI (`ml.m4.xlarge`), RDS and Aurora
(`db.m3.medium`), DocumentDB, ElastiCache (`cache.r3.large`), OpenSearch
Service (`m3.medium.elasticsearch`, and T2, which OpenSearch lists as previous
generation), DMS (`dms.c4.large`), MSK (`kafka.m4.large`) and Amazon MQ. It
names the type of the same size in the current family that replaces it, with
the change in price per hour and per month, and the Graviton (Arm) type for
software that runs on Arm.

## Why is this bad?
Older generations are slower per vCPU, often cost more than their successors,
lack the Nitro system's network and EBS bandwidth, and are the first to become
scarce.

## Example
```toml
[pipeline]
flows = ["app -> lake"]

[services.app]
kind = "ec2"
instance_type = "m4.xlarge"
instance_count = 2

[services.lake]
kind = "s3"
```

## How to fix
Move to the type the help names, after testing the workload on it."#,
};

pub struct PreviousGenerationInstance;

impl Rule for PreviousGenerationInstance {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let region = cx.arch.pricing_region();
        for (s, how, groups) in instance_fleets(cx) {
            for g in &groups {
                let Some(have) = g.lookup(cx.pack, how) else {
                    continue;
                };
                if !have.is_previous() {
                    continue;
                }
                let message = format!(
                    "{}, a previous-generation instance type",
                    who_uses(cx, s, g)
                );
                let mut help = Vec::new();
                // A successor the service does not offer is no advice: only
                // types its list of instance types has are named.
                let written = g.type_name();
                let offered = |name: &str| -> Option<String> {
                    how.catalog.as_ref()?;
                    [how.write_like(written, name), how.write(name)]
                        .into_iter()
                        .find(|n| cx.pack.instance_info(how, n).is_some_and(|i| i.listed))
                };
                if let Some((r, name)) = have
                    .successor
                    .and_then(|f| cx.pack.same_size_as(f, &have))
                    .and_then(|r| offered(&r.ty.name).map(|n| (r, n)))
                {
                    let price_now = crate::cost::instance_price(cx.pack, region, how, written);
                    let price_new = crate::cost::instance_price(cx.pack, region, how, &name);
                    let mut line = format!("use `{name}` ({})", r.shape());
                    if let (Some(a), Some(b)) = (price_now, price_new) {
                        let diff = b.usd - a.usd;
                        let sign = if diff > 0.0 {
                            "+"
                        } else if diff < 0.0 {
                            "-"
                        } else {
                            ""
                        };
                        line.push_str(&format!(
                            ": {} an hour against {} ({sign}{} an hour, {} a month an instance)",
                            unit_price(b.usd),
                            unit_price(a.usd),
                            unit_price(diff.abs()),
                            crate::money::Money::from_usd(diff * crate::cost::HOURS_PER_MONTH)
                                .change()
                        ));
                    }
                    help.push(line);
                }
                if let Some((arm, name)) = have
                    .arm_successor
                    .and_then(|f| cx.pack.same_size_as(f, &have))
                    .and_then(|r| offered(&r.ty.name).map(|n| (r, n)))
                {
                    let caveat = if how.managed {
                        ""
                    } else {
                        " if the software runs on Arm"
                    };
                    let verb = if help.is_empty() { "use" } else { "or" };
                    help.push(format!(
                        "{verb} `{name}` (Graviton, {}){caveat}",
                        arm.shape()
                    ));
                }
                if help.is_empty()
                    && let Some(url) = how
                        .source
                        .items()
                        .iter()
                        .find(|u| u.starts_with("https://"))
                {
                    let name = cx.def(s).map_or("the service", |d| d.name.as_str());
                    help.push(format!(
                        "move to a current-generation type {name} offers: {url}"
                    ));
                }
                let mut f = Finding::new(&META, Subject::Service(s), g.type_attr.span, message)
                    .label("previous generation");
                if !help.is_empty() {
                    f = f.help(help.join(", "));
                }
                out.push(f);
            }
        }
    }
}
