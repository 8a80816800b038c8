//! Source text with byte spans and line/column lookup.

use std::ops::Range;
use std::sync::Arc;

/// A half-open byte range into a source text. Offsets are held in 32 bits
/// (files are read up to 16 MiB), which halves the size of every span a large
/// pipeline keeps; an offset past 4 GiB saturates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        const fn narrow(n: usize) -> u32 {
            if n > u32::MAX as usize {
                u32::MAX
            } else {
                n as u32
            }
        }
        Span {
            start: narrow(start),
            end: narrow(end),
        }
    }

    pub const fn start(&self) -> usize {
        self.start as usize
    }

    pub const fn end(&self) -> usize {
        self.end as usize
    }

    pub fn range(&self) -> Range<usize> {
        self.start()..self.end()
    }

    pub fn len(&self) -> usize {
        self.end().saturating_sub(self.start())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first character of `text` at `start` (empty at its end), so a
    /// span never cuts a multi-byte character in two.
    pub fn first_char(text: &str, start: usize) -> Span {
        let len = text
            .get(start..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(start, start + len)
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start(), s.len()).into()
    }
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// A file's name as the user gave it and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    name: String,
    text: Arc<str>,
    index: Arc<LineIndex>,
}

/// Bytes per block of [`LineIndex::char_marks`].
const CHAR_BLOCK: usize = 4096;

/// Where lines start, and enough to count characters quickly, so that the
/// position of any offset costs the same however long its line is.
#[derive(Debug)]
struct LineIndex {
    line_starts: Vec<usize>,
    /// The number of characters before each multiple of `CHAR_BLOCK` bytes;
    /// empty when the text is ASCII, where characters are bytes.
    char_marks: Vec<usize>,
}

/// Characters in a run of UTF-8 bytes: the bytes that do not continue one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        // Counted first, so a large file's index is allocated once.
        let lines = text.bytes().filter(|&b| b == b'\n').count();
        let mut line_starts = Vec::with_capacity(lines + 1);
        line_starts.push(0);
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let char_marks = if text.is_ascii() {
            Vec::new()
        } else {
            let mut marks = Vec::with_capacity(text.len() / CHAR_BLOCK + 1);
            let mut seen = 0;
            for block in text.as_bytes().chunks(CHAR_BLOCK) {
                marks.push(seen);
                seen += count_chars(block);
            }
            marks.push(seen);
            marks
        };
        SourceFile {
            name: name.into(),
            text,
            index: Arc::new(LineIndex {
                line_starts,
                char_marks,
            }),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// The text a span covers ("" when the span is out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Characters before a byte offset that lies on a character boundary.
    fn chars_before(&self, offset: usize) -> usize {
        let marks = &self.index.char_marks;
        if marks.is_empty() {
            return offset;
        }
        let block = offset / CHAR_BLOCK;
        marks[block] + count_chars(&self.text.as_bytes()[block * CHAR_BLOCK..offset])
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = &self.index.line_starts;
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        LineCol {
            line: line + 1,
            column: self.chars_before(offset) - self.chars_before(start) + 1,
        }
    }

    /// Start and end (exclusive) positions of a span.
    pub fn range(&self, span: Span) -> (LineCol, LineCol) {
        (self.line_col(span.start()), self.line_col(span.end()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let f = SourceFile::new("a.toml", "ab\n→c\nd");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'c' sits after the three bytes of '→'
        assert_eq!(f.line_col(6), LineCol { line: 2, column: 2 });
        // inside the multi-byte arrow: snaps back to its start
        assert_eq!(f.line_col(4), LineCol { line: 2, column: 1 });
        assert_eq!(f.line_col(100), LineCol { line: 3, column: 2 });
    }

    #[test]
    fn columns_count_characters_across_blocks() {
        // A long line of multi-byte characters crosses several blocks.
        let text = format!("a\n{}x", "é".repeat(3 * CHAR_BLOCK));
        let f = SourceFile::new("a.toml", text.as_str());
        let x = text.len() - 1;
        assert_eq!(
            f.line_col(x),
            LineCol {
                line: 2,
                column: 3 * CHAR_BLOCK + 1
            }
        );
        assert_eq!(f.line_col(x), slow_line_col(&text, x));
        for offset in [0, 1, 2, 4, CHAR_BLOCK - 1, CHAR_BLOCK, CHAR_BLOCK + 3, 9000] {
            assert_eq!(f.line_col(offset), slow_line_col(&text, offset), "{offset}");
        }
    }

    fn slow_line_col(text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        LineCol {
            line: text[..offset].matches('\n').count() + 1,
            column: text[start..offset].chars().count() + 1,
        }
    }

    #[test]
    fn first_char_spans_a_whole_character() {
        assert_eq!(Span::first_char("\u{a0}x", 0), Span::new(0, 2));
        assert_eq!(Span::first_char("ab", 1), Span::new(1, 2));
        assert_eq!(Span::first_char("", 0), Span::new(0, 0));
        assert_eq!(Span::first_char("a", 5), Span::new(5, 5));
    }

    #[test]
    fn cover_spans() {
        assert_eq!(Span::new(4, 6).cover(Span::new(1, 5)), Span::new(1, 6));
    }
}
