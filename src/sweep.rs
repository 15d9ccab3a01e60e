//! A seed is one draw: a sweep trains the same experiment once per seed — `seed`,
//! `seed + 1`, …, `seed + N − 1`, wrapping past u32::MAX to 0 — and reports what each run
//! became (`outcome`), so one lucky or unlucky run is seen for what it is.
//!
//! Every seed's run is exactly the one its own link gives (`Experiment::members` are those
//! links' experiments): each run has its own trainer and random streams, and workers share
//! nothing but the queue of seeds. Natively the seeds are spread over `std::thread` workers;
//! the page spreads them over Web Workers and uses the same results, summary and words.

mod range;
mod report;

pub use range::{parse_seeds, SeedsArg};
pub use report::{csv, Spread, Summary};

use crate::experiment::{limits, ConfigError, Experiment};
use crate::outcome::{Evidence, Outcome};
use crate::train::Trainer;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Multiply-adds per unit of work (one parameter, one example, one epoch): the forward
/// product, and the backward products for the weights' and the inputs' gradients.
pub const MULTIPLY_ADDS_PER_WORK: f64 = 3.0;

impl Experiment {
    /// The seeds of the sweep in order (just `seed` without a sweep).
    pub fn sweep_seeds(&self) -> Vec<u32> {
        (0..self.seeds.unwrap_or(1)).map(|i| self.seed.wrapping_add(i)).collect()
    }

    /// One experiment per seed, each what that seed's own link gives: the same settings,
    /// its seed, and no sweep.
    pub fn members(&self) -> Vec<Experiment> {
        self.sweep_seeds().into_iter().map(|seed| Experiment { seed, seeds: None, ..self.clone() }).collect()
    }

    /// One seed's training work in parameter·example passes: (parameters + the twin's) ×
    /// examples × epochs. In u64, saturating: an unvalidated config may be absurd.
    pub fn seed_work(&self) -> u64 {
        let parameters =
            self.parameter_count() as u64 + self.twin_experiment().map_or(0, |t| t.parameter_count() as u64);
        parameters.saturating_mul(self.examples as u64).saturating_mul(self.epochs as u64)
    }

    /// The whole sweep's work (one seed's without a sweep); bounded by `MAX_SWEEP_WORK`.
    pub fn sweep_work(&self) -> u64 {
        self.seed_work().saturating_mul(self.seeds.unwrap_or(1) as u64)
    }

    /// The most seeds this experiment may be swept over: `MAX_SEEDS`, or fewer when its
    /// runs are heavy (below `MIN_SEEDS`: no sweep at all).
    pub fn max_seeds(&self) -> u32 {
        (limits::MAX_SWEEP_WORK / self.seed_work().max(1)).min(limits::MAX_SEEDS as u64) as u32
    }
}

/// Seconds that `work` parameter·example passes take at `gflops` GFLOP/s (a multiply-add
/// is 2 flops): the page's estimate for "this sweep would take about …".
pub fn seconds_at(work: u64, gflops: f64) -> f64 {
    work as f64 * MULTIPLY_ADDS_PER_WORK * 2.0 / (gflops * 1e9)
}

/// What one finished run became, and its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct RunResult {
    pub outcome: Outcome,
    pub evidence: Evidence,
    /// Completed epochs: all of them, unless training diverged.
    pub epochs_run: usize,
    /// Keras' epoch losses, one per completed epoch.
    pub loss_history: Vec<f32>,
}

impl RunResult {
    /// Measures a trainer that has stopped (finished or diverged).
    pub fn of(trainer: &Trainer) -> RunResult {
        let evidence = Evidence::of_trainer(trainer);
        RunResult {
            outcome: Outcome::of(&evidence),
            evidence,
            epochs_run: trainer.epoch(),
            loss_history: trainer.loss_history().to_vec(),
        }
    }

    /// The question's RMSE at the end of the run.
    pub fn final_rmse(&self) -> f64 {
        self.evidence.rmse
    }
}

/// One seed of a sweep: its run, and its twin's when the experiment has a twin (same seed,
/// data and batches, so the same floor).
#[derive(Clone, Debug, PartialEq)]
pub struct SeedResult {
    pub seed: u32,
    /// The best straight line's RMSE on this seed's sample.
    pub floor_rmse: f64,
    pub run: RunResult,
    pub twin: Option<RunResult>,
}

/// Trains one experiment (a sweep's member: its seed, no sweep) and its twin to the end.
pub fn train_seed(member: &Experiment) -> Result<SeedResult, ConfigError> {
    let train = |e: &Experiment| -> Result<RunResult, ConfigError> {
        let mut trainer = Trainer::new(e)?;
        trainer.run(|_| {});
        Ok(RunResult::of(&trainer))
    };
    let run = train(member)?;
    let twin = member.twin_experiment().map(|t| train(&t)).transpose()?;
    Ok(SeedResult { seed: member.seed, floor_rmse: run.evidence.floor, run, twin })
}

/// Worker threads to use by default: every core the OS gives this process.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Trains every seed of `experiment` on `threads` worker threads (at least one, at most one
/// per seed) and returns the results in seed order. `on_result` is called on this thread
/// for each seed in seed order, as soon as it and every seed before it are done.
///
/// The experiment is validated first; after that, a run cannot fail.
pub fn run(
    experiment: &Experiment,
    threads: usize,
    mut on_result: impl FnMut(&SeedResult),
) -> Result<Vec<SeedResult>, ConfigError> {
    experiment.validate()?;
    let members = experiment.members();
    let next = AtomicUsize::new(0);
    let mut done: Vec<Option<SeedResult>> = vec![None; members.len()];
    let mut reported = 0;
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel();
        for _ in 0..threads.clamp(1, members.len()) {
            let (sender, members, next) = (sender.clone(), &members, &next);
            scope.spawn(move || loop {
                // Each worker takes the next seed in line: a fast seed frees its worker early.
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(member) = members.get(i) else { break };
                let result = train_seed(member).expect("members of a valid experiment are valid");
                if sender.send((i, result)).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        for (i, result) in receiver {
            done[i] = Some(result);
            while let Some(Some(result)) = done.get(reported) {
                on_result(result);
                reported += 1;
            }
        }
    });
    Ok(done.into_iter().map(|r| r.expect("every seed was trained")).collect())
}
