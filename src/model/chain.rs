//! Flow chains: `"clicks -> delivery -> lake"` (or with `→`), split into names
//! with the span of each name and each arrow. An arrow may name the kind of
//! its flow: `"sfn -[control]-> etl -> lake"`.

use super::FlowKind;
use crate::source::Span;

/// One link of a chain: `from ARROW to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainLink {
    pub from: usize,
    pub to: usize,
    pub arrow: Span,
    /// The kind its arrow names (`-[trigger]->`), if it names one.
    pub kind: Option<FlowKind>,
}

/// A parsed chain: the names with their spans and the links between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain<'a> {
    pub names: Vec<(&'a str, Span)>,
    pub links: Vec<ChainLink>,
}

/// Why a chain could not be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainError {
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

const ARROWS: [&str; 2] = ["->", "→"];
/// Arrows people write that pipelint does not take, with the help to give.
const WRONG_ARROWS: [&str; 6] = ["=>", "<-", "-->", "—>", "–>", "⇒"];

/// Maps offsets in the decoded string to the source; exact when the string has
/// no escapes, else every name is spanned by the whole string.
struct Locator {
    base: Option<usize>,
    whole: Span,
}

impl Locator {
    fn span(&self, start: usize, end: usize) -> Span {
        match self.base {
            Some(b) => Span::new(b + start, b + end),
            None => self.whole,
        }
    }
}

