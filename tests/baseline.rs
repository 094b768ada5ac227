//! Baselines: `jetconform baseline --from RESULTS` and `run --baseline FILE`.

mod common;
use common::*;

#[test]
fn a_baseline_keeps_known_failures_and_catches_changes() {
    let dir = corpus(&[("ok.toml", PASSING), ("bad.toml", FAILING)]);
    let out = jetconform(&["run", "--output", "r.json"], dir.path());
    exits(&out, 1);
    for name in ["known.toml", "known.json"] {
        let out = jetconform(
            &["baseline", "--from", "r.json", "--output", name],
            dir.path(),
        );
        exits_printing(&out, 0, "2 known divergence(s)");
        let out = jetconform(&["run", "--baseline", name], dir.path());
        exits_printing(
            &out,
            0,
            "KNOWN bad[mock] on win10, win11  (matches the baseline)",
        );
        // The known failures are counted as known, not as failures (CI reads `N failed`).
        assert!(
            stdout(&out).contains("4 trials: 2 passed, 0 failed, 2 known, 0 unknown"),
            "{}",
            stdout(&out)
        );
    }
    let junit = jetconform(
        &["run", "--baseline", "known.toml", "--format", "junit"],
        dir.path(),
    );
    exits(&junit, 0);
    let xml = stdout(&junit);
    assert!(!xml.contains("<failure"), "{xml}");
    has(
        &xml,
        "<system-out>known divergence: fail matches the baseline",
    );
    let json = jetconform(
        &["run", "--baseline", "known.toml", "--format", "json"],
        dir.path(),
    );
    exits(&json, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        doc["baseline"]["known"].as_array().unwrap().len(),
        2,
        "{doc}"
    );
    assert_eq!(doc["summary"]["known"], 2, "{doc}");
    // A baseline of another runner says so.
    let text = std::fs::read_to_string(dir.path().join("known.toml")).unwrap();
    std::fs::write(
        dir.path().join("theirs.toml"),
        text.replace("runner = \"mock\"", "runner = \"ffi:esent\""),
    )
    .unwrap();
    let out = jetconform(&["run", "--baseline", "theirs.toml"], dir.path());
    has(stderr(&out), "taken from runner `ffi:esent`");
    // The scenario now expects what the runner returns: the baseline is stale.
    std::fs::write(
        dir.path().join("cases/bad.toml"),
        FAILING.replace("JET_errSuccess", "JET_errInvalidParameter"),
    )
    .unwrap();
    let out = jetconform(&["run", "--baseline", "known.toml"], dir.path());
    exits_saying(&out, 1, "unexpected pass");
    // A different code than the baseline's fails too.
    let text = std::fs::read_to_string(dir.path().join("known.toml")).unwrap();
    // (Name and number together: a baseline whose `code` contradicts its `observed` name is
    // refused before anything runs.)
    std::fs::write(
        dir.path().join("other.toml"),
        text.replace("-1003", "-1")
            .replace("\"JET_errInvalidParameter\"", "\"JET_wrnNyi\""),
    )
    .unwrap();
    std::fs::write(dir.path().join("cases/bad.toml"), FAILING).unwrap();
    let out = jetconform(&["run", "--baseline", "other.toml"], dir.path());
    exits_saying(&out, 1, "the baseline says");
}

#[test]
fn bad_baselines_exit_2() {
    let dir = corpus(&[("ok.toml", PASSING)]);
    std::fs::write(dir.path().join("b.toml"), "known = 3").unwrap();
    let out = jetconform(&["run", "--baseline", "b.toml"], dir.path());
    exits_saying(&out, 2, "baseline b.toml is not valid");
    let out = jetconform(&["run", "--baseline", "none.toml"], dir.path());
    exits(&out, 2);
    let out = jetconform(
        &["baseline", "--from", "none.json", "--output", "b.toml"],
        dir.path(),
    );
    exits(&out, 2);
}
