//! Colour scales for the heatmaps, both readable with the common colour-vision deficiencies:
//! viridis for values (sequential, brightness rising with the value) and blue–white–orange
//! for signed residuals (diverging, white at zero).

use plotters::style::RGBColor;

/// Viridis (matplotlib's default map) at nine evenly spaced stops.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// Blue (negative) through near-white (zero) to orange (positive), ColorBrewer's RdBu blues
/// and PuOr oranges.
const BLUE_WHITE_ORANGE: [(u8, u8, u8); 5] =
    [(33, 102, 172), (103, 169, 207), (247, 247, 247), (253, 184, 99), (230, 97, 1)];

/// Cells with no finite value.
pub const MISSING: RGBColor = RGBColor(190, 190, 190);

/// Piecewise-linear interpolation between evenly spaced stops, t clamped to [0, 1].
fn interpolate(stops: &[(u8, u8, u8)], t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let scaled = t * (stops.len() - 1) as f64;
    let i = (scaled.floor() as usize).min(stops.len() - 2);
    let f = scaled - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + f * (b as f64 - a as f64)).round() as u8;
    let (a, b) = (stops[i], stops[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Where `value` sits on the sequential scale over [lo, hi] (clamped at the ends).
pub fn sequential(value: f64, (lo, hi): (f64, f64)) -> RGBColor {
    if !value.is_finite() {
        return MISSING;
    }
    let span = hi - lo;
    interpolate(&VIRIDIS, if span > 0.0 { (value - lo) / span } else { 0.5 })
}

/// Where `value` sits on the diverging scale over [−limit, limit]: white at 0.
pub fn diverging(value: f64, limit: f64) -> RGBColor {
    if !value.is_finite() {
        return MISSING;
    }
    let t = if limit > 0.0 { 0.5 + 0.5 * value / limit } else { 0.5 };
    interpolate(&BLUE_WHITE_ORANGE, t)
}
