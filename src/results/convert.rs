//! From what the executor produced (`TrialResult`) to the results-file shape.

use super::{Expected, Step, StepOutcome, Trial, TrialOutcome};
use crate::exec::{StepRecord, TrialResult};
use crate::verdict::{Outcome, StepVerdict};

/// The conversion by value: the strings and observations move instead of being copied, so a
/// run converting each trial as it ends never holds both forms of a trial's steps.
pub fn into_trial(r: TrialResult) -> Trial {
    Trial {
        name: r.name,
        scenario: r.scenario,
        file: r.file,
        runner: r.runner,
        version: r.version,
        outcome: outcome(r.outcome),
        reason: r.reason,
        duration_us: r.duration_us,
        steps: r.steps.into_iter().map(step).collect(),
    }
}

pub fn outcome(o: Outcome) -> TrialOutcome {
    match o {
        Outcome::Pass => TrialOutcome::Pass,
        Outcome::Fail => TrialOutcome::Fail,
        Outcome::Unknown => TrialOutcome::Unknown,
        Outcome::Skip => TrialOutcome::Skip,
        Outcome::Error => TrialOutcome::Error,
        Outcome::Crashed => TrialOutcome::Crashed,
        Outcome::Timeout => TrialOutcome::Timeout,
    }
}

fn step(s: StepRecord) -> Step {
    let (verdict, reason) = match s.verdict {
        StepVerdict::Pass => (StepOutcome::Pass, None),
        StepVerdict::Fail(w) => (StepOutcome::Fail, Some(w)),
        StepVerdict::Unknown => (StepOutcome::Unknown, None),
        StepVerdict::Error(w) => (StepOutcome::Error, Some(w)),
    };
    Step {
        step: s.step,
        fixture: s.fixture,
        file: s.file,
        line: s.line,
        col: s.col,
        function: s.function.name().to_string(),
        call: s.call,
        item: s.item,
        iterations: s.iterations,
        expected: s.expected.map(|e| Expected {
            outcome: e.outcome,
            code: e.code,
            provenance: e.provenance,
            note: e.note,
            line: e.line,
        }),
        observed: s.observed,
        verdict,
        reason,
    }
}
