//! DOT, Mermaid and the built-in SVG of a check of arbitrary bytes.
#![no_main]

#[path = "common.rs"]
mod common;

use pipelint::Pack;
use pipelint::render::{Annotations, Diagram};
use pipelint::report::Outcome;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let report = common::check_bytes(data);
    if let Outcome::Checked { arch, findings } = &report.outcome {
        let d = Diagram::build(
            arch,
            Pack::embedded(),
            findings,
            "2026-11-21".parse().expect("a date"),
            &Annotations::default(),
        );
        let _ = pipelint::render::dot(&d);
        let _ = pipelint::render::mermaid(&d);
        let _ = pipelint::render::svg(&d);
    }
});
