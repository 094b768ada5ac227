//! Baselines: per-runner files of known divergences (trial, step, exact observed result).
//! A failing trial whose every failing step matches its baseline does not fail the run; a
//! different result fails it, and so does an unexpected pass (the baseline must stay true,
//! as in Wine's tests: a known failure that starts passing is news).
//!
//! The file is TOML (or JSON when its name ends in `.json`):
//!
//! ```toml
//! runner = "mock"
//! [[known]]
//! trial = "end-external-backup/abort[mock@xp]"
//! step = 2
//! observed = "JET_errSuccess"
//! code = 0
//! ```

use crate::results::{Outcome, ResultsFile, StepKey, StepOutcome, Trial};
use crate::scenario::diagnostic::{Diagnostic, Severity};
use jetconform_interface::CallResult;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The runner the baseline was taken from (informative: entries name whole trials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner: Option<String>,
    #[serde(default)]
    pub known: Vec<Known>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Known {
    /// `scenario[runner@version]`.
    pub trial: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixture: Option<String>,
    pub step: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The observed result's name: a JET_ERR name, `JET_ERR(n)` or `not_exported`.
    pub observed: String,
    /// The observed JET_ERR number; absent for `not_exported`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
}

impl Known {
    fn key(&self) -> StepKey {
        StepKey {
            fixture: self.fixture.clone(),
            step: self.step,
            item: self.item.clone(),
        }
    }
    fn matches(&self, result: &CallResult) -> bool {
        match (result, self.code) {
            (CallResult::Returned(c), Some(code)) => c.0 == code,
            (CallResult::NotExported, None) => self.observed == "not_exported",
            _ => false,
        }
    }
}

mod validate;

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("baseline {} is not valid: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    /// Checked like a scenario: each problem with its line and column.
    #[error("baseline {} is not valid: {} problem(s)", path.display(), diagnostics.len())]
    Invalid {
        path: PathBuf,
        text: String,
        diagnostics: Vec<Diagnostic>,
    },
}

/// A baseline as read from its file, with where each entry is written.
pub struct Loaded {
    pub baseline: Baseline,
    pub path: PathBuf,
    pub text: String,
    /// The span of each `known` entry, in order.
    entries: Vec<std::ops::Range<usize>>,
}

impl Loaded {
    /// A warning for every entry that names no trial among `trials` (the trials this run
    /// planned): a mistyped name, or a scenario, runner or version that is not run.
    pub fn unmatched(&self, trials: &std::collections::HashSet<String>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (k, span) in self.baseline.known.iter().zip(&self.entries) {
            if trials.contains(&k.trial) {
                continue;
            }
            let (line, col) = validate::position(&self.text, span.start);
            let help = crate::scenario::closest(&k.trial, trials.iter().map(String::as_str))
                .map(|c| format!("did you mean {c}?"))
                .unwrap_or_else(|| {
                    "its scenario, runner or version is not in this run: remove the entry, or run what it names".into()
                });
            out.push(Diagnostic {
                file: self.path.clone(),
                line,
                col,
                span: span.clone(),
                message: format!("baseline entry matches no trial of this run: {}", k.trial),
                label: "matches nothing".into(),
                help: Some(help),
                severity: Severity::Warning,
            });
        }
        out
    }
}

pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
    load_checked(path).map(|l| l.baseline)
}

