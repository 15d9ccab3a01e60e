//! Every plotters call — the fit, RMSE, residual and hidden-unit charts — generic over `DrawingBackend`, so
//! the page draws them on a canvas (plotters-canvas) and native tests render them to SVG.
//!
//! Nothing here may panic on any input: NaN, infinities, empty series and huge values are
//! skipped or clipped to the view *before* plotters sees them, because plotters clips
//! nothing itself — an off-chart point becomes a saturated pixel coordinate, and a dashed
//! line to it would take billions of dashes.
//!
//! Text needs no font feature: the backends draw it (SVG `<text>`, canvas `fillText`) and
//! plotters measures it with a crude estimate natively and a DOM `<span>` in the browser —
//! so on wasm32 these functions need a `window` (the main thread, not a worker), and legend
//! labels use no-break spaces (see `unbreakable`).

use plotters::chart::SeriesAnno;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::{CoordTranslate, Shift};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use std::fmt;

/// One network's curve with its legend label; non-finite values break the line.
#[derive(Clone, Copy)]
pub struct Series<'a> {
    pub label: &'a str,
    pub points: &'a [(f64, f64)],
}

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
    /// The collapsed line of whichever network is all-linear.
    pub collapse_line: Option<(f64, f64)>,
    /// x of the relu kinks, marked as ticks along the bottom.
    pub breakpoints: &'a [f64],
}

/// Everything the RMSE chart needs.
pub struct LossChart<'a> {
    /// Label and RMSE per epoch (user units) of each run; non-finite and non-positive
    /// entries are skipped.
    pub runs: &'a [(&'a str, &'a [f32])],
    /// Drawn as a horizontal reference line.
    pub floor_rmse: Option<f64>,
}

/// What is left to explain, target − prediction along x: a straight line leaves a
/// parabola, relu a sawtooth.
pub struct ResidualChart<'a> {
    pub x_max: f64,
    pub data_x_max: f64,
    /// The target, on the same x grid as every network's points.
    pub target: &'a [(f64, f64)],
    pub networks: &'a [Series<'a>],
    pub floor_line: Option<(f64, f64)>,
}

/// Every unit of one hidden layer over x: `values` is points × units, row-major.
pub struct UnitsChart<'a> {
    pub xs: &'a [f64],
    pub units: usize,
    pub values: &'a [f32],
}

/// A drawing failure, with the backend's message.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotError(pub String);

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "drawing failed: {}", self.0)
    }
}

impl std::error::Error for PlotError {}

/// plotters' errors are generic over the backend's error type; keep only the message.
fn failed<E: fmt::Display>(e: E) -> PlotError {
    PlotError(e.to_string())
}

// Colours chosen to stay distinct on a washed-out projector and for red-green colour blindness.
const TARGET: RGBColor = RGBColor(40, 40, 40);
const POINTS: RGBColor = RGBColor(60, 140, 200);
const NETWORK: RGBColor = RGBColor(230, 85, 13);
const FLOOR: RGBColor = RGBColor(31, 90, 180);
const COLLAPSE: RGBColor = RGBColor(148, 52, 190);
const TWIN: RGBColor = RGBColor(0, 150, 136);
/// The network's and the twin's colours, in `networks` order.
const RUNS: [RGBColor; 2] = [NETWORK, TWIN];
const UNSEEN: RGBColor = RGBColor(120, 120, 140);
const GRID: RGBColor = RGBColor(225, 225, 225);

/// Text size that scales with the canvas, so a 2× (HiDPI) canvas gets 2× text.
fn font_size(height: u32) -> u32 {
    (height / 28).clamp(13, 40)
}

/// 1 234 567 → "1.23M", 0.002 → "2e-3": axis labels that fit and read at a glance.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() || v == 0.0 {
        return if v == 0.0 { "0".into() } else { String::new() };
    }
    if !(1e-2..1e15).contains(&a) {
        // Beyond the suffixes: scientific, with the mantissa's trailing zeros dropped.
        let s = format!("{v:.2e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        return format!("{}e{exponent}", trim_zeros(mantissa));
    }
    let (scaled, suffix) = match a {
        a if a >= 1e12 => (v / 1e12, "T"),
        a if a >= 1e9 => (v / 1e9, "G"),
        a if a >= 1e6 => (v / 1e6, "M"),
        a if a >= 1e3 => (v / 1e3, "k"),
        _ => (v, ""),
    };
    // Three significant digits at most.
    let decimals = if scaled.abs() >= 100.0 {
        0
    } else if scaled.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{}{suffix}", trim_zeros(&format!("{scaled:.decimals$}")))
}

fn trim_zeros(number: &str) -> &str {
    if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    }
}

/// The part of y = a·x + b with x in [0, x_max] and y in [lo, hi], if any.
fn clip_line((a, b): (f64, f64), x_max: f64, (lo, hi): (f64, f64)) -> Option<Vec<(f64, f64)>> {
    if !(a.is_finite() && b.is_finite()) {
        return None;
    }
    let (mut from, mut to) = (0.0f64, x_max);
    if a != 0.0 {
        // Where the line leaves the view through its bottom and top edges.
        let (xa, xb) = ((lo - b) / a, (hi - b) / a);
        from = from.max(xa.min(xb));
        to = to.min(xa.max(xb));
    } else if !(lo..=hi).contains(&b) {
        return None;
    }
    (from < to).then(|| vec![(from, a * from + b), (to, a * to + b)])
}

