//! RMSE per epoch on a log axis, with the floor as a reference line.

use super::*;

/// Everything the RMSE chart needs.
pub struct LossChart<'a> {
    /// Label and RMSE per epoch (user units) of each run; non-finite and non-positive
    /// entries are skipped.
    pub runs: &'a [(&'a str, &'a [f32])],
    /// Drawn as a horizontal reference line.
    pub floor_rmse: Option<f64>,
    /// "best straight line", or "best plane" for two inputs (`equation::floor_name`).
    pub floor_name: &'a str,
}

/// Ticks for a log axis in [lo, hi]: 1-2-3-5 per decade when they fit in `max`, thinning
/// down to every decade or every k-th decade — plotters' own log ticks label only the
/// powers of ten, often just one on an RMSE chart that spans less than two decades.
fn log_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let decades = lo.log10().floor() as i32..=hi.log10().ceil() as i32;
    let ticks = |mantissas: &[f64], every: usize| -> Vec<f64> {
        let values = decades.clone().step_by(every).flat_map(|d| mantissas.iter().map(move |m| m * 10f64.powi(d)));
        values.filter(|v| (lo..=hi).contains(v)).collect()
    };
    for mantissas in [&[1.0, 2.0, 3.0, 5.0][..], &[1.0, 2.0, 5.0], &[1.0, 3.0]] {
        let t = ticks(mantissas, 1);
        if t.len() <= max {
            return t;
        }
    }
    let every = ticks(&[1.0], 1).len().div_ceil(max).max(1);
    ticks(&[1.0], every)
}

/// RMSE per epoch on a log axis, with the floor as a dashed line: a linear network
/// flattens onto it, a relu network goes through it.
pub fn draw_loss_chart<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &LossChart) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let size = font_size(root.dim_in_pixel().1);
    let thick = (size / 6).max(2);
    let curves: Vec<Vec<(usize, f64)>> = chart
        .runs
        .iter()
        .map(|(_, history)| {
            let history = history.iter().enumerate().map(|(i, &r)| (i + 1, r as f64));
            history.filter(|p| p.1.is_finite() && p.1 > 0.0).collect()
        })
        .collect();
    let floor = chart.floor_rmse.filter(|f| f.is_finite() && *f > 0.0);
    let values = curves.iter().flatten().map(|p| p.1).chain(floor);
    let (lo, hi) = values.fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (1.0, 10.0) };
    // At least a factor of 15, so identical values still get a decade tick.
    let (lo, hi) = (lo / 1.5, (hi * 1.5).max(lo * 10.0).min(f64::MAX));
    let epochs = chart.runs.iter().map(|r| r.1.len()).max().unwrap_or(0).max(2);
    let chart_has_series = curves.iter().any(|c| !c.is_empty()) || floor.is_some();
    let mut plot = ChartBuilder::on(root)
        .margin(size / 2)
        .margin_right(size * 3 / 2) // room for half of the last x label
        .x_label_area_size(size * 3)
        .y_label_area_size(size * 4)
        .build_cartesian_2d(1..epochs, (lo..hi).log_scale().with_key_points(log_ticks(lo, hi, 8)))
        .map_err(failed)?;
    plot.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(8)
        .label_style(("sans-serif", size))
        .x_label_formatter(&|v| compact(*v as f64))
        .y_label_formatter(&|v| compact(*v))
        .x_desc("epoch")
        .y_desc("RMSE")
        .draw()
        .map_err(failed)?;
    for ((points, (label, _)), color) in curves.into_iter().zip(chart.runs).zip(RUNS) {
        let Some(&last) = points.last() else { continue };
        let style = line_style(color, thick + 1);
        plot.draw_series(LineSeries::new(points, style))
            .map_err(failed)?
            .label(unbreakable(label))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        // The latest epoch as a dot: the live end of the curve, and all there is after one epoch.
        plot.draw_series(std::iter::once(Circle::new(last, thick + 2, color.filled()))).map_err(failed)?;
    }
    if let Some(f) = floor {
        let style = line_style(FLOOR, thick);
        plot.draw_series(std::iter::once(dashed(vec![(1, f), (epochs, f)], thick, style)))
            .map_err(failed)?
            .label(unbreakable(&format!("{}: {}", chart.floor_name, compact(f))))
            .legend(move |(x, y)| dashed(vec![(x, y), (x + 20, y)], 2, style));
    }
    legend(&mut plot, chart_has_series, SeriesLabelPosition::UpperRight, size)?;
    root.present().map_err(failed)
}
