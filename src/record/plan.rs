//! What `record` would write: one edit per (scenario step, version) whose observed result
//! differs from the scenario's expectation, with the outcomes that cannot be recorded
//! (crashed, timeout, error, not modelled) set aside with the reason.

use crate::results::{Outcome, ResultsFile, StepOutcome};
use crate::scenario::model::{ExpectedOutcome, StepKind};
use jetconform_interface::{CallResult, Provenance, VersionSet, WinVersion};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub file: PathBuf,
    /// Line of the step's `call` key.
    pub line: u32,
    pub step: u32,
    pub version: WinVersion,
    /// A JET_ERR name (or number), or `not_exported`.
    pub code: String,
    pub provenance: Provenance,
    /// The versions the scenario applies to (what a plain `expect = X` covers).
    pub applies: VersionSet,
    /// The `any_of` or `success` form the observed code falls outside of, as written.
    pub replaces: Option<String>,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub edits: Vec<Edit>,
    /// What was not recorded, and why.
    pub skipped: Vec<String>,
}

pub fn plan(file: &ResultsFile, machine: Option<&str>) -> Result<Plan, String> {
    let mut out = Plan::default();
    let mut files: Vec<PathBuf> = file.trials.iter().map(|t| PathBuf::from(&t.file)).collect();
    files.sort();
    files.dedup();
    let missing: Vec<String> = files
        .iter()
        .filter(|f| !f.exists())
        .map(|f| f.display().to_string())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "scenario file(s) of the results not found from here: {} (run record where the run was made)",
            missing.join(", ")
        ));
    }
    let loaded = crate::scenario::load(&files);
    if let Some(d) = loaded.diagnostics.first() {
        return Err(format!(
            "the scenarios do not load; fix them first:\n{}",
            crate::scenario::render(d, false)
        ));
    }
    // (file, line, version) -> (code, trial name): several trials may observe the same step.
    let mut seen: BTreeMap<(PathBuf, u32, WinVersion), (String, String)> = BTreeMap::new();
    // Trials of model runners, counted per runner: one line says it, not one per trial.
    let mut models: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &file.trials {
        match t.outcome {
            Outcome::Crashed | Outcome::Timeout | Outcome::Error => {
                out.skipped.push(format!(
                    "{}: the trial's outcome is {}{}",
                    t.name,
                    t.outcome.as_str(),
                    t.reason
                        .as_deref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                ));
                continue;
            }
            Outcome::Skip => continue,
            _ => {}
        }
        let is_model = file
            .runs
            .iter()
            .flat_map(|r| &r.runners)
            .any(|r| r.name == t.runner && r.fault_hooks);
        if is_model && machine.is_none() {
            *models.entry(t.runner.as_str()).or_default() += 1;
            continue;
        }
        let machine = match machine
            .map(str::to_string)
            .or_else(|| file.machine_of(&t.runner))
        {
            Some(m) if !m.trim().is_empty() => m.trim().to_string(),
            _ => {
                out.skipped.push(format!(
                    "{}: no machine name for runner {} (give --machine NAME)",
                    t.name, t.runner
                ));
                continue;
            }
        };
        let Some(scenario) = loaded
            .scenarios
            .iter()
            .find(|s| s.file.as_path() == std::path::Path::new(&t.file))
        else {
            out.skipped
                .push(format!("{}: scenario not found in {}", t.name, t.file));
            continue;
        };
        for s in t.steps.iter().filter(|s| s.fixture.is_none()) {
            if s.item.is_some() {
                continue;
            }
            let code = match s.observed.as_ref().map(|o| &o.result) {
                Some(CallResult::Returned(c)) => c
                    .name()
                    .map(str::to_string)
                    .unwrap_or_else(|| c.0.to_string()),
                Some(CallResult::NotExported) => "not_exported".into(),
                Some(CallResult::NotModelled(why)) => {
                    out.skipped.push(format!(
                        "{} {}: not modelled by the runner ({why})",
                        t.name,
                        s.label()
                    ));
                    continue;
                }
                None => continue,
            };
            if s.verdict == StepOutcome::Error {
                out.skipped.push(format!(
                    "{} {}: the step errored ({})",
                    t.name,
                    s.label(),
                    s.reason.clone().unwrap_or_default()
                ));
                continue;
            }
            let Some(step) = scenario
                .steps
                .iter()
                .find(|st| st.fixture.is_none() && st.number == s.step)
            else {
                continue;
            };
            let StepKind::Call(call) = &step.kind else {
                continue;
            };
            if call.function.info().is_verb() {
                continue;
            }
            let Some(expected) = call.expect.for_version(t.version) else {
                continue;
            };
            let same = match (&expected.outcome, s.observed.as_ref().map(|o| &o.result)) {
                // `any` is never rewritten: whatever was observed satisfies it.
                (ExpectedOutcome::Any, _) => true,
                (e, Some(CallResult::Returned(c))) => e.admits(*c),
                (ExpectedOutcome::NotExported, Some(CallResult::NotExported)) => true,
                _ => false,
            };
            if same {
                continue;
            }
            // A form that the observation does not satisfy gives way, for this version only,
            // to the code observed (`apply` says so: the form accepted more than one code).
            let replaces = matches!(
                expected.outcome,
                ExpectedOutcome::AnyOf(_) | ExpectedOutcome::Success
            )
            .then(|| expected.outcome.written());
            let key = (PathBuf::from(&t.file), step.location.line, t.version);
            if let Some((other, by)) = seen.get(&key) {
                if *other != code {
                    out.skipped.push(format!(
                        "{} {}: {by} observed {other}, {} observed {code}; neither recorded",
                        t.file,
                        s.label(),
                        t.name
                    ));
                    out.edits
                        .retain(|e| !(e.file == key.0 && e.line == key.1 && e.version == key.2));
                }
                continue;
            }
            seen.insert(key.clone(), (code.clone(), t.name.clone()));
            out.edits.push(Edit {
                file: key.0,
                line: key.1,
                step: s.step,
                version: t.version,
                code,
                provenance: Provenance::Observed(machine.clone()),
                applies: scenario.versions,
                replaces,
            });
        }
    }
    for (runner, trials) in models {
        out.skipped.push(format!(
            "runner {runner} is a model, not a machine: its {trials} trial(s) are not recorded (give --machine NAME to record them anyway)"
        ));
    }
    Ok(out)
}
