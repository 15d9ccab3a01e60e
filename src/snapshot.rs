//! Everything the page and the CLI show of a run at one moment, made in one pass over
//! reusable buffers.
//!
//! Two kinds of figures, by cost:
//! - `Live`: the epoch, the curve on the chart's grid and the collapsed line — cheap
//!   enough for every animation frame.
//! - `Exact`: one forward pass over the whole training set and a few probe grids gives
//!   the question's RMSE and report, the collapse gap and the dead units together; then
//!   the relu kinks, the extrapolation error and the hidden units' outputs. For the
//!   largest networks that pass costs a second or more, so it is made in slices
//!   (`advance_exact`) that a worker interleaves with its messages.
//!
//! Every buffer is allocated in `Snapshotter::new`: taking snapshots allocates nothing, so
//! a long run's memory stays put (tests/allocation.rs).

use crate::analysis::{self, Affine, CollapseScratch, Report, REPORT_ROWS};
use crate::data::Dataset;
use crate::experiment::limits::MAX_INPUTS;
use crate::network::{Inference, Network};
use crate::pieces::{mark_alive, KinkTracer, Kinks, Traced};
use crate::slice::Slice;
use crate::target::Target;
use crate::train::{Status, Trainer};
use crate::Activation;
use ndarray::{s, Array2, ArrayView2};

/// Rows pushed through the network at a time: small enough that the buffers stay small
/// for 2048-wide layers (2 × 128 × 2048 floats), large enough for efficient products.
const CHUNK_ROWS: usize = 128;
/// Points on each extrapolation probe grid (inside the data's x range and beyond it).
const PROBE_POINTS: usize = 200;
/// Points per hidden-unit thumbnail.
pub const UNIT_POINTS: usize = 48;
/// Hidden layers up to this width get unit thumbnails.
pub const MAX_THUMBNAIL_UNITS: usize = 64;

/// What a snapshot is drawn over: the chart's x axis, its resolution, and for several
/// inputs the line through input space that x runs along.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// The x axis spans [0, x_max] in user units (the data reach `largest`).
    pub x_max: f64,
    pub curve_points: usize,
    pub slice: Slice,
}

impl View {
    /// The experiment's axis (`extent` × largest) along the diagonal, with fewer curve
    /// points for big networks, whose every forward pass is costly.
    pub fn of(trainer: &Trainer) -> View {
        let e = trainer.experiment();
        let curve_points = if e.parameter_count() > 50_000 { 100 } else { 240 };
        View { x_max: e.largest as f64 * e.extent as f64, curve_points, slice: Slice::Diagonal }
    }
}

/// The figures cheap enough for every frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Live {
    /// Completed epochs, and mini-batches done in the current one.
    pub epoch: usize,
    pub batch: usize,
    /// Mini-batches since the start (each one changed the weights).
    pub steps: u64,
    pub status: Status,
    /// (x, prediction) on the chart's grid, user units, unrounded.
    pub curve: Vec<[f64; 2]>,
    /// The one equivalent unit of an all-linear network, user units.
    pub collapse: Option<Affine>,
}

/// The figures of one full pass over the training set, and what it took them from.
#[derive(Clone, Debug, PartialEq)]
pub struct Exact {
    /// Exact passes completed so far (0: the fields below are still empty).
    pub count: u32,
    /// The epoch and step the pass saw.
    pub epoch: usize,
    pub steps: u64,
    /// The question's report: RMSE of the inverted (rounded) predictions over the training
    /// set, first rows.
    pub report: Report,
    /// The same RMSE over the held-out test set, when there is one.
    pub test_rmse: Option<f64>,
    /// Largest |network − its collapsed line| over the data; `None` unless all-linear.
    pub collapse_gap: Option<f64>,
    /// Relu units off for every training example.
    pub dead_units: usize,
    pub kinks: Kinks,
    /// RMSE against the target on a grid over the data's x range, and beyond it when the
    /// axis reaches further (extrapolation).
    pub rmse_inside: f64,
    pub rmse_outside: Option<f64>,
    /// Hidden-unit outputs of the layers with a width in `thumbnail_widths`, each
    /// `UNIT_POINTS` × units row-major, concatenated.
    pub units: Vec<f32>,
}

