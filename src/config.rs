//! `pipelint.toml`: the settings a project keeps beside its architecture
//! files. The nearest one above a checked file applies to it; options given
//! on the command line override it, and it overrides the defaults.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use toml::de::{DeTable, DeValue};

use crate::finding::Severity;
use crate::model::{LoadError, ReadFailure, read_source};
use crate::rules;
use crate::source::{SourceFile, Span};
use crate::suggest::did_you_mean;

/// The name pipelint looks for in each directory above a checked file.
pub const FILE_NAME: &str = "pipelint.toml";

/// The keys of a configuration, at the top level or in `[tool.pipelint]`.
pub const KEYS: [&str; 6] = [
    "select", "ignore", "fail-on", "severity", "rules", "exclude",
];

/// A loaded `pipelint.toml`.
#[derive(Debug)]
pub struct Config {
    /// The file, as reports name it.
    pub display: String,
    /// Its directory (absolute): `rules` and `exclude` are relative to it.
    pub dir: PathBuf,
    /// Only these rules run (names), when set.
    pub select: Option<BTreeSet<&'static str>>,
    pub ignore: BTreeSet<&'static str>,
    pub fail_on: Option<Severity>,
    /// Severities that replace the rules' defaults.
    pub severities: HashMap<&'static str, Severity>,
    /// Rule-pack directories merged with the built-in pack (absolute).
    pub rules: Vec<PathBuf>,
    exclude: Option<GlobSet>,
}

/// A configuration that could not be read or is wrong: errors to show, with
/// the text they point into.
#[derive(Debug)]
pub struct ConfigFailure {
    pub display: String,
    pub source: Option<SourceFile>,
    pub errors: Vec<LoadError>,
}

