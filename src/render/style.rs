//! Colours and shapes shared by every output, so DOT, Mermaid and the built-in
//! SVG tell the same story.

use crate::finding::Severity;
use crate::model::FlowKind;
use crate::pack::Category;

/// How a node is drawn, independent of the output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Storage and databases.
    Cylinder,
    /// Streams and queues: a box with a pointed right side.
    Queue,
    /// Catalogs: a page with a folded corner.
    Note,
    /// Orchestrators: a box with two tabs on the left.
    Component,
    /// Machine learning.
    Hexagon,
    /// Everything else: a rounded box.
    Rounded,
}

/// The stroke (dark) and fill (light) colours of a category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    pub stroke: &'static str,
    pub fill: &'static str,
}

/// Colours of nodes whose kind is not known.
pub const UNKNOWN: Palette = Palette {
    stroke: "#757575",
    fill: "#ffffff",
};

/// A deprecated service: greyed out whatever its category.
pub const DEPRECATED: Palette = Palette {
    stroke: "#9e9e9e",
    fill: "#eeeeee",
};

/// Text colours.
pub const TEXT: &str = "#212121";
pub const TEXT_MUTED: &str = "#616161";
pub const TEXT_FAINT: &str = "#9e9e9e";

/// An ordinary flow.
pub const EDGE: &str = "#546e7a";
/// The path a finding suggests instead of an unsupported flow.
pub const SUGGESTED: &str = "#43a047";

/// A metadata flow (table definitions, schemas): lighter than data.
pub const EDGE_METADATA: &str = "#90a4ae";

/// How a flow of each kind is drawn, in every output: data solid, a trigger
/// dashed, a control call dotted, metadata light with a hollow arrowhead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowLook {
    pub color: &'static str,
    /// SVG `stroke-dasharray`; Mermaid's `stroke-dasharray` with spaces.
    pub dash: Option<&'static str>,
    /// Graphviz `style`.
    pub dot_style: Option<&'static str>,
    /// A hollow arrowhead (Graphviz `empty`, Mermaid `--o`).
    pub hollow: bool,
}

pub fn flow_look(kind: FlowKind) -> FlowLook {
    match kind {
        FlowKind::Data => FlowLook {
            color: EDGE,
            dash: None,
            dot_style: None,
            hollow: false,
        },
        FlowKind::Trigger => FlowLook {
            color: EDGE,
            dash: Some("6,3"),
            dot_style: Some("dashed"),
            hollow: false,
        },
        FlowKind::Control => FlowLook {
            color: EDGE,
            dash: Some("1.5,3"),
            dot_style: Some("dotted"),
            hollow: false,
        },
        FlowKind::Metadata => FlowLook {
            color: EDGE_METADATA,
            dash: None,
            dot_style: None,
            hollow: true,
        },
    }
}

/// How a kind of flow is named in legends.
pub fn flow_title(kind: FlowKind) -> &'static str {
    match kind {
        FlowKind::Data => "data flow",
        FlowKind::Trigger => "trigger (event)",
        FlowKind::Control => "control (starts, runs)",
        FlowKind::Metadata => "metadata (tables, schemas)",
    }
}

pub fn palette(category: Option<Category>) -> Palette {
    let (stroke, fill) = match category {
        None => return UNKNOWN,
        Some(Category::Ingest) => ("#1565c0", "#e3f0fc"),
        Some(Category::StreamProcessing) => ("#00838f", "#e0f7fa"),
        Some(Category::Processing) => ("#7b1fa2", "#f3e5f5"),
        Some(Category::Storage) => ("#2e7d32", "#e8f5e9"),
        Some(Category::Catalog) => ("#8d6e63", "#efebe9"),
        Some(Category::Analytics) => ("#283593", "#e8eaf6"),
        Some(Category::Ml) => ("#ad1457", "#fce4ec"),
        Some(Category::Orchestration) => ("#455a64", "#eceff1"),
        Some(Category::Messaging) => ("#827717", "#f9fbe7"),
        Some(Category::Database) => ("#00695c", "#e0f2f1"),
        Some(Category::Compute) => ("#4527a0", "#ede7f6"),
        Some(Category::Monitoring) => ("#616161", "#f5f5f5"),
        Some(Category::External) => ("#37474f", "#fafafa"),
    };
    Palette { stroke, fill }
}

pub fn shape(category: Option<Category>) -> Shape {
    match category {
        Some(Category::Storage | Category::Database) => Shape::Cylinder,
        Some(Category::Ingest | Category::Messaging) => Shape::Queue,
        Some(Category::Catalog) => Shape::Note,
        Some(Category::Orchestration) => Shape::Component,
        Some(Category::Ml) => Shape::Hexagon,
        _ => Shape::Rounded,
    }
}

/// How a category is named in legends and cluster titles.
pub fn category_title(category: Option<Category>) -> &'static str {
    match category {
        None => "unknown",
        Some(Category::Ingest) => "ingest",
        Some(Category::StreamProcessing) => "stream processing",
        Some(Category::Processing) => "processing",
        Some(Category::Storage) => "storage",
        Some(Category::Catalog) => "catalog",
        Some(Category::Analytics) => "analytics",
        Some(Category::Ml) => "ML",
        Some(Category::Orchestration) => "orchestration",
        Some(Category::Messaging) => "messaging",
        Some(Category::Database) => "database",
        Some(Category::Compute) => "compute",
        Some(Category::Monitoring) => "monitoring",
        Some(Category::External) => "external",
    }
}

pub fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "#d32f2f",
        Severity::Warning => "#e65100",
        Severity::Info => "#1976d2",
    }
}

/// The mark put before a finding's text.
pub fn severity_symbol(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "✖",
        Severity::Warning => "⚠",
        Severity::Info => "ℹ",
    }
}

/// Characters per line, the same in every output: service ids, kinds and
/// annotations in nodes, findings, edge labels.
pub const WRAP_NAME: usize = 40;
pub const WRAP_NODE: usize = 28;
pub const WRAP_MARK: usize = 32;
pub const WRAP_EDGE: usize = 22;
