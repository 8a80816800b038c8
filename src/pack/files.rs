//! The shapes of the files in `rules/`, as serde reads them. Any file may hold
//! any section; the file names only organise the pack for its readers.

use serde::Deserialize;

use crate::date::Date;

/// One string or a list of strings.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn items(&self) -> &[String] {
        match self {
            OneOrMany::One(s) => std::slice::from_ref(s),
            OneOrMany::Many(v) => v,
        }
    }
}

impl Default for OneOrMany {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

/// Where a fact comes from: seed note file names and/or https addresses.
pub type Source = OneOrMany;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPackFile {
    #[serde(default)]
    pub service: Vec<ServiceDef>,
    #[serde(default)]
    pub edge: Vec<EdgeDef>,
    #[serde(default)]
    pub gap: Vec<GapDef>,
    #[serde(default)]
    pub attribute: Vec<AttributeDef>,
    #[serde(default)]
    pub limit: Vec<LimitDef>,
    #[serde(default)]
    pub instance_service: Vec<InstanceServiceDef>,
    #[serde(default)]
    pub instance_class: Vec<InstanceClassDef>,
    #[serde(default)]
    pub workload: Vec<WorkloadDef>,
    #[serde(default)]
    pub instance_family: Vec<InstanceFamilyDef>,
    #[serde(default)]
    pub family_list: Vec<FamilyListDef>,
    #[serde(default)]
    pub instance_catalog: Vec<InstanceCatalogDef>,
    #[serde(default)]
    pub price: Vec<PriceDef>,
    #[serde(default)]
    pub price_table: Vec<PriceTableDef>,
    #[serde(default)]
    pub latency: Vec<LatencyDef>,
    #[serde(default)]
    pub storage_class: Vec<StorageClassDef>,
    #[serde(default)]
    pub file_format: Vec<FileFormatDef>,
    #[serde(default)]
    pub query_engine: Vec<QueryEngineDef>,
    #[serde(default)]
    pub catalog_provider: Vec<CatalogProviderDef>,
    #[serde(default)]
    pub format_conversion: Vec<FormatConversionDef>,
    #[serde(default)]
    pub known_cycle: Vec<KnownCycleDef>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Ingest,
    StreamProcessing,
    Processing,
    Storage,
    Catalog,
    Analytics,
    Ml,
    Orchestration,
    Messaging,
    Database,
    Compute,
    Monitoring,
    External,
}

impl Category {
    pub const ALL: [Category; 13] = [
        Category::Ingest,
        Category::StreamProcessing,
        Category::Processing,
        Category::Storage,
        Category::Catalog,
        Category::Analytics,
        Category::Ml,
        Category::Orchestration,
        Category::Messaging,
        Category::Database,
        Category::Compute,
        Category::Monitoring,
        Category::External,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Ingest => "ingest",
            Category::StreamProcessing => "stream-processing",
            Category::Processing => "processing",
            Category::Storage => "storage",
            Category::Catalog => "catalog",
            Category::Analytics => "analytics",
            Category::Ml => "ml",
            Category::Orchestration => "orchestration",
            Category::Messaging => "messaging",
            Category::Database => "database",
            Category::Compute => "compute",
            Category::Monitoring => "monitoring",
            Category::External => "external",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub category: Category,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub effort: u8,
    #[serde(default)]
    pub attributes: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
    #[serde(default)]
    pub renamed_from: Vec<RenameDef>,
    #[serde(default)]
    pub lifecycle: Vec<PhaseDef>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenameDef {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub date: Option<Date>,
    /// Shown in the finding's help: what else the old name may mean.
    #[serde(default)]
    pub hint: Option<String>,
    /// For the pack's readers: how the fact was established. Never shown in findings.
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum LifecycleStatus {
    Maintenance,
    ClosedToNewCustomers,
    Discontinued,
    EndOfLife,
}

impl LifecycleStatus {
    pub fn describe(self) -> &'static str {
        match self {
            LifecycleStatus::Maintenance => "in maintenance mode",
            LifecycleStatus::ClosedToNewCustomers => "closed to new customers",
            LifecycleStatus::Discontinued => "discontinued",
            LifecycleStatus::EndOfLife => "at end of life",
        }
    }

    /// Whether a design must not rely on a service in this phase.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            LifecycleStatus::Discontinued | LifecycleStatus::EndOfLife
        )
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseDef {
    pub status: LifecycleStatus,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub replacement: Option<String>,
    /// What the phase means for a user, shown in the finding.
    #[serde(default)]
    pub effect: Option<String>,
    /// For the pack's readers: how the fact was established. Never shown in findings.
    #[serde(default)]
    pub note: Option<String>,
    /// The day the source was read and said this.
    pub as_of: Date,
    pub source: Source,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    Data,
    Trigger,
    Orchestration,
    Metadata,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Data => "data",
            EdgeKind::Trigger => "trigger",
            EdgeKind::Orchestration => "orchestration",
            EdgeKind::Metadata => "metadata",
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Effort {
    /// Configured in the services; no code of yours moves the data.
    Native,
    /// Code you write moves the data (an SDK call, a connector in your job).
    Code,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeDef {
    pub from: OneOrMany,
    pub to: OneOrMany,
    pub via: String,
    pub kind: EdgeKind,
    pub effort: Effort,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GapDef {
    pub from: OneOrMany,
    pub to: OneOrMany,
    pub reason: String,
    pub source: Source,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum AttrType {
    Integer,
    Number,
    Boolean,
    String,
    Enum,
    Duration,
    Table,
}

impl AttrType {
    pub fn describe(self) -> &'static str {
        match self {
            AttrType::Integer => "an integer",
            AttrType::Number => "a number",
            AttrType::Boolean => "true or false",
            AttrType::String => "a string",
            AttrType::Enum => "one of the listed strings",
            AttrType::Duration => "a duration such as \"200ms\", \"90s\", \"5m\" or \"1h\"",
            AttrType::Table => "a table",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeDef {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: AttrType,
    #[serde(default)]
    pub values: Vec<String>,
    /// Other spellings of enum values (as an AWS API writes them), each
    /// mapped to the value it means; matched like values, any case.
    #[serde(default)]
    pub aliases: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    pub doc: String,
    #[serde(default)]
    pub fields: Vec<AttributeDef>,
}

/// A numeric limit of a service (`limits.toml`): a range or a maximum, in `unit`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitDef {
    pub service: String,
    /// What the limit is about, e.g. `record-size`, `retention`, `shard-write-throughput`.
    pub limit: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// How far AWS lets a user raise `max` (per resource, by configuration).
    #[serde(default)]
    pub raisable_to: Option<f64>,
    /// What AWS uses when the user sets nothing.
    #[serde(default)]
    pub default: Option<f64>,
    pub unit: String,
    #[serde(default)]
    pub note: Option<String>,
    /// The day the source was read and said this.
    pub as_of: Date,
    pub source: Source,
}

/// A service that takes instance types (`instances.toml`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceServiceDef {
    pub service: String,
    /// The attribute holding the type (`instance_type`, `node_type`, `broker_type`).
    #[serde(default = "instance_type")]
    pub attribute: String,
    /// What the service writes before the EC2 name (`ml.`, `db.`); the first
    /// is the one help uses.
    #[serde(default)]
    pub prefix: OneOrMany,
    /// What the service writes after it (`.search`).
    #[serde(default)]
    pub suffix: OneOrMany,
    /// The `[[instance_catalog]]` listing every type the service's API accepts.
    #[serde(default)]
    pub catalog: Option<String>,
    /// `pipelint cost` prices it per instance-hour from the price tables.
    #[serde(default)]
    pub hourly: bool,
    /// The service runs its own software on the instances (a database, a
    /// cache, brokers), so a Graviton type it offers fits any workload.
    #[serde(default)]
    pub managed: bool,
    /// A price table of a charge the service adds per instance-hour (EMR).
    #[serde(default)]
    pub surcharge: Option<String>,
    /// Instance families the service does not run (EMR: the T families).
    #[serde(default)]
    pub unsupported_families: Vec<String>,
    /// Families the service lists as previous generation although EC2 does
    /// not, and the reverse.
    #[serde(default)]
    pub previous_families: Vec<String>,
    #[serde(default)]
    pub current_families: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

fn instance_type() -> String {
    "instance_type".to_string()
}

impl InstanceServiceDef {
    /// The prefix help writes (`ml.`), or "".
    pub fn prefix(&self) -> &str {
        self.prefix.items().first().map_or("", String::as_str)
    }

    /// The suffix help writes (`.search`), or "".
    pub fn suffix(&self) -> &str {
        self.suffix.items().first().map_or("", String::as_str)
    }

    /// The EC2-style name inside what the service writes: `db.r5.large` -> `r5.large`.
    pub fn strip<'a>(&self, written: &'a str) -> Option<&'a str> {
        let mut name = written;
        if !self.prefix.items().is_empty() {
            name = self
                .prefix
                .items()
                .iter()
                .find_map(|p| name.strip_prefix(p.as_str()))?;
        }
        if !self.suffix.items().is_empty() {
            name = self
                .suffix
                .items()
                .iter()
                .find_map(|s| name.strip_suffix(s.as_str()))?;
        }
        Some(name)
    }

    /// How the service writes an EC2-style name: `r5.large` -> `db.r5.large`.
    pub fn write(&self, name: &str) -> String {
        format!("{}{name}{}", self.prefix(), self.suffix())
    }

    /// `name` written with the prefix and suffix `like` uses
    /// (`m7g.large.elasticsearch` for a domain that writes `.elasticsearch`).
    pub fn write_like(&self, like: &str, name: &str) -> String {
        let prefix = self
            .prefix
            .items()
            .iter()
            .find(|p| like.starts_with(p.as_str()))
            .map_or(self.prefix(), String::as_str);
        let suffix = self
            .suffix
            .items()
            .iter()
            .find(|s| like.ends_with(s.as_str()))
            .map_or(self.suffix(), String::as_str);
        format!("{prefix}{name}{suffix}")
    }
}

/// A class of instance families: general purpose, memory optimized, ...
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceClassDef {
    pub id: String,
    pub name: String,
    /// Families help suggests for this class, best first.
    pub suggest: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

/// A workload and the instance classes that suit it, best first.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadDef {
    pub id: String,
    pub classes: Vec<String>,
    pub why: String,
    pub source: Source,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Generation {
    Current,
    Previous,
}

/// `[[family_list]]`: families of one class and generation, without shapes.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyListDef {
    /// None for families outside the classes (Redshift node types).
    #[serde(default)]
    pub class: Option<String>,
    pub generation: Generation,
    pub families: Vec<String>,
    /// The current family that replaces each previous one.
    #[serde(default)]
    pub successors: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub note: Option<String>,
    pub as_of: Date,
    pub source: Source,
}

/// `[[instance_catalog]]`: every instance type a service's API accepts, as
/// the service writes them (generated from AWS's models).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceCatalogDef {
    pub service: String,
    #[serde(default)]
    pub note: Option<String>,
    pub as_of: Date,
    pub source: Source,
    pub types: Vec<String>,
}

/// An instance family and its types.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceFamilyDef {
    pub id: String,
    pub class: String,
    pub generation: Generation,
    /// The current family that replaces a previous-generation one.
    #[serde(default)]
    pub successor: Option<String>,
    /// The current Graviton (Arm) family that replaces it, for software that runs on Arm.
    #[serde(default)]
    pub arm_successor: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
    pub types: Vec<InstanceTypeDef>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceTypeDef {
    pub name: String,
    pub vcpu: u32,
    pub memory_gib: f64,
}

/// One price: USD per `unit` of a service's component in a region.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceDef {
    pub region: String,
    pub service: String,
    pub component: String,
    /// The instance or node type, for prices that differ by type.
    #[serde(default)]
    pub item: Option<String>,
    pub unit: String,
    pub usd: f64,
    pub as_of: Date,
    /// A commonly cited price not confirmed against AWS's price list.
    #[serde(default)]
    pub estimate: bool,
    /// Each record is billed rounded up to a multiple of this many KB (Kinesis
    /// PUT payload units of 25 KB, Firehose's 5 KB, DynamoDB's request units).
    #[serde(default)]
    pub billed_in_kb: Option<f64>,
    /// For a retention price: the retention (in hours) past which it is
    /// charged, and the retention up to which this price applies.
    #[serde(default)]
    pub retention_over_hours: Option<f64>,
    #[serde(default)]
    pub retention_up_to_hours: Option<f64>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

/// Prices of one component per type (instance or node types), sharing unit,
/// date and source; expanded into one [`PriceDef`] per type.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTableDef {
    pub region: String,
    pub service: String,
    pub component: String,
    pub unit: String,
    pub as_of: Date,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
    pub prices: std::collections::BTreeMap<String, f64>,
}

impl PriceTableDef {
    pub fn expand(self) -> Vec<PriceDef> {
        self.prices
            .into_iter()
            .map(|(item, usd)| PriceDef {
                region: self.region.clone(),
                service: self.service.clone(),
                component: self.component.clone(),
                item: Some(item),
                unit: self.unit.clone(),
                usd,
                as_of: self.as_of,
                estimate: self.estimate,
                billed_in_kb: None,
                retention_over_hours: None,
                retention_up_to_hours: None,
                note: self.note.clone(),
                source: self.source.clone(),
            })
            .collect()
    }
}

/// A duration written as text in the pack ("200ms", "5m").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PackDuration(pub std::time::Duration);

impl<'de> Deserialize<'de> for PackDuration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        humantime::parse_duration(text.trim())
            .map(PackDuration)
            .map_err(|e| serde::de::Error::custom(format!("`{text}` is not a duration: {e}")))
    }
}

/// A boolean or a string, for conditions on attribute values.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Text(String),
}

/// The unit of an attribute a latency is read from.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LatencyUnit {
    Ms,
    S,
    Min,
    H,
    /// A schedule written as text: "hourly", "rate(15 minutes)", "15m".
    Schedule,
}

