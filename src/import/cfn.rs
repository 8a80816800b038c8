//! CloudFormation and SAM templates: intrinsic functions resolved against the
//! parameters' defaults, resources mapped to services by
//! `rules/import/cloudformation.toml`, flows read from the wiring.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::draft::{Became, Draft, ResourceOutcome};
use super::mapping::Mapping;
use super::tree::{Key, Node, RefTo, Val};
use super::wiring::Wiring;
use crate::model::LoadError;
use crate::pack::Pack;
use crate::source::{SourceFile, Span};

/// Resolution deeper than this is a cycle or an attack.
const MAX_DEPTH: usize = 64;

/// The value of `AWS::Region`, which only a deployment knows.
const ASSUMED_REGION: &str = "us-east-1";

struct Param {
    default: Option<Node>,
    list: bool,
    ssm: bool,
}

struct Resolver<'a> {
    params: HashMap<&'a str, Param>,
    mappings: Option<&'a Node>,
    conditions: HashMap<&'a str, &'a Node>,
    resources: HashSet<&'a str>,
    /// Logical ids of CloudFormation modules, whose resources are named after them.
    modules: Vec<&'a str>,
    notes: RefCell<Vec<(Span, String)>>,
    evaluating: RefCell<Vec<String>>,
}

fn opaque(why: impl Into<String>, inner: Vec<Node>) -> Val {
    Val::Opaque {
        why: why.into(),
        inner,
    }
}

impl<'a> Resolver<'a> {
    fn note(&self, span: Span, msg: String) {
        self.notes.borrow_mut().push((span, msg));
    }

