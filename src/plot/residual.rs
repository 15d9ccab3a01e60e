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
) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let size = font_size(root.dim_in_pixel().1);
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
    let mut plot = x_chart(root, size, x_max, (-span, span), "target − prediction", 6)?;
    if chart.data_x_max < x_max {
        shade_unseen(&mut plot, chart.data_x_max, x_max, (-span, span))?;
    }
    let mut labelled = false;
    let mut draw = |series: &[(f64, f64)], style: ShapeStyle, label: String| -> Result<(), PlotError> {
        for (i, run) in runs(series, x_max, (-span, span)).into_iter().enumerate() {
            let drawn = plot.draw_series(LineSeries::new(run, style)).map_err(failed)?;
            if i == 0 {
                drawn
                    .label(unbreakable(&label))
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
                labelled = true;
            }
        }
        Ok(())
    };
    draw(&floor, line_style(FLOOR, thick), format!("left by the {}", chart.floor_name))?;
    for ((series, network), color) in left.iter().zip(chart.networks).zip(RUNS) {
        draw(series, line_style(color, thick), format!("left by the {}", network.label))?;
    }
    legend(&mut plot, labelled, SeriesLabelPosition::UpperRight, size)?;
    root.present().map_err(failed)
}