/// Where an exact pass is: which rows it has seen and what it has summed so far.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    Idle,
    /// Forward passes: training examples, then probe-grid rows, then unit-grid rows.
    Rows {
        row: usize,
    },
    /// Tracing the relu kinks.
    Kinks,
}

#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    /// Σ (expected − inverted prediction)² over the training set, and over the test set.
    report_sse: f64,
    test_sse: f64,
    gap: f64,
    inside_sse: f64,
    outside_sse: f64,
}

/// A grid of x along the view's slice (for one input, x itself): its x, the network's
/// inputs there, the target.
#[derive(Clone, Debug)]
struct Grid {
    xs: Vec<f64>,
    inputs: Array2<f32>,
    targets: Vec<f64>,
}

impl Grid {
    fn new(data: &Dataset, target: Target, slice: Slice, xs: Vec<f64>) -> Grid {
        let k = data.inputs();
        let mut inputs = Array2::<f32>::zeros((xs.len(), k));
        let mut targets = Vec::with_capacity(xs.len());
        for (&x, mut row) in xs.iter().zip(inputs.rows_mut()) {
            let mut raw = [0.0; MAX_INPUTS];
            slice.inputs_at(x, k, &mut raw);
            data.scaling.normalize_x(&raw[..k], row.as_slice_mut().expect("standard layout"));
            targets.push(target.eval(&raw[..k]));
        }
        Grid { xs, inputs, targets }
    }
}

/// The buffers and state for taking snapshots of one run.
pub struct Snapshotter {
    view: View,
    inference: Inference,
    collapse_scratch: CollapseScratch,
    tracer: KinkTracer,
    curve_grid: Grid,
    /// Inside the data's range, then beyond it (only when the axis reaches further).
    probe_grid: Grid,
    unit_grid: Grid,
    /// Per layer: did some training example switch each unit on (this pass)?
    alive: Vec<Vec<bool>>,
    phase: Phase,
    sums: Sums,
    live: Live,
    exact: Exact,
}

/// The curve's, the probes' and the unit thumbnails' grids for a view.
fn grids(trainer: &Trainer, view: View) -> [Grid; 3] {
    let (data, e) = (trainer.data(), trainer.experiment());
    let largest = e.largest as f64;
    let mut probe = crate::curves::grid(1.0, largest, PROBE_POINTS);
    if view.x_max > largest {
        probe.extend(crate::curves::grid(largest, view.x_max, PROBE_POINTS));
    }
    let grid = |xs| Grid::new(data, e.target(), view.slice, xs);
    [
        grid(crate::curves::grid(0.0, view.x_max, view.curve_points)),
        grid(probe),
        grid(crate::curves::grid(0.0, view.x_max, UNIT_POINTS)),
    ]
}

impl Snapshotter {
    pub fn new(trainer: &Trainer, view: View) -> Snapshotter {
        let (network, e) = (trainer.network(), trainer.experiment());
        let unit_floats: usize = thumbnail_widths(network).iter().map(|&w| w * UNIT_POINTS).sum();
        let [curve_grid, probe_grid, unit_grid] = grids(trainer, view);
        Snapshotter {
            view,
            inference: Inference::new(network, CHUNK_ROWS),
            collapse_scratch: CollapseScratch::new(network),
            tracer: KinkTracer::new(network),
            curve_grid,
            probe_grid,
            unit_grid,
            alive: network.layers.iter().map(|l| vec![false; l.units()]).collect(),
            phase: Phase::Idle,
            sums: Sums::default(),
            live: Live {
                epoch: 0,
                batch: 0,
                steps: 0,
                status: Status::Running,
                curve: Vec::with_capacity(view.curve_points),
                collapse: network
                    .layers
                    .iter()
                    .all(|l| l.activation.is_linear())
                    .then(|| Affine { weights: Vec::with_capacity(e.inputs), bias: 0.0 }),
            },
            exact: Exact {
                count: 0,
                epoch: 0,
                steps: 0,
                report: Report { rmse: f64::NAN, rows: Vec::with_capacity(REPORT_ROWS) },
                test_rmse: None,
                collapse_gap: None,
                dead_units: 0,
                kinks: Kinks::with_capacity(),
                rmse_inside: f64::NAN,
                rmse_outside: None,
                units: vec![0.0; unit_floats],
            },
        }
    }

