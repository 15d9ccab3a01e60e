//! A sweep in figures and words: each seed's line, the summary (median and spread, how
//! many seeds became what) and its sentences, and the CSV export. The words are made from
//! the counts, so they always say what the dots show.

use super::{RunResult, SeedResult};
use crate::outcome::Outcome;
use std::fmt::Write;

/// Median, smallest and largest of some values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// The middle value; for an even count, the mean of the two middle ones.
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    /// Of the finite values only; `None` if there are none.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
        let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = match n {
            0 => return None,
            _ if n % 2 == 1 => v[n / 2],
            _ => 0.5 * (v[n / 2 - 1] + v[n / 2]),
        };
        Some(Spread { median, min: v[0], max: v[n - 1] })
    }
}

/// The runs of a sweep (its main runs, or its twins) summed up.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub runs: usize,
    /// Runs per outcome, in `Outcome::ALL` order.
    pub counts: [usize; Outcome::ALL.len()],
    /// Constant runs in which a whole relu layer was off for every example.
    pub dead_layer_constants: usize,
    /// Final RMSE over the runs that did not diverge.
    pub rmse: Option<Spread>,
    /// Final RMSE ÷ the floor of the run's own sample.
    pub ratio: Option<Spread>,
}

impl Summary {
    pub fn of<'a>(runs: impl IntoIterator<Item = &'a RunResult>) -> Summary {
        let runs: Vec<&RunResult> = runs.into_iter().collect();
        let mut counts = [0; Outcome::ALL.len()];
        for r in &runs {
            counts[r.outcome.code() as usize] += 1;
        }
        let ok = || runs.iter().filter(|r| r.outcome != Outcome::Diverged);
        Summary {
            runs: runs.len(),
            counts,
            dead_layer_constants: runs
                .iter()
                .filter(|r| r.outcome == Outcome::Constant && r.evidence.dead_relu_layer)
                .count(),
            rmse: Spread::of(ok().map(|r| r.final_rmse())),
            ratio: Spread::of(ok().map(|r| r.evidence.ratio())),
        }
    }

    /// The main runs of a sweep.
    pub fn of_runs(results: &[SeedResult]) -> Summary {
        Summary::of(results.iter().map(|r| &r.run))
    }

    /// The twin runs of a sweep, if it has twins.
    pub fn of_twins(results: &[SeedResult]) -> Option<Summary> {
        let twins: Vec<&RunResult> = results.iter().filter_map(|r| r.twin.as_ref()).collect();
        (!twins.is_empty()).then(|| Summary::of(twins))
    }

    pub fn count(&self, outcome: Outcome) -> usize {
        self.counts[outcome.code() as usize]
    }

    /// One sentence per outcome that occurred, in `Outcome::ALL` order, then the spread:
    /// "17 of 20 seeds bend below the best straight line." "3 of 20 seeds collapsed to a
    /// constant: every unit of a relu layer died." "Final RMSE 1,020 to 310,200 (median
    /// 3,050): 0.014× to 1.04× the best straight line (median 0.041×)."
    pub fn sentences(&self) -> Vec<String> {
        let mut out: Vec<String> = Outcome::ALL
            .into_iter()
            .filter(|&o| self.count(o) > 0)
            .map(|o| {
                let n = self.count(o);
                let subject = match (n, self.runs) {
                    (1, 1) => "The one seed".to_string(),
                    (n, runs) if n == runs => format!("All {runs} seeds"),
                    (n, runs) => format!("{n} of {runs} seeds"),
                };
                let (singular, plural) = self.predicate(o);
                format!("{subject} {}.", if n == 1 { singular } else { plural })
            })
            .collect();
        if let (Some(rmse), Some(ratio)) = (self.rmse, self.ratio) {
            let mut s = if rmse.min == rmse.max {
                format!("Final RMSE {}", number(rmse.median))
            } else {
                format!("Final RMSE {} to {} (median {})", number(rmse.min), number(rmse.max), number(rmse.median))
            };
            // A floor of 0 (a linear target, the sum) makes no ratio worth printing.
            if ratio.median.is_finite() {
                if ratio.min == ratio.max {
                    let _ = write!(s, ": {}× the best straight line", times(ratio.median));
                } else {
                    let _ = write!(
                        s,
                        ": {}× to {}× the best straight line (median {}×)",
                        times(ratio.min),
                        times(ratio.max),
                        times(ratio.median)
                    );
                }
            }
            s.push('.');
            out.push(s);
        }
        out
    }

    /// The sentences as one paragraph.
    pub fn words(&self) -> String {
        self.sentences().join(" ")
    }

    /// What a run with this outcome did, after "N of M seeds" (singular, plural).
    fn predicate(&self, outcome: Outcome) -> (String, String) {
        let same = |s: &str| (s.to_string(), s.to_string());
        match outcome {
            Outcome::Bends => ("bends below the best straight line".into(), "bend below the best straight line".into()),
            Outcome::Straight => (
                "ends as a straight line, never below the best one".into(),
                "end as a straight line, never below the best one".into(),
            ),
            Outcome::Curved => (
                "curves but stays above the best straight line".into(),
                "curve but stay above the best straight line".into(),
            ),
            Outcome::Constant => {
                let n = self.count(Outcome::Constant);
                match self.dead_layer_constants {
                    d if d == n && n == 1 => same("collapsed to a constant: every unit of a relu layer died"),
                    d if d == n => same("collapsed to a constant: in each, every unit of a relu layer died"),
                    0 => same("collapsed to a constant"),
                    d => same(&format!("collapsed to a constant ({d} with every unit of a relu layer dead)")),
                }
            }
            Outcome::Diverged => same("diverged: the loss became NaN or infinite"),
        }
    }
}

