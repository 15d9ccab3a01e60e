//! Two-input tasks over the (x₁, x₂) square, TensorFlow Playground's output heatmap for
//! regression: the network's prediction on a sequential colour scale with the target's
//! contour lines, the training points and the first layer's relu kinks on top; and the
//! residual, target − prediction, on a diverging scale centred on zero. Each has a colour
//! bar stating its scale.

use super::colormap::{diverging, sequential};
use super::*;
use crate::contour::{self, Segment};
use crate::surface::SurfaceGrid;

/// Target contour lines drawn over the prediction.
pub const CONTOUR_LEVELS: usize = 7;
/// Finer grids are refused (n² cells are drawn one by one); the page uses at most 64.
pub const MAX_DRAWN_GRID: usize = 256;

/// The network's prediction over the square, in user units.
pub struct SurfaceChart<'a> {
    /// The caption, e.g. "prediction of the relu network".
    pub title: &'a str,
    /// The square and its n × n cells; every series below is row-major over it.
    pub grid: SurfaceGrid,
    pub prediction: &'a [f64],
    /// The true function on the same cells: its contour lines, and the colour scale's range.
    pub target: &'a [f64],
    /// The training inputs span [1, data_max]²; beyond it a larger square is shaded.
    pub data_max: f64,
    /// Training inputs (x₁, x₂), already subsampled.
    pub points: &'a [(f64, f64)],
    /// First-layer relu kinks, each a segment inside the square.
    pub kinks: &'a [Segment],
}

/// target − prediction over the square.
pub struct ResidualSurfaceChart<'a> {
    pub title: &'a str,
    pub grid: SurfaceGrid,
    pub residual: &'a [f64],
    pub data_max: f64,
}

const KINK: RGBColor = RGBColor(255, 255, 255);
const OUTLINE: RGBColor = RGBColor(20, 20, 20);
const SHADE: RGBAColor = RGBAColor(120, 120, 140, 0.35);

/// The finite (min, max) of some values, if any.
fn finite_range(values: &[f64]) -> Option<(f64, f64)> {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    (lo <= hi).then_some((lo, hi))
}

/// The prediction's colour range: the target's range, widened for a prediction that over- or
/// undershoots by at most half that range each side (as the fit chart's y axis), so one wild
/// cell cannot wash out the rest. Always finite with lo < hi.
fn value_range(target: &[f64], prediction: &[f64]) -> (f64, f64) {
    let Some((lo, hi)) = finite_range(target).or_else(|| finite_range(prediction)) else {
        return (0.0, 1.0);
    };
    let span = if hi > lo && (hi - lo).is_finite() { hi - lo } else { lo.abs().max(1.0) };
    let (p_lo, p_hi) = finite_range(prediction).unwrap_or((lo, hi));
    let (lo, hi) = (lo.min(p_lo).max(lo - 0.5 * span), hi.max(p_hi).min(lo + 1.5 * span));
    if lo < hi && (hi - lo).is_finite() {
        (lo, hi)
    } else {
        (lo - 1.0, lo + 1.0)
    }
}

/// The residual scale's half-width: the largest finite |residual| over the training square
/// (over every cell if none lies in it), so extrapolation does not wash out the fit.
fn residual_limit(grid: &SurfaceGrid, residual: &[f64], data_max: f64) -> f64 {
    let largest = |only_data: bool| {
        let mut m = 0.0f64;
        for (i, r) in residual.iter().enumerate().filter(|(_, r)| r.is_finite()) {
            let [x1, x2] = grid.point(i);
            if !only_data || (x1 <= data_max && x2 <= data_max) {
                m = m.max(r.abs());
            }
        }
        m
    };
    let inside = largest(true);
    let limit = if inside > 0.0 { inside } else { largest(false) };
    if limit > 0.0 && limit.is_finite() {
        limit
    } else {
        1.0
    }
}

/// Plot area and colour bar side by side: the bar takes a narrow strip on the right.
fn split<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    size: u32,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let width = root.dim_in_pixel().0;
    let bar = (size * 6).min(width / 3);
    root.split_horizontally(width.saturating_sub(bar))
}

/// Axes over the square with x₁ across and x₂ up, compact labels, no grid lines (the cells
/// cover the whole plot).
fn square_axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    size: u32,
    grid: &SurfaceGrid,
    title: &str,
) -> Result<XyChart<'a, DB>, PlotError> {
    let mut plot = ChartBuilder::on(area)
        .caption(title, ("sans-serif", size))
        .margin(size / 2)
        .x_label_area_size(size * 3)
        .y_label_area_size(size * 4)
        .build_cartesian_2d(grid.lo..grid.hi, grid.lo..grid.hi)
        .map_err(failed)?;
    plot.configure_mesh()
        .disable_x_mesh()
        .disable_y_mesh()
        .x_labels(6)
        .y_labels(6)
        .label_style(("sans-serif", size))
        .x_label_formatter(&|v| compact(*v))
        .y_label_formatter(&|v| compact(*v))
        .x_desc("x₁")
        .y_desc("x₂")
        .draw()
        .map_err(failed)?;
    Ok(plot)
}

