//! RMSE per epoch on a log axis, with the floor as a reference line.

use super::*;

/// Everything the RMSE chart needs.
pub struct LossChart<'a> {
    pub runs: &'a [LossRun<'a>],
    /// Drawn as a horizontal reference line.
    pub floor_rmse: Option<f64>,
    /// "best straight line", or "best plane" for two inputs (`equation::floor_name`).
    pub floor_name: &'a str,
}

/// One run on the RMSE chart. Non-finite and non-positive values are skipped.
pub struct LossRun<'a> {
    pub label: &'a str,
    /// √(the epoch's mean training loss) in user units, per epoch: Keras' epoch loss, an
    /// average over batches while the weights moved.
    pub epoch_loss: &'a [f32],
    /// (epoch, RMSE) of exact passes: every example through the weights as they were
    /// after that epoch, predictions rounded — the figure the page's headline shows.
    pub exact: &'a [(f64, f64)],
    /// √(Keras' val_loss) per epoch in user units, when a test set is held out (else empty).
    pub test_loss: &'a [f32],
}

/// Ticks for a log axis in [lo, hi]: 1-2-3-5 per decade when they fit in `max`, thinning
/// down to every decade or every k-th decade — plotters' own log ticks label only the
/// powers of ten, often just one on an RMSE chart that spans less than two decades.
pub(super) fn log_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
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
/// Returns where the plot landed (x in epochs, y on a log axis).
pub fn draw_loss_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LossChart,
    look: &Look,
) -> Result<Frame, PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let size = font_size(root.dim_in_pixel().1, look);
    let thick = (size / 6).max(2);
    let positive = |p: &(usize, f64)| p.1.is_finite() && p.1 > 0.0;
    let curves: Vec<Vec<(usize, f64)>> = chart
        .runs
        .iter()
        .map(|run| run.epoch_loss.iter().enumerate().map(|(i, &r)| (i + 1, r as f64)).filter(positive).collect())
        .collect();
    // Exact passes are taken at whole epochs; anything else is dropped, not drawn.
    let whole = |&(epoch, rmse): &(f64, f64)| (epoch.fract() == 0.0 && epoch >= 0.0).then_some((epoch as usize, rmse));
    let exact: Vec<Vec<(usize, f64)>> =
        chart.runs.iter().map(|run| run.exact.iter().filter_map(whole).filter(positive).collect()).collect();
    let tests: Vec<Vec<(usize, f64)>> = chart
        .runs
        .iter()
        .map(|run| run.test_loss.iter().enumerate().map(|(i, &r)| (i + 1, r as f64)).filter(positive).collect())
        .collect();
    let floor = chart.floor_rmse.filter(|f| f.is_finite() && *f > 0.0);
    let values = curves.iter().chain(&exact).chain(&tests).flatten().map(|p| p.1).chain(floor);
    let (lo, hi) = values.fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (1.0, 10.0) };
    // At least a factor of 15, so identical values still get a decade tick.
    let (lo, hi) = (lo / 1.5, (hi * 1.5).max(lo * 10.0).min(f64::MAX));
    let epochs = chart.runs.iter().map(|r| r.epoch_loss.len()).max().unwrap_or(0).max(2);
    let epochs = exact.iter().flatten().map(|p| p.0).fold(epochs, usize::max);
    // Epoch 0 is shown when an exact RMSE was taken before any training: where it started.
    let first = if exact.iter().flatten().any(|p| p.0 == 0) { 0 } else { 1 };

    let mut legend = Legend::default();
    let dot = thick + 2;
    for (((run, curve), exact), color) in chart.runs.iter().zip(&curves).zip(&exact).zip(RUNS) {
        if !curve.is_empty() {
            legend.add(&format!("{}: training loss per epoch", run.label), Swatch::Line(color, thick + 1));
        }
        if !exact.is_empty() {
            legend.add(&format!("{}: exact RMSE", run.label), Swatch::Ring(color, dot));
        }
    }
    for ((run, test), color) in chart.runs.iter().zip(&tests).zip(RUNS) {
        if !test.is_empty() {
            legend.add(&format!("{}: test loss per epoch", run.label), Swatch::Dashed(color, thick));
        }
    }
    if let Some(f) = floor {
        legend.add(&format!("{}: {}", chart.floor_name, compact(f)), Swatch::Dashed(FLOOR, thick));
    }
    let area = legend_strip(root, &legend, size)?;
    let mut plot = ChartBuilder::on(&area)
        .margin(size / 2)
        .margin_right(size * 3 / 2)
        .x_label_area_size(size * 3)
        .y_label_area_size(size * 4)
        .build_cartesian_2d(first..epochs, (lo..hi).log_scale().with_key_points(log_ticks(lo, hi, 8)))
        .map_err(failed)?;
    let frame = Frame::of(&plot, [first as f64, epochs as f64, lo, hi], true);
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
    for ((points, exact), color) in curves.into_iter().zip(exact).zip(RUNS) {
        let style = line_style(color, thick + 1);
        // The latest epoch as a small mark: the live end of the curve, and all there is
        // after one epoch.
        if let Some(&last) = points.last() {
            plot.draw_series(std::iter::once(Circle::new(last, thick, color.filled()))).map_err(failed)?;
        }
        plot.draw_series(LineSeries::new(points, style)).map_err(failed)?;
        let ring = ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: 2 };
        plot.draw_series(exact.into_iter().map(|p| Circle::new(p, dot, ring))).map_err(failed)?;
    }
    for (test, color) in tests.into_iter().zip(RUNS) {
        if test.len() > 1 {
            plot.draw_series(std::iter::once(dashed(test, thick, line_style(color, thick)))).map_err(failed)?;
        }
    }
    if let Some(f) = floor {
        let style = line_style(FLOOR, thick);
        plot.draw_series(std::iter::once(dashed(vec![(first, f), (epochs, f)], thick, style))).map_err(failed)?;
    }
    root.present().map_err(failed)?;
    Ok(frame)
}
