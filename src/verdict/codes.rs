//! Judges the result of a call (a code, not exported, not modelled) against the expectation.

use super::{Failure, StepVerdict};
use crate::scenario::model::ExpectedOutcome;
use jetconform_interface::CallResult;

pub(super) fn judge(expected: &ExpectedOutcome, observed: &CallResult) -> StepVerdict {
    match (expected, observed) {
        (_, CallResult::NotModelled(why)) => StepVerdict::Error(Failure::NotModelled(why.clone())),
        (ExpectedOutcome::Unknown, _) => StepVerdict::Unknown,
        // Recorded, not judged: whatever came back (a missing export included) passes.
        (ExpectedOutcome::Any, _) => StepVerdict::Pass,
        (ExpectedOutcome::NotExported, CallResult::NotExported) => StepVerdict::Pass,
        (ExpectedOutcome::NotExported, CallResult::Returned(o)) => {
            StepVerdict::Fail(Failure::Exported { observed: *o })
        }
        (e, CallResult::Returned(o)) if e.admits(*o) => StepVerdict::Pass,
        (ExpectedOutcome::Code(e), CallResult::Returned(o)) => StepVerdict::Fail(Failure::Code {
            expected: *e,
            observed: *o,
        }),
        (e, CallResult::Returned(o)) => StepVerdict::Fail(Failure::NotAdmitted {
            expected: e.clone(),
            observed: *o,
        }),
        (e, CallResult::NotExported) => StepVerdict::Fail(Failure::NotExported {
            expected: e.clone(),
        }),
    }
}