/// Runs of consecutive drawable points: a NaN or an x outside [0, x_max] breaks the line,
/// and y is clamped to the view so a runaway value runs along the chart's edge.
fn runs(series: &[(f64, f64)], x_max: f64, (lo, hi): (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for &(x, y) in series {
        if (0.0..=x_max).contains(&x) && y.is_finite() {
            runs.last_mut().expect("never empty").push((x, y.clamp(lo, hi)));
        } else if !runs.last().expect("never empty").is_empty() {
            runs.push(Vec::new());
        }
    }
    runs.retain(|r| r.len() > 1);
    runs
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

fn line_style(color: RGBColor, width: u32) -> ShapeStyle {
    ShapeStyle { color: color.to_rgba(), filled: true, stroke_width: width }
}

/// Dashes scale with the line so they read at any canvas size.
fn dashed<C: Clone>(points: Vec<C>, width: u32, style: ShapeStyle) -> DashedPathElement<std::vec::IntoIter<C>, i32> {
    DashedPathElement::new(points, 4 * width as i32, 3 * width as i32, style)
}

type XyChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Axes over x in [0, x_max] and y in (lo, hi), with compact labels and a light grid.
fn x_chart<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    size: u32,
    x_max: f64,
    (lo, hi): (f64, f64),
    y_desc: &str,
    y_labels: usize,
) -> Result<XyChart<'a, DB>, PlotError> {
    let mut plot = ChartBuilder::on(root)
        .margin(size / 2)
        .margin_right(size * 3 / 2) // room for half of the last x label
        .x_label_area_size(size * 3)
        .y_label_area_size(size * 4)
        .build_cartesian_2d(0.0..x_max, lo..hi)
        .map_err(failed)?;
    plot.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(8)
        .y_labels(y_labels)
        .label_style(("sans-serif", size))
        .x_label_formatter(&|v| compact(*v))
        .y_label_formatter(&|v| compact(*v))
        .x_desc("x")
        .y_desc(y_desc)
        .draw()
        .map_err(failed)?;
    Ok(plot)
}

/// Shades x beyond the training data: what a network draws there is extrapolation.
fn shade_unseen<'a, 'p, DB: DrawingBackend + 'a>(
    plot: &'p mut XyChart<'a, DB>,
    data_x_max: f64,
    x_max: f64,
    (lo, hi): (f64, f64),
) -> Result<&'p mut SeriesAnno<'a, DB>, PlotError> {
    let shade = UNSEEN.mix(0.1).filled();
    plot.draw_series(std::iter::once(Rectangle::new([(data_x_max.max(0.0), lo), (x_max, hi)], shade))).map_err(failed)
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
            .label(unbreakable("best straight line (the floor)"))
            .legend(move |(x, y)| dashed(vec![(x, y), (x + 20, y)], 2, style));
        labelled = true;
    }
    legend(&mut plot, labelled, SeriesLabelPosition::UpperLeft, size)?;
    root.present().map_err(failed)
}

/// A legend label with no-break spaces. In the browser plotters sizes text with a `<span>`
/// appended to `<body>`; that span wraps at spaces whenever the body's flow leaves it little
/// room, and the legend box then comes out too narrow and too tall for the text.
fn unbreakable(label: &str) -> String {
    label.replace(' ', "\u{a0}")
}

/// The legend, when anything was labelled: plotters would draw an empty box.
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    plot: &mut ChartContext<'a, DB, CT>,
    labelled: bool,
    position: SeriesLabelPosition,
    size: u32,
) -> Result<(), PlotError> {
    if !labelled {
        return Ok(());
    }
    let mut style = plot.configure_series_labels();
    style.position(position).background_style(WHITE.mix(0.85)).border_style(GRID).label_font(("sans-serif", size));
    style.draw().map_err(failed)
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
            .label(unbreakable(&format!("best straight line: {}", compact(f))))
            .legend(move |(x, y)| dashed(vec![(x, y), (x + 20, y)], 2, style));
    }
    legend(&mut plot, chart_has_series, SeriesLabelPosition::UpperRight, size)?;
    root.present().map_err(failed)
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
    draw(&floor, line_style(FLOOR, thick), "left by the best straight line".into())?;
    for ((series, network), color) in left.iter().zip(chart.networks).zip(RUNS) {
        draw(series, line_style(color, thick), format!("left by the {}", network.label))?;
    }
    legend(&mut plot, labelled, SeriesLabelPosition::UpperRight, size)?;
    root.present().map_err(failed)
}

/// Thumbnails of every unit of a hidden layer over x, 16 to a row — TensorFlow
/// Playground's neurons, in 1-D. A unit that is zero everywhere (a dead relu) is grey.
pub fn draw_units_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &UnitsChart,
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
        plot.draw_series(LineSeries::new(line, line_style(color, 2))).map_err(failed)?;
    }
    root.present().map_err(failed)
}
