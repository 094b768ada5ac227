//! What the reports show: for every scenario, its key step (the first of its own steps whose
//! expectation differs between versions, else its last own call), and per version what that
//! step returned and the provenance of what was expected.

use crate::results::{Outcome, StepOutcome, Trial};
use crate::scenario::model::{ExpectedOutcome, Scenario, Step, StepKind};
use jetconform_interface::WinVersion;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Matrix {
    /// `mock`, or the observed file's name.
    pub label: String,
    /// One line on where the results come from.
    pub about: String,
    pub rows: Vec<MatrixRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MatrixRow {
    pub scenario: String,
    pub title: String,
    /// The key step's function.
    pub function: String,
    pub step: u32,
    /// Line of the key step in the scenario file.
    pub line: u32,
    /// One per `WinVersion::ALL`; `None` when no trial ran.
    pub cells: Vec<Option<Cell>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    /// The observed code's name, or the trial's outcome when the step did not run.
    pub code: String,
    /// Provenance of the expectation (`source`, `observed:<machine>`, ...).
    pub provenance: String,
    /// Its kind (`observed` without the machine), for filters.
    pub kind: String,
    /// What was expected (`JET_errSuccess`, `unknown`, `not_exported`).
    pub expected: String,
    /// `pass`, `fail`, `unknown`, `skip`, `error`, ...
    pub outcome: String,
}

/// The key step of a scenario, among its own ESENT calls (fixtures are set-up, verbs act on
/// the sandbox), preferring calls of the function its folder is named after
/// (`close-file/...` -> `JetCloseFile*`): the first whose expectation differs between
/// versions, else the first that expects an error, else the last.
pub fn key_step(s: &Scenario) -> Option<&Step> {
    let calls: Vec<&Step> = s
        .steps
        .iter()
        .filter(|st| {
            st.fixture.is_none()
                && matches!(&st.kind, StepKind::Call(c) if !c.function.info().is_verb())
        })
        .collect();
    let folder =
        s.id.split('/')
            .next()
            .unwrap_or_default()
            .replace('-', "")
            .to_ascii_lowercase();
    let named: Vec<&Step> = calls
        .iter()
        .copied()
        .filter(|st| {
            matches!(&st.kind, StepKind::Call(c)
                if c.function.name().to_ascii_lowercase().contains(&folder))
        })
        .collect();
    let own = if named.is_empty() { calls } else { named };
    let expects_error = |st: &&&Step| {
        let StepKind::Call(c) = &st.kind else {
            return false;
        };
        c.expect.distinct().iter().any(|e| match &e.outcome {
            ExpectedOutcome::Code(code) => !code.is_success(),
            // Neither names an error.
            ExpectedOutcome::Success | ExpectedOutcome::Any => false,
            _ => true,
        })
    };
    let varies = |st: &&&Step| {
        let StepKind::Call(c) = &st.kind else {
            return false;
        };
        let mut seen: Vec<&ExpectedOutcome> = Vec::new();
        for e in c.expect.distinct() {
            if !seen.iter().any(|s| s.same_as(&e.outcome)) {
                seen.push(&e.outcome);
            }
        }
        seen.len() > 1
    };
    own.iter()
        .find(varies)
        .or_else(|| own.iter().find(expects_error))
        .or(own.last())
        .copied()
}

/// As the scenario writes it, names only (`any_of [JET_errX, JET_errY]`, `success`).
pub fn expected_text(o: &ExpectedOutcome) -> String {
    o.written()
}

pub fn build(scenarios: &[Scenario], trials: &[Trial], label: &str, about: &str) -> Matrix {
    let mut rows = Vec::new();
    let mut sorted: Vec<&Scenario> = scenarios.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for s in sorted {
        let Some(key) = key_step(s) else { continue };
        let StepKind::Call(call) = &key.kind else {
            continue;
        };
        let cells = WinVersion::ALL
            .iter()
            .map(|v| {
                let t = trials
                    .iter()
                    .find(|t| t.scenario == s.id && t.version == *v)?;
                Some(cell(t, key.number, call.expect.for_version(*v)))
            })
            .collect();
        rows.push(MatrixRow {
            scenario: s.id.clone(),
            title: s.title.clone(),
            function: call.function.name().to_string(),
            step: key.number,
            line: key.location.line,
            cells,
        });
    }
    Matrix {
        label: label.into(),
        about: about.into(),
        rows,
    }
}

fn cell(t: &Trial, number: u32, model: Option<&crate::scenario::model::Expected>) -> Cell {
    let step = t
        .steps
        .iter()
        .find(|st| st.fixture.is_none() && st.step == number && st.observed.is_some());
    // What the trial recorded as expected, else what the scenario says now.
    let (expected, provenance) = match (step.and_then(|s| s.expected.as_ref()), model) {
        (Some(e), _) => {
            use jetconform_interface::ErrorCode;
            let shown = match (e.code, e.any_of.as_slice()) {
                (Some(c), _) => ExpectedOutcome::Code(ErrorCode(c)).written(),
                (None, [_, ..]) => {
                    ExpectedOutcome::AnyOf(e.any_of.iter().map(|c| ErrorCode(*c)).collect())
                        .written()
                }
                (None, []) => e.outcome.clone(),
            };
            (shown, e.provenance.clone())
        }
        (None, Some(m)) => (expected_text(&m.outcome), m.provenance.clone()),
        (None, None) => ("-".into(), jetconform_interface::Provenance::Unknown),
    };
    let (code, outcome) = match step {
        Some(s) => (
            s.observed_name(),
            match s.verdict {
                StepOutcome::Pass => "pass",
                StepOutcome::Fail => "fail",
                StepOutcome::Unknown => "unknown",
                StepOutcome::Error => "error",
            }
            .to_string(),
        ),
        None => (
            t.outcome.as_str().to_string(),
            if t.outcome == Outcome::Skip {
                "skip".into()
            } else {
                t.outcome.as_str().to_string()
            },
        ),
    };
    Cell {
        code,
        kind: provenance.kind().to_string(),
        provenance: provenance.to_string(),
        expected,
        outcome,
    }
}
