//! `jetconform coverage`: the function x documented-code table of spec 13, each row covered
//! by named scenarios, reachable only through a fault hook, or missing; and per version, how
//! many expectations are observed, from the source, documented, inferred or unknown.

pub mod rows;

use crate::scenario::model::{ExpectedOutcome, Scenario, Step, StepKind};
use jetconform_interface::{Provenance, WinVersion};
use rows::{Reach, Row, ROWS};
use std::collections::BTreeMap;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Covered,
    /// Covered only by scenarios that need the mock's fault hooks.
    FaultHookOnly,
    Missing,
}

pub struct RowCoverage {
    pub row: &'static Row,
    pub code: i32,
    pub scenarios: Vec<String>,
    pub status: Status,
}

pub fn rows(scenarios: &[Scenario]) -> Vec<RowCoverage> {
    let mut out = Vec::new();
    for row in ROWS {
        for &code in row.codes {
            let mut by: Vec<(&str, bool)> = scenarios
                .iter()
                .filter(|s| own_steps(s).any(|st| reaches(st, row, code)))
                .map(|s| (s.id.as_str(), s.requires_fault_hooks))
                .collect();
            by.sort();
            let status = if by.is_empty() {
                Status::Missing
            } else if by.iter().all(|(_, hooks)| *hooks) {
                Status::FaultHookOnly
            } else {
                Status::Covered
            };
            let status = match (status, row.reach) {
                // A row the spec calls race-or-fault-only is satisfied by a hooked scenario.
                (Status::FaultHookOnly, Reach::FaultHook) => Status::FaultHookOnly,
                (s, _) => s,
            };
            out.push(RowCoverage {
                row,
                code,
                scenarios: by.into_iter().map(|(s, _)| s.to_string()).collect(),
                status,
            });
        }
    }
    out
}

/// The scenario's own steps (not the fixture's), nested bodies included.
fn own_steps(s: &Scenario) -> impl Iterator<Item = &Step> {
    fn walk<'a>(steps: &'a [Step], out: &mut Vec<&'a Step>) {
        for st in steps {
            out.push(st);
            if let StepKind::ForEach(f) = &st.kind {
                walk(&f.body, out);
            }
        }
    }
    let mut v = Vec::new();
    walk(&s.steps, &mut v);
    v.into_iter().filter(|st| st.fixture.is_none())
}

fn reaches(st: &Step, row: &Row, code: i32) -> bool {
    let StepKind::Call(c) = &st.kind else {
        return false;
    };
    let info = c.function.info();
    row.ops.contains(&info.op)
        && row.form.is_none_or(|f| f == info.form)
        && row.charset.is_none_or(|cs| cs == info.charset)
        // One code expected, or named in `provokes`: an `any_of` step may return another of
        // its codes, so it covers none of them on its own.
        && (c.provokes.contains(&jetconform_interface::ErrorCode(code))
            || c.expect
                .distinct()
                .iter()
                .any(|e| e.outcome == ExpectedOutcome::Code(jetconform_interface::ErrorCode(code))))
}

/// Per version: how many step expectations have each provenance kind.
pub fn provenance_counts(
    scenarios: &[Scenario],
) -> BTreeMap<WinVersion, BTreeMap<&'static str, usize>> {
    let mut out: BTreeMap<WinVersion, BTreeMap<&'static str, usize>> = BTreeMap::new();
    for s in scenarios {
        for st in own_steps(s) {
            let StepKind::Call(c) = &st.kind else {
                continue;
            };
            // Harness verbs say nothing about ESENT: their implicit success is not evidence.
            if c.function.info().is_verb() {
                continue;
            }
            for v in WinVersion::ALL {
                if let Some(e) = c.expect.for_version(v) {
                    let kind = match e.outcome {
                        ExpectedOutcome::Unknown => Provenance::Unknown.kind(),
                        _ => e.provenance.kind(),
                    };
                    *out.entry(v).or_default().entry(kind).or_default() += 1;
                }
            }
        }
    }
    out
}

/// The printed report; returns it and whether any row is missing.
pub fn report(scenarios: &[Scenario]) -> (String, bool) {
    use std::fmt::Write;
    let cov = rows(scenarios);
    let mut s = String::new();
    let _ = writeln!(s, "spec 13: function x documented code");
    let _ = writeln!(
        s,
        "{:<4} {:<32} {:>6}  {:<10} scenarios",
        "row", "function", "code", "status"
    );
    let mut missing = 0;
    for c in &cov {
        let status = match c.status {
            Status::Covered => "covered",
            Status::FaultHookOnly => "fault-hook",
            Status::Missing => {
                missing += 1;
                "MISSING"
            }
        };
        let name = jetconform_interface::ErrorCode(c.code)
            .name()
            .unwrap_or("?");
        let who = if c.scenarios.is_empty() {
            format!("({})", c.row.how)
        } else {
            c.scenarios.join(", ")
        };
        let _ = writeln!(
            s,
            "{:<4} {:<32} {:>6}  {:<10} {name}: {who}",
            c.row.number, c.row.function, c.code, status
        );
    }
    let covered = cov.iter().filter(|c| c.status != Status::Missing).count();
    let _ = writeln!(
        s,
        "\n{covered} of {} rows covered, {missing} missing\n",
        cov.len()
    );
    let _ = writeln!(s, "expectations per version, by provenance");
    let kinds = ["observed", "source", "documented", "inferred", "unknown"];
    let _ = writeln!(
        s,
        "{:<11}{}",
        "version",
        kinds.iter().map(|k| format!("{k:>11}")).collect::<String>()
    );
    for (v, counts) in provenance_counts(scenarios) {
        let cells: String = kinds
            .iter()
            .map(|k| format!("{:>11}", counts.get(k).copied().unwrap_or(0)))
            .collect();
        let _ = writeln!(s, "{:<11}{cells}", v.id());
    }
    (s, missing > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_of_covers_no_code_alone_and_provokes_does() {
        let cases = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cases");
        let loaded = crate::scenario::load(&[cases]);
        let covering = |id: &str| {
            rows(&loaded.scenarios)
                .iter()
                .filter(|r| r.code == -1115)
                .any(|r| r.scenarios.iter().any(|s| s == id))
        };
        // `any_of [-1115, -1003]` with `provokes = "JET_errInvalidInstance"`.
        assert!(covering("begin-external-backup/stale-handle"));
        // `any_of [-1115, -1003]` alone.
        assert!(!covering("stop-backup/invalid-instance"));
    }
}