/// One filled rectangle per cell, coloured by `colour`.
fn draw_cells<DB: DrawingBackend>(
    plot: &mut XyChart<DB>,
    grid: &SurfaceGrid,
    values: &[f64],
    colour: impl Fn(f64) -> RGBColor,
) -> Result<(), PlotError> {
    let h = (grid.hi - grid.lo) / grid.n as f64;
    let edge = |i: usize| grid.lo + i as f64 * h;
    let cells = values.iter().enumerate().map(|(index, &v)| {
        let (col, row) = (index % grid.n, index / grid.n);
        Rectangle::new([(edge(col), edge(row)), (edge(col + 1), edge(row + 1))], colour(v).filled())
    });
    plot.draw_series(cells).map_err(failed)?;
    Ok(())
}

/// True when the square reaches beyond the training range [lo, data_max]².
fn beyond_data(grid: &SurfaceGrid, data_max: f64) -> bool {
    data_max.is_finite() && data_max < grid.hi && data_max > grid.lo
}

/// Shades the part of the square beyond the training range, as the fit chart shades x
/// beyond the data: what the network shows there is extrapolation.
fn shade_beyond_data<DB: DrawingBackend>(
    plot: &mut XyChart<DB>,
    grid: &SurfaceGrid,
    data_max: f64,
) -> Result<(), PlotError> {
    if !beyond_data(grid, data_max) {
        return Ok(());
    }
    let (lo, hi) = (grid.lo, grid.hi);
    let beyond = [[(data_max, lo), (hi, hi)], [(lo, data_max), (data_max, hi)]];
    plot.draw_series(beyond.into_iter().map(|corners| Rectangle::new(corners, SHADE.filled()))).map_err(failed)?;
    Ok(())
}

/// Segments inside the square (up to rounding), finite ends only.
fn inside(segments: &[Segment], grid: &SurfaceGrid) -> Vec<Segment> {
    let slack = 1e-9 * (grid.hi - grid.lo);
    let ok = |p: (f64, f64)| {
        p.0.is_finite() && p.1.is_finite() && [p.0, p.1].iter().all(|v| *v >= grid.lo - slack && *v <= grid.hi + slack)
    };
    let clamp = |p: (f64, f64)| (p.0.clamp(grid.lo, grid.hi), p.1.clamp(grid.lo, grid.hi));
    segments.iter().filter(|(p, q)| ok(*p) && ok(*q)).map(|&(p, q)| (clamp(p), clamp(q))).collect()
}

/// A vertical bar of the colour scale over [lo, hi], labelled on its right, with short
/// marks at `marks` (the contour levels).
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    size: u32,
    caption: &str,
    (lo, hi): (f64, f64),
    colour: impl Fn(f64) -> RGBColor,
    marks: &[f64],
) -> Result<(), PlotError> {
    let mut bar = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", size))
        .margin(size / 2)
        .margin_left(0)
        .x_label_area_size(size * 3)
        .right_y_label_area_size(size * 3)
        .build_cartesian_2d(0.0..1.0, lo..hi)
        .map_err(failed)?;
    bar.configure_mesh()
        .disable_x_mesh()
        .disable_y_mesh()
        .x_labels(0)
        .y_labels(10)
        .label_style(("sans-serif", size))
        .y_label_formatter(&|v| compact(*v))
        .draw()
        .map_err(failed)?;
    const STEPS: usize = 64;
    let step = (hi - lo) / STEPS as f64;
    let strips = (0..STEPS).map(|i| {
        let (a, b) = (lo + i as f64 * step, lo + (i + 1) as f64 * step);
        Rectangle::new([(0.0, a), (1.0, b)], colour(0.5 * (a + b)).filled())
    });
    bar.draw_series(strips).map_err(failed)?;
    let marks = marks.iter().filter(|m| (lo..=hi).contains(*m));
    bar.draw_series(marks.map(|&m| PathElement::new(vec![(0.0, m), (0.35, m)], line_style(OUTLINE, 1))))
        .map_err(failed)?;
    Ok(())
}

/// True when the series fit the grid and the grid is drawable; otherwise only the frame is drawn.
fn drawable(grid: &SurfaceGrid, series: &[&[f64]]) -> bool {
    grid.n <= MAX_DRAWN_GRID
        && grid.lo.is_finite()
        && grid.hi.is_finite()
        && grid.lo < grid.hi
        && series.iter().all(|s| s.len() == grid.cells())
}

