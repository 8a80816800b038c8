//! `pipelint check`: find the files, check each, print the report, choose
//! the exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CheckArgs, CmdResult, Format, emit, exit, load_pack, rule_set, today};
use crate::check::CheckOptions;
use crate::report::{self, FileReport, Human, Outcome, Summary};

fn is_arch_file_name(name: &str) -> bool {
    name == "arch.toml" || name.ends_with(".arch.toml")
}

/// Collects architecture files under a directory, sorted, without following
/// symbolic links or entering hidden directories.
fn discover(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Ok(ty) = e.file_type() else { continue };
        if ty.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                // An unreadable subdirectory should not hide the rest.
                let _ = discover(&e.path(), found);
            }
        } else if ty.is_file() && is_arch_file_name(&name) {
            found.push(e.path());
        }
    }
    Ok(())
}

fn display_path(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

pub(super) fn run(args: CheckArgs, out: &mut dyn Write, color: bool) -> CmdResult {
    let pack = load_pack(&args.pack)?;
    let mut opts = CheckOptions::new(today(&args.pack)?);
    let select = rule_set("--select", &args.select)?;
    if !select.is_empty() {
        opts.select = Some(select);
    }
    opts.ignore = rule_set("--ignore", &args.ignore)?;
    opts.no_allow = args.no_allow;

    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut reports: Vec<FileReport> = Vec::new();
    for root in &roots {
        let display = display_path(root);
        let template = match args.from {
            Some(f) => Some(f.format()),
            None if root.is_file() => crate::import::detect(root),
            None => None,
        };
        if let Some(format) = template {
            reports.push(crate::check_template(root, &display, format, &pack, &opts));
        } else if root.is_dir() {
            let mut found = Vec::new();
            let failure = match discover(root, &mut found) {
                Err(e) => Some(format!("cannot read the directory: {e}")),
                Ok(()) if found.is_empty() => Some(
                    "no architecture files (arch.toml or *.arch.toml) in this directory"
                        .to_string(),
                ),
                Ok(()) => None,
            };
            if let Some(message) = failure {
                reports.push(FileReport {
                    path: display,
                    outcome: Outcome::Failed {
                        source: None,
                        errors: vec![crate::LoadError::new(message)],
                    },
                });
            }
            for f in found {
                reports.push(crate::check_file(&f, &display_path(&f), &pack, &opts));
            }
        } else {
            reports.push(crate::check_file(root, &display, &pack, &opts));
        }
    }

    let text = match args.format {
        Format::Human => Human {
            color: color && !args.no_color,
            quiet: args.quiet,
        }
        .render(&reports),
        Format::Concise => report::concise(&reports),
        Format::Json => report::json(&reports),
    };
    emit(out, &text);
    let summary = Summary::of(&reports);
    Ok(if summary.failed > 0 {
        exit::ERROR
    } else if summary.worst().is_some_and(|w| w >= args.fail_on.into()) {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arch_file_names() {
        assert!(is_arch_file_name("arch.toml"));
        assert!(is_arch_file_name("clickstream.arch.toml"));
        assert!(!is_arch_file_name("Cargo.toml"));
        assert!(!is_arch_file_name("arch.toml.bak"));
    }
}
