//! Terraform configurations: the `.tf` files of a directory (or one file),
//! with `variable` defaults, `locals` and local modules followed, read into
//! the same tree and wired by `rules/import/terraform.toml`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::Element;

use super::draft::Draft;
use super::mapping::Mapping;
use super::tree::{Key, Node, RefTo, Val};
use super::wiring::Wiring;
use crate::model::{LoadError, ReadFailure};
use crate::pack::Pack;
use crate::source::{SourceFile, Span};

/// Modules nested deeper than this are not followed.
const MAX_MODULE_DEPTH: usize = 8;
/// Expression evaluation deeper than this is a cycle.
const MAX_DEPTH: usize = 48;

/// One parsed file, at `base` in the joined source.
struct File {
    body: Body,
    base: usize,
    scope: usize,
    /// The path as shown in the `# ==> path <==` line.
    shown: String,
}

/// A module instance: the root, or a local module called from a parent.
struct Scope {
    /// `module.a.module.b.` for nested modules, "" for the root.
    prefix: String,
    /// The module block's name in its parent, for ids.
    name: Option<String>,
    /// (parent scope, index of the file holding the module block, the block's
    /// position in that file's body).
    call: Option<(usize, usize, usize)>,
}

struct Loaded {
    files: Vec<File>,
    scopes: Vec<Scope>,
    text: String,
    /// Modules that are not read: (span of the block, message).
    notes: Vec<(Span, String)>,
}

fn fail(error: LoadError, source: Option<SourceFile>) -> Box<ReadFailure> {
    Box::new(ReadFailure { error, source })
}

fn sp(base: usize, r: Option<std::ops::Range<usize>>) -> Span {
    r.map_or(Span::new(base, base), |r| {
        Span::new(base + r.start, base + r.end)
    })
}

fn label(b: &Block, i: usize) -> Option<&str> {
    b.labels.get(i).map(|l| l.as_str())
}

fn is_local_source(s: &str) -> bool {
    s.starts_with("./") || s.starts_with("../")
}

