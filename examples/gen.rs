//! Prints a synthetic architecture file of N services and about 3N flows,
//! with realistic kinds and attributes, for benchmarks and scale tests
//! (`pipelint::synth`).
//!
//!     cargo run --release --example gen -- 10000 > big.arch.toml
//!     cargo run --release --example gen -- 1000 --seed 7 --broken 0.02
//!
//! Flows follow the integration matrix, so a generated pipeline is mostly
//! valid; `--broken F` makes that fraction of flows unsupported on purpose
//! (default 0.01), which exercises path suggestions.

fn main() {
    let mut args = std::env::args().skip(1);
    let mut n: usize = 1000;
    let mut seed: u64 = 42;
    let mut broken = 0.01;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(seed),
            "--broken" => broken = args.next().and_then(|s| s.parse().ok()).unwrap_or(broken),
            other => match other.parse() {
                Ok(v) => n = v,
                Err(_) => {
                    eprintln!("usage: gen [N] [--seed S] [--broken FRACTION]");
                    std::process::exit(2);
                }
            },
        }
    }
    print!("{}", pipelint::synth::pipeline(n, seed, broken));
}