/// The prediction heatmap with the target's contours, the training points and the kinks.
pub fn draw_surface_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &SurfaceChart,
    look: &Look,
) -> Result<Frame, PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let size = font_size(root.dim_in_pixel().1, look);
    let thick = (size / 6).max(2);
    let grid = SurfaceGrid::new(chart.grid.lo, chart.grid.hi, chart.grid.n);
    if grid.n > MAX_DRAWN_GRID {
        return Err(PlotError(format!("a {}-cell grid is finer than {MAX_DRAWN_GRID} to draw", grid.n)));
    }
    // What is drawn, worked out first: the legend lists exactly what is on the chart.
    let ok = drawable(&grid, &[chart.prediction, chart.target]);
    let range = value_range(if ok { chart.target } else { &[] }, if ok { chart.prediction } else { &[] });
    let levels = if ok { contour::levels(chart.target, CONTOUR_LEVELS) } else { Vec::new() };
    let xs = grid.coordinates();
    let contours: Vec<Segment> = levels.iter().flat_map(|&l| contour::segments(chart.target, &xs, l)).collect();
    let kinks = inside(chart.kinks, &grid);
    let in_square = |p: &&(f64, f64)| (grid.lo..=grid.hi).contains(&p.0) && (grid.lo..=grid.hi).contains(&p.1);
    let dots: Vec<(f64, f64)> = chart.points.iter().filter(in_square).copied().collect();
    let (contour_width, kink_width, dot) = ((thick / 2).max(1), (thick / 2).max(1), (size / 5).max(2));

    let mut legend = Legend::default();
    if beyond_data(&grid, chart.data_max) {
        legend.add("no training data", Swatch::Shade(SHADE));
    }
    if !contours.is_empty() {
        legend.add("target contours", Swatch::Line(OUTLINE, contour_width));
    }
    if !kinks.is_empty() {
        legend.add("relu kinks (first layer)", Swatch::Cased { under: OUTLINE, over: KINK, width: kink_width });
    }
    if !dots.is_empty() {
        legend.add("training data", Swatch::Ring(OUTLINE, dot));
    }
    let area = legend_strip(root, &legend, size)?;
    let (main, side) = split(&area, size);
    let mut plot = square_axes(&main, size, &grid, chart.title)?;
    let frame = Frame::of(&plot, [grid.lo, grid.hi, grid.lo, grid.hi], false);
    if ok {
        draw_cells(&mut plot, &grid, chart.prediction, |v| sequential(v, range))?;
    }
    shade_beyond_data(&mut plot, &grid, chart.data_max)?;
    let style = line_style(OUTLINE, contour_width);
    plot.draw_series(contours.into_iter().map(|(p, q)| PathElement::new(vec![p, q], style))).map_err(failed)?;
    // Kinks: thin white dashes on a dark line, visible on every colour of the scale and
    // light enough that a 64-unit layer's lines do not hide the surface.
    let (under, over) = (line_style(OUTLINE, kink_width + 1), line_style(KINK, kink_width));
    plot.draw_series(kinks.iter().map(|&(p, q)| PathElement::new(vec![p, q], under))).map_err(failed)?;
    plot.draw_series(kinks.iter().map(|&(p, q)| dashed(vec![p, q], thick, over))).map_err(failed)?;
    let ring = ShapeStyle { color: OUTLINE.mix(0.7), filled: false, stroke_width: 1 };
    plot.draw_series(dots.into_iter().map(|p| Circle::new(p, dot, ring))).map_err(failed)?;
    colour_bar(&side, size, "y", range, |v| sequential(v, range), &levels)?;
    root.present().map_err(failed)?;
    Ok(frame)
}

/// target − prediction on a diverging scale symmetric about zero: white where the network is
/// right, orange where it is too low, blue where it is too high.
pub fn draw_residual_surface_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ResidualSurfaceChart,
    look: &Look,
) -> Result<Frame, PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let size = font_size(root.dim_in_pixel().1, look);
    let grid = SurfaceGrid::new(chart.grid.lo, chart.grid.hi, chart.grid.n);
    if grid.n > MAX_DRAWN_GRID {
        return Err(PlotError(format!("a {}-cell grid is finer than {MAX_DRAWN_GRID} to draw", grid.n)));
    }
    let mut legend = Legend::default();
    if beyond_data(&grid, chart.data_max) {
        legend.add("no training data", Swatch::Shade(SHADE));
    }
    let area = legend_strip(root, &legend, size)?;
    let (main, side) = split(&area, size);
    let mut plot = square_axes(&main, size, &grid, chart.title)?;
    let frame = Frame::of(&plot, [grid.lo, grid.hi, grid.lo, grid.hi], false);
    let ok = drawable(&grid, &[chart.residual]);
    let limit = if ok { residual_limit(&grid, chart.residual, chart.data_max) } else { 1.0 };
    if ok {
        draw_cells(&mut plot, &grid, chart.residual, |v| diverging(v, limit))?;
    }
    shade_beyond_data(&mut plot, &grid, chart.data_max)?;
    colour_bar(&side, size, "t − p", (-limit, limit), |v| diverging(v, limit), &[0.0])?;
    root.present().map_err(failed)?;
    Ok(frame)
}
