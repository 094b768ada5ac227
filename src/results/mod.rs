//! The results file of `jetconform run --output FILE`: a versioned JSON document
//! (`"format": "jetconform-results", "version": 1`) with the machine and runner of the run,
//! its command line, and every trial with every step's observation. Diff, baselines, reports,
//! recording, JUnit and GitHub annotations all read this one shape.

mod load;
mod merge;

pub use load::{load, LoadError};
pub use merge::{merge, merge_files, MergeError, MergeFilesError};

pub use crate::verdict::{Outcome, StepOutcome};
use jetconform_interface::{Observation, Provenance, RunnerInfo, WinVersion};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The value of `format`.
pub const FORMAT: &str = "jetconform-results";
/// The value of `version`; bumped on any change a reader of version 1 could misread.
pub const VERSION: u32 = 1;

/// A whole results file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultsFile {
    /// Always `jetconform-results`.
    pub format: String,
    /// Always 1 for this layout.
    pub version: u32,
    /// The runs recorded: one for `run --output`, several after `merge`.
    pub runs: Vec<RunRecord>,
    /// Every trial, sorted by name.
    pub trials: Vec<Trial>,
}

/// One invocation of `jetconform run`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    /// The command line, program name first (`jetconform run --version xp ...`).
    pub command: Vec<String>,
    /// The jetconform release that ran it.
    pub jetconform: String,
    /// Every runner of the run, as it describes itself (name, versions, machine: OS, Windows
    /// and `esent.dll` versions).
    pub runners: Vec<RunnerInfo>,
    /// `K/N` when the run was one slice of a partitioned plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// Set when the run was interrupted (SIGINT, SIGTERM): its results are partial, the
    /// trials finished before the signal (`interrupted by SIGINT: 12 of 540 planned trials
    /// ran`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupted: Option<String>,
}

/// One trial: scenario x runner x version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trial {
    /// `scenario[runner@version]`.
    pub name: String,
    pub scenario: String,
    /// The scenario file, as given to the run (relative to where it ran).
    pub file: String,
    pub runner: String,
    pub version: WinVersion,
    pub outcome: Outcome,
    /// Why the trial was skipped, errored, crashed or timed out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub duration_us: u64,
    /// Every executed step, fixture steps first.
    pub steps: Vec<Step>,
}

/// One executed step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// 1-based number of the step in its own file.
    pub step: u32,
    /// The fixture the step comes from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixture: Option<String>,
    pub file: String,
    pub line: u32,
    pub col: u32,
    /// The function called (`JetEndExternalBackupInstance2`).
    // Borrowed from the catalogue when the harness records it, owned when read from a file.
    #[schemars(with = "String")]
    pub function: std::borrow::Cow<'static, str>,
    /// The call with its resolved arguments.
    pub call: String,
    /// For `for_each` bodies: the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    pub iterations: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
    /// The (last) observation: result code, outputs, notes. Absent when the call could not
    /// be made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<Observation>,
    pub verdict: StepOutcome,
    /// Why the step failed or errored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What the scenario expected of a step on the trial's version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// `JET_errNoBackup (-520)`, `any_of [JET_errInvalidInstance (-1115),
    /// JET_errInvalidParameter (-1003)]`, `success (any code >= 0)`, `any (not judged)`,
    /// `unknown` or `not_exported`.
    pub outcome: String,
    /// The one code expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    /// The codes of an `any_of` expectation, any one of which passes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<i32>,
    /// `source`, `documented`, `inferred`, `unknown` or `observed:<machine>`.
    #[schemars(with = "String")]
    pub provenance: Provenance,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The line where this expectation is written.
    pub line: u32,
}

impl Expected {
    /// The expectation was `any`: recorded, not judged.
    pub fn is_any(&self) -> bool {
        self.code.is_none()
            && self.outcome == crate::scenario::model::ExpectedOutcome::Any.to_string()
    }
}

impl Trial {
    /// Steps whose verdict is not a pass, for outputs that show them.
    pub fn notable_steps(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.verdict != StepOutcome::Pass)
    }
}