/// Reads the files (and local modules), joining them into one source text.
fn load(files: &[PathBuf], display: &str) -> Result<Loaded, Box<ReadFailure>> {
    let mut l = Loaded {
        files: Vec::new(),
        scopes: vec![Scope {
            prefix: String::new(),
            name: None,
            call: None,
        }],
        text: String::new(),
        notes: Vec::new(),
    };
    let several = files.len() > 1;
    let mut queue: Vec<(usize, Vec<PathBuf>, usize)> = vec![(0, files.to_vec(), 0)];
    let mut visited: Vec<PathBuf> = Vec::new();
    while let Some((scope, paths, depth)) = queue.pop() {
        for path in paths {
            let shown = path.display().to_string();
            // A file of a directory is named in the error: the report is
            // the directory's.
            let source = crate::model::read_source(&path, &shown).map_err(|mut f| {
                if shown != display {
                    f.error.message = format!("{shown}: {}", f.error.message);
                }
                f
            })?;
            let base = if several || depth > 0 || !l.text.is_empty() {
                l.text.push_str(&format!("# ==> {shown} <==\n"));
                l.text.len()
            } else {
                0
            };
            l.text.push_str(source.text());
            if !l.text.ends_with('\n') {
                l.text.push('\n');
            }
            if l.text.len() as u64 > crate::fsutil::MAX_FILE_BYTES {
                return Err(fail(
                    LoadError::new(format!(
                        "the configuration's .tf files (with its local modules) add up to more \
                         than {} MiB; pipelint reads up to that much",
                        crate::fsutil::MAX_FILE_BYTES / 1_048_576
                    ))
                    .help("check the modules one by one"),
                    None,
                ));
            }
            // The parser should never panic; if hostile input makes it, that
            // is a syntax error of the file, not a crash of pipelint.
            let parsed = crate::guard::quietly(|| hcl_edit::parser::parse_body(source.text()));
            let body = match parsed {
                Some(Ok(b)) => b,
                None => {
                    return Err(fail(
                        LoadError::new("HCL syntax error: the file cannot be read as HCL")
                            .at(Span::new(
                                base,
                                base + Span::first_char(source.text(), 0).end(),
                            ))
                            .label("unreadable"),
                        Some(SourceFile::new(display, l.text.clone())),
                    ));
                }
                Some(Err(e)) => {
                    let mut at = (base + e.location().offset()).min(l.text.len());
                    while !l.text.is_char_boundary(at) {
                        at -= 1;
                    }
                    let joined = SourceFile::new(display, l.text.clone());
                    let end = joined.text()[at..]
                        .chars()
                        .next()
                        .map_or(at, |c| at + c.len_utf8());
                    return Err(fail(
                        LoadError::new(format!("HCL syntax error: {}", e.message()))
                            .at(Span::new(at, end))
                            .label(e.message().to_string()),
                        Some(joined),
                    ));
                }
            };
            let file_ix = l.files.len();
            // Local modules this file calls.
            for (pos, st) in body.iter().enumerate() {
                let Structure::Block(b) = st else { continue };
                if b.ident.as_str() != "module" {
                    continue;
                }
                let Some(name) = label(b, 0) else { continue };
                let src = b
                    .body
                    .get_attribute("source")
                    .and_then(|a| a.value.as_str().map(str::to_string))
                    .unwrap_or_default();
                let span = sp(base, b.ident.span());
                let dir = path.parent().unwrap_or(Path::new(".")).join(&src);
                let tf: Vec<PathBuf> = if is_local_source(&src) && dir.is_dir() {
                    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
                        .map(|rd| {
                            rd.filter_map(Result::ok)
                                .map(|e| e.path())
                                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "tf"))
                                .collect()
                        })
                        .unwrap_or_default();
                    v.sort();
                    v
                } else {
                    Vec::new()
                };
                let canonical = dir.canonicalize().unwrap_or(dir.clone());
                if tf.is_empty() || depth >= MAX_MODULE_DEPTH || visited.contains(&canonical) {
                    let why = if !is_local_source(&src) {
                        "is not a local path"
                    } else if depth >= MAX_MODULE_DEPTH {
                        "is nested too deep"
                    } else if tf.is_empty() {
                        "has no .tf files here"
                    } else {
                        "is already read"
                    };
                    l.notes.push((
                        span,
                        format!("module `{name}` is not read: its source `{src}` {why}"),
                    ));
                    continue;
                }
                visited.push(canonical);
                let parent_prefix = l.scopes[scope].prefix.clone();
                l.scopes.push(Scope {
                    prefix: format!("{parent_prefix}module.{name}."),
                    name: Some(name.to_string()),
                    call: Some((scope, file_ix, pos)),
                });
                queue.push((l.scopes.len() - 1, tf, depth + 1));
            }
            l.files.push(File {
                body,
                base,
                scope,
                shown,
            });
        }
    }
    Ok(l)
}

/// Converts expressions to the tree, resolving variables, locals and module
/// outputs in their scopes.
struct Conv<'a> {
    l: &'a Loaded,
    /// Resource addresses (`aws_s3_bucket.x`, prefixed in modules).
    resources: std::collections::HashSet<String>,
    /// Top-level blocks by (scope, kind, first label), the first of each.
    blocks: HashMap<(usize, &'a str, &'a str), (&'a Block, usize)>,
    /// Local values by (scope, name).
    locals: HashMap<(usize, &'a str), (&'a Expression, usize)>,
}

