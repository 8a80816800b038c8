//! `pipelint check`: find the files, apply each one's configuration, check
//! them, subtract the baseline, write every report asked for, choose the exit
//! code.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{
    CheckArgs, CmdResult, Format, LoadedPack, Output, emit, exit, load_pack, rule_set, today,
};
use crate::baseline::Baseline;
use crate::check::CheckOptions;
use crate::config::{self, Config};
use crate::date::Date;
use crate::finding::Severity;
use crate::import;
use crate::latency::{Explanation, LatencyModel};
use crate::pack::Pack;
use crate::report::{self, FileReport, Gate, Human, Outcome, Summary};
use crate::rules::RULES;

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

/// The reports to produce. `--format F` is `--output-format F`; standard
/// output gets the human report when no report is sent there. Line formats
/// (human, concise, github) may share standard output, in the order given;
/// a document format (json, sarif, junit) must have it alone.
fn outputs(args: &CheckArgs) -> Result<Vec<Output>, String> {
    let mut list: Vec<Output> = Vec::new();
    if let Some(format) = args.format {
        list.push(Output { format, path: None });
    }
    list.extend(args.output_format.iter().cloned());
    if !list.iter().any(|o| o.path.is_none()) {
        list.insert(
            0,
            Output {
                format: Format::Human,
                path: None,
            },
        );
    }
    let stdout: Vec<Format> = list
        .iter()
        .filter(|o| o.path.is_none())
        .map(|o| o.format)
        .collect();
    if stdout.len() > 1
        && let Some(doc) = stdout.iter().find(|f| f.is_document())
    {
        return Err(format!(
            "--output-format: `{}` must be the only report on standard output \
             (write it to a file with `{}=PATH`)",
            doc.name(),
            doc.name()
        ));
    }
    let mut seen_stdout = BTreeSet::new();
    let mut seen_paths = BTreeSet::new();
    for o in &list {
        match &o.path {
            None if !seen_stdout.insert(o.format.name()) => {
                return Err(format!(
                    "--output-format: `{}` is sent to standard output twice",
                    o.format.name()
                ));
            }
            Some(p) if !seen_paths.insert(config::absolute(p)) => {
                return Err(format!(
                    "--output-format: two reports are written to {}",
                    p.display()
                ));
            }
            _ => {}
        }
    }
    Ok(list)
}

/// What applies to the files under one configuration.
struct Settings {
    config: Option<Config>,
    opts: CheckOptions,
    fail_on: Severity,
    /// Index into `Checker::packs`.
    pack: usize,
}

/// The state of one run of `check`.
struct Checker<'a> {
    args: &'a CheckArgs,
    today: Date,
    cli_select: BTreeSet<&'static str>,
    cli_ignore: BTreeSet<&'static str>,
    packs: Vec<(Vec<PathBuf>, LoadedPack)>,
    settings: Vec<Settings>,
    /// Configuration file (None: no configuration) → its settings, or None
    /// when it is broken (and already reported).
    by_config: HashMap<Option<PathBuf>, Option<usize>>,
    reports: Vec<FileReport>,
    /// Files to check, in report order.
    queue: Vec<Job>,
    gates: Vec<Gate>,
    /// The pack each report was checked with (index into `packs`), for
    /// `--explain-latency`; None for a broken configuration.
    report_packs: Vec<Option<usize>>,
}

