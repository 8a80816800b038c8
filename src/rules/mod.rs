//! The rules: one file each, holding the rule's metadata, its documentation,
//! its condition and its emission. The registry below is the one list of them.

mod athena_without_catalog;
mod deprecated_service;
mod flow_cycle;
mod format_conversion_without_catalog;
mod glacier_not_queryable;
mod instance_family_mismatch;
mod latency_budget_exceeded;
mod non_data_link_in_chain;
mod orphan_service;
mod previous_generation_instance;
mod record_too_large;
mod renamed_service;
mod retention_out_of_range;
mod row_format_for_analytics;
mod shard_over_provisioned;
mod shard_under_provisioned;
mod spot_on_core_nodes;
mod stream_quota_exceeded;
mod unknown_instance_type;
mod unknown_reference;
mod unknown_service_kind;
mod unresolved_reference;
mod unsupported_flow;
mod unused_allow;

mod context;

pub use context::Context;

use crate::finding::{Finding, RuleMeta, Severity};

/// A rule: metadata plus a check that emits findings.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// Every rule, sorted by code.
pub static RULES: &[&dyn Rule] = &[
    &unknown_service_kind::UnknownServiceKind,
    &unknown_reference::UnknownReference,
    &unsupported_flow::UnsupportedFlow,
    &orphan_service::OrphanService,
    &flow_cycle::FlowCycle,
    &non_data_link_in_chain::NonDataLinkInChain,
    &unresolved_reference::UnresolvedReference,
    &deprecated_service::DeprecatedService,
    &renamed_service::RenamedService,
    &shard_under_provisioned::ShardUnderProvisioned,
    &shard_over_provisioned::ShardOverProvisioned,
    &record_too_large::RecordTooLarge,
    &retention_out_of_range::RetentionOutOfRange,
    &stream_quota_exceeded::StreamQuotaExceeded,
    &unknown_instance_type::UnknownInstanceType,
    &instance_family_mismatch::InstanceFamilyMismatch,
    &previous_generation_instance::PreviousGenerationInstance,
    &spot_on_core_nodes::SpotOnCoreNodes,
    &athena_without_catalog::AthenaWithoutCatalog,
    &glacier_not_queryable::GlacierNotQueryable,
    &row_format_for_analytics::RowFormatForAnalytics,
    &format_conversion_without_catalog::FormatConversionWithoutCatalog,
    &latency_budget_exceeded::LatencyBudgetExceeded,
    &unused_allow::UnusedAllow,
];

/// The (code, name) of every rule, for validating names the user writes.
pub fn names() -> &'static [(&'static str, &'static str)] {
    static NAMES: std::sync::OnceLock<Vec<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        RULES
            .iter()
            .map(|r| (r.meta().code, r.meta().name))
            .collect()
    })
}

/// A rule by code (any case) or name.
pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().name == code_or_name || r.meta().code.eq_ignore_ascii_case(code_or_name))
}

pub use unused_allow::META as UNUSED_ALLOW;

/// The services that run EC2 (or SageMaker) instance types, with how they
/// name them and their node groups.
pub(crate) fn instance_fleets<'a>(
    cx: &'a Context<'a>,
) -> impl Iterator<
    Item = (
        usize,
        &'a crate::pack::InstanceServiceDef,
        Vec<crate::fleet::NodeGroup<'a>>,
    ),
> + 'a {
    cx.arch
        .services
        .iter()
        .enumerate()
        .filter_map(move |(s, svc)| {
            let how = cx.pack.instance_service(cx.kind(s)?)?;
            Some((s, how, crate::fleet::node_groups_of(svc, &how.attribute)))
        })
}

/// "`spark` uses `c5.xlarge`" or "the core nodes of `spark` use `c5.xlarge`".
pub(crate) fn who_uses(cx: &Context<'_>, s: usize, g: &crate::fleet::NodeGroup<'_>) -> String {
    match g.role {
        crate::fleet::Role::Single => format!("{} uses `{}`", cx.describe(s), g.type_name()),
        role => format!(
            "the {} nodes of {} use `{}`",
            role.label(),
            cx.describe(s),
            g.type_name()
        ),
    }
}

/// Services built in memory for the rules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::model::{Attr, KindRef, Service, Value};
    use crate::pack::Pack;
    use crate::source::Span;

    /// A service of `kind` with string attributes.
    pub fn service(kind: &str, attrs: &[(&str, &str)]) -> Service {
        let attrs = attrs
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    Attr {
                        value: Value::String(v.to_string()),
                        key_span: Span::default(),
                        span: Span::default(),
                    },
                )
            })
            .collect();
        Service {
            id: kind.to_string(),
            span: Span::default(),
            kind: KindRef {
                written: kind.to_string(),
                span: Span::default(),
                resolved: Pack::embedded().resolve(kind),
                instead: None,
            },
            implicit: false,
            description: None,
            attrs,
            allow: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_documented() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.meta().code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted, "codes must be unique and sorted");
        let mut names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len(), "names must be unique");
        for r in RULES {
            let m = r.meta();
            assert!(m.code.len() == 5 && m.code.starts_with("PL"), "{}", m.code);
            assert!(
                m.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                m.name
            );
            assert!(
                !m.summary.ends_with('.')
                    && m.summary.chars().next().is_some_and(char::is_lowercase),
                "{}",
                m.name
            );
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## How to fix",
            ] {
                assert!(m.doc.contains(section), "{} lacks {section}", m.name);
            }
        }
    }
}
