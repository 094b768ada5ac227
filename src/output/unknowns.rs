//! Unknown results grouped by scenario, as the terminal (`?` lines) and GitHub's job summary
//! show them: one line per scenario with its versions, its runners and what the unknown
//! expectations cite.

use crate::results::{StepOutcome, Trial};
use jetconform_interface::VersionSet;
use std::collections::HashMap;

/// A scenario with unknown trials.
pub struct UnknownScenario {
    /// Plan index of its first unknown trial.
    first: usize,
    pub scenario: String,
    pub file: String,
    pub versions: VersionSet,
    runners: Vec<String>,
    /// What the unknown expectations cite (their notes), each once.
    cites: Vec<String>,
}

impl UnknownScenario {
    /// ` (mock, ffi:x.so)` when the unknowns come from more than one runner, else nothing.
    pub fn runners_note(&self) -> String {
        if self.runners.len() > 1 {
            format!(" ({})", self.runners.join(", "))
        } else {
            String::new()
        }
    }

    /// ` (spec 14 q1; ...)`, or nothing when the expectations cite nothing.
    pub fn cites_note(&self) -> String {
        if self.cites.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.cites.join("; "))
        }
    }
}

/// The scenarios with unknown trials, each kept once whatever the number of its trials.
#[derive(Default)]
pub struct Unknowns {
    scenarios: Vec<UnknownScenario>,
    index: HashMap<String, usize>,
}

impl Unknowns {
    /// Adds the unknown trial `t`, `index`th in the plan.
    pub fn add(&mut self, index: usize, t: &Trial) {
        let at = *self.index.entry(t.scenario.clone()).or_insert_with(|| {
            self.scenarios.push(UnknownScenario {
                first: index,
                scenario: t.scenario.clone(),
                file: t.file.clone(),
                versions: VersionSet::EMPTY,
                runners: Vec::new(),
                cites: Vec::new(),
            });
            self.scenarios.len() - 1
        });
        let u = &mut self.scenarios[at];
        u.first = u.first.min(index);
        u.versions.insert(t.version);
        if !u.runners.contains(&t.runner) {
            u.runners.push(t.runner.clone());
        }
        let notes = t
            .steps
            .iter()
            .filter(|s| s.verdict == StepOutcome::Unknown)
            .filter_map(|s| s.expected.as_ref().and_then(|e| e.note.as_deref()));
        for note in notes {
            if !u.cites.iter().any(|c| c == note) {
                u.cites.push(note.to_string());
            }
        }
    }

    /// The scenarios in plan order of their first unknown trial (trials end out of order
    /// when several run at once).
    pub fn into_plan_order(self) -> Vec<UnknownScenario> {
        let mut scenarios = self.scenarios;
        scenarios.sort_by_key(|u| u.first);
        scenarios
    }
}
