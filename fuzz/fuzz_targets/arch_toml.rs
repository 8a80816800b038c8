//! Architecture files: load and check arbitrary bytes.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let report = common::check_bytes(data);
    common::assert_spans_inside(&report);
});
