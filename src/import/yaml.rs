//! Reading a CloudFormation template (YAML or JSON, which YAML reads too)
//! into the spanned tree, with libyaml's parser (the one cfn-lint reads
//! templates with, through PyYAML), which accepts what CloudFormation does. Short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub ...`)
//! become the long form (`{Ref: X}`, `{"Fn::GetAtt": ...}`), so the resolver
//! handles one shape.

use std::collections::HashMap;

use libyaml_safer::{EventData, Parser, ScalarStyle};

use super::tree::{Key, Node, Val};
use crate::model::LoadError;
use crate::source::Span;

/// Deepest nesting of mappings and sequences read.
const MAX_DEPTH: usize = 128;

enum Frame {
    Seq {
        start: usize,
        tag: Option<String>,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        tag: Option<String>,
        entries: Vec<(Key, Node)>,
        pending: Option<Key>,
        /// The keys of a large mapping, for constant-time repeats.
        keys: Option<HashMap<String, usize>>,
    },
}

/// The long-form name of a CloudFormation short-form tag (`!Ref`, `!GetAtt`...).
fn intrinsic(tag: Option<&str>) -> Option<String> {
    let suffix = tag?.strip_prefix('!')?;
    if suffix.is_empty() || suffix.starts_with('!') || suffix.contains(':') {
        return None;
    }
    Some(match suffix {
        "Ref" => "Ref".to_string(),
        "Condition" => "Condition".to_string(),
        other => format!("Fn::{other}"),
    })
}

fn wrap(tag: Option<String>, node: Node) -> Node {
    match tag {
        Some(name) => {
            let span = node.span;
            Node::new(
                span,
                Val::Map(vec![(
                    Key {
                        name,
                        span: Span::new(span.start(), span.start()),
                    },
                    node,
                )]),
            )
        }
        None => node,
    }
}

fn scalar(text: &str, style: ScalarStyle, tagged: bool) -> Val {
    if style != ScalarStyle::Plain || tagged {
        return Val::Str(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Val::Null,
        "true" | "True" | "TRUE" => Val::Bool(true),
        "false" | "False" | "FALSE" => Val::Bool(false),
        _ if is_number(text) => Val::Num(text.to_string()),
        _ => Val::Str(text.to_string()),
    }
}

fn is_number(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    !t.is_empty()
        && t.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && t.parse::<f64>().is_ok()
}

fn char_span(text: &str, at: usize) -> Span {
    // At the end of the file, point at its last character instead of nothing.
    let mut at = if at >= text.trim_end().len() {
        text.trim_end().len().saturating_sub(1)
    } else {
        at
    };
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Span::new(at, end)
}

/// Parses YAML (or JSON) text into the tree of its first document.
pub fn parse(text: &str) -> Result<Node, LoadError> {
    // libyaml-safer 0.3.0 panics on some inputs instead of returning an
    // error. Minimal reproducers, each the whole input to
    // `Parser::set_input_string` followed by `parse()` until the end:
    //   `{!,`       scanner.rs:1112 "TODO: What is expected here?" (a tag
    //               followed by `,` in a flow collection);
    //   `"\`       scanner.rs:1541 `unwrap()` on `None` (a backslash at the
    //               end of input inside a double-quoted scalar);
    //   `e: |\n e`  scanner.rs:166 "unexpected end of input" (a block scalar
    //               whose last line has no line break; valid YAML).
    // The last one is avoided by giving the parser a final line break; any
    // panic left is a syntax error at the character the scanner had reached.
    let owned;
    let input = if text.ends_with('\n') {
        text
    } else {
        owned = format!("{text}\n");
        &owned
    };
    let read = std::cell::Cell::new(0usize);
    match crate::guard::quietly(|| parse_events(text, input, &read)) {
        Some(result) => result,
        None => {
            // The scanner had looked at the characters before `read`: the
            // last of them is where it gave up.
            let at = read.get().min(text.len()).saturating_sub(1);
            Err(
                LoadError::new("YAML syntax error: the YAML reader cannot go past this point")
                    .at(char_span(text, at))
                    .label("cannot be read from here"),
            )
        }
    }
}

/// Hands the parser one character at a time and counts what it took, so a
/// parser that stops without a position still tells where it stopped.
struct Counted<'a> {
    rest: &'a [u8],
    read: &'a std::cell::Cell<usize>,
}