/// Reads and checks a baseline: syntax, keys, trial names, steps, and every `observed` name
/// and `code` (file:line:col and a suggestion for each problem, as for scenarios).
pub fn load_checked(path: &Path) -> Result<Loaded, BaselineError> {
    let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
        path: path.into(),
        source,
    })?;
    let json = is_json(path);
    // Syntax first, with the parser's own message and position.
    if json {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
            return Err(BaselineError::Parse {
                path: path.into(),
                message: e.to_string(),
            });
        }
    }
    let checked = validate::check(path, &text, json);
    if !checked.diagnostics.is_empty() {
        return Err(BaselineError::Invalid {
            path: path.into(),
            text,
            diagnostics: checked.diagnostics,
        });
    }
    let parsed = if json {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        toml::from_str(&text).map_err(|e| e.to_string())
    };
    let baseline = parsed.map_err(|message| BaselineError::Parse {
        path: path.into(),
        message,
    })?;
    Ok(Loaded {
        baseline,
        path: path.into(),
        text,
        entries: checked.entries,
    })
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// The text of a baseline file, TOML or JSON by the file name.
pub fn render(b: &Baseline, path: &Path) -> String {
    if is_json(path) {
        serde_json::to_string_pretty(b).unwrap_or_default() + "\n"
    } else {
        let mut s = String::from(
            "# Known divergences: trials whose steps return these results instead of the\n\
             # scenario's expectation. Written by `jetconform baseline --from RESULTS`.\n",
        );
        s.push_str(&toml::to_string(b).unwrap_or_default());
        s
    }
}

/// Writes a baseline file, TOML or JSON by its name.
pub fn save(b: &Baseline, path: &Path) -> Result<(), SaveError> {
    crate::atomic::write(path, render(b, path)).map_err(|source| SaveError {
        path: path.into(),
        source,
    })
}

#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct SaveError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// A baseline of every failing step of every failing trial. Trials that failed in another
/// way (error, crash, timeout, a step that was not judged) cannot be baselined; they are
/// returned by name so the caller can say so.
pub fn from_results(results: &ResultsFile) -> (Baseline, Vec<String>) {
    let mut known = Vec::new();
    let mut refused = Vec::new();
    let runners: BTreeSet<&str> = results.trials.iter().map(|t| t.runner.as_str()).collect();
    for t in &results.trials {
        match t.outcome {
            Outcome::Fail => {}
            o if o.is_failure() => {
                refused.push(format!("{} ({})", t.name, o.as_str()));
                continue;
            }
            _ => continue,
        }
        for s in t.steps.iter().filter(|s| s.verdict == StepOutcome::Fail) {
            let code = match s.observed.as_ref().map(|o| &o.result) {
                Some(CallResult::Returned(c)) => Some(c.0),
                Some(CallResult::NotExported) => None,
                _ => continue,
            };
            known.push(Known {
                trial: t.name.clone(),
                fixture: s.fixture.clone(),
                step: s.step,
                item: s.item.clone(),
                observed: s.observed_name(),
                code,
            });
        }
    }
    let runner =
        (runners.len() == 1).then(|| runners.into_iter().next().unwrap_or_default().to_string());
    (Baseline { runner, known }, refused)
}

/// What a baseline says of a run.
#[derive(Debug, Default)]
pub struct Judgement {
    /// Failing trials that match the baseline: they do not fail the run.
    pub known: BTreeSet<String>,
    /// Ways the run and the baseline disagree: each fails the run.
    pub problems: Vec<String>,
}

impl Judgement {
    /// Adds the judgement of more trials, after this one's.
    pub fn extend(&mut self, more: Judgement) {
        self.known.extend(more.known);
        self.problems.extend(more.problems);
    }
}

/// A baseline's judgement of a run, made trial by trial as they end (before the sinks see
/// each trial, which need to know whether it is a known failure).
pub struct RunJudge<'a> {
    baseline: &'a Baseline,
    parts: crate::plan::Ordered<Judgement>,
}

