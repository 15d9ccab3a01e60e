//! What is left to explain: target − prediction along x.

use super::*;

/// What is left to explain, target − prediction along x: a straight line leaves a
/// parabola, relu a sawtooth.
pub struct ResidualChart<'a> {
    pub x_max: f64,
    pub data_x_max: f64,
    /// The target, on the same x grid as every network's points.
    pub target: &'a [(f64, f64)],
    pub networks: &'a [Series<'a>],
    pub floor_line: Option<(f64, f64)>,
    /// "best straight line", or "best plane" for two inputs (`equation::floor_name`).
    pub floor_name: &'a str,
}

/// target − prediction along x for each network and for the best straight line, on an axis
/// symmetric around zero and sized by what happens over the data.
pub fn draw_residual_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ResidualChart,
    look: &Look,
) -> Result<Frame, PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let size = font_size(root.dim_in_pixel().1, look);
    let thick = (size / 6).max(2);
    let x_max = if chart.x_max.is_finite() && chart.x_max > 0.0 { chart.x_max } else { 1.0 };
    let floor: Vec<(f64, f64)> = match chart.floor_line {
        Some((a, b)) => chart.target.iter().map(|&(x, t)| (x, t - (a * x + b))).collect(),
        None => Vec::new(),
    };
    let left: Vec<Vec<(f64, f64)>> = chart
        .networks
        .iter()
        .map(|n| chart.target.iter().zip(n.points).map(|(&(x, t), &(_, p))| (x, t - p)).collect())
        .collect();
    let over_data = |r: &Vec<(f64, f64)>| {
        let inside = r.iter().filter(|p| p.0 <= chart.data_x_max && p.1.is_finite());
        inside.fold(0.0f64, |m, p| m.max(p.1.abs()))
    };
    let span = left.iter().chain([&floor]).map(over_data).fold(0.0f64, f64::max);
    let span = if span > 0.0 && span.is_finite() { span * 1.15 } else { 1.0 };
    let view = (-span, span);
    let floor = runs(&floor, x_max, view);
    let left: Vec<_> = left.iter().map(|series| runs(series, x_max, view)).collect();
    let mut legend = Legend::default();
    if !floor.is_empty() {
        legend.add(&format!("left by the {}", chart.floor_name), Swatch::Line(FLOOR, thick));
    }
    for ((runs, network), color) in left.iter().zip(chart.networks).zip(RUNS) {
        if !runs.is_empty() {
            legend.add(&format!("left by the {}", network.label), Swatch::Line(color, thick));
        }
    }
    let area = legend_strip(root, &legend, size)?;
    let mut plot = x_chart(&area, size, x_max, view, "target − prediction", 6)?;
    let frame = Frame::of(&plot, [0.0, x_max, -span, span], false);
    if chart.data_x_max < x_max {
        shade_unseen(&mut plot, chart.data_x_max, x_max, view)?;
    }
    let styles = std::iter::once(line_style(FLOOR, thick)).chain(RUNS.map(|c| line_style(c, thick)));
    for (runs, style) in std::iter::once(floor).chain(left).zip(styles) {
        for run in runs {
            plot.draw_series(LineSeries::new(run, style)).map_err(failed)?;
        }
    }
    root.present().map_err(failed)?;
    Ok(frame)
}