    /// Resolves every intrinsic in `node`; `None` is `AWS::NoValue`.
    fn resolve(&self, node: &Node, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return Some(Node::new(node.span, opaque("nests too deep", vec![])));
        }
        match &node.val {
            Val::Map(entries) if entries.len() == 1 && is_intrinsic(&entries[0].0.name) => {
                self.intrinsic(&entries[0].0.name, &entries[0].1, node.span, depth)
            }
            Val::Map(entries) => Some(Node::new(
                node.span,
                Val::Map(
                    entries
                        .iter()
                        .filter_map(|(k, v)| self.resolve(v, depth + 1).map(|v| (k.clone(), v)))
                        .collect(),
                ),
            )),
            Val::List(items) => Some(Node::new(
                node.span,
                Val::List(
                    items
                        .iter()
                        .filter_map(|v| self.resolve(v, depth + 1))
                        .collect(),
                ),
            )),
            _ => Some(node.clone()),
        }
    }

    fn scalar_of(&self, node: &Node, depth: usize) -> Option<String> {
        self.resolve(node, depth + 1).and_then(|n| n.scalar())
    }

    fn reference(&self, name: &str, span: Span) -> Option<Node> {
        let val = match name {
            "AWS::NoValue" => return None,
            "AWS::Region" => Val::Str(ASSUMED_REGION.into()),
            "AWS::Partition" => Val::Str("aws".into()),
            "AWS::URLSuffix" => Val::Str("amazonaws.com".into()),
            "AWS::AccountId" => Val::Str("123456789012".into()),
            "AWS::StackName" | "AWS::StackId" | "AWS::NotificationARNs" => {
                opaque(format!("is `{name}`, known only at deployment"), vec![])
            }
            _ if self.resources.contains(name) => Val::Ref(RefTo {
                target: name.to_string(),
                attr: None,
            }),
            _ => match self.params.get(name) {
                Some(p) if p.ssm => opaque(
                    format!(
                        "is parameter `{name}`, read from the SSM Parameter Store at deployment"
                    ),
                    vec![],
                ),
                Some(Param {
                    default: Some(d),
                    list,
                    ..
                }) => {
                    if *list && let Some(text) = d.scalar() {
                        Val::List(
                            text.split(',')
                                .map(|s| Node::new(span, Val::Str(s.trim().to_string())))
                                .collect(),
                        )
                    } else {
                        d.val.clone()
                    }
                }
                Some(_) => opaque(
                    format!("is parameter `{name}`, which has no default"),
                    vec![],
                ),
                None => {
                    self.note(
                        span,
                        format!("`{name}` is neither a parameter nor a resource of this template"),
                    );
                    opaque(
                        format!("names `{name}`, which the template does not define"),
                        vec![],
                    )
                }
            },
        };
        Some(Node::new(span, val))
    }

    fn get_att(&self, arg: &Node, span: Span, depth: usize) -> Node {
        let (target, attr) = match &arg.val {
            Val::Str(s) => match s.split_once('.') {
                Some((t, a)) => (t.to_string(), Some(a.to_string())),
                None => (s.clone(), None),
            },
            Val::List(items) if !items.is_empty() => (
                items[0].scalar().unwrap_or_default(),
                items.get(1).and_then(|a| self.scalar_of(a, depth)),
            ),
            _ => (String::new(), None),
        };
        if self.resources.contains(target.as_str()) {
            Node::new(span, Val::Ref(RefTo { target, attr }))
        } else if let Some(m) = self.modules.iter().find(|m| target.starts_with(*m)) {
            Node::new(
                span,
                opaque(
                    format!("names `{target}`, a resource of module `{m}`, which is not read"),
                    vec![],
                ),
            )
        } else {
            self.note(
                span,
                format!("`Fn::GetAtt` names `{target}`, which is not a resource of this template"),
            );
            Node::new(
                span,
                opaque(
                    format!("names `{target}`, which the template does not define"),
                    vec![],
                ),
            )
        }
    }

    /// Text and references joined: a string when every part is text.
    fn concat(parts: Vec<Node>, span: Span) -> Node {
        if parts
            .iter()
            .all(|p| matches!(p.val, Val::Str(_) | Val::Num(_) | Val::Bool(_)))
        {
            let text: String = parts.iter().filter_map(Node::scalar).collect();
            Node::new(span, Val::Str(text))
        } else {
            Node::new(span, Val::Template(parts))
        }
    }

    fn sub(&self, arg: &Node, span: Span, depth: usize) -> Node {
        let (text, vars) = match &arg.val {
            Val::Str(s) => (s.clone(), None),
            Val::List(items) if !items.is_empty() => {
                (items[0].scalar().unwrap_or_default(), items.get(1))
            }
            _ => return Node::new(span, opaque("is a `Fn::Sub` pipelint cannot read", vec![])),
        };
        let mut parts = Vec::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("${") {
            let (lit, tail) = rest.split_at(at);
            if !lit.is_empty() {
                parts.push(Node::new(span, Val::Str(lit.to_string())));
            }
            let Some(end) = tail.find('}') else {
                parts.push(Node::new(span, Val::Str(tail.to_string())));
                rest = "";
                break;
            };
            let name = &tail[2..end];
            rest = &tail[end + 1..];
            if let Some(lit) = name.strip_prefix('!') {
                parts.push(Node::new(span, Val::Str(format!("${{{lit}}}"))));
                continue;
            }
            let name = name.trim();
            if let Some(v) = vars.and_then(|m| m.get(name)) {
                if let Some(n) = self.resolve(v, depth + 1) {
                    parts.push(Node::new(span, n.val));
                }
            } else if name.contains('.') && !name.starts_with("AWS::") {
                parts.push(self.get_att(&Node::new(span, Val::Str(name.to_string())), span, depth));
            } else if let Some(n) = self.reference(name, span) {
                parts.push(n);
            }
        }
        if !rest.is_empty() {
            parts.push(Node::new(span, Val::Str(rest.to_string())));
        }
        Self::concat(parts, span)
    }

    fn intrinsic(&self, name: &str, arg: &Node, span: Span, depth: usize) -> Option<Node> {
        let args = || -> Vec<Node> {
            match self.resolve(arg, depth + 1) {
                Some(Node {
                    val: Val::List(items),
                    ..
                }) => items,
                Some(n) => vec![n],
                None => vec![],
            }
        };
        let node = match name {
            "Ref" => return self.reference(&arg.scalar().unwrap_or_default(), span),
            "Fn::GetAtt" => self.get_att(arg, span, depth),
            "Fn::Sub" => self.sub(arg, span, depth),
            "Fn::Join" => {
                let items = arg.items();
                let delim = items.first().and_then(|d| d.scalar()).unwrap_or_default();
                let list = items
                    .get(1)
                    .and_then(|l| self.resolve(l, depth + 1))
                    .map(|l| l.items().to_vec())
                    .unwrap_or_default();
                let mut parts = Vec::new();
                for (i, p) in list.into_iter().enumerate() {
                    if i > 0 && !delim.is_empty() {
                        parts.push(Node::new(span, Val::Str(delim.clone())));
                    }
                    parts.push(p);
                }
                Self::concat(parts, span)
            }
            "Fn::If" => {
                let items = arg.items();
                let cond = items.first().and_then(|c| c.scalar()).unwrap_or_default();
                match self.condition(&cond, span) {
                    Some(true) => return items.get(1).and_then(|n| self.resolve(n, depth + 1)),
                    Some(false) => return items.get(2).and_then(|n| self.resolve(n, depth + 1)),
                    None => Node::new(
                        span,
                        opaque(
                            format!("depends on condition `{cond}`"),
                            items[1.min(items.len())..]
                                .iter()
                                .filter_map(|n| self.resolve(n, depth + 1))
                                .collect(),
                        ),
                    ),
                }
            }
            "Fn::Select" => {
                let a = args();
                let index = a
                    .first()
                    .and_then(|i| i.scalar())
                    .and_then(|i| i.trim().parse::<usize>().ok());
                match (index, a.get(1)) {
                    (
                        Some(i),
                        Some(Node {
                            val: Val::List(items),
                            ..
                        }),
                    ) if i < items.len() => Node::new(span, items[i].val.clone()),
                    _ => Node::new(
                        span,
                        opaque("is a `Fn::Select` pipelint cannot evaluate", a),
                    ),
                }
            }
            "Fn::FindInMap" => {
                let a = args();
                let keys: Vec<Option<String>> = a.iter().take(3).map(Node::scalar).collect();
                if keys.iter().flatten().any(|k| k == ASSUMED_REGION) {
                    self.note(span, format!("`AWS::Region` is assumed to be {ASSUMED_REGION} for this `Fn::FindInMap`"));
                }
                let found = match (self.mappings, keys.as_slice()) {
                    (Some(m), [Some(map), Some(k1), Some(k2)]) => m
                        .get(map)
                        .and_then(|m| m.get(k1))
                        .and_then(|m| m.get(k2))
                        .and_then(|n| self.resolve(n, depth + 1)),
                    _ => None,
                };
                match found {
                    Some(n) => Node::new(span, n.val),
                    None => Node::new(
                        span,
                        opaque("is a `Fn::FindInMap` lookup pipelint cannot resolve", a),
                    ),
                }
            }
            "Fn::ImportValue" => {
                let what = self
                    .scalar_of(arg, depth)
                    .map(|n| format!(" `{n}`"))
                    .unwrap_or_default();
                Node::new(
                    span,
                    opaque(
                        format!("is `Fn::ImportValue`{what}, exported by another stack"),
                        vec![],
                    ),
                )
            }
            "Fn::Split" => {
                let a = args();
                match (
                    a.first().and_then(Node::scalar),
                    a.get(1).and_then(Node::scalar),
                ) {
                    (Some(d), Some(s)) if !d.is_empty() => Node::new(
                        span,
                        Val::List(
                            s.split(d.as_str())
                                .map(|p| Node::new(span, Val::Str(p.into())))
                                .collect(),
                        ),
                    ),
                    _ => Node::new(span, opaque("is a `Fn::Split` pipelint cannot evaluate", a)),
                }
            }
            "Condition" => {
                let c = arg.scalar().unwrap_or_default();
                match self.condition(&c, span) {
                    Some(b) => Node::new(span, Val::Bool(b)),
                    None => Node::new(span, opaque(format!("is condition `{c}`"), vec![])),
                }
            }
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                let wrapped = Node::new(
                    span,
                    Val::Map(vec![(
                        Key {
                            name: name.to_string(),
                            span,
                        },
                        arg.clone(),
                    )]),
                );
                match self.eval(&wrapped, depth) {
                    Some(b) => Node::new(span, Val::Bool(b)),
                    None => Node::new(
                        span,
                        opaque("is a condition pipelint cannot evaluate", vec![]),
                    ),
                }
            }
            other => Node::new(
                span,
                opaque(format!("is computed by `{other}` at deployment"), args()),
            ),
        };
        Some(node)
    }

    fn condition(&self, name: &str, span: Span) -> Option<bool> {
        if self.evaluating.borrow().iter().any(|n| n == name) {
            return None;
        }
        let Some(node) = self.conditions.get(name) else {
            self.note(span, format!("condition `{name}` is not defined"));
            return None;
        };
        self.evaluating.borrow_mut().push(name.to_string());
        let v = self.eval(node, 0);
        self.evaluating.borrow_mut().pop();
        v
    }

    /// Evaluates a condition expression with the parameters' defaults.
    fn eval(&self, node: &Node, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let (name, arg) = match node.entries() {
            [(k, v)] => (k.name.as_str(), v),
            _ => return node.scalar().and_then(|s| s.parse().ok()),
        };
        let items = arg.items();
        match name {
            "Fn::Equals" => {
                let a = items.first().and_then(|n| self.resolve(n, depth + 1))?;
                let b = items.get(1).and_then(|n| self.resolve(n, depth + 1))?;
                Some(a.scalar()?.trim() == b.scalar()?.trim())
            }
            "Fn::Not" => items
                .first()
                .and_then(|c| self.eval(c, depth + 1))
                .map(|b| !b),
            "Fn::And" => {
                let vals: Vec<Option<bool>> =
                    items.iter().map(|c| self.eval(c, depth + 1)).collect();
                if vals.contains(&Some(false)) {
                    Some(false)
                } else if vals.iter().all(Option::is_some) {
                    Some(true)
                } else {
                    None
                }
            }
            "Fn::Or" => {
                let vals: Vec<Option<bool>> =
                    items.iter().map(|c| self.eval(c, depth + 1)).collect();
                if vals.contains(&Some(true)) {
                    Some(true)
                } else if vals.iter().all(Option::is_some) {
                    Some(false)
                } else {
                    None
                }
            }
            "Condition" => self.condition(&arg.scalar()?, node.span),
            _ => None,
        }
    }
}