impl<'a> Conv<'a> {
    /// Finds a top-level block of a scope: (kind, first label) → (attribute
    /// holder block, file base).
    /// Indexes the top-level blocks and local values of every scope, so a
    /// reference is found in constant time; refuses a block or a local value
    /// defined twice in one module, as Terraform does.
    fn new(l: &'a Loaded) -> Result<Self, Box<ReadFailure>> {
        let mut conv = Conv {
            l,
            resources: Default::default(),
            blocks: HashMap::new(),
            locals: HashMap::new(),
        };
        // Blocks whose labels name something once per module: (kind, labels
        // that identify it, what Terraform calls it).
        const UNIQUE: [(&str, usize, &str); 5] = [
            ("resource", 2, "resource"),
            ("data", 2, "data source"),
            ("module", 1, "module call"),
            ("variable", 1, "variable"),
            ("output", 1, "output"),
        ];
        let mut seen: HashMap<(usize, &str, &str, &str), Span> = HashMap::new();
        for f in &l.files {
            for st in f.body.iter() {
                let Structure::Block(b) = st else { continue };
                let kind = b.ident.as_str();
                if kind == "locals" {
                    for a in b.body.attributes() {
                        let key = (f.scope, a.key.as_str());
                        let span = sp(f.base, a.key.span());
                        if let Some(first) = seen.get(&(f.scope, "locals", a.key.as_str(), "")) {
                            return Err(twice(
                                l,
                                span,
                                *first,
                                &format!("local value `{}`", a.key.as_str()),
                                "a local value may be defined once in a module",
                            ));
                        }
                        seen.insert((f.scope, "locals", a.key.as_str(), ""), span);
                        conv.locals.insert(key, (&a.value, f.base));
                    }
                    continue;
                }
                if let Some(name) = label(b, 0) {
                    conv.blocks
                        .entry((f.scope, kind, name))
                        .or_insert((b, f.base));
                }
                let Some(&(_, n, what)) = UNIQUE.iter().find(|(k, _, _)| *k == kind) else {
                    continue;
                };
                let (Some(first_label), second) = (label(b, 0), label(b, 1)) else {
                    continue;
                };
                if n == 2 && second.is_none() {
                    continue;
                }
                let second = if n == 2 { second.unwrap_or("") } else { "" };
                let header = sp(f.base, b.ident.span())
                    .cover(sp(f.base, b.labels.get(n - 1).and_then(|x| x.span())));
                let key = (f.scope, kind, first_label, second);
                if let Some(first) = seen.get(&key) {
                    let name = match (kind, n) {
                        ("data", _) => format!("data.{first_label}.{second}"),
                        (_, 2) => format!("{first_label}.{second}"),
                        _ => first_label.to_string(),
                    };
                    let rule = match kind {
                        "resource" | "data" => "names must be unique per type in each module",
                        _ => "names must be unique in each module",
                    };
                    return Err(twice(l, header, *first, &format!("{what} `{name}`"), rule));
                }
                seen.insert(key, header);
            }
        }
        Ok(conv)
    }

    fn find_block(&self, scope: usize, kind: &str, name: &str) -> Option<(&'a Block, usize)> {
        self.blocks.get(&(scope, kind, name)).copied()
    }

    fn local(&self, scope: usize, name: &str) -> Option<(&'a Expression, usize)> {
        self.locals.get(&(scope, name)).copied()
    }

    fn var(&self, scope: usize, name: &str, span: Span, depth: usize) -> Node {
        // A module's variable takes the argument of the module call.
        if let Some((parent, file, pos)) = self.l.scopes[scope].call {
            let f = &self.l.files[file];
            if let Some(Structure::Block(b)) = f.body.iter().nth(pos)
                && let Some(a) = b.body.get_attribute(name)
            {
                return self.expr(&a.value, f.base, parent, depth + 1);
            }
        }
        match self.find_block(scope, "variable", name) {
            Some((b, base)) => match b.body.get_attribute("default") {
                Some(a) => {
                    let mut n = self.expr(&a.value, base, scope, depth + 1);
                    n.span = span;
                    n
                }
                None => Node::new(
                    span,
                    Val::Opaque {
                        why: format!("is variable `{name}`, which has no default"),
                        inner: vec![],
                    },
                ),
            },
            None => Node::new(
                span,
                Val::Opaque {
                    why: format!("is variable `{name}`, which is not declared"),
                    inner: vec![],
                },
            ),
        }
    }

    fn opaque(span: Span, why: impl Into<String>, inner: Vec<Node>) -> Node {
        Node::new(
            span,
            Val::Opaque {
                why: why.into(),
                inner,
            },
        )
    }