    pub fn view(&self) -> View {
        self.view
    }

    /// Looks along another slice or axis from now on (rebuilds the grids; an exact pass
    /// under way is abandoned).
    pub fn set_view(&mut self, trainer: &Trainer, view: View) {
        let [curve_grid, probe_grid, unit_grid] = grids(trainer, view);
        (self.curve_grid, self.probe_grid, self.unit_grid) = (curve_grid, probe_grid, unit_grid);
        self.live.curve = Vec::with_capacity(view.curve_points);
        self.view = view;
        self.phase = Phase::Idle;
    }

    /// The latest exact figures (check `count`: 0 means none yet).
    pub fn exact(&self) -> &Exact {
        &self.exact
    }

    /// The live figures of the trainer as it is now.
    pub fn live(&mut self, trainer: &Trainer) -> &Live {
        let (network, data) = (trainer.network(), trainer.data());
        self.live.epoch = trainer.epoch();
        self.live.batch = trainer.batch_in_epoch();
        self.live.steps = trainer.steps();
        self.live.status = trainer.status();
        self.live.curve.clear();
        let grid = &self.curve_grid;
        for start in (0..grid.xs.len()).step_by(CHUNK_ROWS) {
            let rows = grid.inputs.slice(s![start..(start + CHUNK_ROWS).min(grid.xs.len()), ..]);
            let out = network.infer(rows, &mut self.inference, |_, _| {});
            let xs = &grid.xs[start..];
            self.live.curve.extend(xs.iter().zip(out.column(0)).map(|(&x, &y)| [x, data.scaling.denormalize_y(y)]));
        }
        if let Some(unit) = &mut self.live.collapse {
            analysis::collapse_into(network, &mut self.collapse_scratch, unit);
            analysis::to_user_units(unit, &data.scaling);
        }
        &self.live
    }

    /// Starts an exact pass over the trainer's current weights (restarting one under way).
    pub fn begin_exact(&mut self, trainer: &Trainer) {
        self.live(trainer);
        self.phase = Phase::Rows { row: 0 };
        self.sums = Sums::default();
        self.exact.report.rows.clear();
        self.alive.iter_mut().for_each(|layer| layer.fill(false));
        self.exact.epoch = trainer.epoch();
        self.exact.steps = trainer.steps();
    }

    /// True while an exact pass is under way.
    pub fn exact_pending(&self) -> bool {
        self.phase != Phase::Idle
    }

    /// Rows one exact pass pushes through the network: every example (training and test), the probe
    /// grids and the unit grid (its work is this × the parameter count, plus tracing).
    pub fn exact_rows(&self, trainer: &Trainer) -> usize {
        trainer.data().len() + self.probe_grid.xs.len() + self.unit_grid.xs.len()
    }

    /// How far the exact pass under way has got through its rows, 0..=1 (1 while tracing).
    pub fn exact_progress(&self, trainer: &Trainer) -> f64 {
        match self.phase {
            Phase::Idle | Phase::Kinks => 1.0,
            Phase::Rows { row } => row as f64 / self.exact_rows(trainer).max(1) as f64,
        }
    }

