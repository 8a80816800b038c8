//! The command line: clap definitions in one place, and `run`, which the
//! binary calls and tests drive in-process. Each command lives in its own file.

mod catalog;
mod check;
mod cost;
mod generate;
mod import;
mod parallel;
mod render;

pub use catalog::rules_markdown;

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::date::Date;
use crate::finding::Severity;
use crate::pack::Pack;
use crate::report::ListFormat;
use crate::rules;
use crate::suggest::did_you_mean;

/// Exit codes (documented in the README).
pub mod exit {
    /// No finding at or above the fail level.
    pub const OK: u8 = 0;
    /// Findings at or above the fail level.
    pub const FINDINGS: u8 = 1;
    /// An input could not be read or parsed, or the command line is wrong.
    pub const ERROR: u8 = 2;
}

/// "0.1.0 (rule pack of 2026-12-04)": the version `--version` prints.
fn version_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| match crate::Pack::embedded().as_of() {
        Some(d) => format!("{} (rule pack of {d})", env!("CARGO_PKG_VERSION")),
        None => env!("CARGO_PKG_VERSION").to_string(),
    })
}

#[derive(Debug, Parser)]
#[command(
    name = "pipelint",
    version = version_text(),
    about = "A linter for cloud data-pipeline architectures",
    long_about = "pipelint checks a data pipeline written as a small TOML file against what AWS \
                  services can really do: which flows exist, which services are retired, \
                  and what the pipeline needs.",
    after_help = "Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; \
                  2 an input could not be read or parsed, or the command line is wrong."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check architecture files and templates (a directory is searched for arch.toml and *.arch.toml)
    Check(CheckArgs),
    /// Monthly cost of a pipeline per service and component, or the change between two files
    Cost(CostArgs),
    /// Write an architecture file from a CloudFormation/SAM template or a Terraform configuration
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Draw an architecture with its findings (DOT, SVG, PNG or Mermaid)
    Render(RenderArgs),
    /// Show a rule's full documentation
    Explain {
        /// A rule code (PL103) or name (unsupported-flow)
        rule: String,
    },
    /// List every rule: code, name, default severity, summary
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// List the service catalog, or show one service and what it connects to
    Services {
        /// A catalog id or alias to show in detail
        service: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[command(flatten)]
        pack: PackArgs,
    },
    /// Print the JSON Schema of the architecture file, for editors
    Schema {
        /// A directory of rule-pack files merged with the built-in pack
        #[arg(long = "rules", value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Print a shell completion script
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), of pipelint or of one command
    Man {
        /// A command, e.g. check
        command: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// A CloudFormation or SAM template, YAML or JSON
    Cloudformation(ImportArgs),
    /// A Terraform configuration: a .tf file or a directory of them
    Terraform(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The template file (or, for Terraform, a directory)
    pub path: PathBuf,
    /// Write the architecture file here instead of to standard output
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// A directory of rule-pack files merged with the built-in pack
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// What to read a checked path as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TemplateKind {
    /// CloudFormation or SAM templates (YAML or JSON)
    Cloudformation,
    /// Terraform configurations (.tf files or directories of them)
    Terraform,
}

impl TemplateKind {
    pub fn format(self) -> crate::import::Format {
        match self {
            TemplateKind::Cloudformation => crate::import::Format::CloudFormation,
            TemplateKind::Terraform => crate::import::Format::Terraform,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The source line with the finding drawn under it, and help
    Human,
    /// One line per finding: path:line:col: CODE [severity] message
    Concise,
    /// Machine-readable JSON
    Json,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML, one test case per file and rule
    Junit,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
        }
    }

    /// A whole document (JSON, SARIF, XML) rather than lines: it must be
    /// alone on standard output to be read.
    pub fn is_document(self) -> bool {
        matches!(self, Format::Json | Format::Sarif | Format::Junit)
    }
}

/// One report to produce: a format, to standard output or to a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    /// `None`: standard output.
    pub path: Option<PathBuf>,
}

fn parse_fit(s: &str) -> Result<crate::render::Fit, String> {
    s.parse()
}

