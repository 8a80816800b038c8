//! CloudFormation templates (YAML and JSON): import and check arbitrary bytes.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let report = common::check_template(data, "t.yaml", pipelint::import::Format::CloudFormation);
    common::assert_spans_inside(&report);
});
