//! PNG without Graphviz: the built-in SVG rasterised in-process by resvg,
//! with the font the SVG is measured with (DejaVu Sans, regular and bold,
//! embedded as subsets, see `assets/fonts/`), so a PNG needs nothing
//! installed. Text in scripts the subsets lack is drawn with the system's
//! fonts when there are any. The same SVG gives the same bytes.

use resvg::{tiny_skia, usvg};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-subset.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold-subset.ttf");

/// The most pixels a PNG is drawn with (four bytes each while drawing).
pub const MAX_PIXELS: u64 = 40_000_000;

/// Whether the embedded subsets have a glyph for `c` (the ranges they were
/// cut to).
fn embedded(c: char) -> bool {
    matches!(c as u32,
        0x20..=0x7E
        | 0xA0..=0x24F
        | 0x370..=0x3FF
        | 0x400..=0x4FF
        | 0x2000..=0x206F
        | 0x20A0..=0x20CF
        | 0x2100..=0x214F
        | 0x2190..=0x22FF
        | 0x2300..=0x23FF
        | 0x2500..=0x257F
        | 0x25A0..=0x27BF
        | 0xFFFD)
        || c.is_whitespace()
}

/// Why a PNG could not be made.
#[derive(Debug, PartialEq, Eq)]
pub enum PngError {
    /// The picture would need this many pixels (width × height).
    TooLarge { width: u32, height: u32 },
    /// The SVG could not be read (not expected of the built-in SVG).
    Svg(String),
}

impl std::fmt::Display for PngError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PngError::TooLarge { width, height } => write!(
                f,
                "the picture is {} × {} px, more than the {} pixels a PNG is drawn with; write SVG instead (-o arch.svg)",
                crate::numfmt::number(f64::from(*width)),
                crate::numfmt::number(f64::from(*height)),
                crate::numfmt::number(MAX_PIXELS as f64)
            ),
            PngError::Svg(e) => write!(f, "cannot read the SVG to draw it as PNG: {e}"),
        }
    }
}

/// Rasterises an SVG document at the size it declares.
pub fn png(svg: &str) -> Result<Vec<u8>, PngError> {
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_font_data(REGULAR.to_vec());
    fonts.load_font_data(BOLD.to_vec());
    fonts.set_sans_serif_family("DejaVu Sans");
    if !svg.chars().all(embedded) {
        fonts.load_system_fonts();
    }
    let opts = usvg::Options {
        fontdb: std::sync::Arc::new(fonts),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opts).map_err(|e| PngError::Svg(e.to_string()))?;
    let size = tree.size().to_int_size();
    let (width, height) = (size.width(), size.height());
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PngError::TooLarge { width, height });
    }
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or(PngError::TooLarge { width, height })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PngError::Svg(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_text_with_the_embedded_font() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20" viewBox="0 0 60 20" font-family="DejaVu Sans, sans-serif"><rect width="60" height="20" fill="#ffffff"/><text x="2" y="15" font-size="14" fill="#000000">Wg ✖</text></svg>"##;
        let bytes = png(svg).expect("a PNG");
        assert!(bytes.starts_with(b"\x89PNG"));
        // Some pixels are dark: the text was drawn.
        let img = tiny_skia::Pixmap::decode_png(&bytes).expect("decodes");
        let dark = img.pixels().iter().filter(|p| p.red() < 100).count();
        assert!(dark > 30, "{dark} dark pixels");
        assert_eq!(png(svg).expect("again"), bytes, "same bytes every time");
    }

    #[test]
    fn refuses_a_picture_too_large_to_hold() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="20000" height="20000"/>"#;
        assert_eq!(
            png(svg),
            Err(PngError::TooLarge {
                width: 20000,
                height: 20000
            })
        );
    }
}
