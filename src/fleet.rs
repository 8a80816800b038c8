//! The instances a service runs: one group from `instance_type` and
//! `instance_count`, or EMR's `master_nodes`, `core_nodes` and `task_nodes`.

use crate::model::{Attr, Service};
use crate::pack::{InstanceInfo, InstanceServiceDef, Pack};
use crate::source::Span;

/// The role of a group of instances.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// `instance_type` on the service itself.
    Single,
    /// EMR primary node: coordinates, runs no tasks.
    Master,
    /// EMR core nodes: run tasks and hold HDFS.
    Core,
    /// EMR task nodes: run tasks only.
    Task,
}

impl Role {
    pub fn attribute(self) -> &'static str {
        match self {
            Role::Single => "instance_type",
            Role::Master => "master_nodes",
            Role::Core => "core_nodes",
            Role::Task => "task_nodes",
        }
    }

    /// "master", "core", "task", or "" for a single group.
    pub fn label(self) -> &'static str {
        match self {
            Role::Single => "",
            Role::Master => "master",
            Role::Core => "core",
            Role::Task => "task",
        }
    }

    /// Whether the group runs the workload's tasks (the primary does not).
    pub fn runs_work(self) -> bool {
        self != Role::Master
    }
}

/// One group of identical instances.
#[derive(Clone, Debug)]
pub struct NodeGroup<'a> {
    pub role: Role,
    /// The `instance_type` as written, with its span.
    pub type_attr: &'a Attr,
    pub count: u64,
    /// Whether `instance_count` / `count` was written (else 1 is assumed).
    pub count_given: bool,
    pub spot: bool,
    /// The `market` value's span, when written.
    pub market_span: Option<Span>,
}

impl<'a> NodeGroup<'a> {
    pub fn type_name(&self) -> &'a str {
        self.type_attr.as_str().unwrap_or("")
    }

    /// What the pack knows of the type, read the way the service writes it
    /// (`ml.m5.large`, `db.r5.large`, `m5.large.search`).
    pub fn lookup<'p>(&self, pack: &'p Pack, how: &InstanceServiceDef) -> Option<InstanceInfo<'p>>
    where
        'a: 'p,
    {
        pack.instance_info(how, self.type_name())
    }
}

fn count_of(attr: Option<&Attr>) -> (u64, bool) {
    match attr.and_then(Attr::as_i64) {
        Some(c) => (c.max(0) as u64, true),
        None => (1, false),
    }
}

/// The groups a service declares, in the order master, core, task (or the single group).
pub fn node_groups(svc: &Service) -> Vec<NodeGroup<'_>> {
    node_groups_of(svc, "instance_type")
}

/// The groups of a service whose type is in `attribute` (`instance_type`,
/// `node_type`, `broker_type`).
pub fn node_groups_of<'a>(svc: &'a Service, attribute: &str) -> Vec<NodeGroup<'a>> {
    let mut out = Vec::new();
    let market = svc.attr("market");
    if let Some(t) = svc.attr(attribute) {
        let (count, count_given) = count_of(svc.attr("instance_count"));
        out.push(NodeGroup {
            role: Role::Single,
            type_attr: t,
            count,
            count_given,
            spot: market.and_then(Attr::as_str) == Some("spot"),
            market_span: market.map(|m| m.span),
        });
    }
    for role in [Role::Master, Role::Core, Role::Task] {
        let Some(group) = svc.attr(role.attribute()) else {
            continue;
        };
        let Some(t) = group.field("instance_type") else {
            continue;
        };
        let (count, count_given) = count_of(group.field("count"));
        let market = group.field("market").or(market);
        out.push(NodeGroup {
            role,
            type_attr: t,
            count,
            count_given,
            spot: market.and_then(Attr::as_str) == Some("spot"),
            market_span: market.map(|m| m.span),
        });
    }
    out
}

/// The purchase option of one group of instances, whether or not the group
/// names its instance type.
#[derive(Clone, Copy, Debug)]
pub struct MarketGroup {
    pub role: Role,
    pub spot: bool,
    /// The `market` value's span, when written.
    pub market_span: Option<Span>,
    /// The group: its `instance_type`, or the table that declares it.
    pub span: Span,
}

/// Every group a service declares, with its market, in the order master,
/// core, task (or the single group); a group needs no `instance_type` here.
pub fn market_groups(svc: &Service) -> Vec<MarketGroup> {
    let mut out = Vec::new();
    let market = svc.attr("market");
    let spot = |m: Option<&Attr>| m.and_then(Attr::as_str) == Some("spot");
    let has_groups = [Role::Master, Role::Core, Role::Task]
        .iter()
        .any(|r| svc.attr(r.attribute()).is_some());
    if svc.attr("instance_type").is_some() || (!has_groups && market.is_some()) {
        let span = svc
            .attr("instance_type")
            .or(market)
            .map_or(svc.span, |a| a.span);
        out.push(MarketGroup {
            role: Role::Single,
            spot: spot(market),
            market_span: market.map(|m| m.span),
            span,
        });
    }
    for role in [Role::Master, Role::Core, Role::Task] {
        let Some(group) = svc.attr(role.attribute()) else {
            continue;
        };
        let market = group.field("market").or(market);
        out.push(MarketGroup {
            role,
            spot: spot(market),
            market_span: market.map(|m| m.span),
            span: group
                .field("instance_type")
                .map_or(group.key_span, |t| t.span),
        });
    }
    out
}
