//! Rule packs of one's own: arbitrary bytes as one file of a pack, merged
//! with the built-in pack. The first byte chooses which file.
#![no_main]

const FILES: [&str; 8] = [
    "services.toml",
    "integrations.toml",
    "attributes.toml",
    "limits.toml",
    "instances.toml",
    "latency.toml",
    "lake.toml",
    "prices/us-east-1.toml",
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(FILES[which as usize % FILES.len()]);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a directory");
    }
    std::fs::write(&path, rest).expect("a file");
    let _ = pipelint::Pack::with_user_dir(dir.path());
});
