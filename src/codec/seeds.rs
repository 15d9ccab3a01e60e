//! The link's `seeds` (a sweep over N seeds): read like any whole number, then bounded by
//! the sweep's total work once every field that sets that work has been read.

use super::values::int;
use super::ConfigNote;
use crate::experiment::{limits, Experiment};
use crate::sweep::MULTIPLY_ADDS_PER_WORK;

/// `seeds=N`, N clamped into MIN_SEEDS..=MAX_SEEDS (noted).
pub(super) fn read_seeds(e: &mut Experiment, v: &str, notes: &mut Vec<ConfigNote>) {
    if let Some(n) = int("seeds", v, limits::MIN_SEEDS as u64, limits::MAX_SEEDS as u64, notes) {
        e.seeds = Some(n as u32);
    }
}

/// Omitted without a sweep.
pub(super) fn write_seeds(e: &Experiment) -> Option<String> {
    e.seeds.map(|n| n.to_string())
}

/// A sweep may take no more work than the largest run allowed alone: too many seeds for
/// this experiment are cut to the most it may have (none, if even two are too many), and
/// the note gives the estimate and the smaller number.
pub(super) fn bound_seeds(e: &mut Experiment, notes: &mut Vec<ConfigNote>) {
    let Some(n) = e.seeds else { return };
    if e.sweep_work() <= limits::MAX_SWEEP_WORK {
        return;
    }
    let max = e.max_seeds();
    let madds = |work: u64| format!("{:.1e}", work as f64 * MULTIPLY_ADDS_PER_WORK);
    let why = format!(
        "would take about {} multiply-adds ({} per seed), more than the {} allowed",
        madds(e.sweep_work()),
        madds(e.seed_work()),
        madds(limits::MAX_SWEEP_WORK)
    );
    let to = if max >= limits::MIN_SEEDS { max.to_string() } else { "no sweep (one run)".to_string() };
    notes.push(ConfigNote::Clamped { field: "seeds", value: n.to_string(), to, why });
    e.seeds = (max >= limits::MIN_SEEDS).then_some(max);
}
