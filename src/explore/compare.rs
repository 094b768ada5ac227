//! Comparing two trials of the same sequence step by step: the first step whose observation
//! differs (its code, or an output both runners report), or where one trial stopped (a crash,
//! a hang) while the other went on.

use crate::results::{Outcome, Step, Trial};
use jetconform_interface::{CallResult, Observation, OutValue};

/// What differs at a step.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Different results (codes, `not_exported`, ...), each as a short name.
    Code(String, String),
    /// The same code, a different value of an output both report.
    Output { name: String, a: String, b: String },
    /// One trial ended at this step (crash, timeout, runner error): the outcomes.
    Outcome(String, String),
}

impl Kind {
    /// What must stay the same while shrinking: the code pair, the output's name, or the
    /// outcome pair (output values may change as arguments get simpler).
    pub fn class(&self) -> String {
        match self {
            // Availability (spec 11.1) is one difference, whatever the other side returned.
            Kind::Code(a, _) if a == "not_exported" => "not_exported vs exported".into(),
            Kind::Code(_, b) if b == "not_exported" => "exported vs not_exported".into(),
            Kind::Code(a, b) => format!("{a} vs {b}"),
            Kind::Output { name, .. } => format!("output {name}"),
            Kind::Outcome(a, b) => format!("{a} vs {b}"),
        }
    }
    /// Whether the difference is one of availability, the same in every state.
    pub fn is_availability(&self) -> bool {
        matches!(self, Kind::Code(a, b) if a == "not_exported" || b == "not_exported")
    }
    /// One line for people.
    pub fn describe(&self) -> String {
        match self {
            Kind::Code(a, b) => format!("{a} vs {b}"),
            Kind::Output { name, a, b } => format!("{name} = {a} vs {b}"),
            Kind::Outcome(a, b) => format!("{a} vs {b}"),
        }
    }
}

/// The first difference of two trials of one sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Index of the step in the sequence (0-based).
    pub index: usize,
    pub function: String,
    pub kind: Kind,
}

/// Compares the trials of one sequence on runner A and runner B.
pub fn first_difference(a: &Trial, b: &Trial) -> Option<Difference> {
    let n = a.steps.len().min(b.steps.len());
    for i in 0..n {
        let (sa, sb) = (&a.steps[i], &b.steps[i]);
        if let Some(kind) = step_difference(sa, sb) {
            return Some(Difference {
                index: sa.step.saturating_sub(1) as usize,
                function: sa.function.to_string(),
                kind,
            });
        }
    }
    if a.outcome != b.outcome && (stopped(a.outcome) || stopped(b.outcome)) {
        // One side stopped early: the step where it stopped (the next one it did not record).
        let at = a.steps.get(n).or(b.steps.get(n));
        let index = at.map(|s| s.step.saturating_sub(1) as usize).unwrap_or(n);
        let function = at.map(|s| s.function.to_string()).unwrap_or_default();
        return Some(Difference {
            index,
            function,
            kind: Kind::Outcome(a.outcome.as_str().into(), b.outcome.as_str().into()),
        });
    }
    None
}

/// The trial ended because of its runner, not because of a verdict.
fn stopped(o: Outcome) -> bool {
    matches!(o, Outcome::Crashed | Outcome::Timeout | Outcome::Error)
}

fn step_difference(a: &Step, b: &Step) -> Option<Kind> {
    match (&a.observed, &b.observed) {
        (None, None) => None,
        (Some(oa), Some(ob)) => observation_difference(oa, ob, lists_paths(&a.function)),
        (oa, ob) => Some(Kind::Code(
            oa.as_ref()
                .map(result_name)
                .unwrap_or_else(|| "not run".into()),
            ob.as_ref()
                .map(result_name)
                .unwrap_or_else(|| "not run".into()),
        )),
    }
}

/// The result as a short name: `JET_errNoBackup`, `JET_ERR(-12)`, `not_exported`.
pub fn result_name(o: &Observation) -> String {
    match &o.result {
        CallResult::Returned(c) => c
            .name()
            .map(str::to_string)
            .unwrap_or_else(|| format!("JET_ERR({})", c.0)),
        CallResult::NotExported => "not_exported".into(),
        CallResult::NotModelled(_) => "not_modelled".into(),
    }
}

/// Whether the function lists engine paths (`szz`): its byte count (`pcbActual`) includes
/// each runner's own sandbox path, so only the names listed are compared.
fn lists_paths(function: &str) -> bool {
    jetconform_interface::Function::by_name(function)
        .is_some_and(|f| f.info().param("szz").is_some())
}

/// Different results, or the first output (by name) that both report with different values;
/// `pcbActual` is left out when `skip_count`.
pub fn observation_difference(a: &Observation, b: &Observation, skip_count: bool) -> Option<Kind> {
    if a.result != b.result {
        return Some(Kind::Code(result_name(a), result_name(b)));
    }
    for (name, va) in &a.outputs {
        let Some(vb) = b.outputs.get(name) else {
            continue;
        };
        if skip_count && name == "pcbActual" {
            continue;
        }
        let (ta, tb) = (value_text(va), value_text(vb));
        if ta != tb {
            return Some(Kind::Output {
                name: name.clone(),
                a: ta,
                b: tb,
            });
        }
    }
    None
}

/// An output as comparable text: handle values are the runner's own (only whether one was
/// written counts), listed paths by their last component (sandboxes differ).
pub fn value_text(v: &OutValue) -> String {
    match v {
        OutValue::Unwritten => "unwritten".into(),
        OutValue::Handle(_) => "a handle".into(),
        OutValue::U32(x) => x.to_string(),
        OutValue::I32(x) => x.to_string(),
        OutValue::Bytes(x) => x.to_string(),
        OutValue::Strings { items, terminated } => {
            // The last item of a cut list is a piece of a path, whose length depends on
            // the runner's sandbox: only the whole items are compared.
            let whole = if *terminated {
                &items[..]
            } else {
                &items[..items.len().saturating_sub(1)]
            };
            let names: Vec<&str> = whole
                .iter()
                .map(|s| s.rsplit(['/', '\\']).next().unwrap_or(s))
                .collect();
            format!(
                "[{}]{}",
                names.join(", "),
                if *terminated { "" } else { " unterminated" }
            )
        }
        OutValue::LogInfo(li) => format!(
            "{{ulGenLow {}, ulGenHigh {}, szBaseName {:?}, cbSize {}}}",
            li.gen_low, li.gen_high, li.base_name, li.cb_size
        ),
        OutValue::Callbacks(events) => format!("{} callback(s)", events.len()),
        OutValue::Nested(o) => format!("nested {}", result_name(o)),
    }
}

/// A number output, for a `check` in a written scenario.
pub fn number_of(v: &OutValue) -> Option<u64> {
    match v {
        OutValue::U32(x) => Some(*x as u64),
        OutValue::Bytes(x) => Some(*x),
        _ => None,
    }
}
