//! How long the built-in engine takes to draw 1,000 services: in 100 chains
//! of ten with links between neighbouring chains (a large, tidy estate), and
//! as a tangle where each service feeds two of the next forty (a worst case:
//! long edges everywhere). Run with `cargo bench --bench render`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use pipelint::render::{self, Annotations, Diagram};
use pipelint::{CheckOptions, Pack, SourceFile};

/// The kinds of one chain, in flow order.
const CHAIN: [&str; 10] = [
    "application",
    "kinesis-data-streams",
    "lambda",
    "firehose",
    "s3",
    "glue-crawler",
    "glue-data-catalog",
    "athena",
    "quicksight",
    "sns",
];

/// An architecture file with `chains` chains of ten services.
fn pipeline(chains: usize) -> String {
    let mut flows = Vec::new();
    let mut services = String::new();
    for c in 0..chains {
        let ids: Vec<String> = (0..CHAIN.len()).map(|i| format!("c{c}_{i}")).collect();
        for (id, kind) in ids.iter().zip(CHAIN) {
            services.push_str(&format!("[services.{id}]\nkind = \"{kind}\"\n"));
        }
        flows.push(format!("\"{}\"", ids.join(" -> ")));
        if c + 1 < chains {
            // A second consumer of the stream, and a lake read by the next chain.
            flows.push(format!("\"c{c}_1 -> c{}_2\"", c + 1));
            flows.push(format!("\"c{c}_4 -> c{}_7\"", c + 1));
        }
    }
    format!(
        "[pipeline]\nname = \"large\"\nflows = [\n  {}\n]\n\n{services}",
        flows.join(",\n  ")
    )
}

/// 1,000 services, each feeding two of the next forty, chosen by a fixed
/// linear congruential sequence so every run draws the same graph.
fn tangle() -> String {
    const KINDS: [&str; 8] = [
        "lambda",
        "sqs",
        "s3",
        "kinesis-data-streams",
        "firehose",
        "dynamodb",
        "sns",
        "glue-etl",
    ];
    let n = 1000u64;
    let mut seed = 7u64;
    let mut next = |bound: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % bound
    };
    let mut flows = Vec::new();
    let mut services = String::new();
    for i in 0..n {
        services.push_str(&format!(
            "[services.n{i}]\nkind = \"{}\"\n",
            KINDS[(i % 8) as usize]
        ));
        if i + 1 < n {
            let reach = (n - 1 - i).min(40);
            let mut targets = vec![i + 1 + next(reach), i + 1 + next(reach)];
            targets.dedup();
            for t in targets {
                flows.push(format!("\"n{i} -> n{t}\""));
            }
        }
    }
    format!(
        "[pipeline]\nname = \"tangle\"\nflows = [\n  {}\n]\n\n{services}",
        flows.join(",\n  ")
    )
}

fn bench(c: &mut Criterion, name: &str, text: &str) {
    let pack = Pack::embedded();
    let today = "2026-11-21".parse().expect("a date");
    let arch = pipelint::load(SourceFile::new(format!("{name}.arch.toml"), text), pack)
        .expect("the generated pipeline loads");
    assert_eq!(arch.services.len(), 1000);
    let findings = pipelint::check(&arch, pack, &CheckOptions::new(today));
    let diagram = Diagram::build(&arch, pack, &findings, today, &Annotations::default());
    let mut g = c.benchmark_group(format!("render-{name}"));
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sampling_mode(SamplingMode::Flat);
    g.bench_function("check+diagram", |b| {
        b.iter(|| {
            let findings = pipelint::check(&arch, pack, &CheckOptions::new(today));
            black_box(
                Diagram::build(&arch, pack, &findings, today, &Annotations::default())
                    .nodes
                    .len(),
            )
        })
    });
    g.bench_function("svg", |b| {
        b.iter(|| black_box(render::svg(&diagram).map_or(0, |s| s.len())))
    });
    g.bench_function("dot", |b| b.iter(|| black_box(render::dot(&diagram).len())));
    g.bench_function("mermaid", |b| {
        b.iter(|| black_box(render::mermaid(&diagram).len()))
    });
    g.finish();
}

fn chains(c: &mut Criterion) {
    bench(c, "chains", &pipeline(100));
}

fn tangled(c: &mut Criterion) {
    bench(c, "tangle", &tangle());
}

criterion_group!(benches, chains, tangled);
criterion_main!(benches);
