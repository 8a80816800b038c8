//! Running Graphviz's `dot` program on DOT text, for SVG and PNG laid out by
//! Graphviz itself.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What `dot` produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Svg,
    Png,
    /// The layout's geometry as JSON (positions of nodes, labels, clusters).
    Json,
}

impl Output {
    fn flag(self) -> &'static str {
        match self {
            Output::Svg => "-Tsvg",
            Output::Png => "-Tpng",
            Output::Json => "-Tjson",
        }
    }
}

#[derive(Debug)]
pub enum Error {
    /// No `dot` on PATH.
    NotFound,
    /// `dot` could not be started or fed.
    Io(std::io::Error),
    /// `dot` ran and failed.
    Failed { status: String, stderr: String },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NotFound => f.write_str(
                "graphviz `dot` is not on PATH; install it (apt-get install graphviz / brew install graphviz)",
            ),
            Error::Io(e) => write!(f, "cannot run graphviz `dot`: {e}"),
            Error::Failed { status, stderr } => {
                write!(f, "graphviz `dot` failed ({status})")?;
                let stderr = stderr.trim();
                if !stderr.is_empty() {
                    write!(f, ": {stderr}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// The `dot` program on PATH, if there is one.
pub fn find_dot() -> Option<PathBuf> {
    let names: &[&str] = if cfg!(windows) {
        &["dot.exe", "dot"]
    } else {
        &["dot"]
    };
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| is_executable(p))
}

/// Lays out and draws DOT text with Graphviz.
pub fn run(dot: &str, output: Output) -> Result<Vec<u8>, Error> {
    let program = find_dot().ok_or(Error::NotFound)?;
    let mut child = Command::new(program)
        .arg(output.flag())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound,
            _ => Error::Io(e),
        })?;
    let mut stdin = child.stdin.take().ok_or_else(|| {
        Error::Io(std::io::Error::other(
            "no pipe to the standard input of `dot`",
        ))
    })?;
    // Feed the input while the output is read, so neither pipe fills up.
    let result = std::thread::scope(|s| {
        let writer = s.spawn(move || stdin.write_all(dot.as_bytes()));
        let output = child.wait_with_output();
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the writer thread failed")));
        (output, written)
    });
    let output = result.0.map_err(Error::Io)?;
    if !output.status.success() {
        return Err(Error::Failed {
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    // `dot` may exit before reading everything only when it failed, which the
    // status reports; a broken pipe with success is not possible.
    result.1.map_err(Error::Io)?;
    Ok(output.stdout)
}
