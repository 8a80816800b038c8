//! The latency model: how long data spends in each service (from
//! `rules/latency.toml`, a service's `latency` attribute overriding it), and
//! the slowest path from a source to each sink.
//!
//! Paths follow data, trigger and metadata flows (a crawler gates when new
//! partitions become queryable); orchestration flows carry no records. The
//! slowest path is found by dynamic programming over a topological order, so
//! the cost is linear in services plus flows however many paths there are.
//! Loops are cut at the flow that closes them: the back edges of a depth-first
//! search that starts at services in file order, so each service on a loop
//! counts once.

use std::borrow::Cow;
use std::time::Duration;

use crate::flowgraph::FlowGraph;
use crate::model::FlowKind;
use crate::model::{Architecture, FlowIx, ServiceIx, Value};
use crate::pack::{EdgeKind, KindId, LatencyDef, LatencyUnit, Pack, Scalar};
use crate::source::Span;

/// How long data spends in one service, and how that was worked out.
#[derive(Clone, Debug)]
pub struct HopLatency<'a> {
    pub latency: Duration,
    /// False when nothing models this kind: the hop counts as 0.
    pub modelled: bool,
    pub estimate: bool,
    /// How the figure came about, e.g. "`buffer_seconds` = 300".
    pub basis: String,
    /// The pack entry used, if any.
    pub def: Option<&'a LatencyDef>,
    /// The attribute the figure was read from, and where.
    pub attribute: Option<(&'a str, Span)>,
}

/// Where data goes when it leaves a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Leaving {
    pub edge: EdgeKind,
    pub to: Option<KindId>,
}

/// A path of services from a source to a sink, with each hop's share.
#[derive(Clone, Debug)]
pub struct PathEstimate<'a> {
    pub services: Vec<ServiceIx>,
    /// The flows between consecutive services.
    pub flows: Vec<FlowIx>,
    pub hops: Vec<HopLatency<'a>>,
    pub total: Duration,
}

impl PathEstimate<'_> {
    /// The hop that contributes most (the first of equals).
    pub fn dominant(&self) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, h) in self.hops.iter().enumerate() {
            if best.is_none_or(|b| h.latency > self.hops[b].latency) {
                best = Some(i);
            }
        }
        best
    }
}

/// Parses how often a scheduled service runs: "hourly", "daily", "weekly",
/// "monthly" (30 days), "rate(15 minutes)", "every 2 hours", "15 minutes" or
/// "15m". `None` for what it cannot read, such as a cron expression.
pub fn parse_schedule(text: &str) -> Option<Duration> {
    let t = text.trim().to_ascii_lowercase();
    let fixed = match t.as_str() {
        "hourly" => Some(3600),
        "daily" => Some(86_400),
        "weekly" => Some(7 * 86_400),
        "monthly" => Some(30 * 86_400),
        _ => None,
    };
    if let Some(s) = fixed {
        return Some(Duration::from_secs(s));
    }
    let body = t
        .strip_prefix("rate(")
        .and_then(|r| r.strip_suffix(')'))
        .or_else(|| t.strip_prefix("every "))
        .unwrap_or(&t)
        .trim();
    if let Some((n, unit)) = body.split_once(char::is_whitespace) {
        let n: u64 = n.trim().parse().ok()?;
        let per = match unit.trim() {
            "second" | "seconds" => 1,
            "minute" | "minutes" => 60,
            "hour" | "hours" => 3600,
            "day" | "days" => 86_400,
            "week" | "weeks" => 7 * 86_400,
            "month" | "months" => 30 * 86_400,
            _ => return None,
        };
        return n.checked_mul(per).map(Duration::from_secs);
    }
    humantime::parse_duration(body).ok()
}

