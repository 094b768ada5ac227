//! `--profile ese-oss` (spec 15.8): the mock models the open-source ese.dll (no instance-handle
//! validation) and the harness judges it as win11 without what that build does not share.

use jetconform::exec::run_trial;
use jetconform::scenario::{self, model::Scenario};
use jetconform::verdict::Outcome;
use jetconform_interface::{CallResult, EngineBuild, ErrorCode, WinVersion};

fn scenario(id: &str) -> Scenario {
    let cases = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cases");
    scenario::load(&[cases])
        .scenarios
        .into_iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("{id} is in the corpus"))
}

fn ese_oss() -> jetconform::runners::RunnerEntry {
    jetconform::runners::RunnerSpec::Mock
        .build(&Default::default(), Some(EngineBuild::EseOss))
        .expect("the mock models ese-oss")
}

#[test]
fn the_runner_says_its_build_and_runs_win11_only() {
    let e = ese_oss();
    assert_eq!(e.info.profile.as_deref(), Some("ese-oss"));
    assert!(e.info.versions.contains(WinVersion::Win11));
    assert!(!e.info.versions.contains(WinVersion::Win10));
}

#[test]
fn a_garbage_handle_is_looked_up_not_validated() {
    let e = ese_oss();
    let r = run_trial(
        &scenario("begin-external-backup/garbage-handle"),
        e.runner.as_ref(),
        "mock",
        WinVersion::Win11,
    );
    let first = r.steps.iter().find(|s| s.fixture.is_none()).unwrap();
    let observed = first.observed.as_ref().unwrap();
    assert_eq!(
        observed.result,
        CallResult::Returned(ErrorCode::JET_errInvalidParameter)
    );
    assert_eq!(r.outcome, Outcome::Unknown);
}

#[test]
fn scenarios_naming_log_files_are_recorded_not_judged() {
    let e = ese_oss();
    let r = run_trial(
        &scenario("get-log-info/success"),
        e.runner.as_ref(),
        "mock",
        WinVersion::Win11,
    );
    assert_eq!(r.outcome, Outcome::Unknown);
    let note = r.steps[0].expected.as_ref().unwrap().note.clone().unwrap();
    assert!(note.contains("JET_paramLegacyFileNames"), "{note}");
    let listed_only = run_trial(
        &scenario("begin-external-backup/double-begin"),
        e.runner.as_ref(),
        "mock",
        WinVersion::Win11,
    );
    assert_eq!(listed_only.outcome, Outcome::Pass);
}

#[test]
fn a_stale_handle_is_flagged() {
    let e = ese_oss();
    let r = run_trial(
        &scenario("begin-external-backup/stale-handle"),
        e.runner.as_ref(),
        "mock",
        WinVersion::Win11,
    );
    let begin = r
        .steps
        .iter()
        .find(|s| s.fixture.is_none() && s.call.starts_with("JetBegin"))
        .unwrap();
    let observed = begin.observed.as_ref().unwrap();
    assert_eq!(
        observed.result,
        CallResult::Returned(ErrorCode::JET_errInvalidParameter)
    );
    assert!(
        observed.notes.iter().any(|n| n.contains("15.8")),
        "{observed:?}"
    );
    // `any_of [-1115, -1003]` admits -1115, which a retail ese.dll never validates: the
    // step stays recorded, not judged, as it was before the scenario could say `any_of`.
    assert_eq!(r.outcome, Outcome::Unknown);
}
