//! Importing real infrastructure: CloudFormation/SAM templates and Terraform
//! configurations become an [`Architecture`](crate::model::Architecture) whose
//! spans point into the template, so `check` and every report work on it
//! unchanged, and a readable architecture file can be written from it.
//!
//! The mapping from resource types to catalog kinds, attributes and wiring is
//! data: `rules/import/cloudformation.toml` and `rules/import/terraform.toml`.

mod cfn;
pub mod draft;
pub mod mapping;
mod terraform;
mod toml_out;
pub mod tree;
mod wiring;
mod yaml;

use std::path::{Path, PathBuf};

pub use draft::{Became, Imported, Note, ResourceOutcome};
pub use mapping::Mapping;
pub use toml_out::to_toml;

use crate::model::{LoadError, ReadFailure};
use crate::pack::Pack;
use crate::source::SourceFile;

/// The languages pipelint imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    CloudFormation,
    Terraform,
}

impl Format {
    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CloudFormation => "cloudformation",
            Format::Terraform => "terraform",
        }
    }
}

/// What a path is, judged by its name and, for YAML and JSON, its text:
/// `*.tf` files and directories holding them are Terraform; `.yaml`, `.yml`,
/// `.json` and `.template` files that read as a template are CloudFormation.
pub fn detect(path: &Path) -> Option<Format> {
    if path.is_dir() {
        return has_tf_files(path).then_some(Format::Terraform);
    }
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".tf") {
        return Some(Format::Terraform);
    }
    let template_ext = [".yaml", ".yml", ".json", ".template"]
        .iter()
        .any(|e| name.ends_with(e));
    if !template_ext {
        return None;
    }
    // Read a bounded prefix only: the decision must be cheap.
    let mut buf = vec![0u8; 64 * 1024];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut buf))
        .ok()?;
    let text = String::from_utf8_lossy(&buf[..n]);
    cfn::looks_like_template(&text).then_some(Format::CloudFormation)
}

fn has_tf_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|rd| {
        rd.filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "tf") && e.path().is_file())
    })
}

fn fail(error: LoadError, source: Option<SourceFile>) -> Box<ReadFailure> {
    Box::new(ReadFailure { error, source })
}

/// A pipeline name from a path: the file stem, or the directory's name.
fn name_of(path: &Path) -> String {
    let stem = if path.is_dir() {
        path.canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
    } else {
        path.file_stem().map(|s| s.to_string_lossy().into_owned())
    };
    stem.filter(|s| !s.is_empty())
        .unwrap_or_else(|| "pipeline".to_string())
}

/// Imports a template (a file, or a Terraform directory).
pub fn import(
    path: &Path,
    display: &str,
    format: Format,
    pack: &Pack,
) -> Result<Imported, Box<ReadFailure>> {
    import_inner(path, display, format, pack).map_err(|mut f| {
        // The reader speaks of architecture files; here the input is a template.
        if f.error.message.contains("the file has") {
            f.error.help = Some(match format {
                Format::CloudFormation => {
                    "split the template, for example into nested stacks".into()
                }
                Format::Terraform => "check the modules one by one".into(),
            });
        }
        if f.error.message.starts_with("this is a binary file") {
            f.error.message = f
                .error
                .message
                .replace("not an architecture file", "not a template");
            f.error.help = Some(match format {
                Format::CloudFormation => {
                    "pipelint reads CloudFormation templates as UTF-8 YAML or JSON".into()
                }
                Format::Terraform => {
                    "pipelint reads Terraform configurations as UTF-8 .tf files".into()
                }
            });
        }
        f
    })
}

fn import_inner(
    path: &Path,
    display: &str,
    format: Format,
    pack: &Pack,
) -> Result<Imported, Box<ReadFailure>> {
    let name = name_of(path);
    match format {
        Format::CloudFormation => {
            if path.is_dir() {
                return Err(fail(
                    LoadError::new("is a directory: name a template file").help(
                        "a directory is read only as a Terraform configuration (--from terraform)",
                    ),
                    None,
                ));
            }
            let source = crate::model::read_source(path, display)?;
            match cfn::import(&source, pack) {
                Ok(d) => match over_limits(&d) {
                    Some(e) => Err(fail(e, Some(source))),
                    None => Ok(d.finish(source, name, pack)),
                },
                Err(e) => Err(fail(e, Some(source))),
            }
        }
        Format::Terraform => {
            let files = terraform_files(path)?;
            let (source, d) = terraform::import(&files, display, pack)?;
            if let Some(e) = over_limits(&d) {
                return Err(fail(e, Some(source)));
            }
            Ok(d.finish(source, name, pack))
        }
    }
}

/// Why an imported pipeline is larger than a file may be, if it is.
fn over_limits(d: &draft::Draft) -> Option<LoadError> {
    if d.services.len() > crate::model::MAX_SERVICES {
        return Some(
            LoadError::new(format!(
                "the template holds {} services; pipelint checks up to {} in one pipeline",
                crate::numfmt::number(d.services.len() as f64),
                crate::numfmt::number(crate::model::MAX_SERVICES as f64)
            ))
            .help("import the template in parts"),
        );
    }
    d.overflow.then(too_many_flows)
}

fn too_many_flows() -> LoadError {
    LoadError::new(format!(
        "the template wires more than {} flows; pipelint checks up to that many in one pipeline",
        crate::numfmt::number(crate::model::MAX_FLOWS as f64)
    ))
    .help("import the template in parts")
}

/// The `.tf` files to read: the file itself, or the directory's, sorted.
fn terraform_files(path: &Path) -> Result<Vec<PathBuf>, Box<ReadFailure>> {
    if !path.is_dir() {
        if !path.exists() {
            return Err(fail(LoadError::new("no such file"), None));
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| {
            fail(
                LoadError::new(format!("cannot read the directory: {e}")),
                None,
            )
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "tf"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(fail(
            LoadError::new("no Terraform files (*.tf) in this directory"),
            None,
        ));
    }
    Ok(files)
}
