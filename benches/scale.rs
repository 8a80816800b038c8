//! How pipelint's work grows with the size of a pipeline: loading, checking,
//! pricing and drawing (DOT) synthetic pipelines of N services and about 3N
//! flows (`pipelint::synth`), N = 10 to 100,000. `cargo bench --bench scale`;
//! `cargo bench --bench scale -- check` runs one group. The tables in
//! docs/PERFORMANCE.md come from here and from scripts/bench.sh.

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use pipelint::render::{self, Annotations, Diagram};
use pipelint::{CheckOptions, Pack, SourceFile};
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 5] = [10, 100, 1_000, 10_000, 50_000];

fn today() -> pipelint::Date {
    "2026-11-21".parse().expect("a date")
}

/// Fewer, longer samples for the large sizes, so a run takes minutes.
fn group<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sampling_mode(SamplingMode::Flat);
    g
}

fn texts() -> Vec<(usize, String)> {
    SIZES
        .iter()
        .map(|&n| (n, pipelint::synth::pipeline(n, 42, 0.01)))
        .collect()
}

fn load(c: &mut Criterion) {
    let pack = Pack::embedded();
    let mut g = group(c, "load");
    for (n, text) in texts() {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let arch =
                    pipelint::load(SourceFile::new("synthetic.arch.toml", text.as_str()), pack)
                        .expect("the generated pipeline loads");
                black_box(arch.services.len())
            })
        });
    }
    g.finish();
}

fn check(c: &mut Criterion) {
    let pack = Pack::embedded();
    let opts = CheckOptions::new(today());
    let mut g = group(c, "check");
    for (n, text) in texts() {
        let arch = pipelint::load(SourceFile::new("synthetic.arch.toml", text.as_str()), pack)
            .expect("the generated pipeline loads");
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &arch, |b, arch| {
            b.iter(|| black_box(pipelint::check(arch, pack, &opts).len()))
        });
    }
    g.finish();
}

fn cost(c: &mut Criterion) {
    let pack = Pack::embedded();
    let mut g = group(c, "cost");
    for (n, text) in texts() {
        let arch = pipelint::load(SourceFile::new("synthetic.arch.toml", text.as_str()), pack)
            .expect("the generated pipeline loads");
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &arch, |b, arch| {
            b.iter(|| black_box(pipelint::cost::cost(arch, pack).services.len()))
        });
    }
    g.finish();
}

fn render_dot(c: &mut Criterion) {
    let pack = Pack::embedded();
    let opts = CheckOptions::new(today());
    let mut g = group(c, "render-dot");
    for (n, text) in texts() {
        let arch = pipelint::load(SourceFile::new("synthetic.arch.toml", text.as_str()), pack)
            .expect("the generated pipeline loads");
        let findings = pipelint::check(&arch, pack, &opts);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(n),
            &(arch, findings),
            |b, (arch, findings)| {
                b.iter(|| {
                    let d = Diagram::build(arch, pack, findings, today(), &Annotations::default());
                    black_box(render::dot(&d).len())
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, load, check, cost, render_dot);
criterion_main!(benches);