/// "200 ms", "1.5 s", "300 s", "2 h": milliseconds below a second, seconds
/// below an hour (one decimal at most), hours above.
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    let trim = |x: f64| {
        let s = format!("{:.1}", (x * 10.0).round() / 10.0);
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    };
    if secs < 1.0 {
        let ms = secs * 1000.0;
        if ms >= 1.0 || ms == 0.0 {
            format!("{} ms", trim(ms))
        } else {
            format!("{} µs", trim(ms * 1000.0))
        }
    } else if secs < 3600.0 {
        format!("{} s", trim(secs))
    } else {
        format!("{} h", trim(secs / 3600.0))
    }
}

fn scalar_matches(v: &Value, s: &Scalar) -> bool {
    match (v, s) {
        (Value::Bool(a), Scalar::Bool(b)) => a == b,
        (Value::Integer(a), Scalar::Int(b)) => a == b,
        (Value::String(a), Scalar::Text(b)) => a == b,
        _ => false,
    }
}

/// The walk over one architecture: its flow graph and what each hop costs.
pub struct LatencyModel<'a> {
    arch: &'a Architecture,
    pack: &'a Pack,
    graph: Cow<'a, FlowGraph>,
    /// Flows that carry records out of each service, for consumer counts.
    readers: Vec<usize>,
}

impl<'a> LatencyModel<'a> {
    pub fn new(arch: &'a Architecture, pack: &'a Pack) -> Self {
        Self::with_graph(arch, pack, Cow::Owned(FlowGraph::new(arch)))
    }

    /// The model over a flow graph already built for `arch`.
    pub fn with_graph(arch: &'a Architecture, pack: &'a Pack, graph: Cow<'a, FlowGraph>) -> Self {
        let readers = graph
            .out
            .iter()
            .map(|ls| {
                ls.iter()
                    .filter(|&&l| FlowGraph::carries_data(&graph.links[l]))
                    .count()
            })
            .collect();
        LatencyModel {
            arch,
            pack,
            graph,
            readers,
        }
    }

    pub fn graph(&self) -> &FlowGraph {
        &self.graph
    }

