//! The verdict: pure functions from what was expected and what was observed to an outcome.
//! Nothing here runs anything. `codes.rs` judges the returned code, `checks.rs` the output
//! checks, `repeat.rs` decides whether a repeated call goes on; failures are structured
//! values (`failure.rs`) that outputs render.

mod checks;
mod codes;
mod failure;
mod repeat;

pub use checks::{glob, name_matches, CheckFailure, CheckProblem};
pub use failure::Failure;
pub use repeat::{Next, Tally};

use crate::scenario::model::{Check, Expected};
use jetconform_interface::Observation;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The outcome of one trial.
// One trial is scenario x runner x version. The results file names this type `TrialOutcome`
// in its schema; the variants carry no doc comments so the schema stays a plain enum.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "TrialOutcome")]
pub enum Outcome {
    Pass,
    Fail,
    // Everything judged passed; some step's expectation was `unknown` (recorded, not judged).
    Unknown,
    // Not run: the version is not applicable or the runner lacks a capability.
    Skip,
    // Could not be carried out (fixture failed, not modelled, binding never produced).
    Error,
    // The runner process died mid-scenario.
    Crashed,
    // The runner did not answer in time.
    Timeout,
}

/// The verdict on one step.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    Pass,
    Fail,
    Unknown,
    Error,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::Unknown,
        Outcome::Skip,
        Outcome::Error,
        Outcome::Crashed,
        Outcome::Timeout,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Unknown => "unknown",
            Outcome::Skip => "skip",
            Outcome::Error => "error",
            Outcome::Crashed => "crashed",
            Outcome::Timeout => "timeout",
        }
    }
    /// Does this outcome make `jetconform run` exit non-zero?
    pub fn is_failure(self) -> bool {
        !matches!(self, Outcome::Pass | Outcome::Unknown | Outcome::Skip)
    }
    /// Severity for combining step verdicts into a trial outcome (higher wins).
    fn rank(self) -> u8 {
        match self {
            Outcome::Pass | Outcome::Skip => 0,
            Outcome::Unknown => 1,
            Outcome::Fail => 2,
            Outcome::Error => 3,
            Outcome::Crashed | Outcome::Timeout => 4,
        }
    }
}

/// The judgement of one step: its outcome, with the failure when it did not pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepVerdict {
    Pass,
    /// Result or checks differ from the expectation.
    Fail(Failure),
    /// Expectation `unknown`: recorded, not judged.
    Unknown,
    /// The step could not be judged (not modelled, binding missing, fixture failure).
    Error(Failure),
}

impl StepVerdict {
    pub fn outcome(&self) -> Outcome {
        match self {
            StepVerdict::Pass => Outcome::Pass,
            StepVerdict::Fail(_) => Outcome::Fail,
            StepVerdict::Unknown => Outcome::Unknown,
            StepVerdict::Error(_) => Outcome::Error,
        }
    }
    /// Passed or unknown: nothing went wrong.
    pub fn is_ok(&self) -> bool {
        matches!(self, StepVerdict::Pass | StepVerdict::Unknown)
    }
    /// The step's recorded outcome, and the failure rendered as the reason.
    pub fn into_parts(self) -> (StepOutcome, Option<String>) {
        match self {
            StepVerdict::Pass => (StepOutcome::Pass, None),
            StepVerdict::Fail(w) => (StepOutcome::Fail, Some(w.to_string())),
            StepVerdict::Unknown => (StepOutcome::Unknown, None),
            StepVerdict::Error(w) => (StepOutcome::Error, Some(w.to_string())),
        }
    }
}

impl StepOutcome {
    pub fn outcome(self) -> Outcome {
        match self {
            StepOutcome::Pass => Outcome::Pass,
            StepOutcome::Fail => Outcome::Fail,
            StepOutcome::Unknown => Outcome::Unknown,
            StepOutcome::Error => Outcome::Error,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            StepOutcome::Pass => "pass",
            StepOutcome::Fail => "fail",
            StepOutcome::Unknown => "unknown",
            StepOutcome::Error => "error",
        }
    }
    /// Failed or errored: the steps failure outputs show.
    pub fn is_failure(self) -> bool {
        matches!(self, StepOutcome::Fail | StepOutcome::Error)
    }
}

