//! What rules read: the architecture, the pack, the date and the flow graph.

use std::sync::OnceLock;

use crate::date::Date;
use crate::flowgraph::FlowGraph;
use crate::model::{Architecture, ServiceIx};
use crate::pack::{KindId, Pack, ServiceDef};

/// What rules read: the architecture, the pack and the date.
pub struct Context<'a> {
    pub arch: &'a Architecture,
    pub pack: &'a Pack,
    pub today: Date,
    /// The flow graph, built once for the rules that walk it.
    graph: OnceLock<FlowGraph>,
}

impl<'a> Context<'a> {
    pub fn new(arch: &'a Architecture, pack: &'a Pack, today: Date) -> Self {
        Context {
            arch,
            pack,
            today,
            graph: OnceLock::new(),
        }
    }

    /// The flows as a graph, shared by every rule of one check.
    pub fn graph(&self) -> &FlowGraph {
        self.graph.get_or_init(|| FlowGraph::new(self.arch))
    }

    pub fn kind(&self, s: ServiceIx) -> Option<KindId> {
        self.arch.services[s].kind.kind()
    }

    pub fn def(&self, s: ServiceIx) -> Option<&'a ServiceDef> {
        self.kind(s).map(|k| self.pack.service(k))
    }

    /// "`events` (kinesis-data-streams)", or "`s3`" when the id is the kind.
    pub fn describe(&self, s: ServiceIx) -> String {
        let svc = &self.arch.services[s];
        match self.def(s) {
            Some(def) if def.id != svc.id => format!("`{}` ({})", svc.id, def.id),
            _ => format!("`{}`", svc.id),
        }
    }
}
