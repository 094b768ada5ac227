//! The repeat decision of a `repeat` step: call again until every `until` output holds, at
//! most `max` times, summing the `sum` outputs over the calls.

use super::{Failure, StepVerdict};
use crate::scenario::model::Repeat;
use jetconform_interface::{Observation, OutValue};

/// The calls of one step so far.
pub struct Tally<'a> {
    repeat: Option<&'a Repeat>,
    pub iterations: u32,
    sums: Vec<i64>,
}

/// What comes after a call.
pub enum Next {
    /// Call again (a `repeat` whose `until` does not hold yet).
    Again,
    /// The step's verdict.
    Done(StepVerdict),
}

impl<'a> Tally<'a> {
    pub fn new(repeat: Option<&'a Repeat>) -> Tally<'a> {
        Tally {
            repeat,
            iterations: 0,
            sums: vec![0; repeat.map(|r| r.sum.len()).unwrap_or(0)],
        }
    }

    /// Counts one call judged `verdict` and decides whether to call again. A failed call
    /// ends the step; so does the `until` condition, or reaching `max` without it.
    pub fn after(&mut self, verdict: StepVerdict, obs: &Observation) -> Next {
        self.iterations += 1;
        let Some(rep) = self.repeat else {
            return Next::Done(verdict);
        };
        for (i, (out, _)) in rep.sum.iter().enumerate() {
            self.sums[i] += number(obs.outputs.get(out)).unwrap_or(0);
        }
        let done = rep
            .until
            .iter()
            .all(|(out, want)| number(obs.outputs.get(out)) == Some(*want));
        if !verdict.is_ok() || done {
            Next::Done(verdict)
        } else if self.iterations >= rep.max {
            Next::Done(StepVerdict::Fail(Failure::RepeatExhausted { max: rep.max }))
        } else {
            Next::Again
        }
    }

    /// The `sum` bindings: (name, total over the calls).
    pub fn sums(&self) -> impl Iterator<Item = (&str, i64)> {
        self.repeat
            .into_iter()
            .flat_map(|r| r.sum.iter())
            .zip(&self.sums)
            .map(|((_, name), total)| (name.as_str(), *total))
    }
}

fn number(v: Option<&OutValue>) -> Option<i64> {
    match v? {
        OutValue::Handle(h) => Some(*h as i64),
        OutValue::U32(x) => Some(*x as i64),
        OutValue::I32(x) => Some(*x as i64),
        OutValue::Bytes(x) => Some(*x as i64),
        _ => None,
    }
}
