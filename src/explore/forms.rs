//! Which function of a family a generated call uses: the A, W and undecorated forms of the
//! Instance calls, and the legacy single-instance form without an instance (spec 4.2).

use super::sequence::{GenStep, Rng};
use jetconform_interface::functions::Form;
use jetconform_interface::Function;

const ATTACH_FORMS: [&str; 3] = [
    "JetGetAttachInfoInstance",
    "JetGetAttachInfoInstanceA",
    "JetGetAttachInfoInstanceW",
];

pub fn attach_form(rng: &mut Rng) -> &'static str {
    ATTACH_FORMS[rng.below(ATTACH_FORMS.len())]
}
const LOGINFO_FORMS: [&str; 6] = [
    "JetGetLogInfoInstance",
    "JetGetLogInfoInstanceA",
    "JetGetLogInfoInstanceW",
    "JetGetLogInfoInstance2",
    "JetGetTruncateLogInfoInstance",
    "JetGetTruncateLogInfoInstanceW",
];

pub fn loginfo_form(rng: &mut Rng) -> &'static str {
    LOGINFO_FORMS[rng.below(LOGINFO_FORMS.len())]
}
const OPEN_FORMS: [&str; 3] = [
    "JetOpenFileInstance",
    "JetOpenFileInstanceA",
    "JetOpenFileInstanceW",
];

pub fn open_form(rng: &mut Rng) -> &'static str {
    OPEN_FORMS[rng.below(OPEN_FORMS.len())]
}

/// The legacy form of a backup call (spec 4.2): the same name without `Instance` and
/// without the instance argument, when the catalogue has such a legacy function. Restores
/// are left alone: their legacy forms take other parameters (spec 7.2).
pub fn legacy_form(step: GenStep) -> GenStep {
    if step.call.starts_with("JetRestore") {
        return step;
    }
    let name = step.call.replacen("Instance", "", 1);
    let legacy = Function::by_name(&name).is_some_and(|f| f.info().form == Form::Legacy);
    if name == step.call || !legacy {
        return step;
    }
    GenStep {
        call: name,
        args: step
            .args
            .into_iter()
            .filter(|(n, _)| n != "instance")
            .collect(),
        ..step
    }
}
