//! Stream capacity arithmetic: the shards a declared load needs in each
//! dimension (write MB/s, write records/s, read MB/s), which one binds, and
//! how much of the given shards the load uses. Pure functions over numbers;
//! the limits come from `rules/limits.toml`, the load from the architecture.

use crate::model::{Architecture, ServiceIx};
use crate::pack::{KindId, Pack};

/// Floating-point slack, so 0.1 + 0.2 MB/s on 0.3 MB/s is "at the limit".
const EPSILON: f64 = 1e-9;

/// The load declared on a stream.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StreamLoad {
    /// MB/s written (declared, or records/s × record size).
    pub write_mb: Option<f64>,
    /// Records/s written (declared, or MB/s ÷ record size).
    pub records: Option<f64>,
    /// Average record size in KB.
    pub record_kb: Option<f64>,
    /// Consumers reading everything written.
    pub consumers: u32,
    /// Consumers use enhanced fan-out.
    pub efo: bool,
}

impl StreamLoad {
    /// The load of a service from its `throughput`, `record_size_kb`,
    /// `consumers` (default: its outgoing data flows) and `enhanced_fan_out`.
    pub fn of(arch: &Architecture, s: ServiceIx) -> StreamLoad {
        let svc = &arch.services[s];
        let tp = |f: &str| {
            svc.attr("throughput")
                .and_then(|t| t.field(f))
                .and_then(|a| a.as_f64())
        };
        let record_kb = svc.number("record_size_kb").filter(|k| *k > 0.0);
        let (mut write_mb, mut records) = (tp("mb_per_s"), tp("records_per_s"));
        match (write_mb, records, record_kb) {
            (None, Some(r), Some(kb)) => write_mb = Some(r * kb / 1024.0),
            (Some(mb), None, Some(kb)) => records = Some(mb * 1024.0 / kb),
            _ => {}
        }
        let consumers = match svc.attr("consumers").and_then(|a| a.as_i64()) {
            Some(c) => c.clamp(0, i64::from(u32::MAX)) as u32,
            None => arch
                .outgoing(s)
                .filter(|(_, f)| f.kind.carries_data())
                .count() as u32,
        };
        StreamLoad {
            write_mb,
            records,
            record_kb,
            consumers,
            efo: svc
                .attr("enhanced_fan_out")
                .and_then(|a| a.as_bool())
                .unwrap_or(false),
        }
    }
}

/// Per-shard limits of a provisioned stream.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShardLimits {
    pub write_mb: f64,
    pub write_records: f64,
    pub read_mb: f64,
    pub efo_read_mb: f64,
}

impl ShardLimits {
    /// The limits of a kind, when the pack has all four.
    pub fn of(pack: &Pack, kind: KindId) -> Option<ShardLimits> {
        let max = |n: &str| pack.limit(kind, n).and_then(|l| l.max);
        Some(ShardLimits {
            write_mb: max("shard-write-throughput")?,
            write_records: max("shard-write-records")?,
            read_mb: max("shard-read-throughput")?,
            efo_read_mb: max("efo-read-throughput")?,
        })
    }
}

/// What a shard count is measured against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dimension {
    WriteMb,
    WriteRecords,
    Read,
}

/// The shards one dimension of the load needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Need {
    pub dimension: Dimension,
    /// The load in this dimension: MB/s, records/s, or MB/s read per shard's budget.
    pub load: f64,
    pub per_shard: f64,
    pub shards: u64,
}

/// Shards needed to carry `load` at `per_shard` each: the ceiling, and at least one.
pub fn shards_for(load: f64, per_shard: f64) -> u64 {
    if per_shard <= 0.0 || load <= 0.0 {
        return 1;
    }
    ((load / per_shard) - EPSILON).ceil().max(1.0) as u64
}

/// The shards each dimension needs, for the dimensions the load declares.
/// Read with shared throughput: every consumer reads all that is written, out
/// of 2 MB/s per shard; with enhanced fan-out each consumer has its own
/// 2 MB/s per shard, so one consumer's read is the load.
pub fn needs(load: &StreamLoad, limits: &ShardLimits) -> Vec<Need> {
    let mut out = Vec::new();
    let mut push = |dimension, load: f64, per_shard: f64| {
        out.push(Need {
            dimension,
            load,
            per_shard,
            shards: shards_for(load, per_shard),
        })
    };
    if let Some(mb) = load.write_mb {
        push(Dimension::WriteMb, mb, limits.write_mb);
    }
    if let Some(r) = load.records {
        push(Dimension::WriteRecords, r, limits.write_records);
    }
    if let (Some(mb), true) = (load.write_mb, load.consumers > 0) {
        if load.efo {
            push(Dimension::Read, mb, limits.efo_read_mb);
        } else {
            push(
                Dimension::Read,
                mb * f64::from(load.consumers),
                limits.read_mb,
            );
        }
    }
    out
}

