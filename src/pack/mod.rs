//! The rule pack: the knowledge in `rules/`, compiled into the binary and
//! merged with the user's own packs.

pub mod files;
mod lookup;
mod paths;
mod validate;

use crate::FastMap;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

pub use files::*;
pub use lookup::{InstanceInfo, InstanceRef};
pub use paths::PathStep;
pub use validate::{is_seed_name, validate};

use crate::date::Date;

/// The files of the embedded pack, in the order they are merged.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "attributes.toml",
        include_str!("../../rules/attributes.toml"),
    ),
    ("services.toml", include_str!("../../rules/services.toml")),
    (
        "integrations.toml",
        include_str!("../../rules/integrations.toml"),
    ),
    ("limits.toml", include_str!("../../rules/limits.toml")),
    ("instances.toml", include_str!("../../rules/instances.toml")),
    (
        "instance-types.toml",
        include_str!("../../rules/instance-types.toml"),
    ),
    (
        "prices/us-east-1.toml",
        include_str!("../../rules/prices/us-east-1.toml"),
    ),
    ("latency.toml", include_str!("../../rules/latency.toml")),
    ("lake.toml", include_str!("../../rules/lake.toml")),
];

include!(concat!(env!("OUT_DIR"), "/pack.rs"));

/// The embedded pack's files, read from the JSON build.rs made of them.
pub fn embedded_raw() -> Result<Vec<(String, RawPackFile)>, Vec<PackError>> {
    let mut out = Vec::with_capacity(EMBEDDED_JSON.len());
    let mut errors = Vec::new();
    for (name, json) in EMBEDDED_JSON {
        match serde_json::from_str(json) {
            Ok(raw) => out.push((format!("rules/{name}"), raw)),
            Err(e) => errors.push(PackError {
                file: format!("rules/{name}"),
                message: e.to_string(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Parses pack files given as (name, TOML text).
pub fn parse_files(
    files: &[(String, String)],
) -> Result<Vec<(String, RawPackFile)>, Vec<PackError>> {
    let mut out = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    for (name, text) in files {
        match toml::from_str(text) {
            Ok(raw) => out.push((name.clone(), raw)),
            Err(e) => errors.push(PackError {
                file: name.clone(),
                message: e.message().to_string(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Most services the merged rule packs may define (the built-in one has
/// about 150); kinds are numbered in 16 bits.
pub const MAX_PACK_SERVICES: usize = 10_000;
/// Most pairs of services the `[[edge]]`s (and the `[[gap]]`s) of the merged
/// packs may expand to.
pub const MAX_PACK_EDGES: usize = 1_000_000;

/// Index of a service kind in the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KindId(pub u16);

/// How a name the user wrote matched a catalog entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameMatch {
    /// The id, the official name or a current alias.
    Current,
    /// A former name: `renamed_from[i]` of the service.
    Former(usize),
}

/// A supported flow between two kinds, expanded from an `[[edge]]`.
#[derive(Clone, Debug)]
pub struct Edge {
    pub from: KindId,
    pub to: KindId,
    /// Index into `Pack::edge_defs`.
    pub def: usize,
}

/// A problem found while loading or merging packs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// The merged, indexed rule pack.
#[derive(Debug)]
pub struct Pack {
    services: Vec<ServiceDef>,
    /// The file each service was defined in, for conflict messages.
    service_files: Vec<String>,
    by_name: FastMap<String, (KindId, NameMatch)>,
    pub edge_defs: Vec<EdgeDef>,
    pub gap_defs: Vec<GapDef>,
    edges: Vec<Edge>,
    edges_by_pair: FastMap<(KindId, KindId), Vec<usize>>,
    gaps_by_pair: FastMap<(KindId, KindId), usize>,
    attributes: BTreeMap<String, AttributeDef>,
    pub limits: Vec<LimitDef>,
    pub instance_services: Vec<InstanceServiceDef>,
    pub instance_classes: Vec<InstanceClassDef>,
    pub workloads: Vec<WorkloadDef>,
    pub instance_families: Vec<InstanceFamilyDef>,
    pub family_lists: Vec<FamilyListDef>,
    pub instance_catalogs: Vec<InstanceCatalogDef>,
    /// Every family's class and generation, by id.
    pub(crate) families: FastMap<String, lookup::FamilyMeta>,
    /// Every type a service's API accepts, by catalog.
    catalogs: FastMap<String, FastMap<String, ()>>,
    /// Instance type name -> (family, type) indexes into `instance_families`.
    instance_index: FastMap<String, (usize, usize)>,
    pub prices: Vec<PriceDef>,
    price_index: FastMap<lookup::PriceKey, usize>,
    /// The limits of each kind (indexes into `limits`), by `KindId`.
    limits_by_kind: Vec<Vec<usize>>,
    paths: OnceLock<paths::PathFinder>,
    pub lake: LakeFacts,
}

/// The data-lake and latency sections of the pack, and their indexes by kind.
#[derive(Debug, Default)]
pub struct LakeFacts {
    pub latency: Vec<LatencyDef>,
    pub storage_classes: Vec<StorageClassDef>,
    pub file_formats: Vec<FileFormatDef>,
    pub query_engines: Vec<QueryEngineDef>,
    pub catalog_providers: Vec<CatalogProviderDef>,
    pub format_conversions: Vec<FormatConversionDef>,
    pub known_cycles: Vec<KnownCycleDef>,
    latency_by_kind: FastMap<KindId, Vec<usize>>,
    engine_by_kind: FastMap<KindId, usize>,
    conversions_by_kind: FastMap<KindId, Vec<usize>>,
    providers: Vec<KindId>,
}

/// Keeps the first definition of each key and reports the others, naming both files.
struct Keyed<'a> {
    what: &'a str,
    /// Several entries may share a key within one file (`[[latency]]` of a kind).
    repeat_in_file: bool,
    seen: FastMap<String, String>,
}

impl<'a> Keyed<'a> {
    fn new(what: &'a str, repeat_in_file: bool) -> Self {
        Keyed {
            what,
            repeat_in_file,
            seen: FastMap::default(),
        }
    }

    /// Whether `key` from `file` is admitted; a repeat is an error that names
    /// the file of the first definition.
    fn admit(&mut self, key: &str, file: &str, errors: &mut Vec<PackError>) -> bool {
        match self.seen.get(key) {
            Some(other) if other != file || !self.repeat_in_file => {
                errors.push(PackError {
                    file: file.to_string(),
                    message: format!("{} `{key}` is already defined in {other}", self.what),
                });
                false
            }
            Some(_) => true,
            None => {
                self.seen.insert(key.to_string(), file.to_string());
                true
            }
        }
    }
}

/// Normalises a name for lookup: lower-case, and runs of spaces, '-' and '_'
/// become one '-'.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The prefixes people often leave out of, or add to, a service's name.
const VENDOR_PREFIXES: [&str; 2] = ["amazon-", "aws-"];

impl Pack {
    /// The pack compiled into the binary.
    pub fn embedded() -> &'static Pack {
        static PACK: OnceLock<Pack> = OnceLock::new();
        PACK.get_or_init(|| {
            let files = match embedded_raw() {
                Ok(files) => files,
                Err(errors) => panic!("the embedded rule pack is invalid: {errors:?}"),
            };
            match Pack::from_raw(files) {
                Ok(pack) => pack,
                // The embedded pack is checked by the test suite; a broken one is a
                // build defect, not a user error.
                Err(errors) => panic!("the embedded rule pack is invalid: {errors:?}"),
            }
        })
    }

    /// The embedded pack merged with the `*.toml` files of a user directory.
    pub fn with_user_dir(dir: &Path) -> Result<Pack, Vec<PackError>> {
        Pack::with_user_dirs(&[dir])
    }

    /// The embedded pack merged with the `*.toml` files of user directories,
    /// in the order given.
    pub fn with_user_dirs<P: AsRef<Path>>(dirs: &[P]) -> Result<Pack, Vec<PackError>> {
        let mut files: Vec<(String, String)> = Vec::new();
        for dir in dirs {
            let dir = dir.as_ref();
            let entries = std::fs::read_dir(dir).map_err(|e| {
                vec![PackError {
                    file: dir.display().to_string(),
                    message: format!("cannot read the rule pack directory: {e}"),
                }]
            })?;
            let mut user: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            user.sort();
            if user.is_empty() {
                return Err(vec![PackError {
                    file: dir.display().to_string(),
                    message: "no *.toml files in the rule pack directory".into(),
                }]);
            }
            for path in user {
                let limit = crate::fsutil::MAX_FILE_BYTES;
                let bytes = crate::fsutil::read_limited(&path, limit).map_err(|e| {
                    let message = match e {
                        crate::fsutil::ReadError::TooLarge(_) => format!(
                            "{}; pipelint reads rule-pack files of up to {} MiB",
                            e.reason(),
                            limit / 1_048_576
                        ),
                        other => other.reason(),
                    };
                    vec![PackError {
                        file: path.display().to_string(),
                        message,
                    }]
                })?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    vec![PackError {
                        file: path.display().to_string(),
                        message: "not UTF-8 text".into(),
                    }]
                })?;
                files.push((path.display().to_string(), text));
            }
        }
        let mut raw = embedded_raw()?;
        raw.extend(parse_files(&files)?);
        Pack::from_raw(raw)
    }

    /// Parses, merges and validates pack files given as (name, text).
    pub fn from_files(files: &[(String, String)]) -> Result<Pack, Vec<PackError>> {
        Pack::from_raw(parse_files(files)?)
    }

    /// Merges and validates parsed pack files given as (name, contents).
    pub fn from_raw(files: Vec<(String, RawPackFile)>) -> Result<Pack, Vec<PackError>> {
        let mut errors = Vec::new();
        let mut services: Vec<ServiceDef> = Vec::new();
        let mut service_files: Vec<String> = Vec::new();
        let mut edge_defs = Vec::new();
        let mut gap_defs = Vec::new();
        let mut attributes: BTreeMap<String, AttributeDef> = BTreeMap::new();
        let mut limits = Vec::new();
        let mut instance_services = Vec::new();
        let mut instance_classes = Vec::new();
        let mut workloads = Vec::new();
        let mut instance_families = Vec::new();
        let mut family_lists = Vec::new();
        let mut instance_catalogs = Vec::new();
        let mut prices = Vec::new();
        let mut lake = LakeFacts::default();
        let mut service_keys = Keyed::new("service", false);
        let mut attribute_keys = Keyed::new("attribute", false);
        let mut limit_keys = Keyed::new("limit", false);
        let mut instance_service_keys = Keyed::new("instance service", false);
        let mut class_id_keys = Keyed::new("instance class", false);
        let mut workload_keys = Keyed::new("workload", false);
        let mut family_keys = Keyed::new("instance family", false);
        let mut price_keys = Keyed::new("price", false);
        let mut latency_keys = Keyed::new("the latency of", true);
        let mut class_keys = Keyed::new("storage class", false);
        let mut format_keys = Keyed::new("file format", false);
        let mut engine_keys = Keyed::new("query engine", false);
        let mut provider_keys = Keyed::new("catalog provider", false);
        let mut conversion_keys = Keyed::new("format conversion", false);
        for (name, raw) in files {
            let name = &name;
            let e = &mut errors;
            for s in raw.service {
                if service_keys.admit(&s.id, name, e) {
                    services.push(s);
                    service_files.push(name.clone());
                }
            }
            edge_defs.extend(raw.edge);
            gap_defs.extend(raw.gap);
            for a in raw.attribute {
                if attribute_keys.admit(&a.name, name, e) {
                    attributes.insert(a.name.clone(), a);
                }
            }
            for l in raw.limit {
                if limit_keys.admit(&format!("{}.{}", l.service, l.limit), name, e) {
                    limits.push(l);
                }
            }
            for d in raw.instance_service {
                if instance_service_keys.admit(&d.service, name, e) {
                    instance_services.push(d);
                }
            }
            for d in raw.instance_class {
                if class_id_keys.admit(&d.id, name, e) {
                    instance_classes.push(d);
                }
            }
            for d in raw.workload {
                if workload_keys.admit(&d.id, name, e) {
                    workloads.push(d);
                }
            }
            for d in raw.instance_family {
                if family_keys.admit(&d.id, name, e) {
                    instance_families.push(d);
                }
            }
            family_lists.extend(raw.family_list);
            // A pack of one's own may add types to a catalog.
            instance_catalogs.extend(raw.instance_catalog);
            let expanded = raw.price_table.into_iter().flat_map(PriceTableDef::expand);
            for p in raw.price.into_iter().chain(expanded) {
                let key = format!(
                    "{} {}{} in {}",
                    p.service,
                    p.component,
                    p.item
                        .as_deref()
                        .map(|i| format!(" {i}"))
                        .unwrap_or_default(),
                    p.region
                );
                if price_keys.admit(&key, name, e) {
                    prices.push(p);
                }
            }
            for d in raw.latency {
                if latency_keys.admit(&d.service, name, e) {
                    lake.latency.push(d);
                }
            }
            for d in raw.storage_class {
                if class_keys.admit(&d.id, name, e) {
                    lake.storage_classes.push(d);
                }
            }
            for d in raw.file_format {
                if format_keys.admit(&d.id, name, e) {
                    lake.file_formats.push(d);
                }
            }
            for d in raw.query_engine {
                if engine_keys.admit(&d.service, name, e) {
                    lake.query_engines.push(d);
                }
            }
            for d in raw.catalog_provider {
                if provider_keys.admit(&d.service, name, e) {
                    lake.catalog_providers.push(d);
                }
            }
            for d in raw.format_conversion {
                let key = format!("{}.{}", d.service, d.attribute);
                if conversion_keys.admit(&key, name, e) {
                    lake.format_conversions.push(d);
                }
            }
            lake.known_cycles.extend(raw.known_cycle);
        }
        if services.len() > MAX_PACK_SERVICES {
            errors.push(PackError {
                file: "rules".into(),
                message: format!(
                    "the rule packs define {} services; pipelint reads up to {}",
                    crate::numfmt::number(services.len() as f64),
                    crate::numfmt::number(MAX_PACK_SERVICES as f64)
                ),
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut pack = Pack {
            services,
            service_files,
            by_name: FastMap::default(),
            edge_defs,
            gap_defs,
            edges: Vec::new(),
            edges_by_pair: FastMap::default(),
            gaps_by_pair: FastMap::default(),
            attributes,
            limits,
            instance_services,
            instance_classes,
            workloads,
            instance_families,
            family_lists,
            instance_catalogs,
            families: FastMap::default(),
            catalogs: FastMap::default(),
            instance_index: FastMap::default(),
            limits_by_kind: Vec::new(),
            prices,
            price_index: FastMap::default(),
            paths: OnceLock::new(),
            lake,
        };
        errors.extend(pack.index());
        errors.extend(pack.index_knowledge());
        errors.extend(validate(&pack));
        if errors.is_empty() {
            Ok(pack)
        } else {
            Err(errors)
        }
    }

    /// Builds the name index and expands edges and gaps; returns what does not fit.
    fn index(&mut self) -> Vec<PackError> {
        let mut errors = Vec::new();
        let mut err = |file: &str, message: String| {
            errors.push(PackError {
                file: file.to_string(),
                message,
            })
        };
        let mut by_name: FastMap<String, (KindId, NameMatch)> = FastMap::default();
        for (i, s) in self.services.iter().enumerate() {
            let kind = KindId(i as u16);
            let file = &self.service_files[i];
            let mut names: Vec<(&str, NameMatch)> =
                vec![(&s.id, NameMatch::Current), (&s.name, NameMatch::Current)];
            names.extend(s.aliases.iter().map(|a| (a.as_str(), NameMatch::Current)));
            for (r, rename) in s.renamed_from.iter().enumerate() {
                names.push((&rename.name, NameMatch::Former(r)));
                names.extend(
                    rename
                        .aliases
                        .iter()
                        .map(|a| (a.as_str(), NameMatch::Former(r))),
                );
            }
            for (name, how) in names {
                let key = normalize(name);
                if key.is_empty() {
                    err(
                        file,
                        format!("service `{}` has an empty name or alias", s.id),
                    );
                    continue;
                }
                match by_name.get(&key) {
                    Some((other, _)) if *other != kind => err(
                        file,
                        format!(
                            "the name `{name}` of `{}` is ambiguous: it also names `{}`",
                            s.id, self.services[other.0 as usize].id
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        by_name.insert(key, (kind, how));
                    }
                }
            }
        }
        self.by_name = by_name;

        let mut groups: BTreeMap<&str, Vec<KindId>> = BTreeMap::new();
        for (i, s) in self.services.iter().enumerate() {
            for g in &s.groups {
                groups.entry(g).or_default().push(KindId(i as u16));
            }
        }
        let expand = |names: &OneOrMany, errors: &mut Vec<String>| -> Vec<KindId> {
            let mut out = Vec::new();
            for n in names.items() {
                if let Some(group) = n.strip_prefix("group:") {
                    match groups.get(group) {
                        Some(kinds) => out.extend(kinds),
                        None => errors.push(format!("unknown group `{group}`")),
                    }
                } else {
                    match self.services.iter().position(|s| &s.id == n) {
                        Some(i) => out.push(KindId(i as u16)),
                        None => errors.push(format!("unknown service id `{n}`")),
                    }
                }
            }
            out
        };
        let mut edges = Vec::new();
        let mut edges_by_pair: FastMap<(KindId, KindId), Vec<usize>> = FastMap::default();
        let mut problems = Vec::new();
        for (d, def) in self.edge_defs.iter().enumerate() {
            let mut local = Vec::new();
            let from = expand(&def.from, &mut local);
            let to = expand(&def.to, &mut local);
            for p in local {
                problems.push(format!("edge via `{}`: {p}", def.via));
            }
            if edges.len() + from.len() * to.len() > MAX_PACK_EDGES {
                errors.push(PackError {
                    file: "rules".into(),
                    message: format!(
                        "the edges of the rule packs expand to more than {} pairs of services \
                         (at the edge via `{}`)",
                        crate::numfmt::number(MAX_PACK_EDGES as f64),
                        def.via
                    ),
                });
                return errors;
            }
            // A group expanded against itself does not make a kind feed
            // itself; an edge that names the kind on both ends does (S3
            // replication, an event bus targeting another bus).
            let grouped = def
                .from
                .items()
                .iter()
                .chain(def.to.items())
                .any(|n| n.starts_with("group:"));
            for &f in &from {
                for &t in &to {
                    if f == t && grouped {
                        continue;
                    }
                    edges_by_pair.entry((f, t)).or_default().push(edges.len());
                    edges.push(Edge {
                        from: f,
                        to: t,
                        def: d,
                    });
                }
            }
        }
        let mut gaps_by_pair = FastMap::default();
        for (d, def) in self.gap_defs.iter().enumerate() {
            let mut local = Vec::new();
            let from = expand(&def.from, &mut local);
            let to = expand(&def.to, &mut local);
            for p in local {
                problems.push(format!("gap `{}`: {p}", def.reason));
            }
            if gaps_by_pair.len() + from.len() * to.len() > MAX_PACK_EDGES {
                errors.push(PackError {
                    file: "rules".into(),
                    message: format!(
                        "the gaps of the rule packs expand to more than {} pairs of services",
                        crate::numfmt::number(MAX_PACK_EDGES as f64)
                    ),
                });
                return errors;
            }
            for &f in &from {
                for &t in &to {
                    gaps_by_pair.insert((f, t), d);
                }
            }
        }
        for p in problems {
            errors.push(PackError {
                file: "rules".into(),
                message: p,
            });
        }
        self.edges = edges;
        self.edges_by_pair = edges_by_pair;
        self.gaps_by_pair = gaps_by_pair;
        self.index_lake();
        errors
    }

    /// Indexes the lake and latency facts by kind; unknown service ids are
    /// left out here and reported by `validate`.
    fn index_lake(&mut self) {
        let kind = |id: &str| {
            self.services
                .iter()
                .position(|s| s.id == id)
                .map(|i| KindId(i as u16))
        };
        let mut latency_by_kind: FastMap<KindId, Vec<usize>> = FastMap::default();
        for (i, d) in self.lake.latency.iter().enumerate() {
            if let Some(k) = kind(&d.service) {
                latency_by_kind.entry(k).or_default().push(i);
            }
        }
        let mut engine_by_kind = FastMap::default();
        for (i, d) in self.lake.query_engines.iter().enumerate() {
            if let Some(k) = kind(&d.service) {
                engine_by_kind.insert(k, i);
            }
        }
        let mut conversions_by_kind: FastMap<KindId, Vec<usize>> = FastMap::default();
        for (i, d) in self.lake.format_conversions.iter().enumerate() {
            if let Some(k) = kind(&d.service) {
                conversions_by_kind.entry(k).or_default().push(i);
            }
        }
        let providers = self
            .lake
            .catalog_providers
            .iter()
            .filter_map(|d| kind(&d.service))
            .collect();
        self.lake.latency_by_kind = latency_by_kind;
        self.lake.engine_by_kind = engine_by_kind;
        self.lake.conversions_by_kind = conversions_by_kind;
        self.lake.providers = providers;
    }

    pub fn services(&self) -> &[ServiceDef] {
        &self.services
    }

    pub fn kinds(&self) -> impl Iterator<Item = KindId> + '_ {
        (0..self.services.len()).map(|i| KindId(i as u16))
    }

    pub fn service(&self, kind: KindId) -> &ServiceDef {
        &self.services[kind.0 as usize]
    }

    pub fn kind_by_id(&self, id: &str) -> Option<KindId> {
        self.services
            .iter()
            .position(|s| s.id == id)
            .map(|i| KindId(i as u16))
    }

    /// Resolves what a user wrote (id, name, alias, former name).
    pub fn resolve(&self, name: &str) -> Option<(KindId, NameMatch)> {
        let key = normalize(name);
        if let Some(hit) = self.by_name.get(&key) {
            return Some(*hit);
        }
        // "Amazon Athena" or "AWS Glue Data Catalog" when only the short name is listed.
        VENDOR_PREFIXES.iter().find_map(|p| {
            key.strip_prefix(p)
                .and_then(|k| self.by_name.get(k))
                .copied()
        })
    }

    /// Every name a kind answers to (normalised), for "did you mean" help.
    pub fn names(&self) -> impl Iterator<Item = (&str, KindId)> + '_ {
        self.by_name
            .iter()
            .map(|(k, (kind, _))| (k.as_str(), *kind))
    }

    /// The edges that allow `from -> to`, in pack order.
    pub fn edges_between(&self, from: KindId, to: KindId) -> impl Iterator<Item = &EdgeDef> + '_ {
        self.edges_by_pair
            .get(&(from, to))
            .into_iter()
            .flatten()
            .map(|&i| &self.edge_defs[self.edges[i].def])
    }

    pub fn supports(&self, from: KindId, to: KindId) -> bool {
        self.edges_by_pair.contains_key(&(from, to))
    }

    /// A known gap with its reason, when the pack has one for this pair.
    pub fn gap(&self, from: KindId, to: KindId) -> Option<&GapDef> {
        self.gaps_by_pair
            .get(&(from, to))
            .map(|&i| &self.gap_defs[i])
    }

    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    pub fn attribute(&self, name: &str) -> Option<&AttributeDef> {
        self.attributes.get(name)
    }

    pub fn attributes(&self) -> impl Iterator<Item = &AttributeDef> + '_ {
        self.attributes.values()
    }

    /// The pack's date: the latest `as_of` of its facts (prices, limits,
    /// lifecycle phases, instance families and catalogs).
    pub fn as_of(&self) -> Option<Date> {
        let lifecycle = self
            .services
            .iter()
            .flat_map(|s| s.lifecycle.iter().map(|p| p.as_of));
        let limits = self.limits.iter().map(|l| l.as_of);
        let prices = self.prices.iter().map(|p| p.as_of);
        let families = self.family_lists.iter().map(|f| f.as_of);
        let catalogs = self.instance_catalogs.iter().map(|c| c.as_of);
        lifecycle
            .chain(limits)
            .chain(prices)
            .chain(families)
            .chain(catalogs)
            .max()
    }

    /// The lifecycle phase in effect on `today` and the next announced one.
    pub fn lifecycle(&self, kind: KindId, today: Date) -> (Option<&PhaseDef>, Option<&PhaseDef>) {
        let phases = &self.service(kind).lifecycle;
        let current = phases
            .iter()
            .rev()
            .find(|p| p.date.is_none_or(|d| d <= today));
        let next = phases.iter().find(|p| p.date.is_some_and(|d| d > today));
        (current, next)
    }

    /// The `[[latency]]` entries of a kind, in pack order (the first that applies wins).
    pub fn latency(&self, kind: KindId) -> impl Iterator<Item = &LatencyDef> + '_ {
        self.lake
            .latency_by_kind
            .get(&kind)
            .into_iter()
            .flatten()
            .map(|&i| &self.lake.latency[i])
    }

    pub fn storage_class(&self, id: &str) -> Option<&StorageClassDef> {
        self.lake.storage_classes.iter().find(|c| c.id == id)
    }

    pub fn file_format(&self, id: &str) -> Option<&FileFormatDef> {
        self.lake.file_formats.iter().find(|f| f.id == id)
    }

    /// How a kind queries files in S3, when it does.
    pub fn query_engine(&self, kind: KindId) -> Option<&QueryEngineDef> {
        self.lake
            .engine_by_kind
            .get(&kind)
            .map(|&i| &self.lake.query_engines[i])
    }

    /// Whether a kind puts table definitions in a data catalog.
    pub fn is_catalog_provider(&self, kind: KindId) -> bool {
        self.lake.providers.contains(&kind)
    }

    pub fn format_conversions(
        &self,
        kind: KindId,
    ) -> impl Iterator<Item = &FormatConversionDef> + '_ {
        self.lake
            .conversions_by_kind
            .get(&kind)
            .into_iter()
            .flatten()
            .map(|&i| &self.lake.format_conversions[i])
    }

    /// What a query engine charges per TB scanned in a region, from the
    /// price pack (`scanned` component, unit TB).
    pub fn scan_price(&self, kind: KindId, region: &str) -> Option<&PriceDef> {
        self.price(region, &self.service(kind).id, "scanned", None)
            .filter(|p| p.unit == "TB")
    }

    /// Whether `store -> via -> store` is an ordinary loop, and by what mechanism.
    pub fn known_cycle(&self, store: KindId, via: KindId) -> Option<&KnownCycleDef> {
        let (store, via) = (&self.service(store).id, &self.service(via).id);
        self.lake
            .known_cycles
            .iter()
            .find(|c| &c.store == store && c.through.iter().any(|t| t == via))
    }

    /// The cheapest path of supported flows from one kind to another that
    /// carries what an edge of kind `want` would (data over data edges only,
    /// never through metadata or control), avoiding services with a lifecycle
    /// (deprecated, closed or renamed away).
    pub fn suggest_path(&self, from: KindId, to: KindId, want: EdgeKind) -> Option<Vec<PathStep>> {
        self.paths
            .get_or_init(|| paths::PathFinder::new(self))
            .shortest(self, from, to, want)
    }

    /// Whether some edge from one kind to another carries a flow of kind
    /// `want`. A trigger is an edge of that kind or a delivery the services
    /// configure (an EventBridge rule target, an SNS subscription), which
    /// makes the target act on each event.
    pub fn supports_kind(&self, from: KindId, to: KindId, want: EdgeKind) -> bool {
        self.edges_by_pair.get(&(from, to)).is_some_and(|list| {
            list.iter().any(|&i| {
                let def = self.edges[i].def;
                let kind = self.edge_defs[def].kind;
                match want {
                    EdgeKind::Trigger => paths::triggers(self, kind, def),
                    _ => kind == want,
                }
            })
        })
    }
}
