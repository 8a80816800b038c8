//! Every report format of a check of arbitrary bytes: human, concise, JSON,
//! SARIF, GitHub and JUnit. The documents parse, the line formats put no
//! control character but line breaks on the terminal.
#![no_main]

#[path = "common.rs"]
mod common;

use pipelint::report::{self, Gate, Human};
use pipelint::finding::Severity;
use pipelint::rules::RULES;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let reports = [common::check_bytes(data)];
    let gates = [Gate {
        fail_on: Severity::Error,
        rules: RULES.iter().map(|r| r.meta()).collect(),
    }];
    let human = Human {
        color: false,
        quiet: false,
    }
    .render(&reports);
    for text in [&human, &report::concise(&reports), &report::github(&reports)] {
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
            "a control character in a text report: {text:?}"
        );
    }
    for doc in [report::json(&reports), report::sarif(&reports)] {
        serde_json::from_str::<serde_json::Value>(&doc).expect("valid JSON");
    }
    let _ = report::junit(&reports, &gates);
});