impl Checker<'_> {
    fn pack(&mut self, dirs: Vec<PathBuf>) -> Result<usize, String> {
        if let Some(i) = self.packs.iter().position(|(d, _)| *d == dirs) {
            return Ok(i);
        }
        let pack = if dirs.is_empty() {
            LoadedPack::Embedded(Pack::embedded())
        } else {
            LoadedPack::Merged(Box::new(Pack::with_user_dirs(&dirs).map_err(|errors| {
                let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
                format!("a rule pack is invalid:\n{}", lines.join("\n"))
            })?))
        };
        self.packs.push((dirs, pack));
        Ok(self.packs.len() - 1)
    }

    /// Options from the command line over the configuration over defaults.
    /// `--select` replaces the configuration's `select` and `ignore`;
    /// `--ignore` adds to its `ignore`.
    fn settings(&mut self, config: Option<Config>) -> Result<Settings, String> {
        let config_ref = config.as_ref();
        let mut opts = CheckOptions::new(self.today);
        opts.no_allow = self.args.no_allow;
        if !self.cli_select.is_empty() {
            opts.select = Some(self.cli_select.clone());
            opts.ignore = self.cli_ignore.clone();
        } else {
            opts.select = config_ref.and_then(|c| c.select.clone());
            opts.ignore = config_ref.map(|c| c.ignore.clone()).unwrap_or_default();
            opts.ignore.extend(self.cli_ignore.iter().copied());
        }
        if let Some(c) = config_ref {
            opts.severities = c.severities.clone();
        }
        let fail_on = self
            .args
            .fail_on
            .map(Severity::from)
            .or(config_ref.and_then(|c| c.fail_on))
            .unwrap_or(Severity::Error);
        let mut dirs: Vec<PathBuf> = config_ref.map(|c| c.rules.clone()).unwrap_or_default();
        if let Some(d) = &self.args.pack.rules {
            dirs.push(config::absolute(d));
        }
        let pack = self.pack(dirs)?;
        Ok(Settings {
            config,
            opts,
            fail_on,
            pack,
        })
    }

    /// The settings that apply to `file`, loading its configuration on first
    /// use; None when that configuration is broken.
    fn settings_for(&mut self, file: &Path) -> Result<Option<usize>, String> {
        let config_path = if self.args.no_config {
            None
        } else if let Some(c) = &self.args.config {
            Some(config::absolute(c))
        } else {
            config::discover(file)
        };
        if let Some(entry) = self.by_config.get(&config_path) {
            return Ok(*entry);
        }
        let loaded = match &config_path {
            None => Some(None),
            Some(p) => match config::load(p, &config::display(p)) {
                Ok(c) => Some(Some(c)),
                Err(failure) => {
                    self.reports.push(FileReport {
                        path: failure.display,
                        outcome: Outcome::Failed {
                            source: failure.source,
                            errors: failure.errors,
                        },
                    });
                    self.gates.push(Gate {
                        fail_on: Severity::Error,
                        rules: Vec::new(),
                    });
                    self.report_packs.push(None);
                    None
                }
            },
        };
        let ix = match loaded {
            None => None,
            Some(config) => {
                let settings = self.settings(config)?;
                self.settings.push(settings);
                Some(self.settings.len() - 1)
            }
        };
        self.by_config.insert(config_path, ix);
        Ok(ix)
    }

    /// Queues one file to check: an architecture file, or a template of
    /// `template`'s kind. Its report takes its place in order when
    /// [`Checker::run_queue`] has checked it.
    fn check(
        &mut self,
        file: &Path,
        display: String,
        template: Option<import::Format>,
    ) -> Result<(), String> {
        let Some(ix) = self.settings_for(file)? else {
            return Ok(());
        };
        let s = &self.settings[ix];
        if s.config.as_ref().is_some_and(|c| c.excludes(file)) {
            return Ok(());
        }
        self.queue.push(Job {
            slot: self.reports.len(),
            file: file.to_path_buf(),
            display: display.clone(),
            template,
            settings: ix,
        });
        // A placeholder, replaced by the report once the file is checked.
        self.reports.push(FileReport {
            path: display,
            outcome: Outcome::Failed {
                source: None,
                errors: Vec::new(),
            },
        });
        self.report_packs.push(Some(s.pack));
        self.gates.push(Gate {
            fail_on: s.fail_on,
            rules: RULES
                .iter()
                .map(|r| r.meta())
                .filter(|m| s.opts.enabled(m.name))
                .collect(),
        });
        Ok(())
    }

    /// Checks the queued files on `threads` threads; each report lands in
    /// its slot, so the order, and every byte of the output, is the same
    /// whatever the number of threads.
    fn run_queue(&mut self, threads: usize) {
        let queue = std::mem::take(&mut self.queue);
        let (settings, packs) = (&self.settings, &self.packs);
        let checked = super::parallel::map(&queue, threads, |job| {
            let s = &settings[job.settings];
            let pack = &packs[s.pack].1;
            match job.template {
                Some(format) => {
                    crate::check_template(&job.file, &job.display, format, pack, &s.opts)
                }
                None => crate::check_file(&job.file, &job.display, pack, &s.opts),
            }
        });
        for (job, report) in queue.iter().zip(checked) {
            self.reports[job.slot] = report;
        }
    }
}