/// The names a scenario bound so far, as the checks see them.
pub trait BindingLookup {
    /// A number for checks and sums (handles, u32, i32), or why there is none.
    fn number(&self, name: &str) -> Result<i64, String>;
}

/// Judges one observed call: its code against the expectation, then its output checks
/// (evaluated against `bindings`, with paths shown relative to `sandbox`).
pub fn judge_step(
    expected: &Expected,
    checks: &[Check],
    observed: &Observation,
    bindings: &dyn BindingLookup,
    sandbox: &str,
    in_fixture: bool,
) -> StepVerdict {
    let failed = checks::failures(checks, observed, bindings, sandbox);
    judge(expected, observed, failed, in_fixture)
}

/// Judges one observed call, its checks already evaluated; a call that wrote outside its
/// buffers fails. `in_fixture` turns a failure into an error: a fixture that cannot be set up means the scenario was not carried out.
pub fn judge(
    expected: &Expected,
    observed: &Observation,
    check_failures: Vec<CheckFailure>,
    in_fixture: bool,
) -> StepVerdict {
    let verdict = match codes::judge(&expected.outcome, &observed.result) {
        // A write outside its buffers fails the call whatever it returned.
        _ if !observed.violations.is_empty() => {
            StepVerdict::Fail(Failure::OutOfBounds(observed.violations.clone()))
        }
        StepVerdict::Pass if !check_failures.is_empty() => {
            StepVerdict::Fail(Failure::Checks(check_failures))
        }
        v => v,
    };
    match verdict {
        StepVerdict::Fail(why) if in_fixture => StepVerdict::Error(Failure::Fixture(Box::new(why))),
        v => v,
    }
}