    /// How long data spends in `s` before it leaves as `leaving` says
    /// (`None`: `s` is where the path ends).
    pub fn hop(&self, s: ServiceIx, leaving: Option<Leaving>) -> HopLatency<'a> {
        let svc = &self.arch.services[s];
        if let Some(a) = svc.attr("latency")
            && let Some(d) = a.as_duration()
        {
            return HopLatency {
                latency: d,
                modelled: true,
                estimate: false,
                basis: format!("`latency` = {}", format_duration(d)),
                def: None,
                attribute: Some(("latency", a.span)),
            };
        }
        let none = |basis: String| HopLatency {
            latency: Duration::ZERO,
            modelled: false,
            estimate: false,
            basis,
            def: None,
            attribute: None,
        };
        let Some(kind) = svc.kind.kind() else {
            return none("unknown kind".into());
        };
        let applies = |d: &LatencyDef| {
            let Some(w) = &d.when else { return true };
            if let Some(e) = w.edge
                && leaving.map(|l| l.edge) != Some(e)
            {
                return false;
            }
            if !w.to.is_empty() {
                let to = leaving
                    .and_then(|l| l.to)
                    .map(|k| self.pack.service(k).id.as_str());
                if !to.is_some_and(|t| w.to.iter().any(|w| w == t)) {
                    return false;
                }
            }
            match &w.attribute {
                None => true,
                Some(a) => match svc.attr(a) {
                    Some(v) => w.is.iter().any(|s| scalar_matches(&v.value, s)),
                    None => w.or_absent,
                },
            }
        };
        let Some(def) = self.pack.latency(kind).find(|d| applies(d)) else {
            return none("no estimate".into());
        };
        let mut hop = HopLatency {
            latency: Duration::ZERO,
            modelled: true,
            estimate: def.estimate,
            basis: def.what.clone(),
            def: Some(def),
            attribute: None,
        };
        if let Some(t) = def.typical {
            hop.latency = t.0;
            if def.per_consumer {
                let n = svc
                    .attr("consumers")
                    .and_then(|a| a.as_i64())
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(self.readers[s])
                    .max(1);
                hop.latency = t.0.saturating_mul(u32::try_from(n).unwrap_or(u32::MAX));
                hop.basis = format!(
                    "{}, {n} consumer{}",
                    def.what,
                    if n == 1 { "" } else { "s" }
                );
            }
        } else if let (Some(name), Some(unit)) = (&def.attribute, def.unit) {
            let read = svc.attr(name).map(|a| {
                let d = match unit.seconds() {
                    Some(per) => a
                        .as_f64()
                        .filter(|v| v.is_finite() && *v >= 0.0)
                        .and_then(|v| Duration::try_from_secs_f64(v * per).ok()),
                    None => a.as_str().and_then(parse_schedule),
                };
                (a, d)
            });
            match (read, def.default) {
                (Some((a, Some(d))), _) => {
                    hop.latency = d;
                    hop.attribute = Some((name.as_str(), a.span));
                    hop.basis = format!("{}, `{name}` = {}", def.what, shown(&a.value));
                }
                (Some((a, None)), default) => {
                    hop.attribute = Some((name.as_str(), a.span));
                    match default {
                        Some(d) => {
                            hop.latency = d.0;
                            hop.basis = format!(
                                "{}, `{name}` = {} not understood, {} assumed",
                                def.what,
                                shown(&a.value),
                                format_duration(d.0)
                            );
                        }
                        None => {
                            return HopLatency {
                                basis: format!("`{name}` = {} not understood", shown(&a.value)),
                                ..none(String::new())
                            };
                        }
                    }
                }
                (None, Some(d)) => {
                    hop.latency = d.0;
                    hop.basis = format!(
                        "{}, `{name}` not set, {} assumed",
                        def.what,
                        format_duration(d.0)
                    );
                }
                (None, None) => return none(format!("no estimate without `{name}`")),
            }
        }
        for add in &def.add {
            let Some(per) = add.unit.seconds() else {
                continue;
            };
            if let Some(extra) = svc
                .attr(&add.attribute)
                .and_then(|a| a.as_f64())
                .filter(|v| v.is_finite() && *v >= 0.0)
                .and_then(|v| Duration::try_from_secs_f64(v * per).ok())
            {
                hop.latency = hop.latency.saturating_add(extra);
                hop.basis = format!(
                    "{} + `{}` {}",
                    hop.basis,
                    add.attribute,
                    format_duration(extra)
                );
            }
        }
        hop
    }

    /// The latency of one flow: the time data spends in its `from` service
    /// before it reaches `to`.
    pub fn flow_hop(&self, flow: FlowIx) -> Option<HopLatency<'a>> {
        let l = self.graph.links[(*self.graph.by_flow.get(flow)?)?];
        Some(self.hop(l.from, Some(self.leaving(&l))))
    }

    fn leaving(&self, l: &crate::flowgraph::Link) -> Leaving {
        Leaving {
            edge: l.kind.edge(),
            to: self.arch.services[l.to].kind.kind(),
        }
    }

    /// The slowest path into each sink, sinks in file order.
    pub fn paths(&self) -> Vec<PathEstimate<'a>> {
        let walk = self.walk();
        walk.sinks
            .iter()
            .map(|&(s, total)| self.reconstruct(&walk, s, total))
            .collect()
    }

    /// The slowest path of all (the first of equals), if any flow links services.
    pub fn slowest(&self) -> Option<PathEstimate<'a>> {
        let walk = self.walk();
        let mut best: Option<(ServiceIx, Duration, usize)> = None;
        for &(s, total) in &walk.sinks {
            let key = (total, walk.best[s].1);
            if best.is_none_or(|(_, t, h)| key > (t, h)) {
                best = Some((s, total, walk.best[s].1));
            }
        }
        best.map(|(s, total, _)| self.reconstruct(&walk, s, total))
    }

    fn reconstruct(&self, walk: &Walk, sink: ServiceIx, total: Duration) -> PathEstimate<'a> {
        let mut services = vec![sink];
        let mut flows = Vec::new();
        let mut kinds = Vec::new();
        let mut at = sink;
        while let Some(l) = walk.pred[at] {
            let link = self.graph.links[l];
            flows.push(link.flow);
            kinds.push(self.leaving(&link));
            services.push(link.from);
            at = link.from;
        }
        services.reverse();
        flows.reverse();
        kinds.reverse();
        let hops = services
            .iter()
            .enumerate()
            .map(|(i, &s)| self.hop(s, kinds.get(i).copied()))
            .collect();
        PathEstimate {
            services,
            flows,
            hops,
            total,
        }
    }

    /// Depth-first search without recursion; back edges are dropped and the
    /// reverse post-order is the order the dynamic programme walks.
    fn walk(&self) -> Walk {
        let n = self.arch.services.len();
        let g = &self.graph;
        let usable = |l: usize| g.links[l].kind != FlowKind::Control;
        let on_paths: Vec<bool> = (0..n)
            .map(|s| g.out[s].iter().chain(&g.into[s]).any(|&l| usable(l)))
            .collect();
        // 0 unseen, 1 on the stack, 2 done.
        let mut state = vec![0u8; n];
        let mut back = vec![false; g.links.len()];
        let mut post = Vec::with_capacity(n);
        for root in (0..n).filter(|&s| on_paths[s]) {
            if state[root] != 0 {
                continue;
            }
            let mut stack: Vec<(ServiceIx, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(top) = stack.last_mut() {
                let (s, next) = *top;
                if let Some(&l) = g.out[s].get(next) {
                    top.1 += 1;
                    if !usable(l) {
                        continue;
                    }
                    let to = g.links[l].to;
                    match state[to] {
                        0 => {
                            state[to] = 1;
                            stack.push((to, 0));
                        }
                        1 => back[l] = true,
                        _ => {}
                    }
                } else {
                    state[s] = 2;
                    post.push(s);
                    stack.pop();
                }
            }
        }
        // best[s]: the slowest arrival at s and the hops on that path.
        let mut best = vec![(Duration::ZERO, 0usize); n];
        let mut pred: Vec<Option<usize>> = vec![None; n];
        for &s in post.iter().rev() {
            for &l in &g.out[s] {
                if !usable(l) || back[l] {
                    continue;
                }
                let link = g.links[l];
                let w = self.hop(s, Some(self.leaving(&link))).latency;
                let cand = (best[s].0.saturating_add(w), best[s].1 + 1);
                if cand > best[link.to] {
                    best[link.to] = cand;
                    pred[link.to] = Some(l);
                }
            }
        }
        let sinks = (0..n)
            .filter(|&s| on_paths[s] && !g.out[s].iter().any(|&l| usable(l) && !back[l]))
            .map(|s| (s, best[s].0.saturating_add(self.hop(s, None).latency)))
            .collect();
        Walk { best, pred, sinks }
    }
}