/// The sweep as CSV: `seed,final_rmse,floor_rmse,outcome,epochs`, and
/// `twin_final_rmse,twin_outcome,twin_epochs` when it has twins. Numbers in full
/// precision (Rust's shortest round-trip form; NaN for a diverged run).
pub fn csv(results: &[SeedResult]) -> String {
    let twins = results.iter().any(|r| r.twin.is_some());
    let mut out = String::from("seed,final_rmse,floor_rmse,outcome,epochs");
    if twins {
        out.push_str(",twin_final_rmse,twin_outcome,twin_epochs");
    }
    out.push('\n');
    for r in results {
        let run = &r.run;
        let _ =
            write!(out, "{},{},{},{},{}", r.seed, run.final_rmse(), r.floor_rmse, run.outcome.name(), run.epochs_run);
        if twins {
            match &r.twin {
                Some(t) => _ = write!(out, ",{},{},{}", t.final_rmse(), t.outcome.name(), t.epochs_run),
                None => out.push_str(",,,"),
            }
        }
        out.push('\n');
    }
    out
}

impl SeedResult {
    /// One line of the CLI's table: seed, final RMSE, × floor, outcome, epochs (and the
    /// twin's RMSE, × floor and outcome).
    pub fn line(&self) -> String {
        let cells = |r: &RunResult| {
            format!(
                "RMSE {:>11}  {:>7}× floor  {:<27}",
                number(r.final_rmse()),
                times(r.evidence.ratio()),
                r.outcome.label()
            )
        };
        let mut s = format!("seed {:>10}  {}  {:>5} epochs", self.seed, cells(&self.run), self.run.epochs_run);
        if let Some(t) = &self.twin {
            let _ = write!(s, "  | twin: {}", cells(t).trim_end());
        }
        s
    }
}

/// An RMSE for people: whole numbers with thousands separators from 1,000 up, else three
/// significant digits.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x.abs() < 1000.0 {
        return significant(x, 3);
    }
    let digits = format!("{:.0}", x.abs());
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if x < 0.0 {
        grouped.insert(0, '-');
    }
    grouped
}

/// A ratio to the floor: three significant digits ("1.02", "0.0143", "14.5").
pub fn times(x: f64) -> String {
    significant(x, 3)
}

/// `x` with `digits` significant digits, no exponent, trailing zeros kept ("1.00").
fn significant(x: f64, digits: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (digits - 1 - magnitude).max(0) as usize;
    let s = format!("{x:.decimals$}");
    // Rounding may have added a digit (9.996 → "10.00"): one decimal fewer then.
    if decimals > 0 && s.trim_start_matches('-').replace('.', "").trim_start_matches('0').len() > digits as usize {
        format!("{x:.prec$}", prec = decimals - 1)
    } else {
        s
    }
}
