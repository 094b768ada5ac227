//! Judging an engine build other than `esent.dll` (`--profile`, spec 15.8): the expectations
//! a scenario states for the release the build is judged as, minus what that build is known
//! not to share with ESENT. The runner says which build it runs (`RunnerInfo::profile`).
//!
//! `ese-oss`, the open-source `ese.dll` in retail:
//! * it does not validate instance handles (`JET_VALIDATE_INSTANCE` is ESENT-only), so
//!   `JET_errInvalidInstance` (-1115) is never expected of it: such a step is recorded, not
//!   judged (the lookup answers -1003 for a garbage handle; a stale one reads freed memory);
//! * its default of `JET_paramLegacyFileNames` is its own and the spec does not give it
//!   (spec 9 states ESENT's 0x3), so the names of its log and checkpoint files are unknown:
//!   a scenario that names such a file itself (in an argument or a check) is recorded, not
//!   judged. Scenarios that only pass back names the engine listed are judged as usual.

use crate::scenario::model::{Expected, ExpectedOutcome, Scenario, Step, StepKind};
use jetconform_interface::{EngineBuild, ErrorCode};
use std::borrow::Cow;

/// What one trial's expectations are adjusted by.
#[derive(Clone, Debug)]
pub struct Overlay {
    build: EngineBuild,
    /// The scenario names a log or checkpoint file itself.
    names_log_files: bool,
}

impl Overlay {
    /// The overlay of a trial on a runner that reports `profile` (`None` for esent.dll, or
    /// a build the harness does not know, which is then judged like esent.dll).
    pub fn for_trial(profile: Option<&str>, scenario: &Scenario) -> Option<Overlay> {
        let build = EngineBuild::parse(profile?)?;
        Some(Overlay {
            build,
            names_log_files: scenario.steps.iter().any(names_log_file),
        })
    }

    /// The expectation to judge by.
    pub fn apply<'a>(&self, e: &'a Expected) -> Cow<'a, Expected> {
        let why = match self.build {
            EngineBuild::EseOss => {
                if self.names_log_files {
                    Some(
                        "profile ese-oss: the scenario names log or checkpoint files, and \
                         ese.dll's default JET_paramLegacyFileNames is not known (spec 15.8)",
                    )
                } else if matches!(
                    e.outcome,
                    ExpectedOutcome::Code(_) | ExpectedOutcome::AnyOf(_)
                ) && e.outcome.admits(ErrorCode::JET_errInvalidInstance)
                {
                    // `any_of [-1115, -1003]` included: a stale handle may read freed memory.
                    Some(
                        "profile ese-oss: a retail ese.dll does not validate instance handles \
                         (spec 15.8): -1003 from the lookup, or undefined for a stale handle",
                    )
                } else {
                    None
                }
            }
        };
        match why {
            Some(why) if e.outcome != ExpectedOutcome::Unknown => Cow::Owned(Expected {
                outcome: ExpectedOutcome::Unknown,
                provenance: jetconform_interface::Provenance::Unknown,
                note: Some(why.to_string()),
                location: e.location.clone(),
            }),
            _ => Cow::Borrowed(e),
        }
    }
}

/// Whether a step (or the body of a loop) spells out a log or checkpoint file name: the
/// step's arguments and checks are searched as text for a quoted name ending in one of the
/// extensions `JET_paramLegacyFileNames` chooses between (spec 10.1).
fn names_log_file(step: &Step) -> bool {
    match &step.kind {
        StepKind::ForEach(f) => f.body.iter().any(names_log_file),
        StepKind::Call(c) => {
            let text = format!("{:?} {:?}", c.args, c.checks).to_ascii_lowercase();
            [".log\"", ".chk\"", ".jtx\"", ".jcp\""]
                .iter()
                .any(|ext| text.contains(ext))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    fn corpus(id: &str) -> Scenario {
        let cases = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cases");
        let loaded = scenario::load(&[cases]);
        loaded
            .scenarios
            .into_iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("{id} is in the corpus"))
    }

    #[test]
    fn only_known_builds_have_an_overlay() {
        let s = corpus("get-log-info/success");
        assert!(Overlay::for_trial(None, &s).is_none());
        assert!(Overlay::for_trial(Some("something-else"), &s).is_none());
        assert!(Overlay::for_trial(Some("ese-oss"), &s).is_some());
    }

    #[test]
    fn log_file_names_spelled_out_are_found() {
        let named = corpus("get-log-info/success");
        assert!(
            Overlay::for_trial(Some("ese-oss"), &named)
                .unwrap()
                .names_log_files
        );
        let listed_only = corpus("begin-external-backup/double-begin");
        assert!(
            !Overlay::for_trial(Some("ese-oss"), &listed_only)
                .unwrap()
                .names_log_files
        );
    }
}
