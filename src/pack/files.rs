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
    pub price: Vec<PriceDef>,
    #[serde(default)]
    pub price_table: Vec<PriceTableDef>,
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
    #[serde(default)]
    pub note: Option<String>,
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
    pub unit: String,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

/// A service whose `instance_type` names EC2 hardware (`instances.toml`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceServiceDef {
    pub service: String,
    /// What the service writes before the EC2 name (`ml.` for SageMaker).
    #[serde(default)]
    pub prefix: String,
    /// A price table of a charge the service adds per instance-hour (EMR).
    #[serde(default)]
    pub surcharge: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: Source,
}

/// A class of instance families: general purpose, memory optimized, ...
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceClassDef {
    pub id: String,
    pub name: String,
    /// Families help suggests for this class, best first.
    pub suggest: Vec<String>,
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

fn yes() -> bool {
    true
}

/// An instance family and its types.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceFamilyDef {
    pub id: String,
    pub class: String,
    pub generation: Generation,
    /// Whether AWS's own list confirms a previous generation.
    #[serde(default = "yes")]
    pub confirmed: bool,
    /// The current family that replaces a previous-generation one.
    #[serde(default)]
    pub successor: Option<String>,
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
                note: self.note.clone(),
                source: self.source.clone(),
            })
            .collect()
    }
}