/// A file waiting to be checked, and where its report goes.
struct Job {
    slot: usize,
    file: PathBuf,
    display: String,
    template: Option<import::Format>,
    /// Index into `Checker::settings`.
    settings: usize,
}

/// Per file, in report order, its latency estimates when `--explain-latency`
/// asked for them.
type Explained = Vec<(String, Option<Explanation>)>;

fn latency_text(explained: &Explained) -> String {
    explained
        .iter()
        .filter_map(|(path, e)| e.as_ref().map(|e| report::latency::text(path, e)))
        .collect()
}

fn render(
    format: Format,
    reports: &[FileReport],
    gates: &[Gate],
    explained: Option<&Explained>,
    color: bool,
    quiet: bool,
) -> String {
    match (format, explained) {
        (Format::Human, None) => Human { color, quiet }.render(reports),
        (Format::Human, Some(e)) => {
            let mut text = Human { color, quiet: true }.render(reports);
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&latency_text(e));
            if !quiet {
                text.push_str(&Summary::of(reports).line());
            }
            text
        }
        (Format::Concise, e) => {
            let mut text = report::concise(reports);
            if let Some(e) = e {
                text.push_str(&latency_text(e));
            }
            text
        }
        (Format::Json, None) => report::json(reports),
        (Format::Json, Some(e)) => {
            let mut doc = report::json_document(reports);
            if let Some(files) = doc.get_mut("files").and_then(|f| f.as_array_mut()) {
                for (file, (_, e)) in files.iter_mut().zip(e) {
                    if let (Some(obj), Some(e)) = (file.as_object_mut(), e) {
                        obj.insert("latency".into(), report::latency::json(e));
                    }
                }
            }
            report::json_text(&doc)
        }
        (Format::Sarif, _) => report::sarif(reports),
        (Format::Github, _) => report::github(reports),
        (Format::Junit, _) => report::junit(reports, gates),
    }
}