impl LatencyUnit {
    /// Seconds in one unit; `None` for a schedule.
    pub fn seconds(self) -> Option<f64> {
        match self {
            LatencyUnit::Ms => Some(0.001),
            LatencyUnit::S => Some(1.0),
            LatencyUnit::Min => Some(60.0),
            LatencyUnit::H => Some(3600.0),
            LatencyUnit::Schedule => None,
        }
    }
}

/// When a `[[latency]]` entry applies. All the conditions given must hold.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyWhen {
    /// An attribute of the service...
    #[serde(default)]
    pub attribute: Option<String>,
    /// ...whose value is one of these...
    #[serde(default)]
    pub is: Vec<Scalar>,
    /// ...or which is not set.
    #[serde(default)]
    pub or_absent: bool,
    /// The data leaves the service through an edge of this kind...
    #[serde(default)]
    pub edge: Option<EdgeKind>,
    /// ...or towards one of these kinds.
    #[serde(default)]
    pub to: Vec<String>,
}

/// An attribute whose value adds to a latency (a job's run time).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyAdd {
    pub attribute: String,
    pub unit: LatencyUnit,
}

/// `[[latency]]`: how long data spends in a service before the next one has it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyDef {
    pub service: String,
    #[serde(default)]
    pub when: Option<LatencyWhen>,
    /// A fixed figure.
    #[serde(default)]
    pub typical: Option<PackDuration>,
    /// Or the value of this attribute...
    #[serde(default)]
    pub attribute: Option<String>,
    #[serde(default)]
    pub unit: Option<LatencyUnit>,
    /// ...or this when the attribute is not set.
    #[serde(default)]
    pub default: Option<PackDuration>,
    /// Multiply by the number of consumers reading the service.
    #[serde(default)]
    pub per_consumer: bool,
    #[serde(default)]
    pub add: Vec<LatencyAdd>,
    /// The figure is pipelint's reading of a vague statement, not a number AWS gives.
    #[serde(default)]
    pub estimate: bool,
    /// What the figure is, as a short phrase ("buffer interval").
    pub what: String,
    /// How to lower the attribute; `{allowed}` is replaced by the most the budget leaves.
    #[serde(default)]
    pub lower: Option<String>,
    /// What to use instead when this hop is too slow.
    #[serde(default)]
    pub instead: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

