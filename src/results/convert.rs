//! From what the executor produced (`TrialResult`) to the results-file shape.

use super::{Expected, Step, StepOutcome, Trial, TrialOutcome};
use crate::exec::{StepRecord, TrialResult};
use crate::verdict::{Outcome, StepVerdict};

pub fn from_trial_results(results: &[TrialResult]) -> Vec<Trial> {
    results.iter().map(from_trial_result).collect()
}

pub fn from_trial_result(r: &TrialResult) -> Trial {
    Trial {
        name: r.name.clone(),
        scenario: r.scenario.clone(),
        file: r.file.clone(),
        runner: r.runner.clone(),
        version: r.version,
        outcome: outcome(r.outcome),
        reason: r.reason.clone(),
        duration_us: r.duration_us,
        steps: r.steps.iter().map(step).collect(),
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

fn step(s: &StepRecord) -> Step {
    let (verdict, reason) = match &s.verdict {
        StepVerdict::Pass => (StepOutcome::Pass, None),
        StepVerdict::Fail(w) => (StepOutcome::Fail, Some(w.clone())),
        StepVerdict::Unknown => (StepOutcome::Unknown, None),
        StepVerdict::Error(w) => (StepOutcome::Error, Some(w.clone())),
    };
    Step {
        step: s.step,
        fixture: s.fixture.clone(),
        file: s.file.clone(),
        line: s.line,
        col: s.col,
        function: s.function.name().to_string(),
        call: s.call.clone(),
        item: s.item.clone(),
        iterations: s.iterations,
        expected: s.expected.as_ref().map(|e| Expected {
            outcome: e.outcome.clone(),
            code: e.code,
            provenance: e.provenance.clone(),
            note: e.note.clone(),
            line: e.line,
        }),
        observed: s.observed.clone(),
        verdict,
        reason,
    }
}
