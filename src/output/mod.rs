//! The sinks of a run's events (`sink`): the terminal (`human`, `progress`), `--format json`,
//! `junit` and `github`, and the results file of `--output`.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod progress;
pub mod results_file;
pub mod sink;
mod unknowns;

pub use sink::{RunEnd, Sink, SinkError, TrialEvent};

use crate::results::Trial;
use crate::verdict::Outcome;
use std::collections::BTreeMap;

/// Counts per outcome, and (with a baseline) how many of the failing trials it knows.
#[derive(Default, Clone, Debug)]
pub struct Summary {
    pub counts: BTreeMap<Outcome, usize>,
    pub total: usize,
    /// The run had a baseline: the summary names its known failures.
    pub baseline: bool,
    /// Failing trials that match the baseline, per outcome (also counted in `counts`).
    pub known: BTreeMap<Outcome, usize>,
}

impl Summary {
    pub fn of(results: &[Trial]) -> Summary {
        Summary::of_outcomes(results.iter().map(|r| r.outcome))
    }
    pub fn of_outcomes(outcomes: impl IntoIterator<Item = Outcome>) -> Summary {
        let mut s = Summary::default();
        for o in outcomes {
            *s.counts.entry(o).or_default() += 1;
            s.total += 1;
        }
        s
    }
    /// With a baseline: every trial's outcome, and whether the baseline knows its failure.
    pub fn with_baseline(outcomes: impl IntoIterator<Item = (Outcome, bool)>) -> Summary {
        let mut s = Summary {
            baseline: true,
            ..Summary::default()
        };
        for (o, known) in outcomes {
            *s.counts.entry(o).or_default() += 1;
            s.total += 1;
            if known {
                *s.known.entry(o).or_default() += 1;
            }
        }
        s
    }
    pub fn count(&self, o: Outcome) -> usize {
        self.counts.get(&o).copied().unwrap_or(0)
    }
    /// Trials of this outcome the baseline does not know.
    pub fn new_count(&self, o: Outcome) -> usize {
        self.count(o) - self.known.get(&o).copied().unwrap_or(0)
    }
    /// Failing trials that match the baseline.
    pub fn known_total(&self) -> usize {
        self.known.values().sum()
    }
    pub fn failed(&self) -> bool {
        self.counts.iter().any(|(o, n)| o.is_failure() && *n > 0)
    }
}

/// `server2003, vista, win7`, in version order.
pub fn version_list(versions: jetconform_interface::VersionSet) -> String {
    versions
        .iter()
        .map(jetconform_interface::WinVersion::id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `print!` that ignores a closed stdout (`jetconform diff | head`) instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `println!` that ignores a closed stdout.
macro_rules! sayln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

pub(crate) use {say, sayln};