impl std::io::Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = std::io::BufRead::fill_buf(self)?.len().min(buf.len());
        buf[..n].copy_from_slice(&self.rest[..n]);
        std::io::BufRead::consume(self, n);
        Ok(n)
    }
}

impl std::io::BufRead for Counted<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let width = match self.rest.first() {
            None => 0,
            Some(&b) if b < 0x80 => 1,
            Some(&b) if b >= 0xF0 => 4,
            Some(&b) if b >= 0xE0 => 3,
            Some(_) => 2,
        };
        Ok(&self.rest[..width.min(self.rest.len())])
    }

    fn consume(&mut self, n: usize) {
        self.rest = &self.rest[n..];
        self.read.set(self.read.get() + n);
    }
}

fn parse_events(text: &str, input: &str, read: &std::cell::Cell<usize>) -> Result<Node, LoadError> {
    let mut parser = Parser::new();
    parser.set_input(Counted {
        rest: input.as_bytes(),
        read,
    });
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut docs = 0;
    loop {
        let event = match parser.parse() {
            Ok(e) => e,
            Err(e) => {
                let at = e.problem_mark().map_or(0, |m| m.index as usize);
                let problem = e.problem();
                return Err(LoadError::new(format!("YAML syntax error: {problem}"))
                    .at(char_span(text, at))
                    .label(problem));
            }
        };
        let span = Span::new(
            (event.start_mark.index as usize).min(text.len()),
            (event.end_mark.index as usize).min(text.len()),
        );
        let node = match event.data {
            EventData::StreamEnd => break,
            EventData::DocumentStart { .. } => {
                docs += 1;
                if docs > 1 {
                    return Err(LoadError::new("a template holds one YAML document")
                        .at(span)
                        .label("a second document starts here")
                        .help("remove the `---` and what follows, or split the file"));
                }
                continue;
            }
            EventData::Alias { .. } => {
                return Err(
                    LoadError::new("CloudFormation does not accept YAML aliases")
                        .at(span)
                        .label("an alias")
                        .help("write the value out in full"),
                );
            }
            EventData::Scalar {
                tag, value, style, ..
            } => {
                let t = intrinsic(tag.as_deref());
                wrap(t, Node::new(span, scalar(&value, style, tag.is_some())))
            }
            EventData::SequenceStart { tag, .. } => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(span));
                }
                stack.push(Frame::Seq {
                    start: span.start(),
                    tag: intrinsic(tag.as_deref()),
                    items: Vec::new(),
                });
                continue;
            }
            EventData::MappingStart { tag, .. } => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(span));
                }
                stack.push(Frame::Map {
                    start: span.start(),
                    tag: intrinsic(tag.as_deref()),
                    entries: Vec::new(),
                    pending: None,
                    keys: None,
                });
                continue;
            }
            EventData::SequenceEnd | EventData::MappingEnd => match stack.pop() {
                Some(Frame::Seq { start, tag, items }) => {
                    let end = items.last().map_or(span.end(), |n| n.span.end()).max(start);
                    wrap(tag, Node::new(Span::new(start, end), Val::List(items)))
                }
                Some(Frame::Map {
                    start,
                    tag,
                    entries,
                    ..
                }) => {
                    let end = entries
                        .last()
                        .map_or(span.end(), |(_, n)| n.span.end())
                        .max(start);
                    wrap(tag, Node::new(Span::new(start, end), Val::Map(entries)))
                }
                None => continue,
            },
            EventData::StreamStart { .. } | EventData::DocumentEnd { .. } => continue,
        };
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending,
                keys,
                ..
            }) => match pending.take() {
                Some(key) => {
                    if let Some(first) = repeated(entries, keys, &key.name) {
                        return Err(defined_twice(text, &key, first));
                    }
                    entries.push((key, node));
                }
                None => {
                    let name = match &node.val {
                        Val::Str(s) | Val::Num(s) => s.clone(),
                        Val::Bool(b) => b.to_string(),
                        Val::Null => String::new(),
                        _ => {
                            return Err(LoadError::new("a mapping key must be a plain value")
                                .at(node.span)
                                .label("a complex key"));
                        }
                    };
                    *pending = Some(Key {
                        name,
                        span: node.span,
                    });
                }
            },
        }
    }
    Ok(root.unwrap_or(Node::new(Span::new(0, 0), Val::Null)))
}