    /// Does up to about `max_work` more multiply-adds of the exact pass (at least one row
    /// or one step of tracing); true when the pass is complete and `exact()` holds its
    /// figures. If the weights changed since `begin_exact`, the pass starts over on the
    /// new ones.
    pub fn advance_exact(&mut self, trainer: &Trainer, max_work: u64) -> bool {
        if self.phase == Phase::Idle {
            return true;
        }
        if trainer.steps() != self.exact.steps {
            self.begin_exact(trainer);
        }
        let network = trainer.network();
        let per_row = network.parameter_count().max(1) as u64;
        let mut left = max_work.max(1);
        while let Phase::Rows { row } = self.phase {
            if left == 0 {
                return false;
            }
            let rows = (left / per_row).clamp(1, CHUNK_ROWS as u64) as usize;
            let taken = self.rows(trainer, row, rows);
            left = left.saturating_sub(taken as u64 * per_row);
            self.phase = if taken > 0 { Phase::Rows { row: row + taken } } else { self.begin_kinks(trainer) };
        }
        if self.phase == Phase::Kinks {
            if !self.tracer.advance(network, left) {
                return false;
            }
            self.tracer.result(&mut self.exact.kinks);
        }
        self.finish(trainer);
        true
    }

    /// After the rows: start tracing the kinks over the axis (pieces counted over the
    /// data), or note that this network has none to trace.
    fn begin_kinks(&mut self, trainer: &Trainer) -> Phase {
        let (network, data) = (trainer.network(), trainer.data());
        let data_range = (1.0, trainer.experiment().largest as f64);
        if self.tracer.begin(network, &data.scaling, (0.0, self.view.x_max), data_range) {
            Phase::Kinks
        } else {
            self.exact.kinks.traced = Traced::NotPiecewiseLinear;
            self.exact.kinks.breakpoints.clear();
            self.exact.kinks.pieces = 0;
            Phase::Idle
        }
    }

    /// The whole exact pass at once (the CLI, tests): begin, advance to the end.
    pub fn exact_now(&mut self, trainer: &Trainer) -> &Exact {
        self.begin_exact(trainer);
        while !self.advance_exact(trainer, u64::MAX) {}
        &self.exact
    }

    /// One chunk of at most `max` rows starting at pass row `row`: training examples
    /// first, then the probe grid, then the unit grid. Returns the rows taken (0: done).
    fn rows(&mut self, trainer: &Trainer, row: usize, max: usize) -> usize {
        let (network, data) = (trainer.network(), trainer.data());
        let n = data.len();
        let probes = self.probe_grid.xs.len();
        let units = self.unit_grid.xs.len();
        let train = data.train_rows;
        if row < train {
            let end = (row + max).min(train);
            self.data_rows(network, data, row, end);
            end - row
        } else if row < n {
            let end = (row + max).min(n);
            self.test_rows(network, data, row, end);
            end - row
        } else if row < n + probes {
            let (start, end) = (row - n, (row - n + max).min(probes));
            self.probe_rows(network, data, start, end);
            end - start
        } else if row < n + probes + units {
            let (start, end) = (row - n - probes, (row - n - probes + max).min(units));
            self.unit_rows(network, start, end);
            end - start
        } else {
            0
        }
    }

    /// Training examples [start, end): the report, the collapse gap and the dead units.
    fn data_rows(&mut self, network: &Network, data: &Dataset, start: usize, end: usize) {
        let alive = &mut self.alive;
        let out =
            network.infer(data.x.slice(s![start..end, ..]), &mut self.inference, |l, a| mark_alive(&mut alive[l], a));
        for (i, &y) in (start..end).zip(out.column(0)) {
            let (expected, prediction) = (data.raw_y[i], data.scaling.denormalize_y(y));
            let inverted = data.scaling.invert(y);
            self.sums.report_sse += (expected - inverted).powi(2);
            if self.exact.report.rows.len() < REPORT_ROWS {
                self.exact.report.rows.push((expected, inverted));
            }
            if let Some(line) = &self.live.collapse {
                let x = data.raw_x.row(i);
                let on_line = line.eval(x.as_slice().expect("standard layout"));
                self.sums.gap = self.sums.gap.max((prediction - on_line).abs());
            }
        }
    }

