//! Text as the drawings need it: user text made safe to print, wrapped into
//! lines, and measured without a font engine.

/// Splits user text into lines and replaces the control characters no output
/// format can carry (XML 1.0 forbids most of them even escaped).
pub fn lines(s: &str) -> Vec<String> {
    s.split('\n')
        .map(|l| {
            l.trim_end_matches('\r')
                .chars()
                .map(|c| match c {
                    '\t' => ' ',
                    c if c.is_control() => '\u{FFFD}',
                    c => c,
                })
                .collect()
        })
        .collect()
}

/// One line of user text: line breaks become spaces.
pub fn one_line(s: &str) -> String {
    lines(s).join(" ")
}

/// Words up to this long are never cut.
const UNCUT: usize = 36;

/// Wraps text at spaces into lines of at most `max` characters; a longer word
/// gets a line of its own and is cut only beyond `max` and 36 characters.
/// Line breaks in the text are kept.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let cut = max.max(UNCUT);
    let mut out = Vec::new();
    for line in lines(s) {
        let mut current = String::new();
        let mut len = 0;
        for word in line.split(' ').filter(|w| !w.is_empty()) {
            let chars: Vec<char> = word.chars().collect();
            // Pieces of `cut` characters on lines of their own; the rest (at
            // most `cut`) is set like any word. Slices, not draining the
            // front of the word: a long word must cost its length once.
            let full = chars.len().saturating_sub(1) / cut;
            if full > 0 && len > 0 {
                out.push(std::mem::take(&mut current));
                len = 0;
            }
            for piece in chars[..full * cut].chunks(cut) {
                out.push(piece.iter().collect());
            }
            let word = &chars[full * cut..];
            let wlen = word.len();
            if len > 0 && len + 1 + wlen > max {
                out.push(std::mem::take(&mut current));
                len = 0;
            }
            if len > 0 {
                current.push(' ');
                len += 1;
            }
            current.extend(word.iter());
            len += wlen;
        }
        if len > 0 || out.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Advance widths of ASCII 32..=126 in DejaVu Sans, in thousandths of an em.
/// The SVG asks for DejaVu Sans first and then Verdana, which is as wide;
/// narrower fallbacks (Arial, Helvetica) only leave more room.
const REGULAR: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// The same for DejaVu Sans Bold.
const BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/// Whether a character takes two columns (CJK, emoji and the like).
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// The width of `s` set at `size` pixels.
pub fn width(s: &str, size: f64, bold: bool) -> f64 {
    let table = if bold { &BOLD } else { &REGULAR };
    let units: u32 = s
        .chars()
        .map(|c| match c as u32 {
            code @ 32..=126 => u32::from(table[(code - 32) as usize]),
            _ if is_wide(c) => 1000,
            _ if bold => 720,
            _ => 660,
        })
        .sum();
    f64::from(units) * size / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(
            wrap("Amazon Managed Service for Apache Flink", 20),
            ["Amazon Managed", "Service for Apache", "Flink"]
        );
        assert_eq!(
            wrap("a KinesisStreamSourceConfiguration", 20),
            ["a", "KinesisStreamSourceConfiguration"]
        );
        assert_eq!(wrap(&"x".repeat(45), 40), ["x".repeat(40), "x".repeat(5)]);
        assert_eq!(wrap(&"y".repeat(40), 4), ["y".repeat(36), "y".repeat(4)]);
        assert_eq!(wrap("a\nb", 10), ["a", "b"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(lines("a\u{1}b\r\nc\td"), ["a\u{FFFD}b", "c d"]);
        assert_eq!(one_line("a\nb"), "a b");
    }

    #[test]
    fn widths_follow_the_font() {
        assert!(width("WWW", 10.0, false) > width("iii", 10.0, false));
        assert!(width("abc", 10.0, true) > width("abc", 10.0, false));
        assert_eq!(width("", 12.0, false), 0.0);
        assert_eq!(width("中", 10.0, false), 10.0);
    }
}
