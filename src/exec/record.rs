//! What one trial produced: one record per executed step, and the outcome.

use crate::verdict::{Outcome, StepVerdict};
use jetconform_interface::{Function, Observation, Provenance, WinVersion};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct TrialResult {
    /// `scenario[runner@version]`.
    pub name: String,
    pub scenario: String,
    pub file: String,
    pub runner: String,
    pub version: WinVersion,
    pub outcome: Outcome,
    /// Why a trial was skipped, errored, crashed or timed out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub steps: Vec<StepRecord>,
    pub duration_us: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepRecord {
    /// 1-based number of the step in its own file.
    pub step: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixture: Option<String>,
    pub file: String,
    pub line: u32,
    pub col: u32,
    pub function: Function,
    /// The call with its resolved arguments.
    pub call: String,
    /// For `for_each` bodies: the item (sandbox-relative).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// How many times the call ran (`repeat`).
    pub iterations: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<ExpectedRecord>,
    /// The (last) observation; absent when the call could not be made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed: Option<Observation>,
    #[serde(flatten)]
    pub verdict: StepVerdict,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExpectedRecord {
    /// `JET_errNoBackup (-520)`, `unknown` or `not_exported`.
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    pub provenance: Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where this expectation is written.
    pub line: u32,
}

impl TrialResult {
    /// Steps whose verdict is not a pass, for reports.
    pub fn notable_steps(&self) -> impl Iterator<Item = &StepRecord> {
        self.steps.iter().filter(|s| s.verdict != StepVerdict::Pass)
    }
}

/// `JET_errSuccess (0)`, `not_exported`, `not modelled: ...` for an observation.
pub fn observed_text(o: &Observation) -> String {
    use jetconform_interface::CallResult::*;
    match &o.result {
        Returned(c) => c.to_string(),
        NotExported => "not_exported".into(),
        NotModelled(why) => format!("not modelled ({why})"),
    }
}
