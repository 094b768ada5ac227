//! `jetconform diff`: between versions (live or from a results file) and between runners.

mod common;
use common::*;

/// JetBeginExternalBackup without JetInit: NotInitialized before Vista, InvalidParameter
/// from Vista on (on the mock).
const VARIES: &str = r#"
title = "Legacy Begin before any JetInit"
description = "Differs between versions."
evidence = ["spec 4.2"]
versions = "xp..win11"
provenance = "source"

[[step]]
call = "JetBeginExternalBackup"
grbit = 0
expect = "unknown"
"#;

#[test]
fn versions_of_the_live_mock() {
    let dir = corpus(&[("varies.toml", VARIES), ("ok.toml", PASSING)]);
    let out = jetconform(&["diff", "--versions", "xp,win10"], dir.path());
    exits(&out, 1);
    let text = stdout(&out);
    has(&text, "varies");
    has(&text, "cases/varies.toml:9");
    has(&text, "JET_errNotInitialized");
    has(&text, "1 step(s) differ");
    let md = jetconform(
        &["diff", "--versions", "xp,win10", "--format", "markdown"],
        dir.path(),
    );
    exits_printing(&md, 1, "| scenario | step | line | call | xp | win10 |");
    has(stdout(&md), "| varies | step 1 | cases/varies.toml:9 | `JetBeginExternalBackup` | JET_errNotInitialized |");
    let same = jetconform(&["diff", "--versions", "win10,win11"], dir.path());
    exits(&same, 0);
    assert!(stdout(&same).contains("no differences"));
}

#[test]
fn versions_from_a_results_file() {
    let dir = corpus(&[("varies.toml", VARIES)]);
    jetconform(&["run", "--output", "r.json"], dir.path());
    let out = jetconform(
        &["diff", "--results", "r.json", "--versions", "all"],
        dir.path(),
    );
    exits_printing(&out, 1, "win2000");
}

#[test]
fn two_runners_on_one_version() {
    let dir = corpus(&[("varies.toml", VARIES)]);
    jetconform(&["run", "--output", "r.json"], dir.path());
    let out = jetconform(
        &[
            "diff",
            "--runner",
            "mock",
            "--runner",
            "results:r.json",
            "--version",
            "xp",
        ],
        dir.path(),
    );
    exits(&out, 0);
    // Change what the file says the runner observed on xp.
    let text = std::fs::read_to_string(dir.path().join("r.json")).unwrap();
    let changed = text.replace("-1029", "-1003");
    std::fs::write(dir.path().join("other.json"), changed).unwrap();
    let out = jetconform(
        &[
            "diff",
            "--results",
            "r.json",
            "--results",
            "other.json",
            "--version",
            "xp",
        ],
        dir.path(),
    );
    exits_printing(&out, 1, "JetBeginExternalBackup(grbit=0x0)");
}

#[test]
fn bad_input_exits_2() {
    let dir = corpus(&[("varies.toml", VARIES)]);
    jetconform(
        &["run", "--version", "win10", "--output", "r.json"],
        dir.path(),
    );
    for args in [
        vec!["diff"],
        vec!["diff", "--versions", "xp"],
        vec!["diff", "--versions", "xq,win10"],
        vec!["diff", "--version", "xp", "--runner", "mock"],
        vec!["diff", "--versions", "xp,win10", "--runner", "nope"],
        vec![
            "diff",
            "--versions",
            "xp,win10",
            "--results",
            "missing.json",
        ],
    ] {
        let out = jetconform(&args, dir.path());
        exits(&out, 2);
        assert!(
            stderr(&out).contains("error:"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}
