//! The latency model on whole architectures: the dynamic programme agrees with
//! brute force on small graphs, loops end, large pipelines stay fast, and the
//! figures come from the pack as documented.

mod common;

use std::time::{Duration, Instant};

use pipelint::latency::{LatencyModel, Leaving};
use pipelint::{Architecture, Pack, SourceFile};

fn load(text: &str) -> Architecture {
    pipelint::load(SourceFile::new("test.arch.toml", text), Pack::embedded())
        .unwrap_or_else(|e| panic!("does not load: {e:?}\n{text}"))
}

/// A small deterministic generator (no dependency needed for this).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// The slowest source-to-sink path by trying every path.
fn brute_force(model: &LatencyModel<'_>, arch: &Architecture) -> Duration {
    let g = model.graph();
    let n = arch.services.len();
    let has_in: Vec<bool> = (0..n).map(|s| !g.into[s].is_empty()).collect();
    let mut best = Duration::ZERO;
    fn walk(
        model: &LatencyModel<'_>,
        arch: &Architecture,
        s: usize,
        acc: Duration,
        best: &mut Duration,
    ) {
        let g = model.graph();
        if g.out[s].is_empty() {
            *best = (*best).max(acc + model.hop(s, None).latency);
            return;
        }
        for &l in &g.out[s] {
            let link = g.links[l];
            let leaving = Leaving {
                edge: link.kind.edge(),
                to: arch.services[link.to].kind.kind(),
            };
            walk(
                model,
                arch,
                link.to,
                acc + model.hop(s, Some(leaving)).latency,
                best,
            );
        }
    }
    for s in (0..n).filter(|&s| !has_in[s] && !g.out[s].is_empty()) {
        walk(model, arch, s, Duration::ZERO, &mut best);
    }
    best
}

#[test]
fn the_slowest_path_agrees_with_brute_force_on_random_pipelines() {
    let mut rng = Lcg(7);
    for case in 0..300 {
        let n = 2 + rng.next(8) as usize;
        let mut text = String::from("[pipeline]\nflows = [\n");
        let mut any = false;
        for a in 0..n {
            for b in a + 1..n {
                if rng.next(3) == 0 {
                    text.push_str(&format!("  \"s{a} -> s{b}\",\n"));
                    any = true;
                }
            }
        }
        if !any {
            text.push_str("  \"s0 -> s1\",\n");
        }
        text.push_str("]\n");
        for s in 0..n {
            let table = match rng.next(5) {
                0 => format!("kind = \"lambda\"\nduration_ms = {}", rng.next(5000)),
                1 => format!("kind = \"firehose\"\nbuffer_seconds = {}", rng.next(900)),
                2 => "kind = \"kinesis-data-streams\"".to_string(),
                3 => "kind = \"s3\"".to_string(),
                _ => format!(
                    "kind = \"application\"\nlatency = \"{}ms\"",
                    rng.next(10_000)
                ),
            };
            text.push_str(&format!("[services.s{s}]\n{table}\n"));
        }
        let arch = load(&text);
        let model = LatencyModel::new(&arch, Pack::embedded());
        let got = model.slowest().map(|p| p.total).unwrap_or_default();
        assert_eq!(got, brute_force(&model, &arch), "case {case}:\n{text}");
    }
}

#[test]
fn a_loop_is_cut_where_it_closes_and_each_service_counts_once() {
    let arch = load(
        r#"
[pipeline]
flows = ["a -> b -> c -> a", "c -> d"]
[services.a]
kind = "lambda"
duration_ms = 100
[services.b]
kind = "lambda"
duration_ms = 200
[services.c]
kind = "lambda"
duration_ms = 300
[services.d]
kind = "lambda"
duration_ms = 400
"#,
    );
    let model = LatencyModel::new(&arch, Pack::embedded());
    let path = model.slowest().expect("a path");
    let ids: Vec<&str> = path
        .services
        .iter()
        .map(|&s| arch.services[s].id.as_str())
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(path.total, Duration::from_millis(1000));
}

