//! Baselines: parse arbitrary text as a baseline file.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pipelint::baseline::Baseline::parse(text);
    }
});
