//! The public conformance cases in ../shared/conformance, run by their own
//! script against the binary.

mod common;

#[test]
fn conformance_cases_pass() {
    let Some(shared) = common::shared() else {
        common::require("../shared (conformance cases)", false);
        return;
    };
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok();
    if !common::require("python3", python) {
        return;
    }
    let out = std::process::Command::new("python3")
        .arg(shared.join("tools/conformance.py"))
        .arg(env!("CARGO_BIN_EXE_pipelint"))
        .arg(shared.join("conformance"))
        .env("PIPELINT_TODAY", common::TODAY)
        .output()
        .expect("the conformance script runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "conformance failed:\n{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