fn is_intrinsic(name: &str) -> bool {
    name == "Ref" || name == "Condition" || name.starts_with("Fn::")
}

/// Whether text looks like a CloudFormation template.
pub fn looks_like_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || text.contains("AWS::Serverless")
        || (text.contains("Resources") && text.contains("AWS::"))
}

/// Reads a template into a draft.
pub fn import(src: &SourceFile, pack: &Pack) -> Result<Draft, LoadError> {
    let root = super::yaml::parse(src.text())?;
    let not_template = |span: Span, what: &str| {
        LoadError::new(format!("this is not a CloudFormation template: {what}"))
            .at(span)
            .label("expected a template")
            .help("a template is a mapping with a `Resources` section of `Type`d resources")
    };
    if !matches!(root.val, Val::Map(_)) {
        return Err(not_template(
            Span::first_char(src.text(), 0),
            "the file is not a mapping",
        ));
    }
    let Some((res_key, resources)) = root.entry("Resources") else {
        return Err(not_template(
            Span::new(0, 0),
            "it has no `Resources` section",
        ));
    };
    if !matches!(resources.val, Val::Map(_)) {
        return Err(
            LoadError::new("`Resources` must be a mapping of logical ids to resources")
                .at(res_key.span)
                .label("not a mapping"),
        );
    }

    let mut params = HashMap::new();
    for (k, p) in root
        .get("Parameters")
        .map(Node::entries)
        .unwrap_or_default()
    {
        let ty = p.get("Type").and_then(Node::scalar).unwrap_or_default();
        params.insert(
            k.name.as_str(),
            Param {
                default: p.get("Default").cloned(),
                list: ty == "CommaDelimitedList" || ty.starts_with("List<"),
                ssm: ty.starts_with("AWS::SSM::Parameter::Value"),
            },
        );
    }
    let conditions = root
        .get("Conditions")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(k, v)| (k.name.as_str(), v))
        .collect();
    let res_ids: HashSet<&str> = resources
        .entries()
        .iter()
        .map(|(k, _)| k.name.as_str())
        .collect();
    let r = Resolver {
        params,
        mappings: root.get("Mappings"),
        conditions,
        modules: resources
            .entries()
            .iter()
            .filter(|(_, r)| {
                r.get("Type")
                    .and_then(Node::scalar)
                    .is_some_and(|t| t.ends_with("::MODULE"))
            })
            .map(|(k, _)| k.name.as_str())
            .collect(),
        resources: res_ids,
        notes: RefCell::new(Vec::new()),
        evaluating: RefCell::new(Vec::new()),
    };

    let mapping = Mapping::cloudformation();
    let globals = root
        .get("Globals")
        .and_then(|g| g.get("Function"))
        .and_then(|f| r.resolve(f, 0));
    let mut w = Wiring::new(pack, mapping);
    for (k, res) in resources.entries() {
        let id = k.name.as_str();
        let Some((ty_key, ty_node)) = res.entry("Type") else {
            w.draft
                .note(k.span, format!("resource `{id}` has no `Type`"));
            continue;
        };
        let Some(ty) = ty_node.scalar() else {
            w.draft.note(
                ty_key.span,
                format!("resource `{id}` has a `Type` that is not a string"),
            );
            continue;
        };
        if let Some(c) = res.get("Condition").and_then(Node::scalar) {
            match r.condition(&c, k.span) {
                Some(false) => {
                    w.draft.note(
                        k.span,
                        format!("`{id}` is left out: its condition `{c}` is false with the parameters' defaults"),
                    );
                    w.draft.resources.push(ResourceOutcome {
                        id: id.to_string(),
                        ty: ty.clone(),
                        data_flow: mapping.resource(&ty).is_some(),
                        became: Became::ConditionFalse,
                    });
                    continue;
                }
                Some(true) => {}
                None => w.draft.note(
                    k.span,
                    format!("`{id}` is kept although its condition `{c}` cannot be evaluated"),
                ),
            }
        }
        let empty = Node::new(k.span, Val::Map(Vec::new()));
        let mut props = res
            .get("Properties")
            .and_then(|p| r.resolve(p, 0))
            .unwrap_or(empty);
        if ty == "AWS::Serverless::Function"
            && let (Some(g), Val::Map(entries)) = (&globals, &mut props.val)
        {
            for (gk, gv) in g.entries() {
                if !entries.iter().any(|(k, _)| k.name == gk.name) {
                    entries.push((gk.clone(), gv.clone()));
                }
            }
        }
        if ty.ends_with("::MODULE") {
            w.draft.note(
                k.span,
                format!("`{id}` is a CloudFormation module ({ty}); the resources it expands into are not read"),
            );
            w.draft.resources.push(ResourceOutcome {
                id: id.to_string(),
                ty,
                data_flow: false,
                became: Became::Unresolved,
            });
            continue;
        }
        if ty == "AWS::CloudFormation::Stack" || ty == "AWS::Serverless::Application" {
            let url = props
                .get("TemplateURL")
                .or_else(|| props.get("Location"))
                .and_then(Node::scalar)
                .map(|u| format!(" ({u})"))
                .unwrap_or_default();
            w.draft.note(
                k.span,
                format!("nested stack `{id}`{url} is not read; import its template on its own"),
            );
            w.draft.resources.push(ResourceOutcome {
                id: id.to_string(),
                ty,
                data_flow: false,
                became: Became::Unresolved,
            });
            continue;
        }
        w.add_resource(id, &ty, k.span, ty_node.span, props);
    }
    for (span, msg) in r.notes.take() {
        w.draft.note(span, msg);
    }
    w.wire();
    Ok(w.draft)
}