/// `path` made absolute against the working directory, with `.` and `..`
/// resolved lexically (symbolic links are left alone).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The nearest `pipelint.toml` in the directory of `file` or above it. The
/// search stops at the root of the repository (a directory holding `.git`)
/// or of the file system.
pub fn discover(file: &Path) -> Option<PathBuf> {
    let abs = absolute(file);
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// How reports name a file: relative to the working directory when it is
/// below it, else absolute.
pub fn display(path: &Path) -> String {
    let abs = absolute(path);
    let cwd = std::env::current_dir().map(|d| absolute(&d)).ok();
    let shown = match cwd.as_deref().and_then(|c| abs.strip_prefix(c).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => abs,
    };
    shown.to_string_lossy().replace('\\', "/")
}

/// Reads and parses a configuration file.
pub fn load(path: &Path, display: &str) -> Result<Config, ConfigFailure> {
    let source = read_source(path, display).map_err(|f| {
        let ReadFailure { error, source } = *f;
        ConfigFailure {
            display: display.to_string(),
            source,
            errors: vec![error],
        }
    })?;
    let dir = absolute(path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    parse(&source, &dir).map_err(|errors| ConfigFailure {
        display: display.to_string(),
        source: Some(source.clone()),
        errors,
    })
}

fn sp<T>(s: &toml::Spanned<T>) -> Span {
    Span::from(s.span())
}

struct Parser<'a> {
    dir: &'a Path,
    errors: Vec<LoadError>,
}

/// Parses a configuration's text; `dir` is the directory it lives in.
pub fn parse(source: &SourceFile, dir: &Path) -> Result<Config, Vec<LoadError>> {
    let root = match DeTable::parse(source.text()) {
        Ok(root) => root,
        Err(e) => {
            let span = e.span().map(Span::from).unwrap_or_default();
            let msg = e.message().trim_end().to_string();
            return Err(vec![
                LoadError::new(format!("TOML syntax error: {msg}"))
                    .at(span)
                    .label(msg),
            ]);
        }
    };
    let mut p = Parser {
        dir,
        errors: Vec::new(),
    };
    let mut config = Config {
        display: source.name().to_string(),
        dir: dir.to_path_buf(),
        select: None,
        ignore: BTreeSet::new(),
        fail_on: None,
        severities: HashMap::new(),
        rules: Vec::new(),
        exclude: None,
    };
    let root = root.get_ref();
    let nested = root.iter().find(|(k, _)| k.get_ref() == "tool");
    let settings: Vec<(
        &toml::Spanned<std::borrow::Cow<'_, str>>,
        &toml::Spanned<DeValue<'_>>,
    )> = match nested {
        Some((tool_key, tool)) => {
            if let Some((k, _)) = root.iter().find(|(k, _)| k.get_ref() != "tool") {
                p.errors.push(
                        LoadError::new(format!(
                            "`{}` is outside [tool.pipelint], where the other settings are",
                            k.get_ref()
                        ))
                        .at(sp(k))
                        .label("outside [tool.pipelint]")
                        .help("keep every setting in one place: all in [tool.pipelint], or all at the top level"),
                    );
            }
            match tool.get_ref() {
                DeValue::Table(t) => {
                    let mut found = Vec::new();
                    for (k, v) in t.iter() {
                        if k.get_ref() == "pipelint" {
                            match v.get_ref() {
                                DeValue::Table(inner) => found.extend(inner.iter()),
                                _ => p.wrong_type("tool.pipelint", v, "a table"),
                            }
                        } else {
                            p.errors.push(
                                LoadError::new(format!(
                                    "unknown table `tool.{}` in {FILE_NAME}",
                                    k.get_ref()
                                ))
                                .at(sp(k))
                                .label("unknown table")
                                .help("pipelint reads [tool.pipelint] only"),
                            );
                        }
                    }
                    if !t.iter().any(|(k, _)| k.get_ref() == "pipelint") {
                        p.errors.push(
                            LoadError::new("[tool] has no `pipelint` table")
                                .at(sp(tool_key))
                                .label("no [tool.pipelint]"),
                        );
                    }
                    found
                }
                _ => {
                    p.wrong_type("tool", tool, "a table");
                    Vec::new()
                }
            }
        }
        None => root.iter().collect(),
    };
    for (k, v) in settings {
        match k.get_ref().as_ref() {
            "select" => config.select = Some(p.rule_list("select", v)),
            "ignore" => config.ignore = p.rule_list("ignore", v),
            "fail-on" => config.fail_on = p.severity("fail-on", v),
            "severity" => config.severities = p.severities(v),
            "rules" => config.rules = p.rule_dirs(v),
            "exclude" => config.exclude = p.globs(v),
            other => {
                let help = did_you_mean(other, KEYS)
                    .map(|k| format!("did you mean `{k}`?"))
                    .unwrap_or_else(|| format!("{FILE_NAME} takes: {}", KEYS.join(", ")));
                p.errors.push(
                    LoadError::new(format!("unknown setting `{other}`"))
                        .at(sp(k))
                        .label("unknown setting")
                        .help(help),
                );
            }
        }
    }
    if p.errors.is_empty() {
        Ok(config)
    } else {
        let mut errors = p.errors;
        errors.sort_by_key(|e| e.span.map(|s| (s.start(), s.end())));
        Err(errors)
    }
}

/// The most entries a list setting takes, and the longest entry: far above
/// any real configuration, far below what would take noticeable time or
/// memory (a glob set of the maximum compiles in milliseconds).
pub const LIST_LIMITS: [(&str, usize, usize); 4] = [
    ("select", 1_000, 100),
    ("ignore", 1_000, 100),
    ("rules", 100, 4_096),
    ("exclude", 500, 256),
];

/// Wildcards (`*`, `?`, `[`, `{`) in one `exclude` pattern at most: each
/// multiplies the work of compiling the set.
pub const MAX_WILDCARDS: usize = 16;

/// Entries of the `[severity]` table read at most.
pub const MAX_SEVERITIES: usize = 1_000;

fn list_limits(key: &str) -> (usize, usize) {
    LIST_LIMITS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or((1_000, 1_024), |&(_, n, len)| (n, len))
}

fn article(ty: &str) -> &'static str {
    match ty {
        "integer" | "array" => "an",
        _ => "a",
    }
}

