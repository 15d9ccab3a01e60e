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
pub fn draw_fit_chart<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &FitChart) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let size = font_size(root.dim_in_pixel().1);
    let thick = (size / 6).max(2);
    let x_max = if chart.x_max.is_finite() && chart.x_max > 0.0 { chart.x_max } else { 1.0 };
    let (lo, hi) = fit_y_range(chart, x_max);
    let mut plot = x_chart(root, size, x_max, (lo, hi), "y", 8)?;
    let mut labelled = false;
    if chart.data_x_max < x_max {
        shade_unseen(&mut plot, chart.data_x_max, x_max, (lo, hi))?
            .label(unbreakable("no training data"))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], UNSEEN.mix(0.3).filled()));
        labelled = true;
    }

    // Each polyline: label its first run only, so the legend has one entry per series.
    let mut lines = |runs: Vec<Vec<(f64, f64)>>, style: ShapeStyle, label: &str| -> Result<(), PlotError> {
        for (i, run) in runs.into_iter().enumerate() {
            let drawn = plot.draw_series(LineSeries::new(run, style)).map_err(failed)?;
            if i == 0 {
                drawn
                    .label(unbreakable(label))
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
                labelled = true;
            }
        }
        Ok(())
    };
    let straight = |line: Option<(f64, f64)>| -> Vec<Vec<(f64, f64)>> {
        line.and_then(|l| clip_line(l, x_max, (lo, hi))).into_iter().collect()
    };
    lines(runs(chart.target, x_max, (lo, hi)), line_style(TARGET, thick), chart.target_label)?;
    // The collapsed line sits under the network's curve, one pixel wider each side: when the
    // network is all-linear the two coincide and the purple rim shows it.
    lines(straight(chart.collapse_line), line_style(COLLAPSE, thick + 3), "collapsed to one line")?;
    for (network, color) in chart.networks.iter().zip(RUNS) {
        lines(runs(network.points, x_max, (lo, hi)), line_style(color, thick + 1), network.label)?;
    }

    // Relu kinks as short ticks standing on the bottom edge.
    let kinks: Vec<f64> = chart.breakpoints.iter().copied().filter(|x| (0.0..=x_max).contains(x)).collect();
    if !kinks.is_empty() {
        let (style, tick) = (line_style(NETWORK, thick), 0.05 * (hi - lo));
        plot.draw_series(kinks.into_iter().map(|x| PathElement::new(vec![(x, lo), (x, lo + tick)], style)))
            .map_err(failed)?
            .label(unbreakable("relu kinks"))
            .legend(move |(x, y)| PathElement::new(vec![(x + 10, y - 6), (x + 10, y + 6)], style));
    }

    // Dots over the lines, translucent so the target shows through.
    let in_view = |p: &&(f64, f64)| (0.0..=x_max).contains(&p.0) && (lo..=hi).contains(&p.1);
    let dots: Vec<(f64, f64)> = chart.points.iter().filter(in_view).copied().collect();
    let dot = (size / 5).max(2);
    if !dots.is_empty() {
        plot.draw_series(dots.into_iter().map(|p| Circle::new(p, dot, POINTS.mix(0.5).filled())))
            .map_err(failed)?
            .label(unbreakable("training data"))
            .legend(move |(x, y)| Circle::new((x + 10, y), dot + 1, POINTS.filled()));
        labelled = true;
    }

    // The floor is dashed and drawn last, so it stays visible when a network lies on it.
    if let Some(ends) = straight(chart.floor_line).pop() {
        let style = line_style(FLOOR, thick);
        plot.draw_series(std::iter::once(dashed(ends, thick, style)))
            .map_err(failed)?
            .label(unbreakable(&format!("{} (the floor)", chart.floor_name)))
            .legend(move |(x, y)| dashed(vec![(x, y), (x + 20, y)], 2, style));
        labelled = true;
    }
    legend(&mut plot, labelled, SeriesLabelPosition::UpperLeft, size)?;
    root.present().map_err(failed)
}
