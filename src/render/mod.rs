//! Drawing an architecture with its findings: Graphviz DOT, Mermaid, and an
//! SVG laid out by pipelint itself, so a picture needs no Graphviz.
//!
//! [`Diagram::build`] places every finding of `check` on its subject; the
//! renderers only decide how it looks, with the colours and shapes of
//! [`style`].

pub mod diagram;
mod dot;
pub mod fit;
pub mod graphviz;
pub mod layout;
mod mermaid;
pub mod style;
mod svg;
pub mod text;

pub use diagram::{Annotations, Diagram, Edge, EdgeRole, LegendItem, Mark, Node, NodeRole};
pub use dot::{dot, dot_with};
pub use fit::Fit;
pub use mermaid::{mermaid, mermaid_with};
pub use svg::{SvgOptions, direction_for, svg, svg_with};
