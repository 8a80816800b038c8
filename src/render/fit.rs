//! Where a drawing will be shown, and what that asks of its layout: a page
//! (the text column of a design document or a README), a wide screen, or a
//! box of a given size.

use std::fmt;
use std::str::FromStr;

/// The width of a page's text column, in pixels: a design document, a
/// README on GitHub, a wiki page.
pub const PAGE_WIDTH: u32 = 1000;

/// The smallest text a fitted drawing shows, in pixels at the size it asks to
/// be shown at: the layout folds or turns the drawing before it would shrink
/// text below this.
pub const MIN_TEXT_PX: f64 = 9.0;

/// The sizes `WIDTHxHEIGHT` may ask for, in pixels.
const SMALLEST: u32 = 200;
const LARGEST: u32 = 20_000;

/// How a drawing is fitted to where it will be shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fit {
    /// No wider than a page's text column ([`PAGE_WIDTH`]): a long chain is
    /// folded into rows; the drawing grows downwards.
    #[default]
    Page,
    /// As wide as the flow needs: one row, left to right.
    Wide,
    /// Within a box of this many pixels: whichever of one row, rows or top
    /// to bottom needs the least shrinking, and text never under
    /// [`MIN_TEXT_PX`].
    Box { width: u32, height: u32 },
}

impl Fit {
    /// The width the drawing should not exceed, if any.
    pub fn width(self) -> Option<f64> {
        match self {
            Fit::Page => Some(f64::from(PAGE_WIDTH)),
            Fit::Wide => None,
            Fit::Box { width, .. } => Some(f64::from(width)),
        }
    }

    /// The height the drawing should not exceed, if any.
    pub fn height(self) -> Option<f64> {
        match self {
            Fit::Box { height, .. } => Some(f64::from(height)),
            Fit::Page | Fit::Wide => None,
        }
    }
}

impl fmt::Display for Fit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fit::Page => f.write_str("page"),
            Fit::Wide => f.write_str("wide"),
            Fit::Box { width, height } => write!(f, "{width}x{height}"),
        }
    }
}

impl FromStr for Fit {
    type Err = String;

    fn from_str(s: &str) -> Result<Fit, String> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "page" => return Ok(Fit::Page),
            "wide" => return Ok(Fit::Wide),
            _ => {}
        }
        let usage = "`page`, `wide` or a size in pixels such as `1600x900`";
        let Some((w, h)) = t.split_once(['x', '×']) else {
            return Err(format!("`{s}` is not a fit; use {usage}"));
        };
        let px = |v: &str| -> Result<u32, String> {
            let n: u32 = v
                .trim()
                .trim_end_matches("px")
                .parse()
                .map_err(|_| format!("`{s}` is not a fit; use {usage}"))?;
            if !(SMALLEST..=LARGEST).contains(&n) {
                return Err(format!(
                    "`{s}`: each side must be {SMALLEST} to {LARGEST} pixels"
                ));
            }
            Ok(n)
        };
        Ok(Fit::Box {
            width: px(w)?,
            height: px(h)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_parse_and_print() {
        assert_eq!("page".parse(), Ok(Fit::Page));
        assert_eq!("WIDE".parse(), Ok(Fit::Wide));
        assert_eq!(
            "1600x900".parse(),
            Ok(Fit::Box {
                width: 1600,
                height: 900
            })
        );
        assert_eq!(
            "800×600".parse(),
            Ok(Fit::Box {
                width: 800,
                height: 600
            })
        );
        assert_eq!(
            Fit::Box {
                width: 1,
                height: 2
            }
            .to_string(),
            "1x2"
        );
        assert!("a4".parse::<Fit>().unwrap_err().contains("1600x900"));
        assert!("100x900".parse::<Fit>().unwrap_err().contains("200 to"));
        assert!("x".parse::<Fit>().is_err());
    }
}