impl Parser<'_> {
    fn wrong_type(&mut self, key: &str, v: &toml::Spanned<DeValue<'_>>, expected: &str) {
        let found = v.get_ref().type_str();
        self.errors.push(
            LoadError::new(format!(
                "`{key}` must be {expected}, not {} {found}",
                article(found)
            ))
            .at(sp(v))
            .label(format!("{} {found}", article(found))),
        );
    }

    /// The strings of an array, each with its span; an array longer than
    /// the list's limit, or a string longer than its limit, is an error (the
    /// nearest configuration file is read unasked, from any clone).
    fn strings(
        &mut self,
        key: &str,
        v: &toml::Spanned<DeValue<'_>>,
        what: &str,
    ) -> Vec<(String, Span)> {
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, &format!("an array of {what}"));
            return Vec::new();
        };
        let (max_items, max_len) = list_limits(key);
        if items.len() > max_items {
            self.errors.push(
                LoadError::new(format!(
                    "`{key}` lists {} {what}; pipelint reads up to {}",
                    crate::numfmt::number(items.len() as f64),
                    crate::numfmt::number(max_items as f64)
                ))
                .at(sp(v))
                .label("too many entries"),
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) if s.chars().count() > max_len => self.errors.push(
                    LoadError::new(format!(
                        "an entry of `{key}` has {} characters; pipelint reads entries of up to {max_len}",
                        crate::numfmt::number(s.chars().count() as f64)
                    ))
                    .at(sp(item))
                    .label("too long"),
                ),
                DeValue::String(s) => out.push((s.to_string(), sp(item))),
                _ => self.wrong_type(&format!("an entry of `{key}`"), item, "a string"),
            }
        }
        out
    }

    fn rule(&mut self, name: &str, span: Span) -> Option<&'static str> {
        match rules::find(name.trim()) {
            Some(r) => Some(r.meta().name),
            None => {
                let help = did_you_mean(name, rules::names().iter().map(|(_, n)| *n))
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| "`pipelint rules` lists every rule".into());
                self.errors.push(
                    LoadError::new(format!("`{name}` is not a pipelint rule"))
                        .at(span)
                        .label("unknown rule")
                        .help(help),
                );
                None
            }
        }
    }

    fn rule_list(&mut self, key: &str, v: &toml::Spanned<DeValue<'_>>) -> BTreeSet<&'static str> {
        self.strings(key, v, "rule codes or names")
            .into_iter()
            .filter_map(|(name, span)| self.rule(&name, span))
            .collect()
    }

    fn severity(&mut self, key: &str, v: &toml::Spanned<DeValue<'_>>) -> Option<Severity> {
        let DeValue::String(s) = v.get_ref() else {
            self.wrong_type(key, v, "\"error\", \"warning\" or \"info\"");
            return None;
        };
        let parsed = Severity::parse(s);
        if parsed.is_none() {
            let help = did_you_mean(s, ["error", "warning", "info"])
                .map(|x| format!("did you mean \"{x}\"?"))
                .unwrap_or_else(|| "write \"error\", \"warning\" or \"info\"".into());
            self.errors.push(
                LoadError::new(format!("`{s}` is not a severity"))
                    .at(sp(v))
                    .label("not a severity")
                    .help(help),
            );
        }
        parsed
    }

    fn severities(&mut self, v: &toml::Spanned<DeValue<'_>>) -> HashMap<&'static str, Severity> {
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type(
                "severity",
                v,
                "a table of rule = \"error\" | \"warning\" | \"info\"",
            );
            return HashMap::new();
        };
        let mut out = HashMap::new();
        if t.len() > MAX_SEVERITIES {
            self.errors.push(
                LoadError::new(format!(
                    "`severity` sets {} rules; pipelint reads up to {}",
                    crate::numfmt::number(t.len() as f64),
                    crate::numfmt::number(MAX_SEVERITIES as f64)
                ))
                .at(sp(v))
                .label("too many entries"),
            );
            return out;
        }
        for (k, sv) in t.iter() {
            let rule = self.rule(k.get_ref(), sp(k));
            let severity = self.severity(&format!("severity.{}", k.get_ref()), sv);
            if let (Some(rule), Some(severity)) = (rule, severity) {
                out.insert(rule, severity);
            }
        }
        out
    }

    fn rule_dirs(&mut self, v: &toml::Spanned<DeValue<'_>>) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for (dir, span) in self.strings("rules", v, "rule-pack directories") {
            let path = absolute(&self.dir.join(&dir));
            if path.is_dir() {
                out.push(path);
            } else {
                self.errors.push(
                    LoadError::new(format!("the rule-pack directory `{dir}` does not exist"))
                        .at(span)
                        .label("no such directory")
                        .help(format!(
                            "`rules` paths are relative to the directory of {FILE_NAME}"
                        )),
                );
            }
        }
        out
    }

    fn globs(&mut self, v: &toml::Spanned<DeValue<'_>>) -> Option<GlobSet> {
        let mut set = GlobSetBuilder::new();
        let mut any = false;
        for (pattern, span) in self.strings("exclude", v, "glob patterns") {
            let trimmed = pattern.trim_start_matches("./").trim_end_matches('/');
            let wild = trimmed
                .chars()
                .filter(|c| matches!(c, '*' | '?' | '[' | '{'))
                .count();
            if wild > MAX_WILDCARDS {
                self.errors.push(
                    LoadError::new(format!(
                        "`{pattern}` has {wild} wildcards; pipelint reads patterns of up to {MAX_WILDCARDS}"
                    ))
                    .at(span)
                    .label("too many wildcards"),
                );
                continue;
            }
            match GlobBuilder::new(trimmed).literal_separator(true).build() {
                Ok(g) => {
                    set.add(g);
                    any = true;
                }
                Err(e) => self.errors.push(
                    LoadError::new(format!("`{pattern}` is not a valid glob: {}", e.kind()))
                        .at(span)
                        .label("invalid glob"),
                ),
            }
        }
        if !any {
            return None;
        }
        match set.build() {
            Ok(s) => Some(s),
            Err(e) => {
                self.errors.push(
                    LoadError::new(format!("the `exclude` patterns are invalid: {e}")).at(sp(v)),
                );
                None
            }
        }
    }
}

