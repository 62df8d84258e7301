//! The one look of every chart: size, fonts (embedded, so a machine without fonts draws the same PNG),
//! a palette colour-blind readers can tell apart (Okabe–Ito), and numbers in Swedish or English form.

use std::sync::{Once, OnceLock};

use plotters::style::{FontStyle, RGBColor};

use crate::codes::Lang;

/// A chart's width in pixels (SVG user units).
pub const WIDTH: u32 = 1200;
/// A chart's height in pixels.
pub const HEIGHT: u32 = 800;
/// The font family name the charts ask for; registered from the embedded DejaVu Sans.
pub const FONT: &str = "sans-serif";

/// The title's font size.
pub const TITLE_SIZE: f64 = 32.0;
/// The subtitle's font size.
pub const SUBTITLE_SIZE: f64 = 21.0;
/// Axis labels' font size.
pub const LABEL_SIZE: f64 = 19.0;
/// Tick labels' font size.
pub const TICK_SIZE: f64 = 17.0;
/// Notes' font size.
pub const NOTE_SIZE: f64 = 15.0;

/// Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(240, 228, 66),  // yellow
];
/// Text and lines.
pub const INK: RGBColor = RGBColor(33, 33, 33);
/// Secondary text.
pub const MUTED: RGBColor = RGBColor(110, 110, 110);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);

static FONTS: Once = Once::new();
static SVG_OPTIONS: OnceLock<resvg::usvg::Options<'static>> = OnceLock::new();

/// How the SVG is read back for rasterising: only the embedded font, whatever the machine has.
pub fn svg_options() -> &'static resvg::usvg::Options<'static> {
    SVG_OPTIONS.get_or_init(|| {
        let mut options = resvg::usvg::Options { font_family: "DejaVu Sans".into(), ..Default::default() };
        let fonts = options.fontdb_mut();
        fonts.load_font_data(dejavu::sans::regular().to_vec());
        fonts.load_font_data(dejavu::sans::bold().to_vec());
        fonts.set_sans_serif_family("DejaVu Sans");
        options
    })
}

/// Registers the embedded font once per process.
pub fn register_fonts() {
    FONTS.call_once(|| {
        // The embedded files are valid fonts; a failure here is a build defect, shown on first use.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// 1 234 567 (sv, with a narrow no-break space) or 1,234,567 (en), with `decimals` decimals.
pub fn number(value: f64, decimals: usize, lang: Lang) -> String {
    finsam_plugin::format::number(value, decimals, lang.into())
}

/// A share as per cent: "65,2 %" (sv) or "65.2%" (en).
pub fn percent(share: f64, decimals: usize, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!("{}\u{a0}%", number(share * 100.0, decimals, lang)),
        Lang::En => format!("{}%", number(share * 100.0, decimals, lang)),
    }
}

/// Money: "1 234 567 kr" (sv) or "SEK 1,234,567" (en).
pub fn sek(value: f64, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!("{}\u{a0}kr", number(value.round(), 0, lang)),
        Lang::En => format!("SEK {}", number(value.round(), 0, lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_and_english_numbers() {
        assert_eq!(number(1_234_567.0, 0, Lang::Sv), "1\u{202f}234\u{202f}567");
        assert_eq!(number(1_234_567.0, 0, Lang::En), "1,234,567");
        assert_eq!(percent(0.652, 1, Lang::Sv), "65,2\u{a0}%");
        assert_eq!(percent(0.652, 1, Lang::En), "65.2%");
        assert_eq!(sek(1234.4, Lang::Sv), "1\u{202f}234\u{a0}kr");
        assert_eq!(number(-0.04, 1, Lang::Sv), "−0,0".replace("−", ""));
        assert_eq!(number(-12.5, 1, Lang::Sv), "−12,5");
        assert_eq!(number(999.0, 0, Lang::Sv), "999");
    }
}
