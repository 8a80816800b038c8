//! Reading a CloudFormation template (YAML or JSON, which YAML 1.2 reads too)
//! into the spanned tree. Short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub ...`)
//! become the long form (`{Ref: X}`, `{"Fn::GetAtt": ...}`), so the resolver
//! handles one shape.

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::tree::{Key, Node, Val};
use crate::model::LoadError;
use crate::source::Span;

/// Deepest nesting of mappings and sequences read.
const MAX_DEPTH: usize = 128;

/// Character offsets (what the YAML parser counts) to byte offsets.
struct Offsets {
    /// `None` when the text is ASCII and the two are the same.
    table: Option<Vec<usize>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let table = (!text.is_ascii()).then(|| {
            let mut t: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            t.push(text.len());
            t
        });
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, chars: usize) -> usize {
        match &self.table {
            None => chars.min(self.len),
            Some(t) => t.get(chars).copied().unwrap_or(self.len),
        }
    }

    fn span(&self, s: saphyr_parser::Span) -> Span {
        Span::new(self.byte(s.start.index()), self.byte(s.end.index()))
    }
}

enum Frame {
    Seq {
        start: Span,
        tag: Option<String>,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        tag: Option<String>,
        entries: Vec<(Key, Node)>,
        pending: Option<Key>,
    },
}

/// The long-form name of a CloudFormation short-form tag.
fn intrinsic(tag: &Tag) -> Option<String> {
    if tag.handle != "!" {
        return None;
    }
    Some(match tag.suffix.as_str() {
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
                        span: Span::new(span.start, span.start),
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

fn syntax_error(text: &str, offsets: &Offsets, e: &saphyr_parser::ScanError) -> LoadError {
    let at = offsets.byte(e.marker().index());
    let end = text[at.min(text.len())..]
        .chars()
        .next()
        .map_or(at, |c| at + c.len_utf8());
    LoadError::new(format!("YAML syntax error: {}", e.info()))
        .at(Span::new(at, end))
        .label(e.info().to_string())
}

/// Parses YAML (or JSON) text into the tree of its first document.
pub fn parse(text: &str) -> Result<Node, LoadError> {
    let offsets = Offsets::new(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut docs = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| syntax_error(text, &offsets, &e))?;
        let span = offsets.span(span);
        let node = match event {
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    return Err(LoadError::new("a template holds one YAML document")
                        .at(span)
                        .label("a second document starts here")
                        .help("remove the `---` and what follows, or split the file"));
                }
                continue;
            }
            Event::Alias(_) => {
                return Err(LoadError::new("CloudFormation does not accept YAML aliases")
                    .at(span)
                    .label("an alias")
                    .help("write the value out in full"));
            }
            Event::Scalar(value, style, _, tag) => {
                let t = tag.as_deref().and_then(intrinsic);
                let tagged = tag.is_some();
                wrap(t, Node::new(span, scalar(&value, style, tagged)))
            }
            Event::SequenceStart(_, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(span));
                }
                stack.push(Frame::Seq {
                    start: span,
                    tag: tag.as_deref().and_then(intrinsic),
                    items: Vec::new(),
                });
                continue;
            }
            Event::MappingStart(_, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(span));
                }
                stack.push(Frame::Map {
                    start: span,
                    tag: tag.as_deref().and_then(intrinsic),
                    entries: Vec::new(),
                    pending: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { start, tag, items }) => {
                    let end = items.last().map_or(span.end, |n| n.span.end).max(start.end);
                    wrap(tag, Node::new(Span::new(start.start, end), Val::List(items)))
                }
                Some(Frame::Map {
                    start,
                    tag,
                    entries,
                    ..
                }) => {
                    let end = entries
                        .last()
                        .map_or(span.end, |(_, n)| n.span.end)
                        .max(start.end);
                    wrap(tag, Node::new(Span::new(start.start, end), Val::Map(entries)))
                }
                None => continue,
            },
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentEnd
            | Event::Nothing => continue,
        };
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, pending, ..
            }) => match pending.take() {
                Some(key) => entries.push((key, node)),
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
        assert_eq!(&text[inner.span.start..inner.span.end], "!GetAtt S.Arn");
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
