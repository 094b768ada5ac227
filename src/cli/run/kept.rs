//! What a run keeps of each trial: only what its outputs will print, made on the worker as
//! soon as the trial ends. A trial's full result holds every step's call and observation;
//! keeping them all until the end cost about 40 KiB per trial (6.6 GiB for 100 copies of the
//! corpus), where the default output needs only a passing trial's outcome.

use crate::baseline::{Baseline, Judgement};
use crate::exec::TrialResult;
use crate::output::{human, json};
use crate::results::Trial;
use crate::verdict::Outcome;

/// What the outputs chosen for a run need of each trial.
pub(super) struct Needs<'a> {
    /// `--format human`: failures' details and, unless `--quiet` or `--verbose`, the unknown
    /// steps, printed after the run.
    pub human: Option<HumanNeeds<'a>>,
    /// `--format json`: the trial's entry in the document.
    pub json: bool,
    /// JUnit, GitHub annotations or `--output`: the results-file record.
    pub record: bool,
    pub baseline: Option<&'a Baseline>,
}

pub(super) struct HumanNeeds<'a> {
    pub style: &'a human::Style,
    pub unknowns: bool,
}

/// One trial, reduced to what `Needs` asked for.
pub(super) struct Kept {
    pub outcome: Outcome,
    /// A failing trial's name: whether the baseline knows it is decided by name over the
    /// whole run.
    pub failing: Option<String>,
    /// Human format: a failing trial's details, or an unknown trial's unknown steps.
    pub text: Option<String>,
    pub json: Option<serde_json::Value>,
    pub record: Option<Box<Trial>>,
    /// The baseline's judgement of this trial alone.
    pub judgement: Judgement,
}

pub(super) fn keep(needs: &Needs, r: TrialResult) -> Kept {
    let outcome = r.outcome;
    let failing = outcome.is_failure();
    let text = needs.human.as_ref().and_then(|h| {
        if failing {
            Some(human::details(&r, h.style))
        } else if h.unknowns && outcome == Outcome::Unknown {
            Some(human::unknowns(&r, h.style))
        } else {
            None
        }
    });
    let json = needs.json.then(|| json::trial(&r));
    let name = failing.then(|| r.name.clone());
    // The baseline judges results-file records; converting by value drops the full result.
    let trial = (needs.record || needs.baseline.is_some()).then(|| crate::results::into_trial(r));
    let judgement = match (needs.baseline, &trial) {
        (Some(b), Some(t)) => crate::baseline::judge_trial(b, t),
        _ => Judgement::default(),
    };
    Kept {
        outcome,
        failing: name,
        text,
        json,
        record: trial.filter(|_| needs.record).map(Box::new),
        judgement,
    }
}
