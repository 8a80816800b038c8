//! `pipelint check`: find the files, check each, print the report, choose
//! the exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CheckArgs, CmdResult, Format, emit, exit, load_pack, rule_set, today};
use crate::check::CheckOptions;
use crate::latency::{Explanation, LatencyModel};
use crate::pack::Pack;
use crate::report::{self, FileReport, Human, Outcome, Summary};

fn is_arch_file_name(name: &str) -> bool {
    name == "arch.toml" || name.ends_with(".arch.toml")
}

/// What a directory search found: architecture files, and directories that
/// could not be read (reported, not skipped silently).
#[derive(Default)]
struct Found {
    files: Vec<PathBuf>,
    unreadable: Vec<(PathBuf, std::io::Error)>,
}

/// Collects architecture files under a directory, sorted. Hidden directories,
/// `target` and `node_modules` are skipped; a symbolic link is followed to a
/// file but never into a directory, so link loops cannot trap the search.
fn discover(dir: &Path, found: &mut Found) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            found.unreadable.push((dir.to_path_buf(), e));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Ok(ty) = e.file_type() else { continue };
        if ty.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                discover(&e.path(), found);
            }
        } else if is_arch_file_name(&name)
            && (ty.is_file() || (ty.is_symlink() && e.path().is_file()))
        {
            found.files.push(e.path());
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such directory".into(),
        _ => e.to_string(),
    }
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
            let mut found = Found::default();
            discover(root, &mut found);
            for (dir, e) in &found.unreadable {
                reports.push(FileReport {
                    path: display_path(dir),
                    outcome: Outcome::Failed {
                        source: None,
                        errors: vec![crate::LoadError::new(format!(
                            "cannot read the directory: {}",
                            io_reason(e)
                        ))],
                    },
                });
            }
            if found.files.is_empty() && found.unreadable.is_empty() {
                reports.push(FileReport {
                    path: display,
                    outcome: Outcome::Failed {
                        source: None,
                        errors: vec![crate::LoadError::new(
                            "no architecture files (arch.toml or *.arch.toml) in this directory",
                        )],
                    },
                });
            }
            for f in found.files {
                reports.push(crate::check_file(&f, &display_path(&f), &pack, &opts));
            }
        } else {
            reports.push(crate::check_file(root, &display, &pack, &opts));
        }
    }

    let explained = args
        .explain_latency
        .then(|| explain_latency(&reports, &pack));
    let text = match (args.format, &explained) {
        (Format::Human, None) => Human {
            color: color && !args.no_color,
            quiet: args.quiet,
        }
        .render(&reports),
        (Format::Human, Some(e)) => {
            let mut text = Human {
                color: color && !args.no_color,
                quiet: true,
            }
            .render(&reports);
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&latency_text(e));
            if !args.quiet {
                text.push_str(&Summary::of(&reports).line());
            }
            text
        }
        (Format::Concise, e) => {
            let mut text = report::concise(&reports);
            if let Some(e) = e {
                text.push_str(&latency_text(e));
            }
            text
        }
        (Format::Json, None) => report::json(&reports),
        (Format::Json, Some(e)) => {
            let mut doc = report::json_document(&reports);
            if let Some(files) = doc.get_mut("files").and_then(|f| f.as_array_mut()) {
                for (file, (_, e)) in files.iter_mut().zip(e) {
                    if let (Some(obj), Some(e)) = (file.as_object_mut(), e) {
                        obj.insert("latency".into(), report::latency::json(e));
                    }
                }
            }
            report::json_text(&doc)
        }
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

/// The latency estimates of each file that could be checked, in report order.
fn explain_latency(reports: &[FileReport], pack: &Pack) -> Vec<(String, Option<Explanation>)> {
    reports
        .iter()
        .map(|r| {
            let e = match &r.outcome {
                Outcome::Checked { arch, .. } => Some(LatencyModel::new(arch, pack).explain()),
                Outcome::Failed { .. } => None,
            };
            (r.path.clone(), e)
        })
        .collect()
}

fn latency_text(explained: &[(String, Option<Explanation>)]) -> String {
    explained
        .iter()
        .filter_map(|(path, e)| e.as_ref().map(|e| report::latency::text(path, e)))
        .collect()
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
