//! Reading an architecture file: TOML with spans, checked key by key against
//! the attribute types in the rule pack.

use crate::FastMap;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use toml_spanner::{Item, Key, Table, Value as Toml};

use super::{
    Allow, Architecture, Attr, Attrs, Endpoint, Flow, FlowDetails, FlowKind, FlowOrigin, KindRef,
    Service, Value, parse_chain,
};
use crate::fsutil::MAX_FILE_BYTES;
use crate::numfmt::number;
use crate::pack::{AttrType, AttributeDef, Pack};
use crate::source::{SourceFile, Span};
use crate::suggest::did_you_mean;

/// Most services one file may declare or imply.
pub const MAX_SERVICES: usize = 50_000;
/// Most flows one file may hold.
pub const MAX_FLOWS: usize = 200_000;
/// Deepest nesting of arrays and inline tables (the TOML parser's limit).
pub const MAX_TOML_NESTING: usize = 256;
/// Most services one chain string may name.
pub const MAX_CHAIN_LENGTH: usize = 10_000;

/// Why a file could not be loaded: a message, where, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub message: String,
    pub span: Option<Span>,
    pub label: Option<String>,
    pub help: Option<String>,
}

impl LoadError {
    pub fn new(message: impl Into<String>) -> Self {
        LoadError {
            message: message.into(),
            span: None,
            label: None,
            help: None,
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// Why a file's text could not be had, with the text when there is some to
/// point into.
#[derive(Debug)]
pub struct ReadFailure {
    pub error: LoadError,
    pub source: Option<SourceFile>,
}

fn fail(error: LoadError, source: Option<SourceFile>) -> Box<ReadFailure> {
    Box::new(ReadFailure { error, source })
}

/// Reads a file as an architecture file's text, refusing what cannot be one:
/// too large, binary, not UTF-8, not a regular file.
pub fn read_source(path: &Path, display: &str) -> Result<SourceFile, Box<ReadFailure>> {
    let bytes = crate::fsutil::read_limited(path, MAX_FILE_BYTES).map_err(|e| {
        let error = match e {
            crate::fsutil::ReadError::TooLarge(len) => too_large(len),
            other => LoadError::new(other.reason()),
        };
        fail(error, None)
    })?;
    source_from_bytes(display, bytes)
}

/// Checks raw bytes for what an architecture file cannot be, and strips a BOM.
pub fn source_from_bytes(
    display: &str,
    mut bytes: Vec<u8>,
) -> Result<SourceFile, Box<ReadFailure>> {
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Columns in characters, as everywhere else (continuation bytes do not count).
        let column = bytes[line_start..at]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count()
            + 1;
        return Err(fail(
            LoadError::new(format!(
                "this is a binary file, not an architecture file (a NUL byte at line {line}, column {column}, offset {at})"
            ))
            .help("pipelint reads UTF-8 TOML files such as arch.toml"),
            None,
        ));
    }
    // A UTF-8 byte order mark: blank it out so every offset stays the file's own.
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes[..3].copy_from_slice(b"   ");
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(display, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bad = e.as_bytes()[at];
            // The lossy text puts U+FFFD (three bytes) where the bad sequence began.
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Err(fail(
                LoadError::new(format!("the file is not valid UTF-8 (byte 0x{bad:02X})"))
                    .at(Span::new(at, at + '\u{fffd}'.len_utf8()))
                    .label("not UTF-8")
                    .help("save the file as UTF-8"),
                Some(SourceFile::new(display, text)),
            ))
        }
    }
}

fn too_large(len: u64) -> LoadError {
    LoadError::new(format!(
        "the file has {} bytes; pipelint reads files of up to {} MiB",
        crate::numfmt::number(len as f64),
        MAX_FILE_BYTES / 1_048_576
    ))
    .help("split the pipeline into several architecture files")
}

/// The rule names and codes an `allow` may name, each with its canonical name.
pub type RuleNames<'a> = &'a [(&'static str, &'static str)];

/// Keys of `[pipeline]`.
const PIPELINE_KEYS: [&str; 6] = [
    "name",
    "region",
    "max_latency",
    "flows",
    "allow",
    "description",
];
/// Keys every service takes, whatever its kind.
const COMMON_SERVICE_KEYS: [&str; 3] = ["kind", "description", "allow"];
/// Keys of a `[[flow]]` table.
const FLOW_KEYS: [&str; 8] = [
    "from",
    "to",
    "kind",
    "label",
    "allow",
    "max_latency",
    "description",
    "via",
];
const TOP_KEYS: [&str; 4] = ["pipeline", "services", "flow", "flows"];

struct Loader<'a> {
    src: &'a SourceFile,
    pack: &'a Pack,
    rules: RuleNames<'a>,
    errors: Vec<LoadError>,
    /// Chains read so far, to number them across both `flows` arrays.
    chains_seen: usize,
    /// `kind` values already resolved: a large file repeats a few dozen.
    kinds: FastMap<String, Option<(crate::pack::KindId, crate::pack::NameMatch)>>,
}

