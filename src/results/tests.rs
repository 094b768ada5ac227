use super::load::parse;
use super::*;
use jetconform_interface::{ErrorCode, MachineInfo, VersionSet};
use std::path::Path;

pub(crate) fn sample_trial(name: &str, version: WinVersion, code: i32) -> Trial {
    Trial {
        name: format!("{name}[mock@{version}]"),
        scenario: name.into(),
        file: format!("cases/{name}.toml"),
        runner: "mock".into(),
        version,
        outcome: Outcome::Pass,
        reason: None,
        duration_us: 1,
        steps: vec![Step {
            step: 1,
            fixture: None,
            file: format!("cases/{name}.toml"),
            line: 9,
            col: 1,
            function: "JetBeginExternalBackup".into(),
            call: "JetBeginExternalBackup(grbit=0)".into(),
            item: None,
            iterations: 1,
            expected: None,
            observed: Some(Observation::returned(ErrorCode(code))),
            verdict: StepOutcome::Pass,
            reason: None,
        }],
    }
}

fn file(trials: Vec<Trial>) -> ResultsFile {
    ResultsFile::new(
        RunRecord {
            command: vec!["jetconform".into(), "run".into()],
            jetconform: "0.1.0".into(),
            runners: vec![RunnerInfo {
                name: "mock".into(),
                versions: VersionSet::ALL,
                machine: MachineInfo {
                    os: "linux".into(),
                    ..Default::default()
                },
                verbs: vec![],
                fault_hooks: true,
                reserved_names: false,
                profile: None,
            }],
            partition: None,
            interrupted: None,
        },
        trials,
    )
}

#[test]
fn round_trips_through_json() {
    let f = file(vec![sample_trial("a", WinVersion::Xp, -1)]);
    let back = parse(&f.to_json(), Path::new("r.json")).unwrap();
    assert_eq!(back, f);
}

#[test]
fn refuses_other_formats_and_versions_clearly() {
    let p = Path::new("r.json");
    let e = parse(r#"{"summary": {}}"#, p).unwrap_err().to_string();
    assert!(e.contains("not a jetconform results file"), "{e}");
    let e = parse(r#"{"format": "jetconform-results", "version": 2}"#, p)
        .unwrap_err()
        .to_string();
    assert!(e.contains("version 2"), "{e}");
    let e = parse("not json", p).unwrap_err().to_string();
    assert!(e.contains("is not JSON"), "{e}");
    let e = parse(r#"{"format": "jetconform-results", "version": 1}"#, p)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a valid results file"), "{e}");
}

#[test]
fn merge_combines_and_reports_conflicts() {
    let a = file(vec![sample_trial("a", WinVersion::Xp, 0)]);
    let b = file(vec![
        sample_trial("a", WinVersion::Xp, 0),
        sample_trial("a", WinVersion::Win10, 0),
    ]);
    let m = merge(&[("a.json".into(), a.clone()), ("b.json".into(), b)]).unwrap();
    assert_eq!(m.trials.len(), 2);
    assert_eq!(m.runs.len(), 1);
    let c = file(vec![sample_trial("a", WinVersion::Xp, -520)]);
    let e = merge(&[("a.json".into(), a), ("c.json".into(), c)])
        .unwrap_err()
        .to_string();
    assert!(e.contains("a[mock@xp]"), "{e}");
    assert!(e.contains("a.json vs c.json"), "{e}");
}