/// The estimates of one file, owned, for `check --explain-latency`.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub budget: Option<Duration>,
    /// The slowest path into each sink, sinks in file order.
    pub paths: Vec<ExplainedPath>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExplainedPath {
    pub total: Duration,
    pub hops: Vec<ExplainedHop>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExplainedHop {
    pub service: String,
    pub kind: Option<String>,
    pub latency: Duration,
    pub modelled: bool,
    pub estimate: bool,
    pub basis: String,
}

impl LatencyModel<'_> {
    /// Every sink's slowest path, as plain data.
    pub fn explain(&self) -> Explanation {
        let paths = self
            .paths()
            .into_iter()
            .map(|p| ExplainedPath {
                total: p.total,
                hops: p
                    .services
                    .iter()
                    .zip(p.hops)
                    .map(|(&s, h)| {
                        let svc = &self.arch.services[s];
                        ExplainedHop {
                            service: svc.id.clone(),
                            kind: svc.kind.kind().map(|k| self.pack.service(k).id.clone()),
                            latency: h.latency,
                            modelled: h.modelled,
                            estimate: h.estimate,
                            basis: h.basis,
                        }
                    })
                    .collect(),
            })
            .collect();
        Explanation {
            budget: self.arch.max_latency.map(|(d, _)| d),
            paths,
        }
    }
}

