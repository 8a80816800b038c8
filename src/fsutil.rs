//! Reading input files within a size limit, and writing output files so
//! that a failure never leaves a half-written file: the text goes to a
//! temporary file beside the target, which is renamed over it only once
//! complete.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

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

/// Writes `bytes` to `path`. A regular file (or a new one) is replaced
/// atomically: the text goes to a temporary file beside it, renamed over it
/// once complete, so the old file stays intact on any error. A symbolic link
/// is followed, and the file it names is replaced, not the link. An existing
/// file keeps its permissions; a new one gets `0666` less the umask, as any
/// program's would. What is not a regular file — a terminal, a FIFO, a
/// process substitution, `/dev/stdout`, `/proc/self/fd/N` — is written
/// straight into, since replacing it would break it. Errors never name the
/// temporary file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match target(path)? {
        Target::Direct => write_direct(path, bytes),
        Target::Replace(real) => replace(&real, bytes).map_err(plain),
    }
}

/// How a path is written.
enum Target {
    /// Opened and written into.
    Direct,
    /// Replaced atomically, at this path (symbolic links resolved).
    Replace(PathBuf),
}

/// Follows symbolic links by reading them, up to the limit the kernel has,
/// to the path that will be replaced; a link inside `/proc/*/fd` (which
/// `/dev/stdout` and `/dev/fd/N` lead to) names an open file of a process,
/// not a path, and is written into.
fn target(path: &Path) -> std::io::Result<Target> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        let meta = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            // A new file.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Target::Replace(p)),
            Err(e) => return Err(plain(e)),
        };
        if !meta.file_type().is_symlink() {
            return Ok(if meta.is_file() {
                Target::Replace(p)
            } else {
                Target::Direct
            });
        }
        if is_process_fd(&p) {
            return Ok(Target::Direct);
        }
        let link = std::fs::read_link(&p).map_err(plain)?;
        p = match p.parent() {
            Some(dir) if link.is_relative() => dir.join(link),
            _ => link,
        };
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Whether `p` is an entry of a process's file-descriptor directory.
fn is_process_fd(p: &Path) -> bool {
    let Some(dir) = p.parent().and_then(|d| d.canonicalize().ok()) else {
        return false;
    };
    dir.starts_with("/proc") && dir.file_name().is_some_and(|n| n == "fd")
}

fn write_direct(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .map_err(plain)?;
    f.write_all(bytes).map_err(plain)?;
    f.flush().map_err(plain)
}

fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let existing = std::fs::metadata(path).ok();
    let mut builder = tempfile::Builder::new();
    builder.prefix(".pipelint-").suffix(".tmp");
    #[cfg(unix)]
    if existing.is_none() {
        // Given to open(2), which takes the umask off.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    if let Some(meta) = &existing {
        tmp.as_file().set_permissions(meta.permissions())?;
        #[cfg(unix)]
        {
            // Kept when allowed (root replacing another user's file).
            use std::os::unix::fs::MetadataExt;
            let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
        }
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The error without the path some layers add to it (which could be the
/// temporary file's): the caller names the target.
fn plain(e: std::io::Error) -> std::io::Error {
    match e.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::new(e.kind(), e.kind().to_string()),
    }
}

/// Refuses an output path that is one of the inputs: writing the report
/// over the file it reports on destroys the file.
pub fn not_an_input(output: &Path, inputs: &[&Path]) -> Result<(), String> {
    match inputs.iter().find(|i| same_file(output, i)) {
        Some(input) => Err(format!(
            "will not write to {}: it is the input {}; choose another output file",
            output.display(),
            input.display()
        )),
        None => Ok(()),
    }
}

/// Whether two paths name the same file (following links); false when
/// either does not exist.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino() && x.is_file(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y && x.is_file(),
            _ => false,
        }
    }
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