impl<'a> RunJudge<'a> {
    pub fn new(baseline: &'a Baseline) -> RunJudge<'a> {
        RunJudge {
            baseline,
            parts: Default::default(),
        }
    }
    /// Judges one trial; true when it is a known failure.
    pub fn trial(&mut self, index: usize, t: &Trial) -> bool {
        let j = judge_trial(self.baseline, t);
        let known = j.known.contains(&t.name);
        if !j.known.is_empty() || !j.problems.is_empty() {
            self.parts.push(index, j);
        }
        known
    }
    /// The judgement of the whole run, in plan order.
    pub fn finish(mut self) -> Judgement {
        let mut all = Judgement::default();
        for j in self.parts.take() {
            all.extend(j);
        }
        all
    }
}

/// One trial's judgement: no trial's judgement depends on another's, so a run judges each
/// trial as it ends and keeps only this, extending them in plan order.
pub fn judge_trial(b: &Baseline, t: &Trial) -> Judgement {
    let mut j = Judgement::default();
    let entries: Vec<&Known> = b.known.iter().filter(|k| k.trial == t.name).collect();
    if entries.is_empty() || matches!(t.outcome, Outcome::Skip) {
        return j;
    }
    let mut covered = true;
    for s in t.steps.iter().filter(|s| s.verdict != StepOutcome::Pass) {
        if s.verdict == StepOutcome::Unknown {
            continue;
        }
        let entry = entries.iter().find(|k| k.key() == s.key());
        let matched = match (entry, s.observed.as_ref()) {
            (Some(k), Some(o)) => k.matches(&o.result),
            _ => false,
        };
        if !matched {
            covered = false;
            if let Some(k) = entry {
                j.problems.push(format!(
                    "{} {}: the baseline says it returns {}, it returned {}",
                    t.name,
                    s.label(),
                    k.observed,
                    s.observed_text()
                ));
            }
        }
    }
    for k in &entries {
        match t.steps.iter().find(|s| s.key() == k.key()) {
            None => j.problems.push(format!(
                "{} {}: in the baseline, but the step did not run",
                t.name,
                k.key()
            )),
            Some(s) if s.verdict == StepOutcome::Pass => j.problems.push(format!(
                "{} {}: unexpected pass (the baseline says it returns {}, it returned {}, as the scenario expects): remove it from the baseline",
                t.name,
                k.key(),
                k.observed,
                s.observed_text()
            )),
            Some(_) => {}
        }
    }
    if covered && t.outcome == Outcome::Fail {
        j.known.insert(t.name.clone());
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{ResultsFile, RunRecord};
    use jetconform_interface::{ErrorCode, Observation, WinVersion};

    fn failing(code: i32) -> Trial {
        let mut t = crate::results::tests::sample_trial("a", WinVersion::Xp, code);
        t.outcome = Outcome::Fail;
        t.steps[0].verdict = StepOutcome::Fail;
        t
    }

    fn baseline_of(t: &Trial) -> Baseline {
        let f = ResultsFile::new(
            RunRecord {
                command: vec![],
                jetconform: String::new(),
                runners: vec![],
                partition: None,
                interrupted: None,
            },
            vec![t.clone()],
        );
        from_results(&f).0
    }

    #[test]
    fn matching_failures_are_known_others_are_problems() {
        let b = baseline_of(&failing(-520));
        assert_eq!(b.runner.as_deref(), Some("mock"));
        let j = judge_trial(&b, &failing(-520));
        assert!(j.problems.is_empty(), "{:?}", j.problems);
        assert!(j.known.contains("a[mock@xp]"));

        let j = judge_trial(&b, &failing(-521));
        assert!(j.known.is_empty());
        assert_eq!(j.problems.len(), 1, "{:?}", j.problems);

        let mut passing = failing(0);
        passing.outcome = Outcome::Pass;
        passing.steps[0].verdict = StepOutcome::Pass;
        passing.steps[0].observed = Some(Observation::returned(ErrorCode(0)));
        let j = judge_trial(&b, &passing);
        assert!(
            j.problems[0].contains("unexpected pass"),
            "{:?}",
            j.problems
        );
    }

    #[test]
    fn toml_and_json_round_trip() {
        let b = baseline_of(&failing(-520));
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.toml", "b.json"] {
            let p = dir.path().join(name);
            std::fs::write(&p, render(&b, &p)).unwrap();
            assert_eq!(load(&p).unwrap(), b);
        }
    }
}