struct Walk {
    best: Vec<(Duration, usize)>,
    pred: Vec<Option<usize>>,
    /// Services where a path ends, with the path's total.
    sinks: Vec<(ServiceIx, Duration)>,
}

fn shown(v: &Value) -> String {
    match v {
        Value::Integer(i) => i.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("\"{s}\""),
        Value::Bool(b) => b.to_string(),
        Value::Duration(d) => format_duration(*d),
        Value::Table(_) => "a table".into(),
    }
}

/// The most an attribute may be (in its unit, rounded down) for the path to
/// fit `budget`, given the rest of the path; `None` when even 0 is too much.
pub fn allowed_value(
    budget: Duration,
    total: Duration,
    hop: Duration,
    unit: LatencyUnit,
) -> Option<u64> {
    let rest = total.saturating_sub(hop);
    let room = budget.checked_sub(rest)?;
    let per = unit.seconds()?;
    let v = (room.as_secs_f64() / per + 1e-9).floor();
    (v >= 0.0).then_some(v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        let h = |s| parse_schedule(s).map(|d| d.as_secs());
        assert_eq!(h("hourly"), Some(3600));
        assert_eq!(h("Daily"), Some(86_400));
        assert_eq!(h("monthly"), Some(30 * 86_400));
        assert_eq!(h("rate(15 minutes)"), Some(900));
        assert_eq!(h("rate(1 hour)"), Some(3600));
        assert_eq!(h("every 2 hours"), Some(7200));
        assert_eq!(h("15 minutes"), Some(900));
        assert_eq!(h("15m"), Some(900));
        assert_eq!(h("cron(0 3 * * ? *)"), None);
        assert_eq!(h("rate(15 fortnights)"), None);
        assert_eq!(h("often"), None);
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(format_duration(Duration::ZERO), "0 ms");
        assert_eq!(format_duration(Duration::from_millis(70)), "70 ms");
        assert_eq!(format_duration(Duration::from_millis(999)), "999 ms");
        assert_eq!(format_duration(Duration::from_millis(1000)), "1 s");
        assert_eq!(format_duration(Duration::from_millis(300_200)), "300.2 s");
        assert_eq!(format_duration(Duration::from_secs(3599)), "3599 s");
        assert_eq!(format_duration(Duration::from_secs(3600)), "1 h");
        assert_eq!(format_duration(Duration::from_secs(5400)), "1.5 h");
        assert_eq!(format_duration(Duration::from_micros(250)), "250 µs");
    }

    #[test]
    fn allowed_values_at_the_edges() {
        let ms = Duration::from_millis;
        // 1 s budget, 200 ms elsewhere on the path: 0.8 s left, 0 whole seconds.
        assert_eq!(
            allowed_value(ms(1000), ms(300_200), ms(300_000), LatencyUnit::S),
            Some(0)
        );
        // Exactly the rest of the path: 0 left, still fits at 0.
        assert_eq!(
            allowed_value(ms(200), ms(300_200), ms(300_000), LatencyUnit::S),
            Some(0)
        );
        // One millisecond less than the rest: nothing fits.
        assert_eq!(
            allowed_value(ms(199), ms(300_200), ms(300_000), LatencyUnit::S),
            None
        );
        // 60.2 s budget: 60 s of buffer fit, 61 would not.
        assert_eq!(
            allowed_value(ms(60_200), ms(300_200), ms(300_000), LatencyUnit::S),
            Some(60)
        );
        assert_eq!(
            allowed_value(ms(60_200), ms(300_200), ms(300_000), LatencyUnit::Schedule),
            None
        );
    }
}
