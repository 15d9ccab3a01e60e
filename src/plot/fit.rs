//! The main chart: the target, the training data, each network's curve, the best straight
//! line (the floor), the collapsed line and the relu kinks, in the user's units.

use super::*;

/// Everything the main chart needs, in the user's units.
pub struct FitChart<'a> {
    /// Legend label of the true function, e.g. "target y = x²".
    pub target_label: &'a str,
    /// The x axis spans [0, x_max]; anything beyond it is not drawn.
    pub x_max: f64,
    /// The training data spans x up to here; the rest of the axis is shaded (extrapolation).
    pub data_x_max: f64,
    /// The target at data_x_max: the chart's natural height.
    pub y_max: f64,
    /// The true function as a polyline.
    pub target: &'a [(f64, f64)],
    /// Training examples, already subsampled.
    pub points: &'a [(f64, f64)],
    /// The network and, in twin mode, its twin (drawn in `RUNS` colours).
    pub networks: &'a [Series<'a>],
    /// Best straight line (slope, intercept): the floor.
    pub floor_line: Option<(f64, f64)>,
    /// What the floor is called: "best straight line", or for two inputs "best plane" (drawn
    /// along the slice shown); see `equation::floor_name`.
    pub floor_name: &'a str,
    /// The collapsed line of whichever network is all-linear.
    pub collapse_line: Option<(f64, f64)>,
    /// x of the relu kinks, marked as ticks along the bottom.
    pub breakpoints: &'a [f64],
}

/// The y range shown: the target's natural range (with 0 and y_max), widened for a network
/// or a line that over- or undershoots, but never by more than half that range on either
/// side, so a diverging network cannot flatten everything else into a line.
fn fit_y_range(chart: &FitChart, x_max: f64) -> (f64, f64) {
    let in_view = |p: &&(f64, f64)| (0.0..=x_max).contains(&p.0) && p.1.is_finite();
    let natural = chart.target.iter().chain(chart.points).filter(in_view).map(|p| p.1);
    let natural = natural.chain(Some(chart.y_max).filter(|y| y.is_finite()));
    let (lo, hi) = natural.fold((0.0f64, 0.0f64), |(lo, hi), y| (lo.min(y), hi.max(y)));
    let span = if (hi - lo).is_finite() && hi > lo { hi - lo } else { lo.abs().max(1.0) };
    let ends = |(a, b): (f64, f64)| [b, a * x_max + b];
    let lines = [chart.floor_line, chart.collapse_line].into_iter().flatten().flat_map(ends);
    let predictions = chart.networks.iter().flat_map(|n| n.points).filter(in_view).map(|p| p.1);
    let extra = predictions.chain(lines.filter(|y| y.is_finite()));
    let (wide_lo, wide_hi) = extra.fold((lo, lo + span), |(lo, hi), y| (lo.min(y), hi.max(y)));
    let (lo, hi) = (wide_lo.max(lo - 0.5 * span), wide_hi.min(lo + 1.5 * span));
    let pad = 0.02 * (hi - lo);
    if (lo - pad).is_finite() && (hi + pad).is_finite() && hi > lo {
        (lo - pad, hi + pad)
    } else {
        (0.0, 1.0)
    }
}

/// The main chart: target, training data, the network's curve and the straight lines.
/// Returns where the plot landed, for the page's readouts and annotations.
pub fn draw_fit_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &FitChart,
    look: &Look,
) -> Result<Frame, PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let size = font_size(root.dim_in_pixel().1, look);
    let thick = (size / 6).max(2);
    let x_max = if chart.x_max.is_finite() && chart.x_max > 0.0 { chart.x_max } else { 1.0 };
    let (lo, hi) = fit_y_range(chart, x_max);
    let view = (lo, hi);

    // What is drawn, worked out first: the legend lists exactly what is on the chart.
    let unseen = chart.data_x_max < x_max;
    let target = runs(chart.target, x_max, view);
    let collapse = chart.collapse_line.and_then(|l| clip_line(l, x_max, view));
    let networks: Vec<_> = chart.networks.iter().map(|n| runs(n.points, x_max, view)).collect();
    let kinks: Vec<f64> = chart.breakpoints.iter().copied().filter(|x| (0.0..=x_max).contains(x)).collect();
    let in_view = |p: &&(f64, f64)| (0.0..=x_max).contains(&p.0) && (lo..=hi).contains(&p.1);
    let dots: Vec<(f64, f64)> = chart.points.iter().filter(in_view).copied().collect();
    let floor = chart.floor_line.and_then(|l| clip_line(l, x_max, view));
    let dot = (size / 5).max(2);

    let mut legend = Legend::default();
    if unseen {
        legend.add("no training data", Swatch::Shade(UNSEEN.mix(0.3)));
    }
    if !target.is_empty() {
        legend.add(chart.target_label, Swatch::Line(TARGET, thick));
    }
    if collapse.is_some() {
        legend.add("collapsed to one line", Swatch::Line(COLLAPSE, thick + 3));
    }
    for ((network, runs), color) in chart.networks.iter().zip(&networks).zip(RUNS) {
        if !runs.is_empty() {
            legend.add(network.label, Swatch::Line(color, thick + 1));
        }
    }
    if !kinks.is_empty() {
        legend.add("relu kinks", Swatch::Line(NETWORK, thick));
    }
    if !dots.is_empty() {
        legend.add("training data", Swatch::Dot(POINTS.filled().color, dot + 1));
    }
    if floor.is_some() {
        legend.add(&format!("{} (the floor)", chart.floor_name), Swatch::Dashed(FLOOR, thick));
    }

    let area = legend_strip(root, &legend, size)?;
    let mut plot = x_chart(&area, size, x_max, view, "y", 8)?;
    let frame = Frame::of(&plot, [0.0, x_max, lo, hi], false);
    if unseen {
        shade_unseen(&mut plot, chart.data_x_max, x_max, view)?;
    }
    let mut lines = |runs: Vec<Vec<(f64, f64)>>, style: ShapeStyle| -> Result<(), PlotError> {
        for run in runs {
            plot.draw_series(LineSeries::new(run, style)).map_err(failed)?;
        }
        Ok(())
    };
    lines(target, line_style(TARGET, thick))?;
    // The collapsed line sits under the network's curve, one pixel wider each side: when the
    // network is all-linear the two coincide and the purple rim shows it.
    lines(collapse.into_iter().collect(), line_style(COLLAPSE, thick + 3))?;
    for (runs, color) in networks.into_iter().zip(RUNS) {
        lines(runs, line_style(color, thick + 1))?;
    }
    // Relu kinks as short ticks standing on the bottom edge.
    let (style, tick) = (line_style(NETWORK, thick), 0.05 * (hi - lo));
    plot.draw_series(kinks.into_iter().map(|x| PathElement::new(vec![(x, lo), (x, lo + tick)], style)))
        .map_err(failed)?;
    // Dots over the lines, translucent so the target shows through.
    plot.draw_series(dots.into_iter().map(|p| Circle::new(p, dot, POINTS.mix(0.5).filled()))).map_err(failed)?;
    // The floor is dashed and drawn last, so it stays visible when a network lies on it.
    if let Some(ends) = floor {
        plot.draw_series(std::iter::once(dashed(ends, thick, line_style(FLOOR, thick)))).map_err(failed)?;
    }
    root.present().map_err(failed)?;
    Ok(frame)
}
