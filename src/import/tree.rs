//! A spanned value tree that both template languages are read into: YAML and
//! JSON (CloudFormation) and HCL (Terraform). References between resources are
//! kept as values of their own, so the mapping can follow them.

use crate::source::Span;

/// A key of a mapping, with where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

/// A reference to a resource of the template: `!Ref X`, `!GetAtt X.Arn`,
/// `aws_kinesis_stream.x.arn`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RefTo {
    pub target: String,
    pub attr: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    /// A number as written.
    Num(String),
    Str(String),
    List(Vec<Node>),
    Map(Vec<(Key, Node)>),
    /// A resolved reference to a resource.
    Ref(RefTo),
    /// Text made of literal parts and references (`!Sub`, `!Join`, `"${...}"`).
    Template(Vec<Node>),
    /// A value that cannot be known before deployment; `inner` keeps the
    /// nodes it was made of, so references inside still count as wiring.
    Opaque {
        why: String,
        inner: Vec<Node>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub val: Val,
}

impl Node {
    pub fn new(span: Span, val: Val) -> Node {
        Node { span, val }
    }

    /// The value of a key of a mapping (the last one when a key repeats).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.val {
            Val::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.name == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.val {
            Val::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.val {
            Val::List(items) => items,
            _ => std::slice::from_ref(self),
        }
    }

    /// The text of a string, number or boolean.
    pub fn scalar(&self) -> Option<String> {
        match &self.val {
            Val::Str(s) | Val::Num(s) => Some(s.clone()),
            Val::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Every reference anywhere inside, in order.
    pub fn refs(&self) -> Vec<(RefTo, Span)> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            match &n.val {
                Val::Ref(r) => out.push((r.clone(), n.span)),
                Val::List(items) | Val::Template(items) => stack.extend(items.iter().rev()),
                Val::Opaque { inner, .. } => stack.extend(inner.iter().rev()),
                Val::Map(entries) => stack.extend(entries.iter().rev().map(|(_, v)| v)),
                _ => {}
            }
        }
        out
    }

    /// The value as text that ignores spans, for comparing names: a literal
    /// name, or an expression written the same way twice
    /// (`FunctionName: !Sub ${AWS::StackName}` in a function and its version).
    pub fn canon(&self) -> Option<String> {
        fn go(n: &Node, out: &mut String, depth: usize) -> bool {
            if depth > 16 {
                return false;
            }
            match &n.val {
                Val::Str(s) | Val::Num(s) => out.push_str(s),
                Val::Ref(r) => out.push_str(&format!(
                    "${{{}.{}}}",
                    r.target,
                    r.attr.as_deref().unwrap_or("")
                )),
                Val::Template(parts) => {
                    for p in parts {
                        if !go(p, out, depth + 1) {
                            return false;
                        }
                    }
                }
                Val::Opaque { why, inner } => {
                    out.push_str(&format!("${{?{why}"));
                    for p in inner {
                        if !go(p, out, depth + 1) {
                            return false;
                        }
                    }
                    out.push('}');
                }
                _ => return false,
            }
            true
        }
        let mut out = String::new();
        (go(self, &mut out, 0) && !out.is_empty()).then_some(out)
    }

    /// Every value that cannot be known, with why, outermost first.
    pub fn opaques(&self) -> Vec<(&str, Span)> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            match &n.val {
                Val::Opaque { why, inner } => {
                    out.push((why.as_str(), n.span));
                    stack.extend(inner.iter().rev());
                }
                Val::List(items) | Val::Template(items) => stack.extend(items.iter().rev()),
                Val::Map(entries) => stack.extend(entries.iter().rev().map(|(_, v)| v)),
                _ => {}
            }
        }
        out
    }

    /// Every string anywhere inside (literal parts of templates included).
    pub fn strings(&self) -> Vec<(&str, Span)> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            match &n.val {
                Val::Str(s) => out.push((s.as_str(), n.span)),
                Val::List(items) | Val::Template(items) => stack.extend(items.iter().rev()),
                Val::Opaque { inner, .. } => stack.extend(inner.iter().rev()),
                Val::Map(entries) => stack.extend(entries.iter().rev().map(|(_, v)| v)),
                _ => {}
            }
        }
        out
    }
}

/// One match of a property path: the key it ends at (when it ends at a key)
/// and the value.
#[derive(Clone, Copy, Debug)]
pub struct Hit<'a> {
    pub key: Option<&'a Key>,
    pub node: &'a Node,
}

impl Hit<'_> {
    /// The key and value together, or the value alone.
    pub fn span(&self) -> Span {
        match self.key {
            Some(k) => k.span.cover(self.node.span),
            None => self.node.span,
        }
    }

    /// Where a label points: the key, or the value.
    pub fn anchor(&self) -> Span {
        self.key.map_or(self.node.span, |k| k.span)
    }
}

/// Finds every value at a dotted path: `A.B.C`; `*` matches any key; a
/// number selects a list item; a list met on the way is walked item by item.
pub fn select<'a>(root: &'a Node, path: &str) -> Vec<Hit<'a>> {
    let mut current = vec![Hit {
        key: None,
        node: root,
    }];
    for seg in path.split('.').filter(|s| !s.is_empty()) {
        let mut next = Vec::new();
        for hit in current {
            step(hit, seg, &mut next);
        }
        current = next;
    }
    current
}

fn step<'a>(hit: Hit<'a>, seg: &str, out: &mut Vec<Hit<'a>>) {
    match &hit.node.val {
        Val::List(items) => {
            if let Ok(i) = seg.parse::<usize>() {
                if let Some(n) = items.get(i) {
                    out.push(Hit {
                        key: hit.key,
                        node: n,
                    });
                }
                return;
            }
            for n in items {
                step(
                    Hit {
                        key: hit.key,
                        node: n,
                    },
                    seg,
                    out,
                );
            }
        }
        Val::Map(entries) => {
            if seg == "*" {
                out.extend(entries.iter().map(|(k, v)| Hit {
                    key: Some(k),
                    node: v,
                }));
            } else if let Some((k, v)) = hit.node.entry(seg) {
                out.push(Hit {
                    key: Some(k),
                    node: v,
                });
            }
        }
        _ => {}
    }
}