/// Loads an architecture file. Every problem is collected, so the user sees all
/// of them at once.
pub fn load(
    source: SourceFile,
    pack: &Pack,
    rules: RuleNames<'_>,
) -> Result<Architecture, Vec<LoadError>> {
    let built = {
        let arena = toml_spanner::Arena::new();
        match toml_spanner::parse(source.text(), &arena) {
            Ok(doc) => {
                let mut l = Loader {
                    src: &source,
                    pack,
                    rules,
                    errors: Vec::new(),
                    chains_seen: 0,
                    kinds: FastMap::default(),
                };
                let arch = l.architecture(doc.table());
                if l.errors.is_empty() {
                    Ok(arch)
                } else {
                    Err(l.errors)
                }
            }
            Err(e) => Err(vec![syntax_error(&source, &e)]),
        }
    };
    match built {
        Ok(mut arch) => {
            if arch.name.is_empty() {
                arch.name = default_name(source.name());
            }
            arch.source = source;
            arch.infer_flow_kinds(pack);
            Ok(arch)
        }
        Err(mut errors) => {
            errors.sort_by_key(|e| e.span.map(|s| (s.start(), s.end())));
            errors.dedup();
            Err(errors)
        }
    }
}

/// A TOML syntax error, at the byte where reading stopped.
fn syntax_error(source: &SourceFile, e: &toml_spanner::Error) -> LoadError {
    let text = source.text();
    let at = |s: toml_spanner::Span| {
        // Widen an empty span to the character there, so it has something to underline.
        // On character boundaries: the parser may stop inside a character.
        let mut start = (s.start as usize).min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (s.end as usize).clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        match text.get(start..).and_then(|rest| rest.chars().next()) {
            Some(c) if start == end => Span::new(start, start + c.len_utf8()),
            _ => Span::new(start, end),
        }
    };
    let line_of = |s: toml_spanner::Span| {
        let upto = text.get(..s.start as usize).unwrap_or(text);
        upto.bytes().filter(|b| *b == b'\n').count() + 1
    };
    let twice = |span: Span, first: toml_spanner::Span, rule: &str| {
        LoadError::new(format!("`{}` is defined twice", source.slice(span)))
            .at(span)
            .label("defined again here")
            .help(format!("first defined on line {}; {rule}", line_of(first)))
    };
    match e.kind() {
        toml_spanner::ErrorKind::DuplicateKey { first } => {
            twice(at(e.span()), first, "a key may appear only once in a table")
        }
        toml_spanner::ErrorKind::DuplicateTable { name, first } => twice(
            at(name),
            first,
            "a [table] may appear only once in a TOML file",
        ),
        // The parser's own limit, reported as a range error.
        toml_spanner::ErrorKind::OutOfRange { ty, .. } if ty.contains("recursion") => {
            LoadError::new(format!(
                "arrays and inline tables nest deeper than {MAX_TOML_NESTING} levels"
            ))
            .at(at(e.span()))
            .label("too deep")
            .help("an architecture file needs a few levels; this is not one")
        }
        _ => {
            let msg = e.message(text);
            let label = e
                .primary_label()
                .map(|(_, l)| l)
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| msg.clone());
            LoadError::new(format!("TOML syntax error: {msg}"))
                .at(at(e.span()))
                .label(label)
        }
    }
}

type Entry<'i> = (&'i Key<'i>, &'i Item<'i>);

/// Where a key or a value is written in `text`. A table opened by a
/// `[header]` is placed at its header, not over its whole body.
trait Placed {
    fn placed(&self, text: &str) -> Span;
}

impl Placed for Key<'_> {
    fn placed(&self, _: &str) -> Span {
        Span::new(self.span.start as usize, self.span.end as usize)
    }
}

impl Placed for Item<'_> {
    fn placed(&self, text: &str) -> Span {
        let s = self.span();
        let s = match self.as_table() {
            Some(t) if t.style() == toml_spanner::TableStyle::Header => {
                s.extract_header_span(text.as_bytes())
            }
            _ => s,
        };
        Span::new(s.start as usize, s.end as usize)
    }
}

fn article(ty: &str) -> &'static str {
    match ty {
        "integer" | "array" => "an",
        _ => "a",
    }
}

impl<'a> Loader<'a> {
    fn at(&self, x: &impl Placed) -> Span {
        x.placed(self.src.text())
    }

    fn err(&mut self, e: LoadError) {
        self.errors.push(e);
    }