    /// Test examples [start, end): the same rounded error as the report, held apart.
    fn test_rows(&mut self, network: &Network, data: &Dataset, start: usize, end: usize) {
        let out = network.infer(data.x.slice(s![start..end, ..]), &mut self.inference, |_, _| {});
        for (i, &y) in (start..end).zip(out.column(0)) {
            self.sums.test_sse += (data.raw_y[i] - data.scaling.invert(y)).powi(2);
        }
    }

    /// Probe-grid rows [start, end): squared error to the target inside the data's x range
    /// (the first `PROBE_POINTS`) and beyond it.
    fn probe_rows(&mut self, network: &Network, data: &Dataset, start: usize, end: usize) {
        let grid = &self.probe_grid;
        let out = network.infer(grid.inputs.slice(s![start..end, ..]), &mut self.inference, |_, _| {});
        for (i, &y) in (start..end).zip(out.column(0)) {
            let error = (grid.targets[i] - data.scaling.denormalize_y(y)).powi(2);
            if i < PROBE_POINTS {
                self.sums.inside_sse += error;
            } else {
                self.sums.outside_sse += error;
            }
        }
    }

    /// Unit-grid rows [start, end): every thumbnail layer's outputs, copied out.
    fn unit_rows(&mut self, network: &Network, start: usize, end: usize) {
        let units = &mut self.exact.units;
        let mut offset = 0;
        let hidden = network.layers.len() - 1;
        network.infer(self.unit_grid.inputs.slice(s![start..end, ..]), &mut self.inference, |l, a: ArrayView2<f32>| {
            if l >= hidden || a.ncols() > MAX_THUMBNAIL_UNITS {
                return;
            }
            let width = a.ncols();
            let dest = &mut units[offset + start * width..offset + end * width];
            dest.iter_mut().zip(a.iter()).for_each(|(d, &v)| *d = v);
            offset += UNIT_POINTS * width;
        });
    }

    /// The pass has seen every row and traced the kinks: turn its sums into figures.
    fn finish(&mut self, trainer: &Trainer) {
        let (network, data) = (trainer.network(), trainer.data());
        self.phase = Phase::Idle;
        let exact = &mut self.exact;
        exact.report.rmse = (self.sums.report_sse / data.train_rows.max(1) as f64).sqrt();
        exact.test_rmse = (data.test_rows() > 0).then(|| (self.sums.test_sse / data.test_rows() as f64).sqrt());
        exact.collapse_gap = self.live.collapse.as_ref().map(|_| self.sums.gap);
        let relu = |l: usize| network.layers[l].activation == Activation::Relu;
        let hidden = network.layers.len() - 1;
        exact.dead_units =
            (0..hidden).filter(|&l| relu(l)).map(|l| self.alive[l].iter().filter(|on| !**on).count()).sum();
        exact.rmse_inside = (self.sums.inside_sse / PROBE_POINTS as f64).sqrt();
        exact.rmse_outside =
            (self.probe_grid.xs.len() > PROBE_POINTS).then(|| (self.sums.outside_sse / PROBE_POINTS as f64).sqrt());
        exact.count += 1;
    }
}

/// The exact figures of a trainer as it is now, in one go (allocates its buffers: for the
/// CLI and tests, not for a loop).
pub fn exact_of(trainer: &Trainer) -> Exact {
    Snapshotter::new(trainer, View::of(trainer)).exact_now(trainer).clone()
}

/// Per hidden layer, the width of its unit thumbnails: its units, or 0 when it is too wide
/// to show.
pub fn thumbnail_widths(network: &Network) -> Vec<usize> {
    let hidden = &network.layers[..network.layers.len() - 1];
    hidden.iter().map(|l| if l.units() <= MAX_THUMBNAIL_UNITS { l.units() } else { 0 }).collect()
}
