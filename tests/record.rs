//! `jetconform record --from RESULTS`: observed results into the scenario files.

mod common;
use common::*;

const UNKNOWN: &str = r#"# Nobody knows what this returns yet.
title = "Legacy Begin before any JetInit"
description = "Recorded from a run."
evidence = ["spec 4.2"]
versions = "win10..win11"
provenance = "source"

[[step]]
call = "JetBeginExternalBackup"   # the call under test
grbit = 0
expect = "unknown"
"#;

#[test]
fn records_what_differs_and_keeps_the_rest() {
    let dir = corpus(&[("u.toml", UNKNOWN), ("ok.toml", PASSING)]);
    let out = jetconform(&["run", "--output", "r.json"], dir.path());
    exits(&out, 0);

    let dry = jetconform(
        &[
            "record",
            "--from",
            "r.json",
            "--machine",
            "box",
            "--dry-run",
        ],
        dir.path(),
    );
    exits(&dry, 0);
    let diff = stdout(&dry);
    has(&diff, "--- cases/u.toml");
    has(&diff, r#"-expect = "unknown""#);
    // Both versions of the plain expectation observed alike: rewritten as one entry.
    has(
        &diff,
        r#"+expect = { code = "JET_errInvalidParameter", provenance = "observed:box" }"#,
    );
    assert!(!diff.contains("ok.toml"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("cases/u.toml")).unwrap(),
        UNKNOWN
    );

    let out = jetconform(
        &["record", "--from", "r.json", "--machine", "box"],
        dir.path(),
    );
    exits(&out, 0);
    let text = std::fs::read_to_string(dir.path().join("cases/u.toml")).unwrap();
    assert!(
        text.starts_with("# Nobody knows what this returns yet."),
        "{text}"
    );
    has(&text, "# the call under test");
    let check = jetconform(&["check"], dir.path());
    exits(&check, 0);
    let again = jetconform(
        &["record", "--from", "r.json", "--machine", "box"],
        dir.path(),
    );
    has(stdout(&again), "recorded into 0 file(s)");
}

#[test]
fn refuses_in_ci_and_refuses_crashes() {
    let dir = corpus(&[("u.toml", UNKNOWN)]);
    jetconform(&["run", "--output", "r.json"], dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jetconform"))
        .args(["record", "--from", "r.json"])
        .current_dir(dir.path())
        .env("CI", "true")
        .output()
        .unwrap();
    exits_saying(&out, 2, "does not run in CI");
    // `CI=` (set, but empty) is not CI: shells and tools clear it that way.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jetconform"))
        .args(["record", "--from", "r.json", "--dry-run"])
        .current_dir(dir.path())
        .env("CI", "")
        .output()
        .unwrap();
    exits(&out, 0);

    let text = std::fs::read_to_string(dir.path().join("r.json")).unwrap();
    std::fs::write(
        dir.path().join("crashed.json"),
        text.replace(r#""outcome": "unknown""#, r#""outcome": "crashed""#),
    )
    .unwrap();
    let out = jetconform(
        &["record", "--from", "crashed.json", "--machine", "box"],
        dir.path(),
    );
    exits_saying(&out, 0, "the trial's outcome is crashed");
    has(stdout(&out), "recorded into 0 file(s)");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("cases/u.toml")).unwrap(),
        UNKNOWN
    );
}

#[test]
fn a_model_is_not_a_machine() {
    let dir = corpus(&[("u.toml", UNKNOWN), ("v.toml", UNKNOWN)]);
    jetconform(&["run", "--output", "r.json"], dir.path());
    let out = jetconform(&["record", "--from", "r.json"], dir.path());
    // One line for the runner, not one per trial (a first run with the mock has hundreds).
    exits_saying(
        &out,
        0,
        "not recorded: runner mock is a model, not a machine: its 4 trial(s) are not recorded (give --machine NAME to record them anyway)\n",
    );
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    has(stdout(&out), "recorded into 0 file(s)");
}

const FORMS: &str = r#"title = "Legacy Begin before any JetInit, judged with the forms"
description = "Recorded from a run."
evidence = ["spec 4.2"]
versions = "win10..win11"
provenance = "source"

[[step]]
call = "JetBeginExternalBackup"
grbit = 0
expect = { any_of = ["JET_errInvalidInstance", "JET_errInvalidParameter"] }

[[step]]
call = "JetBeginExternalBackup"
grbit = 0
expect = "success"

[[step]]
call = "JetBeginExternalBackup"
grbit = 0
expect = "any"
"#;

#[test]
fn forms_the_observation_satisfies_stay_and_the_others_say_what_replaced_them() {
    let dir = corpus(&[("f.toml", FORMS)]);
    let out = jetconform(&["run", "--output", "r.json"], dir.path());
    exits(&out, 1);
    let rec = jetconform(
        &["record", "--from", "r.json", "--machine", "box"],
        dir.path(),
    );
    exits(&rec, 0);
    let text = std::fs::read_to_string(dir.path().join("cases/f.toml")).unwrap();
    // -1003 is in the any_of: kept as written, provenance included.
    assert!(
        text.contains(
            r#"expect = { any_of = ["JET_errInvalidInstance", "JET_errInvalidParameter"] }"#
        ),
        "{text}"
    );
    // `any` is never rewritten.
    assert!(text.contains(r#"expect = "any""#), "{text}");
    // -1003 is no success: the observation replaces the form, and record says so.
    assert!(
        text.contains(
            r#"expect = { code = "JET_errInvalidParameter", provenance = "observed:box" }"#
        ),
        "{text}"
    );
    let err = String::from_utf8_lossy(&rec.stderr).to_string();
    assert!(
        err.contains("outside `success`: recorded as win10's expectation"),
        "{err}"
    );
    exits(&jetconform(&["run"], dir.path()), 0);
}