impl Config {
    /// Whether `file` (or a directory above it, up to the configuration's
    /// directory) matches an `exclude` pattern.
    pub fn excludes(&self, file: &Path) -> bool {
        let Some(set) = &self.exclude else {
            return false;
        };
        let abs = absolute(file);
        let Ok(rel) = abs.strip_prefix(&self.dir) else {
            return false;
        };
        let mut p = Some(rel);
        while let Some(candidate) = p {
            if candidate.as_os_str().is_empty() {
                break;
            }
            if set.is_match(candidate) {
                return true;
            }
            p = candidate.parent();
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, Vec<LoadError>> {
        parse(&SourceFile::new(FILE_NAME, text), Path::new("/project"))
    }

    #[test]
    fn reads_every_setting() {
        let c = parse_str(
            "select = [\"PL103\", \"orphan-service\"]\nignore = [\"renamed-service\"]\n\
             fail-on = \"warning\"\nexclude = [\"legacy/**\", \"old.arch.toml\"]\n\
             [severity]\norphan-service = \"error\"\nPL202 = \"warning\"\n",
        )
        .unwrap();
        assert_eq!(
            c.select,
            Some(BTreeSet::from(["orphan-service", "unsupported-flow"]))
        );
        assert_eq!(c.ignore, BTreeSet::from(["renamed-service"]));
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert_eq!(c.severities["orphan-service"], Severity::Error);
        assert_eq!(c.severities["renamed-service"], Severity::Warning);
        assert!(c.excludes(Path::new("/project/legacy/a/arch.toml")));
        assert!(c.excludes(Path::new("/project/old.arch.toml")));
        assert!(!c.excludes(Path::new("/project/new/old.arch.toml")));
        assert!(!c.excludes(Path::new("/elsewhere/legacy/arch.toml")));
    }

    #[test]
    fn a_directory_pattern_excludes_what_is_below_it() {
        let c = parse_str("exclude = [\"vendor/\"]\n").unwrap();
        assert!(c.excludes(Path::new("/project/vendor/x/arch.toml")));
        assert!(!c.excludes(Path::new("/project/vendors/arch.toml")));
    }

    #[test]
    fn tool_pipelint_table_is_the_same() {
        let c = parse_str("[tool.pipelint]\nignore = [\"orphan-service\"]\n").unwrap();
        assert_eq!(c.ignore, BTreeSet::from(["orphan-service"]));
        let e = parse_str("fail-on = \"info\"\n[tool.pipelint]\nignore = []\n").unwrap_err();
        assert!(e[0].message.contains("outside [tool.pipelint]"), "{e:?}");
    }

    #[test]
    fn unknown_names_are_errors_at_their_span() {
        let text = "selct = []\nignore = [\"orphan-servise\"]\n[severity]\nPL999 = \"error\"\nunsupported-flow = \"fatal\"\n";
        let e = parse_str(text).unwrap_err();
        let messages: Vec<&str> = e.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown setting `selct`",
                "`orphan-servise` is not a pipelint rule",
                "`PL999` is not a pipelint rule",
                "`fatal` is not a severity",
            ]
        );
        assert_eq!(e[0].help.as_deref(), Some("did you mean `select`?"));
        assert_eq!(e[1].help.as_deref(), Some("did you mean `orphan-service`?"));
        let span = e[1].span.unwrap();
        assert_eq!(&text[span.start()..span.end()], "\"orphan-servise\"");
    }

    #[test]
    fn bad_globs_and_types_are_errors() {
        let e = parse_str("exclude = [\"a[\"]\nfail-on = 1\n").unwrap_err();
        assert!(e[0].message.contains("not a valid glob"), "{e:?}");
        assert!(e[1].message.contains("`fail-on` must be"), "{e:?}");
    }

    #[test]
    fn lexical_absolute_paths() {
        assert_eq!(absolute(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
