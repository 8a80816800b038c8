use super::{Rule, RuleMeta, Severity, instance_fleets, who_uses};
use crate::finding::{Finding, Subject};
use crate::numfmt::{cents, money_change, unit_price};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL403",
    name: "previous-generation-instance",
    severity: Severity::Warning,
    summary: "an instance type of a previous generation",
    doc: r#"## What it does
Reports instance types whose family `rules/instances.toml` marks as a previous
generation, as AWS lists them (A1, C1, C3, C4, G3, I2, M1, M2, M3, M4, P3,
P3dn, R3, R4, T1 for EC2), and names the type of the same size in the current
family that replaces it, with the change in price per hour and per month, and
the Graviton (Arm) family for software that runs on Arm.

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
                let successor = have
                    .family
                    .successor
                    .as_deref()
                    .and_then(|f| cx.pack.same_size_in(f, have.ty));
                let message = format!(
                    "{}, a previous-generation instance type",
                    who_uses(cx, s, g)
                );
                let mut help = Vec::new();
                if let Some(r) = successor {
                    let name = format!("{}{}", how.prefix, r.ty.name);
                    let price_now =
                        crate::cost::instance_price(cx.pack, region, how, g.type_name());
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
                            money_change(cents(diff * crate::cost::HOURS_PER_MONTH))
                        ));
                    }
                    help.push(line);
                }
                if let Some(arm) = have
                    .family
                    .arm_successor
                    .as_deref()
                    .and_then(|f| cx.pack.same_size_in(f, have.ty))
                {
                    help.push(format!(
                        "or `{}{}` (Graviton, {}) if the software runs on Arm",
                        how.prefix,
                        arm.ty.name,
                        arm.shape()
                    ));
                }
                let mut f = Finding::new(&META, Subject::Service(s), g.type_attr.span, message)
                    .label("previous generation");
                if !help.is_empty() {
                    f = f.help(help.join("; "));
                }
                out.push(f);
            }
        }
    }
}
