//! Lockstep execution: one sequence, rendered as a scenario and loaded like any file, runs as
//! one trial on each runner (each in its own sandbox, and its own process for library
//! runners, as `run` does) through the executor of `run`; the two trials are then compared
//! step by step. The shrinker, which tries one candidate at a time, runs the two trials side
//! by side on two threads (`run`); exploration keeps every worker busy with sequences of its
//! own instead, each running its two trials one after the other (`run_here`, `pool`).

use super::compare::{first_difference, Difference};
use super::generator::Sequence;
use super::plans::Plans;
use super::write::{render, Expectations};
use crate::exec::run_trial;
use crate::results::Trial;
use crate::runners::RunnerEntry;
use crate::scenario::model::Scenario;
use jetconform_interface::WinVersion;
use std::path::Path;

/// One side of the comparison: a runner and the version it runs as.
pub struct Side {
    pub entry: RunnerEntry,
    pub version: WinVersion,
}

/// The two runners.
pub struct Pair {
    pub a: Side,
    pub b: Side,
}

/// Both trials of a sequence, and their first difference.
pub struct Outcome {
    pub a: Trial,
    pub b: Trial,
    pub difference: Option<Difference>,
    /// Calls made (both sides).
    pub steps: usize,
}

impl Pair {
    /// The versions the scenario of a sequence is written for (A's first).
    pub fn versions(&self) -> Vec<WinVersion> {
        let mut v = vec![self.a.version];
        if self.b.version != self.a.version {
            v.push(self.b.version);
        }
        v
    }

    /// Loads `seq` as an exploration scenario (every expectation `unknown`).
    pub fn scenario(&self, seq: &Sequence) -> Result<Scenario, String> {
        let text = render(seq, &Expectations::Explore(self.versions()), None);
        load(&text)
    }

    /// Runs `seq` on both runners, side by side.
    pub fn run(&self, seq: &Sequence) -> Result<Outcome, String> {
        let scenario = self.scenario(seq)?;
        Ok(self.run_scenario(&scenario))
    }

    /// Runs `seq` on A, then on B, on this thread, its plan made by `plans` (built for
    /// `self.versions()`).
    pub fn run_here(&self, seq: &Sequence, plans: &Plans) -> Result<Outcome, String> {
        let scenario = plans.plan(seq)?;
        let a = trial(&scenario, &self.a);
        let b = trial(&scenario, &self.b);
        Ok(Outcome::of(a, b))
    }

    pub fn run_scenario(&self, scenario: &Scenario) -> Outcome {
        let (a, b) = std::thread::scope(|s| {
            let b = s.spawn(|| trial(scenario, &self.b));
            let a = trial(scenario, &self.a);
            let b = b.join().unwrap_or_else(|_| trial(scenario, &self.b));
            (a, b)
        });
        Outcome::of(a, b)
    }
}

impl Outcome {
    fn of(a: Trial, b: Trial) -> Outcome {
        let difference = first_difference(&a, &b);
        let steps = a.steps.len() + b.steps.len();
        Outcome {
            a,
            b,
            difference,
            steps,
        }
    }
}

fn trial(scenario: &Scenario, side: &Side) -> Trial {
    run_trial(
        scenario,
        side.entry.runner.as_ref(),
        &side.entry.name,
        side.version,
    )
}

/// Loads a rendered scenario; its diagnostics, if any, as one text (a generator bug).
pub fn load(text: &str) -> Result<Scenario, String> {
    let (s, diags) = crate::scenario::load_text(
        Path::new("explore.toml"),
        "explore".into(),
        text.to_string(),
    );
    match s {
        // Warnings (a code the catalogue lacks, observed from a runner) do not matter here.
        Some(s) => Ok(s),
        _ => Err(diags
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
            .collect::<Vec<_>>()
            .join("; ")),
    }
}