/// Combines step verdicts: the worst wins (error > fail > unknown > pass).
pub fn combine(verdicts: impl IntoIterator<Item = Outcome>) -> Outcome {
    verdicts.into_iter().fold(
        Outcome::Pass,
        |acc, o| if o.rank() > acc.rank() { o } else { acc },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::{ExpectedOutcome, Location};
    use jetconform_interface::{ErrorCode, Provenance};
    use rstest::rstest;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn exp(o: ExpectedOutcome) -> Expected {
        Expected {
            outcome: o,
            provenance: Provenance::Source,
            note: None,
            location: Location {
                file: Arc::new(PathBuf::from("x.toml")),
                line: 1,
                col: 1,
            },
        }
    }
    const OK: ExpectedOutcome = ExpectedOutcome::Code(ErrorCode(0));

    #[rstest]
    #[case(OK, Observation::returned(ErrorCode(0)), Outcome::Pass)]
    #[case(OK, Observation::returned(ErrorCode(-520)), Outcome::Fail)]
    #[case(OK, Observation::not_exported(), Outcome::Fail)]
    #[case(OK, Observation::not_modelled("x"), Outcome::Error)]
    #[case(ExpectedOutcome::Unknown, Observation::returned(ErrorCode(-800)), Outcome::Unknown)]
    #[case(
        ExpectedOutcome::Unknown,
        Observation::not_modelled("x"),
        Outcome::Error
    )]
    #[case(
        ExpectedOutcome::NotExported,
        Observation::not_exported(),
        Outcome::Pass
    )]
    #[case(
        ExpectedOutcome::NotExported,
        Observation::returned(ErrorCode(0)),
        Outcome::Fail
    )]
    fn judges_results(#[case] e: ExpectedOutcome, #[case] o: Observation, #[case] want: Outcome) {
        assert_eq!(judge(&exp(e), &o, vec![], false).outcome(), want);
    }

    fn either() -> ExpectedOutcome {
        ExpectedOutcome::AnyOf(vec![ErrorCode(-1115), ErrorCode(-1003)])
    }

    #[rstest]
    #[case(either(), Observation::returned(ErrorCode(-1115)), Outcome::Pass)]
    #[case(either(), Observation::returned(ErrorCode(-1003)), Outcome::Pass)]
    #[case(either(), Observation::returned(ErrorCode(0)), Outcome::Fail)]
    #[case(either(), Observation::not_exported(), Outcome::Fail)]
    #[case(
        ExpectedOutcome::Success,
        Observation::returned(ErrorCode(0)),
        Outcome::Pass
    )]
    // A warning (JET_wrnTargetInstanceRunning, 578) is a success.
    #[case(
        ExpectedOutcome::Success,
        Observation::returned(ErrorCode(578)),
        Outcome::Pass
    )]
    #[case(ExpectedOutcome::Success, Observation::returned(ErrorCode(-1)), Outcome::Fail)]
    #[case(ExpectedOutcome::Success, Observation::not_exported(), Outcome::Fail)]
    // `any` passes: recorded, not judged, and not unknown.
    #[case(ExpectedOutcome::Any, Observation::returned(ErrorCode(-800)), Outcome::Pass)]
    #[case(ExpectedOutcome::Any, Observation::not_exported(), Outcome::Pass)]
    #[case(ExpectedOutcome::Any, Observation::not_modelled("x"), Outcome::Error)]
    fn judges_the_forms(#[case] e: ExpectedOutcome, #[case] o: Observation, #[case] want: Outcome) {
        assert_eq!(judge(&exp(e), &o, vec![], false).outcome(), want);
    }

    #[test]
    fn form_failures_name_what_was_accepted() {
        let v = judge(
            &exp(either()),
            &Observation::returned(ErrorCode(0)),
            vec![],
            false,
        );
        assert_eq!(
            v.into_parts().1.as_deref(),
            Some(
                "expected any_of [JET_errInvalidInstance (-1115), JET_errInvalidParameter (-1003)], observed JET_errSuccess (0)"
            )
        );
        let v = judge(
            &exp(ExpectedOutcome::Success),
            &Observation::returned(ErrorCode(-1003)),
            vec![],
            false,
        );
        assert_eq!(
            v.into_parts().1.as_deref(),
            Some("expected success (any code >= 0), observed JET_errInvalidParameter (-1003)")
        );
        // Checks still apply to a step whose code is not judged.
        let failed = CheckFailure {
            what: "pcbActual".into(),
            problem: CheckProblem::NotReported,
        };
        let v = judge(
            &exp(ExpectedOutcome::Any),
            &Observation::returned(ErrorCode(-1003)),
            vec![failed],
            false,
        );
        assert_eq!(v.outcome(), Outcome::Fail);
    }

    #[test]
    fn failed_checks_fail_a_matching_code_and_fixtures_error() {
        let o = Observation::returned(ErrorCode(0));
        let failed = CheckFailure {
            what: "pcbActual".into(),
            problem: CheckProblem::Mismatch {
                expected: "3".into(),
                observed: "4".into(),
            },
        };
        let v = judge(&exp(OK), &o, vec![failed], false);
        assert_eq!(
            v.into_parts(),
            (
                StepOutcome::Fail,
                Some("pcbActual: expected 3, observed 4".into())
            )
        );
        let v = judge(
            &exp(OK),
            &Observation::returned(ErrorCode(-1029)),
            vec![],
            true,
        );
        assert_eq!(v.outcome(), Outcome::Error);
    }

    #[test]
    fn worst_outcome_wins() {
        assert_eq!(combine([Outcome::Pass, Outcome::Unknown]), Outcome::Unknown);
        assert_eq!(
            combine([Outcome::Unknown, Outcome::Fail, Outcome::Pass]),
            Outcome::Fail
        );
        assert_eq!(combine([Outcome::Fail, Outcome::Error]), Outcome::Error);
        assert_eq!(combine([]), Outcome::Pass);
    }
}
