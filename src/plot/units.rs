//! Hidden-unit thumbnails: each unit's output over x.

use super::*;

/// Every unit of one hidden layer over x: `values` is points × units, row-major.
pub struct UnitsChart<'a> {
    pub xs: &'a [f64],
    pub units: usize,
    pub values: &'a [f32],
}

/// Thumbnails of every unit of a hidden layer over x, 16 to a row — TensorFlow
/// Playground's neurons, in 1-D. A unit that is zero everywhere (a dead relu) is grey.
pub fn draw_units_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &UnitsChart,
    look: &Look,
) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let points = chart.xs.len();
    if chart.units == 0 || points < 2 || chart.values.len() != points * chart.units {
        return root.present().map_err(failed);
    }
    let columns = chart.units.min(16);
    let cells = root.split_evenly((chart.units.div_ceil(columns), columns));
    let (x0, x1) = (chart.xs[0], chart.xs[points - 1]);
    for (unit, cell) in cells.iter().enumerate().take(chart.units) {
        let ys: Vec<f64> = (0..points).map(|p| chart.values[p * chart.units + unit] as f64).collect();
        let finite = ys.iter().copied().filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let pad = ((hi - lo) * 0.1).max(1e-6);
        let inner = cell.margin(2, 2, 2, 2);
        inner.fill(&RGBColor(248, 248, 250)).map_err(failed)?;
        let mut plot = ChartBuilder::on(&inner).build_cartesian_2d(x0..x1, (lo - pad)..(hi + pad)).map_err(failed)?;
        let color = if hi == lo { RGBColor(170, 170, 170) } else { NETWORK };
        let line: Vec<(f64, f64)> = chart.xs.iter().copied().zip(ys).filter(|p| p.1.is_finite()).collect();
        plot.draw_series(LineSeries::new(line, line_style(color, (2.0 * look.scale).round().max(1.0) as u32)))
            .map_err(failed)?;
    }
    root.present().map_err(failed)
}
