//! Terraform configurations: import and check arbitrary bytes as main.tf.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let report = common::check_template(data, "main.tf", pipelint::import::Format::Terraform);
    common::assert_spans_inside(&report);
});
