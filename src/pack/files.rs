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
