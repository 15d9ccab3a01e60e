//! The CLI's `--seeds`: which seeds to sweep, written as a range or a count.

use crate::experiment::limits::{MAX_SEEDS, MIN_SEEDS};

/// What `--seeds` said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedsArg {
    /// `A..B` (or `A..=B`): seeds A to B, both included — `1..20` is 20 seeds, as "seeds 1
    /// to 20" reads; the sweep starts at A whatever the experiment's seed.
    Range { first: u32, count: u32 },
    /// `N`: N seeds from the experiment's own seed (the link's `seeds=N`).
    Count(u32),
}

/// Parses `--seeds`. Strict: plain decimal numbers only, the end not before the start, and
/// MIN_SEEDS..=MAX_SEEDS seeds in all; every error says what was expected.
pub fn parse_seeds(text: &str) -> Result<SeedsArg, String> {
    let number = |s: &str, what: &str| -> Result<u32, String> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("--seeds {text:?}: the {what} {s:?} is not a whole number (e.g. 1..20 or 20)"));
        }
        s.parse::<u32>().map_err(|_| format!("--seeds {text:?}: the {what} {s} is more than {}", u32::MAX))
    };
    let count_ok = |count: u64| -> Result<u32, String> {
        if (MIN_SEEDS as u64..=MAX_SEEDS as u64).contains(&count) {
            Ok(count as u32)
        } else {
            Err(format!(
                "--seeds {text:?}: a sweep has {MIN_SEEDS} to {MAX_SEEDS} seeds, not {count} (one seed: --seed)"
            ))
        }
    };
    match text.split_once("..") {
        None => Ok(SeedsArg::Count(count_ok(number(text, "count")? as u64)?)),
        Some((start, end)) => {
            let end = end.strip_prefix('=').unwrap_or(end);
            let (first, last) = (number(start, "first seed")?, number(end, "last seed")?);
            if last < first {
                return Err(format!("--seeds {text:?}: the last seed is before the first"));
            }
            let count = count_ok(last as u64 - first as u64 + 1)?;
            Ok(SeedsArg::Range { first, count })
        }
    }
}