#[test]
fn ten_thousand_services_with_countless_paths_take_linear_time() {
    // 100 layers of 100 functions, each feeding three in the next layer: more
    // paths than atoms, one slowest path (the last function of every layer).
    let (layers, width) = (100, 100);
    let mut text = String::from("[pipeline]\nflows = [\n");
    for l in 0..layers - 1 {
        for j in 0..width {
            for k in [j, (j + 1) % width, (j + 2) % width] {
                text.push_str(&format!("  \"n{l}_{j} -> n{}_{k}\",\n", l + 1));
            }
        }
    }
    text.push_str("]\n");
    for l in 0..layers {
        for j in 0..width {
            text.push_str(&format!(
                "[services.n{l}_{j}]\nkind = \"lambda\"\nduration_ms = {j}\n"
            ));
        }
    }
    let arch = load(&text);
    assert_eq!(arch.services.len(), layers * width);
    let started = Instant::now();
    let model = LatencyModel::new(&arch, Pack::embedded());
    let path = model.slowest().expect("a path");
    let took = started.elapsed();
    assert_eq!(path.services.len(), layers);
    assert_eq!(
        path.total,
        Duration::from_millis((layers * (width - 1)) as u64)
    );
    // Generous for a shared machine and a debug build; enumerating the paths
    // would not finish at all.
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn figures_come_from_the_pack() {
    let arch = load(
        r#"
[pipeline]
flows = [
  "stream -> buffered -> lake -> notify",
  "stream -> zero -> lake",
  "stream -> splunk_out -> logs",
  "fan -> consumer",
]
[services.stream]
kind = "kinesis-data-streams"
consumers = 2
[services.buffered]
kind = "firehose"
[services.zero]
kind = "firehose"
buffer_seconds = 0
[services.splunk_out]
kind = "firehose"
[services.logs]
kind = "splunk"
[services.lake]
kind = "s3"
[services.notify]
kind = "lambda"
[services.fan]
kind = "kinesis-data-streams"
enhanced_fan_out = true
[services.consumer]
kind = "lambda"
"#,
    );
    let model = LatencyModel::new(&arch, Pack::embedded());
    let by_id = |id: &str| arch.service_by_id(id).expect("a service");
    let out = |id: &str| {
        let g = model.graph();
        let l = g.links[g.out[by_id(id)][0]];
        model
            .hop(
                by_id(id),
                Some(Leaving {
                    edge: l.kind.edge(),
                    to: arch.services[l.to].kind.kind(),
                }),
            )
            .latency
    };
    let ms = Duration::from_millis;
    // Two shared-throughput consumers: 200 ms each (AWS: ~200 ms with one, ~1000 ms with five).
    assert_eq!(out("stream"), ms(400));
    assert_eq!(out("fan"), ms(70));
    // Firehose: 300 s by default for S3, 60 s for Splunk; zero buffering takes seconds.
    assert_eq!(out("buffered"), ms(300_000));
    assert_eq!(out("splunk_out"), ms(60_000));
    assert_eq!(out("zero"), ms(1000));
    // S3 notifications take seconds (1 s counted); objects are readable at once.
    assert_eq!(out("lake"), ms(1000));
    assert_eq!(model.hop(by_id("lake"), None).latency, Duration::ZERO);
    // A function without `duration_ms` has no estimate.
    assert!(!model.hop(by_id("notify"), None).modelled);
}

#[test]
fn schedules_and_run_times_add_up() {
    let arch = load(
        r#"
[pipeline]
flows = ["raw -> nightly -> curated", "curated -> hourly -> out", "out -> legacy -> old"]
[services.raw]
kind = "s3"
[services.nightly]
kind = "glue-etl"
schedule = "daily"
minutes_per_run = 30
[services.curated]
kind = "s3"
[services.hourly]
kind = "glue-crawler"
schedule = "cron(0 * * * ? *)"
[services.out]
kind = "s3"
[services.legacy]
kind = "data-pipeline"
[services.old]
kind = "rds"
"#,
    );
    let model = LatencyModel::new(&arch, Pack::embedded());
    let hop = |id: &str| model.hop(arch.service_by_id(id).expect("id"), None);
    assert_eq!(hop("nightly").latency, Duration::from_secs(86_400 + 1800));
    // A cron expression is not read: the shortest Glue schedule is assumed, and said.
    let crawler = hop("hourly");
    assert_eq!(crawler.latency, Duration::from_secs(300));
    assert!(
        crawler.basis.contains("not understood"),
        "{}",
        crawler.basis
    );
    // Data Pipeline runs at most every 15 minutes.
    assert_eq!(hop("legacy").latency, Duration::from_secs(900));
}
