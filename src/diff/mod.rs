//! Differences in observed results: between Windows versions on one runner, or between two
//! runners on one version. Works on results-file trials, whatever produced them.

mod sources;
mod table;

pub use sources::{compare_sources, Comparison, DiffError, DiffRequest};
pub use table::{render, render_markdown};

use crate::results::{Outcome, StepKey, Trial};
use jetconform_interface::WinVersion;
use std::collections::BTreeMap;

/// One step whose result differs between the columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub scenario: String,
    pub step: StepKey,
    /// `file:line` of the step.
    pub location: String,
    /// The function called.
    pub function: String,
    /// The call with its arguments (as the first column that ran it made it).
    pub call: String,
    /// One per column: the observed result's name, `-` when the step did not run there.
    pub codes: Vec<String>,
}

/// Compares columns of trials (each column: at most one trial per scenario). A column
/// without a trial for a scenario (or whose trial was skipped) is left out of the comparison
/// and shown as blank.
pub fn compare(columns: &[Vec<&Trial>]) -> Vec<Row> {
    let mut scenarios: BTreeMap<&str, Vec<Option<&Trial>>> = BTreeMap::new();
    for (i, col) in columns.iter().enumerate() {
        for t in col {
            if t.outcome == Outcome::Skip {
                continue;
            }
            let cells = scenarios
                .entry(&t.scenario)
                .or_insert_with(|| vec![None; columns.len()]);
            cells[i] = Some(t);
        }
    }
    let mut rows = Vec::new();
    for (scenario, cells) in scenarios {
        let present: Vec<&Trial> = cells.iter().flatten().copied().collect();
        if present.len() < 2 {
            continue;
        }
        // Step keys in order of first appearance.
        let mut keys: Vec<StepKey> = Vec::new();
        for t in &present {
            for s in &t.steps {
                let k = s.key();
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        for key in keys {
            let codes: Vec<Option<String>> = cells
                .iter()
                .map(|c| {
                    c.map(|t| {
                        t.steps
                            .iter()
                            .find(|s| s.key() == key)
                            .map(|s| s.observed_name())
                            .unwrap_or_else(|| "-".into())
                    })
                })
                .collect();
            let mut distinct: Vec<&String> = codes.iter().flatten().collect();
            distinct.sort();
            distinct.dedup();
            if distinct.len() < 2 {
                continue;
            }
            let Some(step) = present
                .iter()
                .find_map(|t| t.steps.iter().find(|s| s.key() == key))
            else {
                continue;
            };
            // A step every column expected `any` of: its result is recorded, not judged, so
            // a difference there is not one anybody stated.
            let not_judged = present.iter().all(|t| {
                t.steps
                    .iter()
                    .filter(|s| s.key() == key)
                    .all(|s| s.expected.as_ref().is_some_and(|e| e.is_any()))
            });
            if not_judged {
                continue;
            }
            rows.push(Row {
                scenario: scenario.to_string(),
                step: key,
                location: format!("{}:{}", step.file, step.line),
                function: step.function.to_string(),
                call: step.call.clone(),
                codes: codes.into_iter().map(|c| c.unwrap_or_default()).collect(),
            });
        }
    }
    rows
}

/// The trials of one runner, one column per version.
pub fn by_version(trials: &[Trial], versions: &[WinVersion]) -> Vec<Row> {
    let columns: Vec<Vec<&Trial>> = versions
        .iter()
        .map(|v| trials.iter().filter(|t| t.version == *v).collect())
        .collect();
    compare(&columns)
}

/// Two runners' trials on one version.
pub fn by_runner(a: &[Trial], b: &[Trial], version: WinVersion) -> Vec<Row> {
    fn col(ts: &[Trial], version: WinVersion) -> Vec<&Trial> {
        ts.iter().filter(|t| t.version == version).collect()
    }
    compare(&[col(a, version), col(b, version)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::tests::sample_trial;

    #[test]
    fn finds_steps_that_differ_by_version() {
        let trials = vec![
            sample_trial("a", WinVersion::Xp, -800),
            sample_trial("a", WinVersion::Win10, 0),
            sample_trial("b", WinVersion::Xp, 0),
            sample_trial("b", WinVersion::Win10, 0),
        ];
        let rows = by_version(&trials, &[WinVersion::Xp, WinVersion::Win10]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].scenario, "a");
        assert_eq!(
            rows[0].codes,
            vec!["errBackupAbortByCaller", "JET_errSuccess"]
        );
        assert_eq!(rows[0].location, "cases/a.toml:9");
        let text = render(&["xp".into(), "win10".into()], &rows, false);
        assert!(text.contains("cases/a.toml:9"), "{text}");
    }

    #[test]
    fn steps_expected_any_are_not_differences() {
        let any = |code| {
            let mut t = sample_trial("a", WinVersion::Xp, code);
            t.steps[0].expected = Some(crate::results::Expected {
                outcome: crate::scenario::model::ExpectedOutcome::Any.to_string(),
                code: None,
                any_of: Vec::new(),
                provenance: jetconform_interface::Provenance::Unknown,
                note: None,
                line: 9,
            });
            t
        };
        let a = vec![any(0)];
        let mut b = vec![any(-1)];
        b[0].runner = "other".into();
        assert!(by_runner(&a, &b, WinVersion::Xp).is_empty());
        // Judged on one side: the difference is shown.
        b[0].steps[0].expected = None;
        assert_eq!(by_runner(&a, &b, WinVersion::Xp).len(), 1);
    }

    #[test]
    fn finds_steps_that_differ_by_runner() {
        let a = vec![sample_trial("a", WinVersion::Xp, 0)];
        let mut b = vec![sample_trial("a", WinVersion::Xp, -1)];
        b[0].runner = "other".into();
        assert_eq!(by_runner(&a, &b, WinVersion::Xp).len(), 1);
        assert!(by_runner(&a, &a, WinVersion::Xp).is_empty());
        assert!(by_runner(&a, &b, WinVersion::Win10).is_empty());
    }
}