/// Where `name` is already a key of the mapping, if it is; indexes the keys
/// once the mapping grows past a few.
fn repeated(
    entries: &[(Key, Node)],
    keys: &mut Option<HashMap<String, usize>>,
    name: &str,
) -> Option<Span> {
    const LINEAR: usize = 16;
    if entries.len() < LINEAR {
        return entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(k, _)| k.span);
    }
    let index = keys.get_or_insert_with(|| {
        let mut m = HashMap::new();
        for (i, (k, _)) in entries.iter().enumerate() {
            m.entry(k.name.clone()).or_insert(i);
        }
        m
    });
    match index.get(name) {
        Some(&i) => Some(entries[i].0.span),
        None => {
            index.insert(name.to_string(), entries.len());
            None
        }
    }
}

/// A key repeated in one mapping: AWS documents CloudFormation's behaviour
/// with it as undefined (it may accept the template and keep either), so it
/// is refused, as cfn-lint does (E0000).
fn defined_twice(text: &str, again: &Key, first: Span) -> LoadError {
    let line_col = |at: usize| {
        let before = &text[..at.min(text.len())];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    };
    let (line, col) = line_col(first.start());
    let place = if line_col(again.span.start()).0 == line {
        format!("line {line}, column {col}")
    } else {
        format!("line {line}")
    };
    LoadError::new(format!("`{}` is defined twice", again.name))
        .at(again.span)
        .label("defined again here")
        .help(format!(
            "first defined on {place}; a key may appear only once in a mapping \
             (CloudFormation's behaviour with a repeated key is undefined)"
        ))
}

fn too_deep(span: Span) -> LoadError {
    LoadError::new(format!("the template nests deeper than {MAX_DEPTH} levels"))
        .at(span)
        .label("too deep")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_become_long_forms_with_byte_spans() {
        let text = "é: 1\nR:\n  Arn: !GetAtt S.Arn\n  L: !Join ['', [!Ref A, x]]\n";
        let root = parse(text).unwrap();
        let r = root.get("R").unwrap();
        let arn = r.get("Arn").unwrap();
        let inner = arn.get("Fn::GetAtt").unwrap();
        assert_eq!(inner.val, Val::Str("S.Arn".into()));
        assert_eq!(&text[inner.span.start()..inner.span.end()], "!GetAtt S.Arn");
        let join = r.get("L").unwrap().get("Fn::Join").unwrap();
        let parts = &join.items()[1].items()[0];
        assert_eq!(parts.get("Ref").unwrap().val, Val::Str("A".into()));
    }

    #[test]
    fn json_reads_too() {
        let root = parse("{\"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bucket\"}}}").unwrap();
        let t = root.get("Resources").unwrap().get("A").unwrap().get("Type");
        assert_eq!(t.unwrap().val, Val::Str("AWS::S3::Bucket".into()));
    }

    #[test]
    fn refuses_aliases_deep_nesting_and_bad_syntax() {
        assert!(parse("a: &x 1\nb: *x\n").is_err());
        let deep = "[".repeat(500);
        assert!(parse(&deep).is_err());
        let e = parse("a: [1, 2\n").unwrap_err();
        assert!(e.message.starts_with("YAML syntax error"), "{}", e.message);
        assert!(e.span.is_some());
    }
}
