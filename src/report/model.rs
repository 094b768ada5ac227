//! What the reports show: for every scenario, its key step (`key_step`), and per version what
//! that step returned and the provenance of what was expected.

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

/// The key step of a scenario: the step its title is about, among its own ESENT calls
/// (fixtures are set-up, verbs act on the sandbox; calls inside `for_each` count). The step
/// marked `key = true`, else the first whose expected code differs between versions or is an
/// error (a difference of provenance alone, an `unknown` or a `not_exported` is no difference
/// of code), else
/// the last call of the function the scenario's folder is named after (`close-file/...` ->
/// `JetCloseFile*`), else the last call.
pub fn key_step(s: &Scenario) -> Option<&Step> {
    let mut calls: Vec<&Step> = Vec::new();
    own_calls(s.steps.iter().filter(|st| st.fixture.is_none()), &mut calls);
    if let Some(marked) = calls
        .iter()
        .find(|st| matches!(&st.kind, StepKind::Call(c) if c.key))
    {
        return Some(marked);
    }
    let telling = |st: &&&Step| {
        let StepKind::Call(c) = &st.kind else {
            return false;
        };
        let codes = known_codes(c);
        codes.len() > 1
            || codes.iter().any(|o| match o {
                ExpectedOutcome::Code(c) => c.0 < 0,
                ExpectedOutcome::AnyOf(cs) => cs.iter().any(|c| c.0 < 0),
                _ => false,
            })
    };
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
    own.iter().find(telling).or(own.last()).copied()
}

/// The distinct codes a call expects (`any_of` lists included), `unknown`, `not_exported`,
/// `success` and `any` left out (a version that
/// lacks the function says nothing about what the call returns where it exists).
fn known_codes(c: &crate::scenario::model::CallStep) -> Vec<&ExpectedOutcome> {
    let mut seen: Vec<&ExpectedOutcome> = Vec::new();
    for e in c.expect.distinct() {
        let known = matches!(
            e.outcome,
            ExpectedOutcome::Code(_) | ExpectedOutcome::AnyOf(_)
        );
        if known && !seen.iter().any(|s| s.same_as(&e.outcome)) {
            seen.push(&e.outcome);
        }
    }
    seen
}

/// The ESENT calls among `steps`, those of `for_each` bodies in their place.
fn own_calls<'a>(steps: impl Iterator<Item = &'a Step>, out: &mut Vec<&'a Step>) {
    for st in steps {
        match &st.kind {
            StepKind::Call(c) if !c.function.info().is_verb() => out.push(st),
            StepKind::Call(_) => {}
            StepKind::ForEach(f) => own_calls(f.body.iter(), out),
        }
    }
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
    // A step in a `for_each` runs once per item: the first that did not pass, else the first.
    let runs = || {
        t.steps
            .iter()
            .filter(|st| st.fixture.is_none() && st.step == number && st.observed.is_some())
    };
    let step = runs()
        .find(|st| st.verdict != StepOutcome::Pass)
        .or_else(|| runs().next());
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
