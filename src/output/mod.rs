//! The sinks of a run's events (`sink`): the terminal (`human`, `progress`), `--format json`,
//! `junit` and `github`, and the results file of `--output`.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod progress;
pub mod results_file;
pub mod sink;

pub use sink::{RunEnd, Sink, SinkError, TrialEvent};

use crate::results::Trial;
use crate::verdict::Outcome;
use std::collections::BTreeMap;

/// Counts per outcome.
#[derive(Default, Clone, Debug)]
pub struct Summary {
    pub counts: BTreeMap<Outcome, usize>,
    pub total: usize,
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
    pub fn count(&self, o: Outcome) -> usize {
        self.counts.get(&o).copied().unwrap_or(0)
    }
    pub fn failed(&self) -> bool {
        self.counts.iter().any(|(o, n)| o.is_failure() && *n > 0)
    }
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
