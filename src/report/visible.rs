//! User text made safe for a terminal or a CI log: control characters (which
//! could start a new line holding a workflow command such as `::warning`,
//! or an escape sequence that recolours, retitles or rewrites the terminal)
//! and the invisible characters that reorder text (Trojan Source) are shown
//! as escapes, `\n`, `\u{1b}`, `\u{202e}`.

use std::borrow::Cow;

/// Whether a character is shown as an escape.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control or reordering character escaped.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A file's text for drawing snippets: the same bytes at the same offsets,
/// except that control characters other than line breaks and tabs, and
/// reordering characters, are replaced by characters of the same length in
/// UTF-8 (`?`, `??`, U+FFFD), so every span still points where it did.
pub fn same_length(text: &str) -> Cow<'_, str> {
    let shown = |c: char| matches!(c, '\n' | '\r' | '\t') || !hidden(c);
    if text.chars().all(shown) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if shown(c) {
            out.push(c);
        } else {
            match c.len_utf8() {
                1 => out.push('?'),
                2 => out.push_str("??"),
                3 => out.push('\u{fffd}'),
                _ => out.push_str("????"),
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_as_escapes() {
        assert_eq!(visible("plain"), "plain");
        assert_eq!(
            visible("x\n::warning file=a::b\u{1b}[31m\u{7}\u{202e}"),
            "x\\n::warning file=a::b\\u{1b}[31m\\u{7}\\u{202e}"
        );
        let t = "a\u{1b}b\u{85}c\u{202e}d\ne";
        let s = same_length(t);
        assert_eq!(s.len(), t.len());
        assert_eq!(s, "a?b??c\u{fffd}d\ne");
    }
}