/// The dimension that needs the most shards (the first such, in the order
/// write MB/s, write records/s, read).
pub fn binding(needs: &[Need]) -> Option<&Need> {
    needs
        .iter()
        .fold(None, |best: Option<&Need>, n| match best {
            Some(b) if b.shards >= n.shards => Some(b),
            _ => Some(n),
        })
}

/// The busiest dimension's share of what `shards` shards carry (1.0 = full).
pub fn utilisation(needs: &[Need], shards: u64) -> Option<f64> {
    if shards == 0 {
        return None;
    }
    needs
        .iter()
        .map(|n| n.load / (n.per_shard * shards as f64))
        .fold(None, |m: Option<f64>, u| Some(m.map_or(u, |m| m.max(u))))
}

/// Whether `shards` are too few for the load.
pub fn under_provisioned(needs: &[Need], shards: u64) -> bool {
    binding(needs).is_some_and(|b| b.shards > shards)
}

/// Utilisation under which a stream is over-provisioned.
pub const LOW_UTILISATION: f64 = 0.25;

/// Whether fewer shards would do and the load uses under a quarter of them.
pub fn over_provisioned(needs: &[Need], shards: u64) -> bool {
    let Some(b) = binding(needs) else {
        return false;
    };
    b.shards < shards && utilisation(needs, shards).is_some_and(|u| u < LOW_UTILISATION)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KDS: ShardLimits = ShardLimits {
        write_mb: 1.0,
        write_records: 1000.0,
        read_mb: 2.0,
        efo_read_mb: 2.0,
    };

    fn load(mb: f64, records: f64, consumers: u32) -> StreamLoad {
        StreamLoad {
            write_mb: Some(mb),
            records: Some(records),
            record_kb: None,
            consumers,
            efo: false,
        }
    }

    #[test]
    fn ceiling_at_the_edges() {
        assert_eq!(shards_for(5.0, 1.0), 5);
        assert_eq!(shards_for(5.000001, 1.0), 6);
        assert_eq!(shards_for(0.1 + 0.2, 0.3), 1);
        assert_eq!(shards_for(1000.0, 1000.0), 1);
        assert_eq!(shards_for(1001.0, 1000.0), 2);
        assert_eq!(shards_for(0.0, 1.0), 1);
    }

    #[test]
    fn write_megabytes_exactly_at_the_limit_and_one_over() {
        let at = needs(&load(2.0, 10.0, 0), &KDS);
        assert!(!under_provisioned(&at, 2));
        let over = needs(&load(2.01, 10.0, 0), &KDS);
        assert!(under_provisioned(&over, 2));
        assert_eq!(binding(&over).map(|b| b.shards), Some(3));
    }

    #[test]
    fn records_per_second_bind_small_records() {
        let n = needs(&load(0.5, 2000.0, 0), &KDS);
        assert!(!under_provisioned(&n, 2));
        let n = needs(&load(0.5, 2001.0, 0), &KDS);
        let b = binding(&n).expect("a binding dimension");
        assert_eq!((b.dimension, b.shards), (Dimension::WriteRecords, 3));
    }

    #[test]
    fn shared_read_is_split_between_consumers_and_fan_out_is_not() {
        // 2 MB/s read by 3 consumers: 6 MB/s of 2 MB/s per shard.
        let n = needs(&load(2.0, 100.0, 3), &KDS);
        let b = binding(&n).expect("a binding dimension");
        assert_eq!((b.dimension, b.shards), (Dimension::Read, 3));
        // Exactly at the limit: 2 consumers × 2 MB/s on 2 shards.
        assert!(!under_provisioned(&needs(&load(2.0, 100.0, 2), &KDS), 2));
        let mut efo = load(2.0, 100.0, 3);
        efo.efo = true;
        let n = needs(&efo, &KDS);
        assert_eq!(binding(&n).map(|b| b.dimension), Some(Dimension::WriteMb));
        assert!(!under_provisioned(&n, 2));
    }

    #[test]
    fn ties_name_the_write_dimension_first() {
        let n = needs(&load(5.0, 5000.0, 1), &KDS);
        assert_eq!(binding(&n).map(|b| b.dimension), Some(Dimension::WriteMb));
    }

    #[test]
    fn over_provisioned_under_a_quarter_only() {
        // 1 MB/s on 4 shards is exactly 25%: not over-provisioned.
        let n = needs(&load(1.0, 100.0, 1), &KDS);
        assert_eq!(utilisation(&n, 4), Some(0.25));
        assert!(!over_provisioned(&n, 4));
        let n = needs(&load(0.99, 100.0, 1), &KDS);
        assert!(over_provisioned(&n, 4));
        // One shard is the least there is, however idle.
        let n = needs(&load(0.01, 1.0, 1), &KDS);
        assert!(!over_provisioned(&n, 1));
        // No declared load, no verdict.
        assert!(!over_provisioned(&[], 8));
    }
}