    fn wrong_type(&mut self, key: &str, v: &Item<'_>, expected: &str) {
        let found = v.type_str();
        self.err(
            LoadError::new(format!(
                "`{key}` must be {expected}, not {} {found}",
                article(found)
            ))
            .at(self.at(v))
            .label(format!("{} {found}", article(found))),
        );
    }

    fn unknown_key(&mut self, key: &str, span: Span, place: &str, known: &[&str]) {
        let help = did_you_mean(key, known.iter().copied()).map(|k| format!("did you mean `{k}`?"));
        self.err(
            LoadError::new(format!("unknown key `{key}` in {place}"))
                .at(span)
                .label("unknown key")
                .help_opt(help.or_else(|| Some(format!("{place} takes: {}", known.join(", "))))),
        );
    }

    fn string(&mut self, key: &str, v: &Item<'_>) -> Option<String> {
        match v.value() {
            Toml::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(key, v, "a string");
                None
            }
        }
    }

    fn architecture(&mut self, root: &Table<'_>) -> Architecture {
        let mut arch = Architecture::new(SourceFile::new("", ""), "");
        let mut chains: Vec<&Item<'_>> = Vec::new();
        let mut flow_tables: Option<&Item<'_>> = None;
        let mut services: Option<&Item<'_>> = None;

        for (k, v) in root.iter() {
            match k.name {
                "pipeline" => match v.value() {
                    Toml::Table(t) => {
                        arch.pipeline_span = Some(self.at(v));
                        self.pipeline(t, &mut arch, &mut chains);
                    }
                    _ => self.wrong_type("pipeline", v, "a table ([pipeline])"),
                },
                "flows" => chains.push(v),
                "services" => services = Some(v),
                "flow" => flow_tables = Some(v),
                other => {
                    let help = if ["service", "svc", "nodes"].contains(&other) {
                        Some("services are declared as [services.ID] tables".to_string())
                    } else {
                        did_you_mean(other, TOP_KEYS).map(|k| format!("did you mean `{k}`?"))
                    };
                    let place = "the top level of an architecture file";
                    self.err(
                        LoadError::new(format!("unknown key `{other}` at {place}"))
                            .at(self.at(k))
                            .label("unknown key")
                            .help_opt(help.or_else(|| {
                                Some("an architecture file has [pipeline], [services.ID] and [[flow]] tables".into())
                            })),
                    );
                }
            }
        }

        // Keys borrowed from the parsed file: no copy per service.
        let mut ids: FastMap<&str, (usize, Arc<str>)> = FastMap::default();
        if let Some(v) = services {
            match v.value() {
                // Refused before any is read: the count alone says too many.
                Toml::Table(t) if t.len() > MAX_SERVICES => {
                    self.err(
                        LoadError::new(format!(
                            "the file declares {} services; pipelint checks up to {} in one file",
                            number(t.len() as f64),
                            number(MAX_SERVICES as f64)
                        ))
                        .at(self.at(v))
                        .label("too many services")
                        .help("split the pipeline into several architecture files"),
                    );
                    return arch;
                }
                Toml::Table(t) => {
                    arch.services.reserve_exact(t.len());
                    ids.reserve(t.len());
                    for (k, sv) in t.iter() {
                        if let Some(s) = self.service((k, sv)) {
                            ids.insert(k.name, (arch.services.len(), Arc::from(k.name)));
                            arch.services.push(s);
                        }
                    }
                }
                _ => self.wrong_type("services", v, "a table of [services.ID] tables"),
            }
        }
        self.case_collisions(&arch.services);

        let mut implicit: BTreeMap<String, usize> = BTreeMap::new();
        // `flows = []` written out declares a pipeline that is empty on purpose
        // (an import of a template with nothing pipelint reads).
        let empty_on_purpose = chains
            .iter()
            .any(|v| matches!(v.value(), Toml::Array(a) if a.is_empty()));
        // One flow a chain or a [[flow]] table, the common case: reserved at
        // once, so a large file's flows are not copied as the list grows.
        let flows: usize = chains
            .iter()
            .chain(flow_tables.iter())
            .filter_map(|v| v.as_array().map(|a| a.len()))
            .sum();
        arch.flows.reserve_exact(flows.min(MAX_FLOWS));
        for v in chains {
            self.chains(v, &mut arch, &ids, &mut implicit);
        }
        if let Some(v) = flow_tables {
            self.flow_tables(v, &mut arch, &ids, &mut implicit);
        }
        if arch.services.is_empty()
            && arch.flows.is_empty()
            && self.errors.is_empty()
            && !empty_on_purpose
        {
            self.err(
                LoadError::new("no services and no flows: this is not an architecture file")
                    .at(arch.pipeline_span.unwrap_or_default())
                    .label("nothing to check")
                    .help("an architecture file has a [pipeline] table with `flows`, and [services.ID] tables"),
            );
        }
        arch
    }

    fn pipeline<'i>(
        &mut self,
        t: &'i Table<'i>,
        arch: &mut Architecture,
        chains: &mut Vec<&'i Item<'i>>,
    ) {
        for (k, v) in t.iter() {
            match k.name {
                "name" => {
                    if let Some(s) = self.string("name", v) {
                        arch.name = s;
                    }
                }
                "region" => {
                    if let Some(s) = self.string("region", v) {
                        arch.region = Some((s, self.at(v)));
                    }
                }
                "description" => arch.description = self.string("description", v),
                "max_latency" => arch.max_latency = self.duration("max_latency", v),
                "flows" => chains.push(v),
                "allow" => arch.allow = self.allow(v),
                other => self.unknown_key(other, self.at(k), "[pipeline]", &PIPELINE_KEYS),
            }
        }
    }

    fn duration(&mut self, key: &str, v: &Item<'_>) -> Option<(Duration, Span)> {
        let s = self.string(key, v)?;
        match parse_duration(&s) {
            Ok(d) => Some((d, self.at(v))),
            Err(_) => {
                self.err(
                    LoadError::new(format!("`{key}` is not a duration"))
                        .at(self.at(v))
                        .label("not a duration")
                        .help("write a number and a unit: \"200ms\", \"90s\", \"5m\", \"1h\""),
                );
                None
            }
        }
    }

    fn allow(&mut self, v: &Item<'_>) -> Vec<Allow> {
        let Toml::Array(items) = v.value() else {
            self.wrong_type("allow", v, "an array of rule names");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            let (rule, reason, span) = match item.value() {
                Toml::String(s) => (s.to_string(), None, self.at(item)),
                Toml::Table(t) => {
                    let mut rule = None;
                    let mut reason = None;
                    for (k, fv) in t.iter() {
                        match k.name {
                            "rule" => rule = self.string("rule", fv).map(|r| (r, self.at(fv))),
                            "reason" => reason = self.string("reason", fv),
                            other => self.unknown_key(
                                other,
                                self.at(k),
                                "an allow entry",
                                &["rule", "reason"],
                            ),
                        }
                    }
                    let Some((rule, span)) = rule else {
                        self.err(
                            LoadError::new("an allow entry needs `rule`")
                                .at(self.at(item))
                                .help("write { rule = \"orphan-service\", reason = \"…\" }"),
                        );
                        continue;
                    };
                    (rule, reason, span)
                }
                _ => {
                    self.wrong_type("an allow entry", item, "a rule name or { rule, reason }");
                    continue;
                }
            };
            match self
                .rules
                .iter()
                .find(|(code, name)| rule == *name || rule.eq_ignore_ascii_case(code))
            {
                Some((_, name)) => out.push(Allow {
                    rule: name,
                    reason,
                    span,
                }),
                None => {
                    let help = did_you_mean(&rule, self.rules.iter().map(|(_, n)| *n))
                        .map(|n| format!("did you mean `{n}`?"))
                        .unwrap_or_else(|| "`pipelint rules` lists every rule".into());
                    self.err(
                        LoadError::new(format!("`{rule}` is not a pipelint rule"))
                            .at(span)
                            .label("unknown rule")
                            .help(help),
                    );
                }
            }
        }
        out
    }

    fn service(&mut self, (k, v): Entry<'_>) -> Option<Service> {
        let id = k.name.to_string();
        let header = self.at(v);
        if let Some(why) = bad_id(&id) {
            self.err(
                LoadError::new(format!("`{id}` cannot be a service id: {why}"))
                    .at(self.at(k))
                    .label("service id")
                    .help("use letters, digits, '-' and '_', e.g. [services.click-stream]"),
            );
            return None;
        }
        let Toml::Table(t) = v.value() else {
            self.wrong_type(&format!("services.{id}"), v, "a table ([services.ID])");
            return None;
        };
        let mut kind: Option<KindRef> = None;
        let mut description = None;
        let mut allow = Vec::new();
        for (key, val) in t.iter() {
            match key.name {
                "kind" => {
                    if let Some(written) = self.string("kind", val) {
                        let resolved = match self.kinds.get(&written) {
                            Some(hit) => *hit,
                            None => {
                                let r = self.pack.resolve(&written);
                                self.kinds.insert(written.clone(), r);
                                r
                            }
                        };
                        kind = Some(KindRef {
                            written,
                            span: self.at(val),
                            resolved,
                            instead: None,
                        });
                    }
                }
                "description" => description = self.string("description", val),
                "allow" => allow = self.allow(val),
                _ => {}
            }
        }
        let Some(kind) = kind else {
            if !t.iter().any(|(key, _)| key.name == "kind") {
                self.err(
                    LoadError::new(format!("service `{id}` has no `kind`"))
                        .at(header)
                        .label("no kind")
                        .help("add a kind from the catalog, e.g. kind = \"s3\" (`pipelint services` lists them)"),
                );
            }
            return None;
        };
        let taken: Option<Vec<&str>> = kind.kind().map(|k| {
            self.pack
                .service(k)
                .attributes
                .iter()
                .map(String::as_str)
                .collect()
        });
        let mut attrs = Vec::new();
        for (key, val) in t.iter() {
            let name = key.name;
            if COMMON_SERVICE_KEYS.contains(&name) {
                continue;
            }
            if name == "flows" || name == "flow" {
                self.misplaced_flows(&id, self.at(key), name);
                continue;
            }
            let Some(def) = self.pack.attribute(name) else {
                let mut known: Vec<&str> = COMMON_SERVICE_KEYS.to_vec();
                match &taken {
                    Some(t) => known.extend(t.iter().copied()),
                    None => known.extend(self.pack.attributes().map(|a| a.name.as_str())),
                }
                let help = did_you_mean(name, known.iter().copied())
                    .map(|k| format!("did you mean `{k}`?"))
                    .or_else(|| {
                        did_you_mean(name, self.pack.attributes().map(|a| a.name.as_str())).map(
                            |k| {
                                format!(
                                    "did you mean `{k}`? (it does not apply to this kind either)"
                                )
                            },
                        )
                    });
                let place = match kind.kind() {
                    Some(k) => format!("a `{}` service", self.pack.service(k).id),
                    None => format!("service `{id}`"),
                };
                self.err(
                    LoadError::new(format!("unknown key `{name}` in {place}"))
                        .at(self.at(key))
                        .label("unknown key")
                        .help_opt(help.or_else(|| {
                            taken.as_ref().map(|t| {
                                if t.is_empty() {
                                    format!("{place} takes no attributes besides kind, description and allow")
                                } else {
                                    format!("{place} takes: {}", t.join(", "))
                                }
                            })
                        })),
                );
                continue;
            };
            if let (Some(k), Some(t)) = (kind.kind(), &taken)
                && !t.contains(&name)
            {
                let svc = self.pack.service(k);
                let help = if t.is_empty() {
                    format!(
                        "`{}` takes no attributes besides kind, description and allow",
                        svc.id
                    )
                } else {
                    format!("`{}` takes: {}", svc.id, t.join(", "))
                };
                self.err(
                    LoadError::new(format!(
                        "`{name}` does not apply to `{}` ({})",
                        svc.id, svc.name
                    ))
                    .at(self.at(key))
                    .label(format!("not an attribute of {}", svc.id))
                    .help(help),
                );
                continue;
            }
            if let Some(attr) = self.value(def, name, self.at(key), val) {
                attrs.push((name.to_string(), attr));
            }
        }
        Some(Service {
            id,
            span: header,
            kind,
            implicit: false,
            description,
            attrs: attrs.into_iter().collect(),
            allow,
        })
    }

    /// The flow at `span` is one more than a file may hold; reading stops there.
    fn too_many_flows(&mut self, span: Span) {
        self.err(
            LoadError::new(format!(
                "the file holds more than {} flows; pipelint checks up to that many in one file",
                number(MAX_FLOWS as f64)
            ))
            .at(span)
            .label("one flow too many")
            .help("split the pipeline into several architecture files"),
        );
    }

    fn misplaced_flows(&mut self, id: &str, span: Span, key: &str) {
        let (msg, help) = if key == "flows" {
            (
                format!(
                    "`flows` is inside [services.{id}]: TOML puts a key written after a table header into that table"
                ),
                "move `flows = [...]` into [pipeline], or above the first [services.*] table"
                    .to_string(),
            )
        } else {
            (
                format!("`flow` is inside [services.{id}]"),
                "write a flow with attributes as a [[flow]] table with `from` and `to`".to_string(),
            )
        };
        self.err(
            LoadError::new(msg)
                .at(span)
                .label("belongs in [pipeline]")
                .help(help),
        );
    }

    /// Checks one attribute value against its type.
    fn value(
        &mut self,
        def: &AttributeDef,
        key: &str,
        key_span: Span,
        v: &Item<'_>,
    ) -> Option<Attr> {
        let span = self.at(v);
        let value = match (def.ty, v.value()) {
            (AttrType::Integer | AttrType::Number, Toml::Integer(i)) => match i.as_i64() {
                Some(n) if def.ty == AttrType::Integer => Value::Integer(n),
                Some(n) => Value::Number(n as f64),
                None => {
                    self.err(
                        LoadError::new(format!("`{key}` is too large"))
                            .at(span)
                            .label("out of range"),
                    );
                    return None;
                }
            },
            (AttrType::Number, Toml::Float(f)) => {
                if !f.is_finite() {
                    self.err(
                        LoadError::new(format!("`{key}` must be a finite number"))
                            .at(span)
                            .label("not a finite number"),
                    );
                    return None;
                }
                Value::Number(*f)
            }
            (AttrType::Integer, Toml::Float(_)) => {
                self.err(
                    LoadError::new(format!("`{key}` must be a whole number"))
                        .at(span)
                        .label("a float")
                        .help(format!(
                            "write {key} = {}",
                            v.as_f64()
                                .filter(|n| n.is_finite())
                                .map_or("1".into(), |n| format!("{}", n.round()))
                        )),
                );
                return None;
            }
            (AttrType::Boolean, Toml::Boolean(b)) => Value::Bool(*b),
            (AttrType::String, Toml::String(s)) => {
                if s.trim().is_empty() {
                    self.err(
                        LoadError::new(format!("`{key}` is empty"))
                            .at(span)
                            .label("empty"),
                    );
                    return None;
                }
                Value::String(s.to_string())
            }
            (AttrType::Enum, Toml::String(s)) => {
                // Values written as the pack spells them need no normalising.
                let exact = def.values.iter().find(|x| x.as_str() == *s);
                let found = exact.or_else(|| {
                    let wanted = crate::pack::normalize(s);
                    def.values
                        .iter()
                        .find(|x| crate::pack::normalize(x) == wanted)
                        .or_else(|| {
                            def.aliases
                                .iter()
                                .find(|(a, _)| crate::pack::normalize(a) == wanted)
                                .map(|(_, v)| v)
                        })
                });
                match found {
                    Some(x) => Value::String(x.clone()),
                    None => {
                        let help = did_you_mean(s, def.values.iter().map(String::as_str))
                            .map(|x| format!("did you mean \"{x}\"?"))
                            .unwrap_or_else(|| {
                                format!("`{key}` is one of: {}", def.values.join(", "))
                            });
                        self.err(
                            LoadError::new(format!("`{s}` is not a valid `{key}`"))
                                .at(span)
                                .label("not a valid value")
                                .help(help),
                        );
                        return None;
                    }
                }
            }
            (AttrType::Duration, Toml::String(_)) => {
                return self.duration(key, v).map(|(d, span)| Attr {
                    value: Value::Duration(d),
                    key_span,
                    span,
                });
            }
            (AttrType::Table, Toml::Table(t)) => {
                let mut fields = Attrs::new();
                let known: Vec<&str> = def.fields.iter().map(|f| f.name.as_str()).collect();
                for (fk, fv) in t.iter() {
                    let fname = fk.name;
                    match def.fields.iter().find(|f| f.name == fname) {
                        Some(fdef) => {
                            if let Some(a) = self.value(fdef, fname, self.at(fk), fv) {
                                fields.insert(fname.to_string(), a);
                            }
                        }
                        None => self.unknown_key(fname, self.at(fk), &format!("`{key}`"), &known),
                    }
                }
                Value::Table(fields)
            }
            (ty, _) => {
                let expected = match ty {
                    AttrType::Enum => format!("one of: {}", def.values.join(", ")),
                    AttrType::Table => format!(
                        "a table with {}",
                        def.fields
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    other => other.describe().to_string(),
                };
                self.wrong_type(key, v, &expected);
                return None;
            }
        };
        if let Some(n) = match &value {
            Value::Integer(i) => Some(*i as f64),
            Value::Number(n) => Some(*n),
            _ => None,
        } {
            if let Some(min) = def.min.filter(|m| n < *m) {
                self.err(
                    LoadError::new(format!("`{key}` must be at least {min}"))
                        .at(span)
                        .label(format!("below {min}")),
                );
                return None;
            }
            if let Some(max) = def.max.filter(|m| n > *m) {
                self.err(
                    LoadError::new(format!("`{key}` must be at most {max}"))
                        .at(span)
                        .label(format!("above {max}")),
                );
                return None;
            }
        }
        Some(Attr {
            value,
            key_span,
            span,
        })
    }

    /// Ids that differ only in case are almost always a typo.
    fn case_collisions(&mut self, services: &[Service]) {
        let mut seen: FastMap<String, &Service> = FastMap::default();
        for s in services {
            let key = s.id.to_lowercase();
            if let Some(first) = seen.get(&key) {
                self.err(
                    LoadError::new(format!(
                        "services `{}` and `{}` differ only in case",
                        first.id, s.id
                    ))
                    .at(s.span)
                    .label("duplicate id")
                    .help("service ids are case-sensitive; give the two services distinct names or merge them"),
                );
            } else {
                seen.insert(key, s);
            }
        }
    }

    /// Finds or creates the service a chain name refers to.
    fn endpoint(
        &mut self,
        name: &str,
        span: Span,
        arch: &mut Architecture,
        ids: &FastMap<&str, (usize, Arc<str>)>,
        implicit: &mut BTreeMap<String, usize>,
    ) -> Endpoint {
        // A declared id: its name is shared, not copied for every mention.
        if let Some((i, id)) = ids.get(name) {
            return Endpoint {
                name: Arc::clone(id),
                span,
                service: Some(*i),
            };
        }
        let service = if let Some((kind, how)) = self.pack.resolve(name) {
            let kind_id = self.pack.service(kind).id.clone();
            if let Some((i, _)) = ids.get(kind_id.as_str()) {
                Some(*i)
            } else if let Some(&i) = implicit.get(&kind_id) {
                Some(i)
            } else {
                let i = arch.services.len();
                arch.services.push(Service {
                    id: kind_id.clone(),
                    span,
                    kind: KindRef {
                        written: name.to_string(),
                        span,
                        resolved: Some((kind, how)),
                        instead: None,
                    },
                    implicit: true,
                    description: None,
                    attrs: Attrs::new(),
                    allow: Vec::new(),
                });
                implicit.insert(kind_id, i);
                Some(i)
            }
        } else {
            None
        };
        Endpoint {
            name: name.into(),
            span,
            service,
        }
    }

    fn chains(
        &mut self,
        v: &Item<'_>,
        arch: &mut Architecture,
        ids: &FastMap<&str, (usize, Arc<str>)>,
        implicit: &mut BTreeMap<String, usize>,
    ) {
        let Toml::Array(items) = v.value() else {
            let help = "write flows = [\"a -> b -> c\"]; for one flow with attributes use a [[flow]] table";
            let found = v.type_str();
            self.err(
                LoadError::new(format!(
                    "`flows` must be an array of strings, not {} {found}",
                    article(found)
                ))
                .at(self.at(v))
                .label(format!("{} {found}", article(found)))
                .help(help),
            );
            return;
        };
        for item in items.iter() {
            let Toml::String(text) = item.value() else {
                self.wrong_type("a flow", item, "a string such as \"a -> b\"");
                continue;
            };
            let span = self.at(item);
            let chain = match parse_chain(text, self.src.slice(span), span) {
                Ok(c) => c,
                Err(e) => {
                    self.err(
                        LoadError::new(e.message)
                            .at(e.span)
                            .label("here")
                            .help_opt(e.help),
                    );
                    continue;
                }
            };
            if chain.names.len() > MAX_CHAIN_LENGTH {
                self.err(
                    LoadError::new(format!(
                        "this chain names {} services; a chain may name up to {}",
                        number(chain.names.len() as f64),
                        number(MAX_CHAIN_LENGTH as f64)
                    ))
                    .at(span)
                    .label("too long")
                    .help("write the pipeline as several shorter chains"),
                );
                continue;
            }
            if arch.flows.len() + chain.links.len() > MAX_FLOWS {
                self.too_many_flows(span);
                return;
            }
            let chain_ix = self.chains_seen;
            self.chains_seen += 1;
            let ends: Vec<Endpoint> = chain
                .names
                .iter()
                .map(|(n, s)| self.endpoint(n, *s, arch, ids, implicit))
                .collect();
            for link in &chain.links {
                let from = ends[link.from].clone();
                let to = ends[link.to].clone();
                arch.flows.push(Flow {
                    span: from.span.cover(to.span),
                    from,
                    to,
                    arrow: link.arrow,
                    origin: FlowOrigin::Chain { chain: chain_ix },
                    kind: link.kind.unwrap_or(FlowKind::Data),
                    declared: link.kind.is_some(),
                    details: None,
                });
            }
        }
    }

    fn flow_tables(
        &mut self,
        v: &Item<'_>,
        arch: &mut Architecture,
        ids: &FastMap<&str, (usize, Arc<str>)>,
        implicit: &mut BTreeMap<String, usize>,
    ) {
        let Toml::Array(items) = v.value() else {
            self.wrong_type("flow", v, "an array of [[flow]] tables");
            return;
        };
        for (index, item) in items.iter().enumerate() {
            let Toml::Table(t) = item.value() else {
                self.wrong_type("flow", item, "a [[flow]] table");
                continue;
            };
            if arch.flows.len() >= MAX_FLOWS {
                self.too_many_flows(self.at(item));
                return;
            }
            let mut from = None;
            let mut to = None;
            let mut label = None;
            let mut allow = Vec::new();
            let mut max_latency = None;
            let mut kind = None;
            for (k, fv) in t.iter() {
                match k.name {
                    "kind" => kind = self.flow_kind(fv).map(|k| (k, self.at(fv))),
                    "from" => {
                        from = self
                            .string("from", fv)
                            .map(|s| (s, self.at(fv), self.at(k)))
                    }
                    "to" => to = self.string("to", fv).map(|s| (s, self.at(fv), self.at(k))),
                    "label" | "via" => label = self.string(k.name, fv),
                    "description" => {
                        self.string("description", fv);
                    }
                    "allow" => allow = self.allow(fv),
                    "max_latency" => max_latency = self.duration("max_latency", fv),
                    other => self.unknown_key(other, self.at(k), "[[flow]]", &FLOW_KEYS),
                }
            }
            let header = self.at(item);
            let (Some((from, from_span, _)), Some((to, to_span, to_key))) = (from, to) else {
                self.err(
                    LoadError::new("a [[flow]] needs both `from` and `to`")
                        .at(header)
                        .label("incomplete flow")
                        .help("write from = \"lake\" and to = \"query\" under [[flow]]"),
                );
                continue;
            };
            // The names are inside the quotes of their strings.
            let inner = |s: Span, raw: &str, name: &str| {
                let raw_inner = &raw[1.min(raw.len())..raw.len().saturating_sub(1)];
                if raw_inner == name {
                    Span::new(s.start() + 1, s.end() - 1)
                } else {
                    s
                }
            };
            let from_span = inner(from_span, self.src.slice(from_span), &from);
            let to_span = inner(to_span, self.src.slice(to_span), &to);
            let from = self.endpoint(from.trim(), from_span, arch, ids, implicit);
            let to = self.endpoint(to.trim(), to_span, arch, ids, implicit);
            arch.flows.push(Flow {
                from,
                to,
                span: header,
                arrow: to_key,
                origin: FlowOrigin::Table { index },
                kind: kind.map_or(FlowKind::Data, |(k, _)| k),
                declared: kind.is_some(),
                details: FlowDetails {
                    label,
                    kind_span: kind.map(|(_, s)| s),
                    max_latency,
                    allow,
                }
                .boxed(),
            });
        }
    }

    /// The `kind` of a `[[flow]]`: data, trigger, control or metadata.
    fn flow_kind(&mut self, v: &Item<'_>) -> Option<FlowKind> {
        let s = self.string("kind", v)?;
        if let Some(k) = FlowKind::parse(&s) {
            return Some(k);
        }
        let names = FlowKind::ALL.map(FlowKind::as_str);
        let help = match s.as_str() {
            "orchestration" => {
                "the matrix's orchestration edges carry `control` flows: write kind = \"control\""
                    .to_string()
            }
            _ => match did_you_mean(&s, names) {
                Some(k) => format!("did you mean `{k}`? A flow's kind is {}", names.join(", ")),
                None => format!("a flow's kind is {}", names.join(", ")),
            },
        };
        self.err(
            LoadError::new(format!("`{s}` is not a kind of flow"))
                .at(self.at(v))
                .label("not a kind of flow")
                .help(help),
        );
        None
    }
}