impl Step {
    /// The observed result as a short stable text: `JET_errSuccess (0)`, `not_exported`,
    /// `not modelled (...)`, or `-` when nothing was observed.
    pub fn observed_text(&self) -> String {
        self.observed
            .as_ref()
            .map(observed_text)
            .unwrap_or_else(|| "-".into())
    }
    /// The observed code's name only (`JET_errSuccess`, `JET_ERR(-12)`, `not_exported`).
    pub fn observed_name(&self) -> String {
        use jetconform_interface::CallResult;
        match self.observed.as_ref().map(|o| &o.result) {
            Some(CallResult::Returned(c)) => c
                .name()
                .map(str::to_string)
                .unwrap_or_else(|| format!("JET_ERR({})", c.0)),
            Some(CallResult::NotExported) => "not_exported".into(),
            Some(CallResult::NotModelled(_)) => "not_modelled".into(),
            None => "-".into(),
        }
    }
    /// Identifies the step within its trial: fixture, number and item.
    pub fn key(&self) -> StepKey {
        StepKey {
            fixture: self.fixture.clone(),
            step: self.step,
            item: self.item.clone(),
        }
    }
    /// `step 2` or `fixture online-instance step 1`, with the item.
    pub fn label(&self) -> String {
        self.key().to_string()
    }
}

/// Which step of a trial: a fixture step or one of the scenario's own, with the for_each item.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StepKey {
    pub fixture: Option<String>,
    pub step: u32,
    pub item: Option<String>,
}

impl std::fmt::Display for StepKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(x) = &self.fixture {
            write!(f, "fixture {x} ")?;
        }
        write!(f, "step {}", self.step)?;
        if let Some(i) = &self.item {
            write!(f, " ({i})")?;
        }
        Ok(())
    }
}

impl ResultsFile {
    /// A file for one run.
    pub fn new(run: RunRecord, mut trials: Vec<Trial>) -> ResultsFile {
        trials.sort_by(|a, b| a.name.cmp(&b.name));
        ResultsFile {
            format: FORMAT.into(),
            version: VERSION,
            runs: vec![run],
            trials,
        }
    }
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
    /// Writes the file (with a trailing newline): the text of `to_json`, streamed, because
    /// for a large run that text is as big again as the trials it is made of; to a temporary
    /// file renamed into place, so that the previous file stays whole until then.
    pub fn write(&self, path: &std::path::Path) -> std::io::Result<()> {
        crate::atomic::write_with(path, |w| {
            serde_json::to_writer_pretty(&mut *w, self)?;
            w.write_all(b"\n")
        })
    }
    /// A name for the machine the runner of a trial ran on: the description of its machine,
    /// else its OS and Windows version, else the runner name.
    pub fn machine_of(&self, runner: &str) -> Option<String> {
        self.runs
            .iter()
            .flat_map(|r| r.runners.iter())
            .find(|r| r.name == runner)
            .map(|r| {
                let m = &r.machine;
                let named = m.description.clone().unwrap_or_else(|| match &m.windows {
                    Some(w) => format!("{}-{w}", m.os),
                    None => r.name.clone(),
                });
                // A 32-bit and a 64-bit run on the same machine are two observations.
                match &m.arch {
                    Some(a) if !named.contains(a.as_str()) => format!("{named} ({a})"),
                    _ => named,
                }
            })
    }
}

/// The JSON Schema of results files (committed as `docs/results.schema.json`).
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ResultsFile)).unwrap_or_default()
}

/// The command line of this process, with the program name as `jetconform` (never a path of
/// this machine).
pub fn command_line() -> Vec<String> {
    std::iter::once("jetconform".to_string())
        .chain(std::env::args().skip(1))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;

/// `JET_errSuccess (0)`, `not_exported`, `not modelled (...)` for an observation.
pub fn observed_text(o: &Observation) -> String {
    use jetconform_interface::CallResult::*;
    match &o.result {
        Returned(c) => c.to_string(),
        NotExported => "not_exported".into(),
        NotModelled(why) => format!("not modelled ({why})"),
    }
}
