//! Writing output files so that a failure never leaves a half-written file:
//! the text goes to a temporary file beside the target, which is renamed over
//! it only once complete.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically; the old file, if any, stays intact on
/// any error.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".pipelint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_whole() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("out.dot");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("out.dot");
        write_atomic(&p, b"old").unwrap();
        // The target's directory does not exist: nothing is written anywhere.
        assert!(write_atomic(&d.path().join("missing/out.dot"), b"new").is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
    }
}
