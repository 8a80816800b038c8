use super::{Rule, RuleMeta, Severity};
use crate::finding::{Finding, Subject};
use crate::rules::Context;

pub static META: RuleMeta = RuleMeta {
    code: "PL110",
    name: "unresolved-reference",
    severity: Severity::Info,
    summary: "a template refers to something pipelint cannot follow",
    doc: r#"## What it does
When pipelint checks a CloudFormation template or a Terraform configuration, it
rebuilds the data flow from the resources and their references. This rule
reports each place where it could not: a parameter without a default, an
`Fn::ImportValue`, a nested stack's `TemplateURL`, a Terraform module from a
registry, a condition it cannot evaluate, or a value it had to assume (such as
`AWS::Region`).

## Why is this bad?
Nothing is wrong with the template; but the checks only see what pipelint could
resolve, so a flow that passes through an unresolved reference is missing from
the picture. pipelint says so rather than guessing.

## Example
```yaml
Resources:
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !ImportValue shared-stream-arn
      FunctionName: !Ref Consumer
```

## How to fix
Give the parameter a default, import the nested stack's template on its own,
or check that part of the pipeline by hand. `pipelint import` writes the same
notes as comments at the top of the architecture file it creates."#,
};

pub struct UnresolvedReference;

impl Rule for UnresolvedReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for u in &cx.arch.unresolved {
            out.push(
                Finding::new(&META, Subject::File, u.span, u.message.clone())
                    .label("not followed")
                    .help("the checks do not see what lies behind this reference"),
            );
        }
    }
}