/// The file name without its directory and `.arch.toml`/`.toml` ending.
fn default_name(path: &str) -> String {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = file
        .strip_suffix(".arch.toml")
        .or_else(|| file.strip_suffix(".toml"))
        .unwrap_or(file);
    stem.to_string()
}

/// Why an id cannot be referred to from a chain, if it cannot.
fn bad_id(id: &str) -> Option<&'static str> {
    if id.trim().is_empty() {
        Some("it is empty")
    } else if id.trim() != id {
        Some("it starts or ends with a space")
    } else if id.contains("->") || id.contains('→') {
        Some("it contains an arrow")
    } else if id.contains(['\n', '\r', '\t']) {
        Some("it contains a line break or tab")
    } else {
        None
    }
}

/// Parses "200ms", "90s", "5m", "1h", "1h 30m".
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s.trim()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("200ms"), Ok(Duration::from_millis(200)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h 30m"), Ok(Duration::from_secs(5400)));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("5").is_err());
    }

    #[test]
    fn names_default_to_the_file_name() {
        assert_eq!(
            default_name("examples/clickstream.arch.toml"),
            "clickstream"
        );
        assert_eq!(default_name("dir\\arch.toml"), "arch");
        assert_eq!(default_name("pipeline.toml"), "pipeline");
    }

    #[test]
    fn ids() {
        assert_eq!(bad_id("lake"), None);
        assert!(bad_id("a -> b").is_some());
        assert!(bad_id(" a").is_some());
        assert!(bad_id("").is_some());
    }

    #[test]
    fn refuses_binary_and_blanks_a_bom() {
        assert!(source_from_bytes("x", b"a\0b".to_vec()).is_err());
        let s = source_from_bytes("x", b"\xEF\xBB\xBFa = 1".to_vec()).unwrap();
        assert_eq!(s.text(), "   a = 1");
        let failure = source_from_bytes("x", b"a = \"\xFF\"".to_vec()).unwrap_err();
        assert_eq!(failure.error.span, Some(Span::new(5, 8)));
        assert!(failure.source.is_some());
    }
}
