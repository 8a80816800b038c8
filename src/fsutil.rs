//! Reading input files within a size limit, and writing output files so
//! that a failure never leaves a half-written file: the text goes to a
//! temporary file beside the target, which is renamed over it only once
//! complete.

use std::io::{Read, Write};
use std::path::Path;

/// Largest file pipelint reads: an architecture file, a template, a
/// configuration, a baseline or a rule-pack file.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// A directory where a file was expected.
    Directory,
    /// A FIFO, socket or device: reading one could wait for ever.
    NotAFile,
    /// Larger than the limit; the size seen.
    TooLarge(u64),
}

impl ReadError {
    /// What went wrong, in the words of a diagnostic.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io(e) => match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".into(),
                std::io::ErrorKind::PermissionDenied => "permission denied".into(),
                _ => format!("cannot read: {e}"),
            },
            ReadError::Directory => "is a directory, not a file".into(),
            ReadError::NotAFile => {
                "is not a regular file (a FIFO, socket or device); pipelint reads files".into()
            }
            ReadError::TooLarge(len) => {
                format!("the file has {} bytes", crate::numfmt::number(*len as f64))
            }
        }
    }
}

/// Reads a regular file of at most `limit` bytes. Anything else (a
/// directory, a FIFO that might never be written, a device) is refused
/// before it is opened.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if meta.is_dir() {
        return Err(ReadError::Directory);
    }
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // One byte past the limit tells a file that grew since `metadata`.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

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
    fn reads_up_to_the_limit_and_not_one_byte_more() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read_limited(&p, 5).unwrap(), b"12345");
        assert!(matches!(read_limited(&p, 4), Err(ReadError::TooLarge(5))));
        assert!(matches!(
            read_limited(d.path(), 5),
            Err(ReadError::Directory)
        ));
        assert!(matches!(
            read_limited(&d.path().join("missing"), 5),
            Err(ReadError::Io(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_fifo_without_waiting_for_a_writer() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&p).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here
        }
        assert!(matches!(read_limited(&p, 5), Err(ReadError::NotAFile)));
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
