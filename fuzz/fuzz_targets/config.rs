//! `pipelint.toml`: parse arbitrary text as a configuration file.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let src = pipelint::SourceFile::new("pipelint.toml", text.to_string());
        let _ = pipelint::config::parse(&src, std::path::Path::new("/nonexistent-fuzz-dir"));
    }
});
