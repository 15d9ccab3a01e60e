//! A sweep's outcome per seed: each seed's final RMSE as a dot coloured by what the run
//! became, on a log axis, beside that seed's own floor (its sample's best straight line).

use super::*;
use crate::outcome::Outcome;
use crate::sweep::Spread;

/// One seed of a sweep, as drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepPoint {
    pub seed: u32,
    pub rmse: f64,
    /// This seed's floor: the best straight line through its own sample.
    pub floor: f64,
    pub outcome: Outcome,
    /// The twin's final RMSE and outcome, when the sweep has twins.
    pub twin: Option<(f64, Outcome)>,
}

pub struct SweepChart<'a> {
    /// Seeds done so far, in seed order; the axis has room for `seeds` of them.
    pub points: &'a [SweepPoint],
    pub seeds: usize,
    /// "best straight line" or "best plane".
    pub floor_name: &'a str,
}

/// Colour-blind-safe colours per outcome, in `Outcome::ALL` order.
pub fn outcome_colour(outcome: Outcome) -> RGBColor {
    match outcome {
        Outcome::Bends => RGBColor(33, 102, 172),
        Outcome::Straight => COLLAPSE,
        Outcome::Curved => RGBColor(230, 120, 20),
        Outcome::Constant => RGBColor(110, 110, 110),
        Outcome::Diverged => RGBColor(178, 24, 43),
    }
}

/// Dots per seed (x: the seed's place in the sweep), each seed's floor as a short dash, the
/// median as a dotted line. Returns the frame (x in seed places, y on a log axis).
pub fn draw_sweep_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &SweepChart,
    look: &Look,
) -> Result<Frame, PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let size = font_size(root.dim_in_pixel().1, look);
    let thick = (size / 6).max(2);
    let finite = |v: f64| v.is_finite() && v > 0.0;
    let values = chart.points.iter().flat_map(|p| [p.rmse, p.floor].into_iter().chain(p.twin.map(|t| t.0)));
    let (lo, hi) = values.filter(|&v| finite(v)).fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo / 1.6, (hi * 1.6).max(lo * 10.0)) } else { (1.0, 10.0) };
    let places = chart.seeds.max(chart.points.len()).max(1);
    let x_range = (-0.5, places as f64 - 0.5);

    let mut legend = Legend::default();
    let dot = (size / 3).max(4);
    for outcome in Outcome::ALL {
        if chart.points.iter().any(|p| p.outcome == outcome || p.twin.is_some_and(|t| t.1 == outcome)) {
            legend.add(outcome.label(), Swatch::Dot(outcome_colour(outcome).to_rgba(), dot));
        }
    }
    if chart.points.iter().any(|p| p.twin.is_some()) {
        legend.add("twin (ring)", Swatch::Ring(TARGET, dot));
    }
    if !chart.points.is_empty() {
        legend.add(&format!("each seed's {}", chart.floor_name), Swatch::Line(FLOOR, thick));
        legend.add("median", Swatch::Dashed(TARGET, 1));
    }
    let area = legend_strip(root, &legend, size)?;
    let mut plot = ChartBuilder::on(&area)
        .margin(size / 2)
        .margin_right(size * 3 / 2)
        .x_label_area_size(size * 3)
        .y_label_area_size(size * 4)
        .build_cartesian_2d(x_range.0..x_range.1, (lo..hi).log_scale().with_key_points(loss::log_ticks(lo, hi, 8)))
        .map_err(failed)?;
    let frame = Frame::of(&plot, [x_range.0, x_range.1, lo, hi], true);
    let seed_of = |x: f64| chart.points.get(x.round() as usize).map(|p| p.seed);
    plot.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(places.min(12))
        .label_style(("sans-serif", size))
        .x_label_formatter(&|x| {
            if x.fract() == 0.0 {
                seed_of(*x).map_or(String::new(), |s| s.to_string())
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| compact(*v))
        .x_desc("seed")
        .y_desc("final RMSE")
        .draw()
        .map_err(failed)?;
    let half = 0.35;
    for (i, p) in chart.points.iter().enumerate() {
        let x = i as f64;
        if finite(p.floor) {
            let style = line_style(FLOOR, thick);
            plot.draw_series(std::iter::once(PathElement::new(vec![(x - half, p.floor), (x + half, p.floor)], style)))
                .map_err(failed)?;
        }
        if finite(p.rmse) {
            let colour = outcome_colour(p.outcome);
            plot.draw_series(std::iter::once(Circle::new((x, p.rmse), dot, colour.filled()))).map_err(failed)?;
        }
        if let Some((rmse, outcome)) = p.twin.filter(|t| finite(t.0)) {
            let ring = ShapeStyle { color: outcome_colour(outcome).to_rgba(), filled: false, stroke_width: thick };
            plot.draw_series(std::iter::once(Circle::new((x, rmse), dot + 1, ring))).map_err(failed)?;
        }
    }
    let spread = Spread::of(chart.points.iter().map(|p| p.rmse).filter(|&v| finite(v)));
    if let Some(middle) = spread.map(|s| s.median) {
        let style = line_style(TARGET, 1);
        plot.draw_series(std::iter::once(dashed(vec![(x_range.0, middle), (x_range.1, middle)], 2, style)))
            .map_err(failed)?;
    }
    root.present().map_err(failed)?;
    Ok(frame)
}