fn read_baseline(path: &Path) -> Result<Baseline, String> {
    let bytes = crate::fsutil::read_limited(path, crate::fsutil::MAX_FILE_BYTES).map_err(|e| {
        let why = match e {
            crate::fsutil::ReadError::TooLarge(_) => format!(
                "{}; pipelint reads baselines of up to {} MiB",
                e.reason(),
                crate::fsutil::MAX_FILE_BYTES / 1_048_576
            ),
            other => other.reason(),
        };
        format!("--baseline: cannot read {}: {why}", path.display())
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("--baseline: {}: not UTF-8 text", path.display()))?;
    Baseline::parse(&text).map_err(|e| format!("--baseline: {}: {e}", path.display()))
}

fn dir_of(path: &Path) -> PathBuf {
    config::absolute(path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub(super) fn run(
    args: CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    color: bool,
) -> CmdResult {
    let outputs = outputs(&args)?;
    // Fail early on a broken --rules before reading any file.
    drop(load_pack(&args.pack)?);
    let baseline = match &args.baseline {
        Some(p) => Some((read_baseline(p)?, dir_of(p))),
        None => None,
    };
    let mut checker = Checker {
        args: &args,
        today: today(&args.pack)?,
        cli_select: rule_set("--select", &args.select)?,
        cli_ignore: rule_set("--ignore", &args.ignore)?,
        packs: Vec::new(),
        settings: Vec::new(),
        by_config: HashMap::new(),
        reports: Vec::new(),
        queue: Vec::new(),
        gates: Vec::new(),
        report_packs: Vec::new(),
    };

    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for root in &roots {
        let display = display_path(root);
        let template = match args.from {
            Some(f) => Some(f.format()),
            None if root.is_file() => import::detect(root),
            None => None,
        };
        if template.is_none() && root.is_dir() {
            let mut found = Found::default();
            discover(root, &mut found);
            let mut failures: Vec<(String, String)> = found
                .unreadable
                .iter()
                .map(|(dir, e)| {
                    (
                        display_path(dir),
                        format!("cannot read the directory: {}", io_reason(e)),
                    )
                })
                .collect();
            if found.files.is_empty() && found.unreadable.is_empty() {
                failures.push((
                    display.clone(),
                    "no architecture files (arch.toml or *.arch.toml) in this directory"
                        .to_string(),
                ));
            }
            for (path, message) in failures {
                checker.reports.push(FileReport {
                    path,
                    outcome: Outcome::Failed {
                        source: None,
                        errors: vec![crate::LoadError::new(message)],
                    },
                });
                checker.gates.push(Gate {
                    fail_on: Severity::Error,
                    rules: Vec::new(),
                });
                checker.report_packs.push(None);
            }
            for f in found.files {
                checker.check(&f, display_path(&f), None)?;
            }
        } else {
            checker.check(root, display, template)?;
        }
    }
    checker.run_queue(args.threads.unwrap_or(0));
    let explained = args.explain_latency.then(|| {
        checker
            .reports
            .iter()
            .zip(&checker.report_packs)
            .map(|(r, p)| {
                let e = match (&r.outcome, p) {
                    (Outcome::Checked { arch, .. }, Some(p)) => {
                        Some(LatencyModel::new(arch, &checker.packs[*p].1).explain())
                    }
                    _ => None,
                };
                (r.path.clone(), e)
            })
            .collect::<Vec<_>>()
    });
    let Checker {
        mut reports, gates, ..
    } = checker;
    let failed = reports
        .iter()
        .any(|r| matches!(r.outcome, Outcome::Failed { .. }));

    // A report or a baseline written over a checked file would destroy it
    // (the baseline read may be refreshed in place).
    {
        let inputs: Vec<&Path> = reports.iter().map(|r| Path::new(&r.path)).collect();
        for o in outputs.iter().filter_map(|o| o.path.as_ref()) {
            crate::fsutil::not_an_input(o, &inputs)?;
        }
        if let Some(b) = &args.write_baseline {
            crate::fsutil::not_an_input(b, &inputs)?;
        }
    }
    let mut notes = Vec::new();
    if let Some(path) = &args.write_baseline {
        if failed {
            notes.push(format!(
                "the baseline was not written to {}: some files could not be checked",
                path.display()
            ));
        } else {
            let b = Baseline::of(&reports, &dir_of(path));
            crate::fsutil::write_atomic(path, b.to_json().as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            notes.push(format!(
                "wrote a baseline of {} to {}",
                plural(b.len(), "finding"),
                path.display()
            ));
        }
    }
    if let Some((b, dir)) = &baseline {
        let known = b.filter(&mut reports, dir);
        if known > 0 {
            notes.push(format!(
                "{} in the baseline not shown",
                plural(known, "finding")
            ));
        }
    }

    for o in &outputs {
        match &o.path {
            None => {
                let text = render(
                    o.format,
                    &reports,
                    &gates,
                    explained.as_ref(),
                    color && !args.no_color,
                    args.quiet,
                );
                emit(out, &text);
            }
            Some(path) => {
                let text = render(
                    o.format,
                    &reports,
                    &gates,
                    explained.as_ref(),
                    false,
                    args.quiet,
                );
                crate::fsutil::write_atomic(path, text.as_bytes())
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
        }
    }
    if !args.quiet {
        for n in notes {
            let _ = writeln!(err, "pipelint: {n}");
        }
    }

    let over = reports.iter().zip(&gates).any(|(r, g)| match &r.outcome {
        Outcome::Checked { findings, .. } => findings.iter().any(|f| f.severity >= g.fail_on),
        Outcome::Failed { .. } => false,
    });
    super::discard(reports);
    Ok(if failed {
        exit::ERROR
    } else if args.write_baseline.is_some() || !over {
        exit::OK
    } else {
        exit::FINDINGS
    })
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
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
