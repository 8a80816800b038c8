//! Terraform configurations (placeholder replaced below).
use std::path::PathBuf;

use super::draft::Draft;
use crate::model::{LoadError, ReadFailure};
use crate::pack::Pack;
use crate::source::SourceFile;

pub fn import(
    _files: &[PathBuf],
    _display: &str,
    _pack: &Pack,
) -> Result<(SourceFile, Draft), Box<ReadFailure>> {
    Err(Box::new(ReadFailure {
        error: LoadError::new("terraform"),
        source: None,
    }))
}