/// `[[storage_class]]`: an S3 storage class and whether query engines read it in place.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageClassDef {
    pub id: String,
    pub name: String,
    /// Objects can be read in real time, without a restore.
    pub queryable: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    Row,
    Columnar,
}

/// `[[file_format]]`: how a file format lays out data.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileFormatDef {
    pub id: String,
    pub name: String,
    pub layout: Layout,
    /// For a columnar format: the share of bytes scanned it saves against text formats.
    #[serde(default)]
    pub scan_reduction: Option<f64>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

/// `[[query_engine]]`: a service that queries files in S3 through table definitions.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryEngineDef {
    pub service: String,
    /// Needs a data catalog for every workload...
    #[serde(default)]
    pub needs_catalog: bool,
    /// ...or only for these values of its `workload`.
    #[serde(default)]
    pub needs_catalog_for: Vec<String>,
    /// Why, for the message.
    #[serde(default)]
    pub catalog_why: Option<String>,
    /// What it does with archived (Glacier Flexible Retrieval, Deep Archive) objects.
    pub archived: String,
    /// Billed by the bytes it scans, so the file format changes the bill.
    #[serde(default)]
    pub billed_by_scan: bool,
    pub source: Source,
}

/// `[[catalog_provider]]`: a service that puts table definitions in a data catalog.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogProviderDef {
    pub service: String,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

/// `[[format_conversion]]`: a service attribute that makes the service convert
/// records and needs a schema for it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatConversionDef {
    pub service: String,
    pub attribute: String,
    pub formats: Vec<String>,
    /// The catalog kind that holds the schema.
    pub needs: String,
    pub why: String,
    pub source: Source,
}

/// `[[known_cycle]]`: a loop of flows that is an ordinary pattern, not a mistake:
/// `store -> X -> store` for X in `through`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownCycleDef {
    pub store: String,
    pub through: Vec<String>,
    pub via: String,
    pub source: Source,
}
