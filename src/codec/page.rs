//! How the page shows a run, carried in the link beside the experiment but never part of
//! it: none of these change what is trained, so two links that differ only here replay
//! the same run.

use super::values::{int, real};
use super::ConfigNote;

/// Fastest pace a link may ask for, in epochs per second (beyond it, "full speed" is meant).
pub const MAX_PACE: f32 = 1000.0;
pub const MIN_PACE: f32 = 0.1;
/// Tour steps a link may point at.
pub const MAX_TOUR_STEP: u64 = 20;
/// Most threads one run may share its steps between (`parallel::MAX_THREADS`).
pub const MAX_CORES: u64 = crate::parallel::MAX_THREADS as u64;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PageOptions {
    /// Epochs per second to train at, so a class can watch; `None`: full speed.
    pub pace: Option<f32>,
    /// The guided tour's step (1-based) to open at; `None`: no tour.
    pub tour: Option<u32>,
    /// The compact view for an `<iframe>`.
    pub embed: bool,
    /// Threads each run shares its steps between (www/parallel.js); `None`: the page decides
    /// (every core, when a step is big enough). The run is the same on any number.
    pub cores: Option<u32>,
}

/// The link keys of the page options, in canonical order.
pub const KEYS: [&str; 4] = ["pace", "tour", "embed", "cores"];

impl PageOptions {
    /// Reads one page key's value into the options, noting what it had to change.
    pub(super) fn read(&mut self, key: &str, value: &str, notes: &mut Vec<ConfigNote>) {
        match key {
            "pace" => self.pace = real("pace", value, MIN_PACE, MAX_PACE, notes),
            "tour" => self.tour = int("tour", value, 1, MAX_TOUR_STEP, notes).map(|step| step as u32),
            "embed" => self.embed = int("embed", value, 0, 1, notes) == Some(1),
            "cores" => self.cores = int("cores", value, 1, MAX_CORES, notes).map(|n| n as u32),
            _ => unreachable!("only KEYS are read as page options"),
        }
    }

    /// `&pace=…&tour=…&embed=1&cores=…` for the options that are set, or "".
    pub fn to_query_suffix(&self) -> String {
        let mut out = String::new();
        if let Some(pace) = self.pace {
            out.push_str(&format!("&pace={pace}"));
        }
        if let Some(step) = self.tour {
            out.push_str(&format!("&tour={step}"));
        }
        if self.embed {
            out.push_str("&embed=1");
        }
        if let Some(cores) = self.cores {
            out.push_str(&format!("&cores={cores}"));
        }
        out
    }
}