/// Splits `value` (the decoded string whose TOML literal, quotes included, is
/// `raw` at `span`) into names and arrows.
pub fn parse_chain<'a>(value: &'a str, raw: &str, span: Span) -> Result<Chain<'a>, ChainError> {
    let base = ["\"\"\"", "'''", "\"", "'"].iter().find_map(|q| {
        let inner = raw.strip_prefix(q)?.strip_suffix(q)?;
        (inner == value).then_some(span.start() + q.len())
    });
    let loc = Locator { base, whole: span };

    for wrong in WRONG_ARROWS {
        if let Some(at) = find(value, wrong) {
            return Err(ChainError {
                message: format!("`{wrong}` is not an arrow pipelint reads"),
                span: loc.span(at, at + wrong.len()),
                help: Some(
                    "join services with `->` or `→`, e.g. \"stream -> delivery -> lake\"".into(),
                ),
            });
        }
    }

    // Cut the string at every arrow.
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut arrows: Vec<(Span, Option<FlowKind>)> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < value.len() {
        if let Some((len, kind)) = marked_arrow(&value[i..]) {
            let kind = kind.map_err(|word| {
                let help = crate::suggest::did_you_mean(
                    word,
                    FlowKind::ALL.iter().map(|k| k.as_str()),
                )
                .map_or_else(
                    || "a flow's kind is data, trigger, control or metadata".to_string(),
                    |k| format!("did you mean `{k}`? A flow's kind is data, trigger, control or metadata"),
                );
                ChainError {
                    message: format!("`{word}` is not a kind of flow"),
                    span: loc.span(i, i + len),
                    help: Some(help),
                }
            })?;
            pieces.push((start, i));
            arrows.push((loc.span(i, i + len), Some(kind)));
            i += len;
            start = i;
        } else if let Some(a) = ARROWS.iter().find(|a| value[i..].starts_with(**a)) {
            pieces.push((start, i));
            arrows.push((loc.span(i, i + a.len()), None));
            i += a.len();
            start = i;
        } else {
            i += value[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    pieces.push((start, value.len()));

    if arrows.is_empty() {
        return Err(ChainError {
            message: "a flow needs at least two services joined by an arrow".into(),
            span,
            help: Some("write a chain such as \"stream -> delivery -> lake\"".into()),
        });
    }

    let mut names = Vec::with_capacity(pieces.len());
    for (n, &(s, e)) in pieces.iter().enumerate() {
        let piece = &value[s..e];
        let trimmed = piece.trim();
        if trimmed.is_empty() {
            // Point at the arrow next to the missing name.
            let at = if n < arrows.len() {
                arrows[n].0
            } else {
                arrows[n - 1].0
            };
            return Err(ChainError {
                message: "a service name is missing next to this arrow".into(),
                span: at,
                help: None,
            });
        }
        let lead = piece.len() - piece.trim_start().len();
        let ts = s + lead;
        names.push((trimmed, loc.span(ts, ts + trimmed.len())));
    }
    let links = arrows
        .into_iter()
        .enumerate()
        .map(|(n, (arrow, kind))| ChainLink {
            from: n,
            to: n + 1,
            arrow,
            kind,
        })
        .collect();
    Ok(Chain { names, links })
}

/// An arrow that names its kind at the start of `s`: `-[control]->` or
/// `-[control]→`, with its length in bytes and the kind (or the word that is
/// not one).
fn marked_arrow(s: &str) -> Option<(usize, Result<FlowKind, &str>)> {
    let rest = s.strip_prefix("-[")?;
    let close = rest.find(']')?;
    let word = &rest[..close];
    if word.contains(['[', '-', '>', '→']) {
        return None;
    }
    let after = &rest[close + 1..];
    let tail = ARROWS.iter().find(|a| after.starts_with(**a))?;
    let len = 2 + close + 1 + tail.len();
    let trimmed = word.trim();
    Some((
        len,
        FlowKind::parse(&trimmed.to_ascii_lowercase()).ok_or(trimmed),
    ))
}

/// The first occurrence of a short needle: cheaper than `str::find` for
/// needles of a few bytes in strings of a few dozen, the case of every chain.
fn find(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Chain<'_>, ChainError> {
        let raw = format!("\"{s}\"");
        parse_chain(s, &raw, Span::new(10, 10 + raw.len()))
    }

    #[test]
    fn splits_on_both_arrows_with_exact_spans() {
        let c = parse("a -> bb → c").unwrap();
        let names: Vec<_> = c
            .names
            .iter()
            .map(|(n, s)| (*n, s.start(), s.end()))
            .collect();
        // the string starts at 10; its first character after the quote at 11
        assert_eq!(names, vec![("a", 11, 12), ("bb", 16, 18), ("c", 23, 24)]);
        assert_eq!(c.links[0].arrow, Span::new(13, 15));
        assert_eq!(c.links[1].arrow, Span::new(19, 22));
        assert_eq!(c.links.len(), 2);
    }

    #[test]
    fn keeps_spaces_inside_names() {
        let c = parse("Kinesis Data Streams->S3").unwrap();
        assert_eq!(c.names[0].0, "Kinesis Data Streams");
        assert_eq!(c.names[1].0, "S3");
    }

    #[test]
    fn rejects_missing_names_and_lonely_names() {
        assert!(parse("a -> -> b").is_err());
        assert!(parse("-> b").is_err());
        assert!(parse("a ->").is_err());
        let e = parse("a").unwrap_err();
        assert!(e.message.contains("two services"));
    }

    #[test]
    fn names_wrong_arrows() {
        let e = parse("a => b").unwrap_err();
        assert!(e.message.contains("`=>`"));
        assert_eq!(e.span, Span::new(13, 15));
        assert!(parse("a --> b").unwrap_err().message.contains("-->"));
    }

    #[test]
    fn arrows_may_name_the_kind_of_their_flow() {
        let c = parse("sfn -[control]-> etl -> lake -[ Metadata ]→ catalog").unwrap();
        let names: Vec<&str> = c.names.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["sfn", "etl", "lake", "catalog"]);
        let kinds: Vec<Option<FlowKind>> = c.links.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [Some(FlowKind::Control), None, Some(FlowKind::Metadata)]
        );
        // The arrow's span covers the mark: `-[control]->` at 15..27.
        assert_eq!(c.links[0].arrow, Span::new(15, 27));
        let e = parse("a -[contrl]-> b").unwrap_err();
        assert_eq!(e.message, "`contrl` is not a kind of flow");
        assert!(e.help.unwrap().contains("did you mean `control`?"));
        assert_eq!(e.span, Span::new(13, 24));
    }

    #[test]
    fn falls_back_to_the_whole_string_when_escaped() {
        let raw = "\"a \\u002D> b\"";
        let c = parse_chain("a -> b", raw, Span::new(0, raw.len())).unwrap();
        assert_eq!(c.names[0].1, Span::new(0, raw.len()));
    }
}
