//! The event path of a run: every finished trial goes, on one thread, to every sink of the
//! run. A sink keeps only what its output needs of each trial (a passing trial costs the
//! human output nothing), and writes its output when the run ends.
//!
//! A new output format is one file with a `Sink` and one line where the CLI picks the sinks.

use super::Summary;
use crate::baseline::Judgement;
use crate::plan::Ordered;
use crate::results::Trial;

/// One finished trial. Trials arrive in the order they finish; `index` is the trial's place
/// in the plan, which is the order outputs print them in (`Ordered` restores it).
pub struct TrialEvent<'a> {
    pub index: usize,
    pub trial: &'a Trial,
    /// A failing trial whose failing steps all match the run's baseline.
    pub known: bool,
}

/// The end of a run: what every sink may print last.
pub struct RunEnd<'a> {
    pub summary: &'a Summary,
    pub seconds: f64,
    /// The baseline's judgement of the whole run, when the run has a baseline.
    pub baseline: Option<&'a Judgement>,
    /// The run was interrupted: why, and how much of it ran (`interrupted by SIGINT: 12 of
    /// 540 planned trials ran`). Outputs say their results are partial.
    pub interrupted: Option<&'a str>,
}

/// A sink that could not write its output.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {what}: {source}")]
pub struct SinkError {
    pub what: String,
    pub source: std::io::Error,
}

/// A consumer of a run's events.
pub trait Sink {
    /// One finished trial.
    fn trial(&mut self, event: &TrialEvent);
    /// Whether this sink keeps whole trials: then, after every sink has seen a trial, it
    /// gets the trial itself in `keep` (a copy only when several sinks keep them).
    fn keeps_whole(&self) -> bool {
        false
    }
    /// Whether this sink reads the call text or the expectation of steps that passed. When
    /// no sink of a run does, passing steps are recorded without them
    /// (`exec::StepDetail::NotPassing`), which saves rendering them for every step.
    fn reads_passing_steps(&self) -> bool {
        true
    }
    /// The whole trial, for a sink that `keeps_whole`, with its place in the plan.
    fn keep(&mut self, index: usize, trial: Trial) {
        let _ = (index, trial);
    }
    /// The run ended: write the output.
    fn end(&mut self, end: &RunEnd) -> Result<(), SinkError>;
}

/// Keeps every trial whole, for callers that want them all (reports, live diffs).
#[derive(Default)]
pub struct Collect {
    trials: Ordered<Trial>,
}

impl Collect {
    /// Every trial, in plan order.
    pub fn into_trials(mut self) -> Vec<Trial> {
        self.trials.take().collect()
    }
}

impl Sink for Collect {
    fn trial(&mut self, _: &TrialEvent) {}
    fn keeps_whole(&self) -> bool {
        true
    }
    fn keep(&mut self, index: usize, trial: Trial) {
        self.trials.push(index, trial);
    }
    fn end(&mut self, _: &RunEnd) -> Result<(), SinkError> {
        Ok(())
    }
}
