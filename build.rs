//! Converts the embedded rule pack (`rules/*.toml`) to JSON at build time:
//! the pack stays TOML for the people who edit it, and the binary reads it
//! about four times faster at start-up. A test checks that both forms read
//! the same.

use std::fmt::Write as _;
use std::path::Path;

/// The files of the embedded pack, in the order they are merged; the same
/// list as `pack::EMBEDDED`.
const FILES: &[&str] = &[
    "attributes.toml",
    "services.toml",
    "integrations.toml",
    "limits.toml",
    "instances.toml",
    "instance-types.toml",
    "prices/us-east-1.toml",
    "latency.toml",
    "lake.toml",
];

fn main() {
    let mut out = String::from(
        "/// The embedded pack's files as (name, JSON), converted from `rules/` by build.rs.\n\
         pub const EMBEDDED_JSON: &[(&str, &str)] = &[\n",
    );
    for name in FILES {
        let path = Path::new("rules").join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let json =
            serde_json::to_string(&value).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let _ = writeln!(out, "    ({name:?}, {json:?}),");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("pack.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}