    fn template(
        &self,
        elems: Vec<&Element>,
        base: usize,
        scope: usize,
        span: Span,
        depth: usize,
    ) -> Node {
        let mut parts = Vec::new();
        for e in elems {
            match e {
                Element::Literal(s) => parts.push(Node::new(span, Val::Str(s.value().to_string()))),
                Element::Interpolation(i) => parts.push(self.expr(&i.expr, base, scope, depth + 1)),
                Element::Directive(_) => {
                    parts.push(Self::opaque(span, "is a template directive", vec![]));
                }
            }
        }
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

    fn traversal(
        &self,
        t: &hcl_edit::expr::Traversal,
        base: usize,
        scope: usize,
        span: Span,
        depth: usize,
    ) -> Node {
        let Expression::Variable(root) = &t.expr else {
            let inner = self.expr(&t.expr, base, scope, depth + 1);
            return Self::opaque(span, "is computed from an expression", vec![inner]);
        };
        let names: Vec<&str> = t
            .operators
            .iter()
            .map_while(|op| match op.value() {
                TraversalOperator::GetAttr(id) => Some(id.as_str()),
                _ => None,
            })
            .collect();
        let root = root.as_str();
        match (root, names.as_slice()) {
            ("var", [name, ..]) => self.var(scope, name, span, depth),
            ("local", [name, ..]) => match self.local(scope, name) {
                Some((e, b)) => {
                    let mut n = self.expr(e, b, scope, depth + 1);
                    n.span = span;
                    n
                }
                None => Self::opaque(
                    span,
                    format!("is local `{name}`, which is not defined"),
                    vec![],
                ),
            },
            ("module", [m, out, ..]) => {
                let child = self.l.scopes.iter().position(|s| {
                    s.prefix == format!("{}module.{m}.", self.l.scopes[scope].prefix)
                });
                match child.and_then(|c| self.find_block(c, "output", out).map(|b| (c, b))) {
                    Some((c, (b, ob))) => match b.body.get_attribute("value") {
                        Some(a) => {
                            let mut n = self.expr(&a.value, ob, c, depth + 1);
                            n.span = span;
                            n
                        }
                        None => Self::opaque(
                            span,
                            format!("is output `{out}` of module `{m}`, which has no value"),
                            vec![],
                        ),
                    },
                    None => Self::opaque(
                        span,
                        format!("is output `{out}` of module `{m}`, which is not read"),
                        vec![],
                    ),
                }
            }
            ("data", [ty, name, ..]) => {
                Self::opaque(span, format!("is data source `data.{ty}.{name}`"), vec![])
            }
            (ty, [name, rest @ ..]) => {
                let addr = format!("{}{ty}.{name}", self.l.scopes[scope].prefix);
                if self.resources.contains(&addr) {
                    Node::new(
                        span,
                        Val::Ref(RefTo {
                            target: addr,
                            attr: (!rest.is_empty()).then(|| rest.join(".")),
                        }),
                    )
                } else {
                    Self::opaque(
                        span,
                        format!("is `{ty}.{name}`, which is not defined here"),
                        vec![],
                    )
                }
            }
            _ => Self::opaque(
                span,
                format!("is `{root}`, known only when Terraform runs"),
                vec![],
            ),
        }
    }

    fn expr(&self, e: &Expression, base: usize, scope: usize, depth: usize) -> Node {
        let span = sp(base, e.span());
        if depth > MAX_DEPTH {
            return Self::opaque(span, "nests too deep", vec![]);
        }
        let val = match e {
            Expression::Null(_) => Val::Null,
            Expression::Bool(b) => Val::Bool(*b.value()),
            Expression::Number(n) => Val::Num(n.value().to_string()),
            Expression::String(s) => Val::Str(s.value().to_string()),
            Expression::Array(a) => Val::List(
                a.iter()
                    .map(|x| self.expr(x, base, scope, depth + 1))
                    .collect(),
            ),
            Expression::Object(o) => Val::Map(
                o.iter()
                    .map(|(k, v)| {
                        let (name, kspan) = match k {
                            ObjectKey::Ident(id) => (id.as_str().to_string(), sp(base, id.span())),
                            ObjectKey::Expression(x) => (
                                self.expr(x, base, scope, depth + 1)
                                    .scalar()
                                    .unwrap_or_default(),
                                sp(base, x.span()),
                            ),
                        };
                        (
                            Key { name, span: kspan },
                            self.expr(v.expr(), base, scope, depth + 1),
                        )
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => {
                return self.template(t.iter().collect(), base, scope, span, depth);
            }
            Expression::HeredocTemplate(h) => {
                return self.template(h.template.iter().collect(), base, scope, span, depth);
            }
            Expression::Parenthesis(p) => return self.expr(p.inner(), base, scope, depth + 1),
            Expression::Traversal(t) => return self.traversal(t, base, scope, span, depth),
            Expression::FuncCall(f) => {
                let args: Vec<Node> = f
                    .args
                    .iter()
                    .map(|a| self.expr(a, base, scope, depth + 1))
                    .collect();
                let name = f.name.name.as_str();
                if name == "jsonencode" && args.len() == 1 {
                    return args
                        .into_iter()
                        .next()
                        .unwrap_or(Node::new(span, Val::Null));
                }
                return Self::opaque(span, format!("is computed by `{name}()`"), args);
            }
            Expression::Conditional(c) => {
                let inner = vec![
                    self.expr(&c.true_expr, base, scope, depth + 1),
                    self.expr(&c.false_expr, base, scope, depth + 1),
                ];
                return Self::opaque(span, "depends on a condition", inner);
            }
            Expression::Variable(v) => {
                return Self::opaque(
                    span,
                    format!("is `{}`, known only when Terraform runs", v.as_str()),
                    vec![],
                );
            }
            Expression::UnaryOp(u) => {
                return Self::opaque(
                    span,
                    "is computed",
                    vec![self.expr(&u.expr, base, scope, depth + 1)],
                );
            }
            Expression::BinaryOp(b) => {
                let inner = vec![
                    self.expr(&b.lhs_expr, base, scope, depth + 1),
                    self.expr(&b.rhs_expr, base, scope, depth + 1),
                ];
                return Self::opaque(span, "is computed", inner);
            }
            Expression::ForExpr(f) => {
                return Self::opaque(
                    span,
                    "is a `for` expression",
                    vec![self.expr(&f.value_expr, base, scope, depth + 1)],
                );
            }
        };
        Node::new(span, val)
    }

    /// A block's body as a mapping: attributes, and nested blocks by name
    /// (a list when the name repeats).
    fn body(&self, body: &Body, base: usize, scope: usize, span: Span) -> Node {
        let mut entries: Vec<(Key, Node)> = Vec::new();
        // Where each name first appears, for constant-time repeats.
        let mut block_at: HashMap<&str, usize> = HashMap::new();
        for st in body.iter() {
            match st {
                Structure::Attribute(a) => {
                    block_at.entry(a.key.as_str()).or_insert(entries.len());
                    entries.push((
                        Key {
                            name: a.key.as_str().to_string(),
                            span: sp(base, a.key.span()),
                        },
                        self.expr(&a.value, base, scope, 0),
                    ));
                }
                Structure::Block(b) => {
                    let name = b.ident.as_str();
                    let kspan = sp(base, b.ident.span());
                    let node = self.body(&b.body, base, scope, sp(base, b.span()));
                    match block_at.get(name).map(|&i| &mut entries[i]) {
                        Some((_, existing)) => match &mut existing.val {
                            Val::List(items) => items.push(node),
                            _ => {
                                let first = existing.clone();
                                *existing = Node::new(
                                    first.span.cover(node.span),
                                    Val::List(vec![first, node]),
                                );
                            }
                        },
                        None => {
                            block_at.insert(name, entries.len());
                            entries.push((
                                Key {
                                    name: name.to_string(),
                                    span: kspan,
                                },
                                node,
                            ));
                        }
                    }
                }
            }
        }
        Node::new(span, Val::Map(entries))
    }
}

pub fn import(
    files: &[PathBuf],
    display: &str,
    pack: &Pack,
) -> Result<(SourceFile, Draft), Box<ReadFailure>> {
    let l = load(files, display)?;
    let mut conv = Conv::new(&l).map_err(|mut f| {
        f.source = Some(SourceFile::new(display, l.text.clone()));
        f
    })?;
    let mut blocks: Vec<(usize, &Block, usize)> = Vec::new();
    for f in &l.files {
        for st in f.body.iter() {
            if let Structure::Block(b) = st
                && b.ident.as_str() == "resource"
                && let (Some(ty), Some(name)) = (label(b, 0), label(b, 1))
            {
                conv.resources
                    .insert(format!("{}{ty}.{name}", l.scopes[f.scope].prefix));
                blocks.push((f.scope, b, f.base));
            }
        }
    }
    let mapping = Mapping::terraform();
    let mut w = Wiring::new(pack, mapping);
    // Ids: the resource name, with the module's name before it inside a module;
    // the type joins in when two resources share a name.
    let mut names: HashMap<String, usize> = HashMap::new();
    for (scope, b, _) in &blocks {
        let n = format!("{}{}", scope_name(&l, *scope), label(b, 1).unwrap_or(""));
        *names.entry(n).or_default() += 1;
    }
    for (scope, b, base) in &blocks {
        let ty = label(b, 0).unwrap_or("");
        let name = label(b, 1).unwrap_or("");
        let addr = format!("{}{ty}.{name}", l.scopes[*scope].prefix);
        let short = format!("{}{name}", scope_name(&l, *scope));
        let id = if names.get(&short).copied().unwrap_or(0) > 1 || name == "this" || name == "main"
        {
            format!(
                "{}{}_{name}",
                scope_name(&l, *scope),
                ty.strip_prefix("aws_").unwrap_or(ty)
            )
        } else {
            short
        };
        let props = conv.body(&b.body, *base, *scope, sp(*base, b.span()));
        let header =
            sp(*base, b.ident.span()).cover(sp(*base, b.labels.last().and_then(|x| x.span())));
        let type_span = sp(*base, b.labels.first().and_then(|x| x.span()));
        w.add_resource_as(&addr, &id, ty, header, type_span, props);
    }
    for (span, msg) in &l.notes {
        w.draft.note(*span, msg.clone());
    }
    // What is passed to a module that is not read is wired there, unseen.
    for f in &l.files {
        for st in f.body.iter() {
            let Structure::Block(b) = st else { continue };
            let Some(name) = label(b, 0) else { continue };
            let prefix = format!("{}module.{name}.", l.scopes[f.scope].prefix);
            if b.ident.as_str() != "module" || l.scopes.iter().any(|s| s.prefix == prefix) {
                continue;
            }
            let args = conv.body(&b.body, f.base, f.scope, sp(f.base, b.span()));
            w.passed_to(
                args,
                format!("passed to module `{name}`, which pipelint does not read"),
            );
        }
    }
    w.wire();
    let source = SourceFile::new(display, l.text.clone());
    Ok((source, w.draft))
}

/// "`resource aws_sqs_queue.q` is defined twice": at the second definition,
/// naming the file and line of the first.
fn twice(l: &Loaded, again: Span, first: Span, what: &str, rule: &str) -> Box<ReadFailure> {
    let file = l
        .files
        .iter()
        .rev()
        .find(|f| f.base <= first.start())
        .map_or((0, ""), |f| (f.base, f.shown.as_str()));
    let line = l.text[file.0..first.start()]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1;
    let place = if file.1.is_empty() || l.files.len() == 1 {
        format!("line {line}")
    } else {
        format!("line {line} of {}", file.1)
    };
    fail(
        LoadError::new(format!("{what} is defined twice"))
            .at(again)
            .label("defined again here")
            .help(format!("first defined on {place}; {rule}")),
        None,
    )
}

fn scope_name(l: &Loaded, scope: usize) -> String {
    let mut parts = Vec::new();
    let mut s = Some(scope);
    while let Some(i) = s {
        if let Some(n) = &l.scopes[i].name {
            parts.push(n.clone());
        }
        s = l.scopes[i].call.map(|(p, _, _)| p);
    }
    parts.reverse();
    parts.iter().map(|p| format!("{p}_")).collect()
}
