//! Why a step did not pass, as a value; outputs render it (`Display` is the text every
//! output shows as the step's reason).

use super::CheckFailure;
use crate::scenario::model::ExpectedOutcome;
use jetconform_interface::ErrorCode;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Another code came back.
    Code {
        expected: ErrorCode,
        observed: ErrorCode,
    },
    /// A result outside an `any_of` list, or an error where `success` was expected.
    NotAdmitted {
        expected: ExpectedOutcome,
        observed: ErrorCode,
    },
    /// A result was expected (a code, `any_of`, `success`); the function is not exported.
    NotExported { expected: ExpectedOutcome },
    /// The function was expected not to be exported; it returned a code.
    Exported { observed: ErrorCode },
    /// The code matched; these output checks did not hold.
    Checks(Vec<CheckFailure>),
    /// A `repeat` step's `until` did not hold after `max` calls.
    RepeatExhausted { max: u32 },
    /// The call wrote outside the memory it was given (the runner's guard regions).
    OutOfBounds(Vec<String>),
    /// The call broke its own contract (`pcbActual` larger than `cb`).
    Contract(String),
    /// A limit on what a trial copies or writes was passed (`exec/caps.rs`).
    Capped(String),
    /// The runner does not model this call.
    NotModelled(String),
    /// A fixture step failed: the scenario was not carried out.
    Fixture(Box<Failure>),
    /// The step could not be made (a binding missing, no expectation for the version).
    NotRun(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Code { expected, observed } => {
                write!(f, "expected {expected}, observed {observed}")
            }
            Failure::NotAdmitted { expected, observed } => {
                write!(f, "expected {expected}, observed {observed}")
            }
            Failure::NotExported { expected } => {
                write!(f, "expected {expected}, but the function is not exported")
            }
            Failure::Exported { observed } => write!(
                f,
                "expected the function not to be exported, but it returned {observed}"
            ),
            Failure::Checks(checks) => {
                for (i, c) in checks.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{c}")?;
                }
                Ok(())
            }
            Failure::RepeatExhausted { max } => write!(
                f,
                "repeat: the until condition did not hold after {max} calls"
            ),
            Failure::OutOfBounds(writes) => {
                write!(f, "wrote outside its buffers: {}", writes.join("; "))
            }
            Failure::Contract(why) => f.write_str(why),
            Failure::Capped(why) => f.write_str(why),
            Failure::NotModelled(why) => write!(f, "not modelled by the runner: {why}"),
            Failure::Fixture(why) => write!(f, "fixture step failed: {why}"),
            Failure::NotRun(why) => f.write_str(why),
        }
    }
}