fn parse_output(s: &str) -> Result<Output, String> {
    let (name, path) = match s.split_once('=') {
        Some((n, p)) => (n, Some(p)),
        None => (s, None),
    };
    let format = Format::from_str(name.trim(), true).map_err(|_| {
        let names: Vec<&str> = Format::value_variants().iter().map(|f| f.name()).collect();
        format!(
            "`{name}` is not a format; one of: {} (optionally =PATH)",
            names.join(", ")
        )
    })?;
    let path = match path {
        None | Some("-") => None,
        Some("") => return Err(format!("`{s}`: the path after `=` is empty")),
        Some(p) => Some(PathBuf::from(p)),
    };
    Ok(Output { format, path })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl From<FailOn> for Severity {
    fn from(f: FailOn) -> Severity {
        match f {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Args)]
pub struct PackArgs {
    /// A directory of rule-pack files merged with the built-in pack
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Evaluate lifecycle dates as of this day (YYYY-MM-DD); default: today (UTC)
    #[arg(long, value_name = "DATE", env = "PIPELINT_TODAY")]
    pub today: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CostFormat {
    /// A table per service and component, with assumptions and what was not priced
    Table,
    /// Machine-readable JSON
    Json,
}

#[derive(Debug, Args)]
pub struct CostArgs {
    /// The architecture file to price
    #[arg(required_unless_present = "compare", conflicts_with = "compare")]
    pub path: Option<PathBuf>,
    /// Show the monthly difference per service between two files
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
    pub compare: Option<Vec<PathBuf>>,
    /// Output format
    #[arg(long, value_enum, default_value_t = CostFormat::Table)]
    pub format: CostFormat,
    /// Price in this region instead of the file's `region` (default us-east-1)
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    #[command(flatten)]
    pub pack: PackArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// Graphviz DOT text
    Dot,
    /// An SVG picture
    Svg,
    /// A PNG picture
    Png,
    /// A Mermaid flowchart for Markdown (GitHub, GitLab)
    Mermaid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// Graphviz `dot` when it is on PATH, else the built-in layout
    Auto,
    /// Graphviz `dot`
    Dot,
    /// The built-in layout (no graphviz needed)
    Builtin,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The architecture file to draw
    pub path: PathBuf,
    /// Write to this file instead of standard output (written whole or not at all)
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Output format [default: from OUT's extension, else svg]
    #[arg(long, value_enum)]
    pub format: Option<RenderFormat>,
    /// What lays out SVG and PNG
    #[arg(long, value_enum, default_value_t = Engine::Auto)]
    pub engine: Engine,
    /// Where the picture will be shown: `page` folds a long pipeline into rows
    /// no wider than 1,000 px (Graphviz and Mermaid turn it top to bottom),
    /// `wide` keeps one row, WIDTHxHEIGHT (e.g. 1600x900) fits a box in
    /// pixels; text never gets smaller than 9 px
    #[arg(long, value_name = "page|wide|WxH", default_value = "page", value_parser = parse_fit)]
    pub fit: crate::render::Fit,
    /// Show each service's monthly cost (as `pipelint cost` prices it) and the total
    #[arg(long)]
    pub cost: bool,
    #[command(flatten)]
    pub pack: PackArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (default: the current directory)
    pub paths: Vec<PathBuf>,
    /// Output format on standard output (default: human); the same as
    /// --output-format FORMAT
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// A report to produce, FORMAT to standard output or FORMAT=PATH to a
    /// file; repeat for several (e.g. --output-format github
    /// --output-format sarif=pipelint.sarif). Standard output gets the human
    /// report when no report goes there
    #[arg(long, value_name = "FORMAT[=PATH]", value_parser = parse_output)]
    pub output_format: Vec<Output>,
    /// Exit with 1 when a finding has this severity or a higher one
    /// [default: error, or `fail-on` from pipelint.toml]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Run only these rules (codes or names, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Do not run these rules (codes or names, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Ignore every `allow` in the files (for audits)
    #[arg(long)]
    pub no_allow: bool,
    /// Use this configuration file instead of the pipelint.toml found above
    /// each checked file
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore every pipelint.toml
    #[arg(long)]
    pub no_config: bool,
    /// Report only findings that this baseline file does not hold
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every finding of this run in a baseline file (and exit 0
    /// unless a file could not be checked)
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// No colours (also when NO_COLOR is set or output is not a terminal)
    #[arg(long)]
    pub no_color: bool,
    /// Print findings only, without the summary line
    #[arg(long, short)]
    pub quiet: bool,
    /// Also show the estimated latency of the slowest path into each sink
    /// (a `latency` field per file in JSON)
    #[arg(long)]
    pub explain_latency: bool,
    /// Read every path as a template of this kind (default: by name and content)
    #[arg(long, value_enum, value_name = "KIND")]
    pub from: Option<TemplateKind>,
    /// Check files on this many threads [default: one per CPU]; the output
    /// is the same whatever the number
    #[arg(long, short = 'j', value_name = "N", env = "PIPELINT_THREADS")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub pack: PackArgs,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    parallel::enable_progress(
        std::io::stderr().is_terminal() && std::env::var_os("CI").is_none_or(|v| v.is_empty()),
    );
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let code = run(
        std::env::args_os(),
        &mut stdout.lock(),
        &mut stderr.lock(),
        color,
    );
    ExitCode::from(code)
}

/// Runs pipelint with `args` (the program name first); returns the exit code.
/// `color` says whether the terminal may get colours.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write, color: bool) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = if color {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            let to_stdout = matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            );
            let _ = if to_stdout {
                out.write_all(text.as_bytes())
            } else {
                err.write_all(text.as_bytes())
            };
            return if e.use_stderr() {
                exit::ERROR
            } else {
                exit::OK
            };
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(args, out, err, color),
        Command::Cost(args) => cost::run(args, out),
        Command::Import { from } => import::run(from, out, err),
        Command::Render(args) => render::run(args, out, err, color),
        Command::Explain { rule } => catalog::explain(&rule, out),
        Command::Rules { format } => catalog::rules(format, out),
        Command::Services {
            service,
            format,
            pack,
        } => catalog::services(service.as_deref(), format, &pack, out),
        Command::Schema { rules } => generate::schema(rules.as_deref(), out),
        Command::Completions { shell } => generate::completions(shell, out),
        Command::Man { command } => generate::man(command.as_deref(), out),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(err, "pipelint: error: {message}");
            exit::ERROR
        }
    }
}

/// A failure of the command itself (exit 2), as a message.
pub(crate) type CmdResult = Result<u8, String>;

pub(crate) fn emit(out: &mut dyn Write, text: &str) {
    // A closed pipe (`pipelint check | head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Frees reports of large files on a thread of their own: the command is
/// done, and freeing a large architecture piece by piece takes longer than
/// checking a small one, time the process would otherwise spend before it
/// exits.
pub(crate) fn discard(reports: Vec<crate::report::FileReport>) {
    let bytes: usize = reports
        .iter()
        .map(|r| match &r.outcome {
            crate::report::Outcome::Checked { arch, .. } => arch.source.text().len(),
            crate::report::Outcome::Failed { .. } => 0,
        })
        .sum();
    if bytes >= 1 << 20 {
        let _ = std::thread::Builder::new().spawn(move || drop(reports));
    }
}

/// The built-in pack, or the built-in pack merged with the user's.
pub(crate) enum LoadedPack {
    Embedded(&'static Pack),
    Merged(Box<Pack>),
}

impl std::ops::Deref for LoadedPack {
    type Target = Pack;

    fn deref(&self) -> &Pack {
        match self {
            LoadedPack::Embedded(p) => p,
            LoadedPack::Merged(p) => p,
        }
    }
}

pub(crate) fn load_pack(args: &PackArgs) -> Result<LoadedPack, String> {
    match &args.rules {
        None => Ok(LoadedPack::Embedded(Pack::embedded())),
        Some(dir) => Pack::with_user_dir(dir)
            .map(|p| LoadedPack::Merged(Box::new(p)))
            .map_err(|errors| {
                let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
                format!(
                    "the rule pack in {} is invalid:\n{}",
                    dir.display(),
                    lines.join("\n")
                )
            }),
    }
}

pub(crate) fn today(args: &PackArgs) -> Result<Date, String> {
    match &args.today {
        Some(s) => s.parse().map_err(|e| format!("--today: {e}")),
        None => Ok(Date::today_utc()),
    }
}

/// Resolves rule codes or names from the command line.
pub(crate) fn rule_set(flag: &str, items: &[String]) -> Result<BTreeSet<&'static str>, String> {
    let mut out = BTreeSet::new();
    for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match rules::find(item) {
            Some(r) => {
                out.insert(r.meta().name);
            }
            None => {
                let hint = did_you_mean(item, rules::names().iter().map(|(_, n)| *n))
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "{flag}: `{item}` is not a rule{hint}; `pipelint rules` lists them"
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
