//! Results files: `run --output`, the committed JSON Schema, loading errors, `merge`,
//! `--partition`, `--format junit|github`.

mod common;
use common::*;

#[test]
fn committed_schema_is_current() {
    let want = serde_json::to_string_pretty(&jetconform::results::json_schema()).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/results.schema.json");
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        if std::env::var_os("JETCONFORM_BLESS").is_some() {
            std::fs::write(&path, want).unwrap();
            return;
        }
        panic!("docs/results.schema.json is stale: rerun with JETCONFORM_BLESS=1 cargo test --test results");
    }
}

#[test]
fn run_output_records_machine_command_and_every_step() {
    let dir = corpus(&[("ok.toml", PASSING), ("bad.toml", FAILING)]);
    let out = jetconform(&["run", "--output", "r.json"], dir.path());
    exits(&out, 1);
    let file = jetconform::results::load(&dir.path().join("r.json")).unwrap();
    assert_eq!(
        file.runs[0].command,
        vec!["jetconform", "run", "--output", "r.json"]
    );
    assert_eq!(file.runs[0].runners[0].name, "mock");
    assert_eq!(file.trials.len(), 4);
    let failed = file
        .trials
        .iter()
        .find(|t| t.name == "bad[mock@win10]")
        .unwrap();
    assert_eq!(failed.outcome.as_str(), "fail");
    let step = &failed.steps[0];
    assert_eq!(step.function, "JetBeginExternalBackup");
    assert_eq!(step.line, 9);
    assert_eq!(step.observed_name(), "JET_errInvalidParameter");
    assert_eq!(
        step.expected.as_ref().unwrap().provenance.to_string(),
        "source"
    );
}

#[test]
fn loading_a_wrong_file_is_a_clear_error() {
    let dir = corpus(&[("ok.toml", PASSING)]);
    std::fs::write(dir.path().join("x.json"), r#"{"summary": {}}"#).unwrap();
    let out = jetconform(&["merge", "x.json", "--output", "m.json"], dir.path());
    exits_saying(&out, 2, "not a jetconform results file");
    let out = jetconform(&["merge", "missing.json", "--output", "m.json"], dir.path());
    exits_saying(&out, 2, "cannot read missing.json");
}

#[test]
fn partitions_cover_the_run_and_merge_back() {
    let dir = corpus(&[("ok.toml", PASSING), ("bad.toml", FAILING)]);
    let mut total = 0;
    for k in 1..=3 {
        let part = format!("{k}/3");
        let file = format!("p{k}.json");
        let out = jetconform(
            &["run", "--partition", &part, "--output", &file],
            dir.path(),
        );
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&out)
        );
        total += jetconform::results::load(&dir.path().join(&file))
            .unwrap()
            .trials
            .len();
    }
    assert_eq!(total, 4);
    let out = jetconform(
        &[
            "merge", "p1.json", "p2.json", "p3.json", "--output", "all.json",
        ],
        dir.path(),
    );
    exits(&out, 0);
    let all = jetconform::results::load(&dir.path().join("all.json")).unwrap();
    assert_eq!(all.trials.len(), 4);
    let bad = jetconform(&["run", "--partition", "4/3"], dir.path());
    exits_saying(&bad, 2, "not a partition");
}

#[test]
fn merge_reports_conflicting_duplicates() {
    let dir = corpus(&[("ok.toml", PASSING)]);
    jetconform(&["run", "--output", "a.json"], dir.path());
    let text = std::fs::read_to_string(dir.path().join("a.json")).unwrap();
    let changed = text.replacen("\"pass\"", "\"fail\"", 1);
    std::fs::write(dir.path().join("b.json"), changed).unwrap();
    let out = jetconform(
        &["merge", "a.json", "b.json", "--output", "m.json"],
        dir.path(),
    );
    exits_saying(&out, 2, "conflicting");
    has(stderr(&out), "a.json vs b.json");
}

#[test]
fn junit_has_one_testcase_per_trial_with_failures_and_unknowns_skipped() {
    let unknown = PASSING.replace(
        "expect = \"JET_errInvalidParameter\"",
        "expect = \"unknown\"",
    );
    assert_ne!(unknown, PASSING);
    let dir = corpus(&[
        ("ok.toml", PASSING),
        ("bad.toml", FAILING),
        ("unknown.toml", &unknown),
    ]);
    let out = jetconform(&["run", "--format", "junit"], dir.path());
    exits(&out, 1);
    let xml = stdout(&out);
    assert_eq!(xml.matches("<testcase ").count(), 6, "{xml}");
    has(&xml, r#"<testcase name="ok[mock@win10]" classname="ok""#);
    has(&xml, "<failure");
    has(&xml, "cases/bad.toml:9");
    // Unknown trials are skipped, their observed codes in the message, not passes.
    assert_eq!(
        xml.matches(
            r#"<skipped message="unknown (recorded, not judged): step 1 JetBeginExternalBackup observed JET_errInvalidParameter (-1003) at cases/unknown.toml:9"/>"#
        )
        .count(),
        2,
        "{xml}"
    );
    // Jenkins's JUnit schema: no properties in a testcase, no `disabled` on a testsuite.
    assert!(!xml.contains("<properties>"), "{xml}");
    assert!(!xml.contains("disabled="), "{xml}");
    // Still a JUnit document for other readers.
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("parses as JUnit");
    let cases: Vec<_> = report.test_suites[0].test_cases.iter().collect();
    assert_eq!(cases.len(), 6);
    let skipped = cases
        .iter()
        .filter(|c| matches!(c.status, quick_junit::TestCaseStatus::Skipped { .. }))
        .count();
    assert_eq!(skipped, 2, "{xml}");
}

#[test]
fn github_annotations_point_at_the_failing_step() {
    let dir = corpus(&[("ok.toml", PASSING), ("bad.toml", FAILING)]);
    let out = jetconform(&["run", "--format", "github"], dir.path());
    exits(&out, 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    // One annotation for the step, with both versions it failed on (not one per version).
    assert_eq!(lines.len(), 1, "{text}");
    assert!(
        lines[0].starts_with(
            "::error file=cases/bad.toml,line=9,col=1,title=fail bad[mock] on win10%2C win11::"
        ),
        "{text}"
    );
    assert!(
        lines[0].contains("expected: JET_errSuccess (0) [source] on win10, win11"),
        "{text}"
    );
}

/// A step whose expectation differs between versions, failing on all of them: one
/// annotation, each version's expectation in it.
#[test]
fn github_annotation_of_one_step_names_each_versions_expectation() {
    let scenario = FAILING
        .replace("versions = \"win10..win11\"", "versions = \"win8..win11\"")
        .replace(
            "expect = \"JET_errSuccess\"",
            "expect = { \"win8..win81\" = \"JET_errBackupInProgress\", default = \"JET_errSuccess\" }",
        );
    let dir = corpus(&[("bad.toml", &scenario)]);
    let out = jetconform(&["run", "--format", "github"], dir.path());
    exits(&out, 1);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("title=fail bad[mock] on win8%2C win81%2C win10%2C win11::"),
        "{text}"
    );
    assert!(
        text.contains("::step 1%0Acall: JetBeginExternalBackup(grbit=0x0)%0Aexpected: JET_errBackupInProgress (-505) [source] on win8, win81%0A"),
        "{text}"
    );
    assert!(
        text.contains("%0Aexpected: JET_errSuccess (0) [source] on win10, win11%0A"),
        "{text}"
    );
}

/// GitHub shows 10 error annotations per step: past that, 9 and one that counts the rest.
#[test]
fn github_annotations_are_capped_with_a_summary_annotation() {
    let files: Vec<(String, String)> = (0..12)
        .map(|i| (format!("bad{i:02}.toml"), FAILING.to_string()))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let dir = corpus(&refs);
    let out = jetconform(&["run", "--format", "github"], dir.path());
    exits(&out, 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10, "{text}");
    assert!(lines.iter().all(|l| l.starts_with("::error ")), "{text}");
    assert!(lines[8].contains("title=fail bad08[mock]"), "{text}");
    assert!(
        lines[9].starts_with("::error title=jetconform%3A 3 more failures::3 more failing steps"),
        "{text}"
    );
    assert!(lines[9].contains("bad11[mock] on win10, win11"), "{text}");
}

/// `$GITHUB_STEP_SUMMARY` gets the counts, the failures and the unknowns in Markdown.
#[test]
fn github_writes_a_job_summary() {
    let unknown = PASSING.replace(
        "expect = \"JET_errInvalidParameter\"",
        "expect = { code = \"unknown\", note = \"spec 14 q9\" }",
    );
    let dir = corpus(&[
        ("ok.toml", PASSING),
        ("bad.toml", FAILING),
        ("open.toml", &unknown),
    ]);
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jetconform"))
        .args(["run", "--format", "github"])
        .current_dir(dir.path())
        .env_remove("CI")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    exits(&out, 1);
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("earlier step\n## jetconform: 6 trials: 2 passed, 2 failed, 2 unknown"),
        "{md}"
    );
    assert!(md.contains("| fail | 2 |"), "{md}");
    assert!(md.contains("### Failures (1)"), "{md}");
    assert!(
        md.contains("<b>fail bad[mock] on win10, win11</b> at cases/bad.toml:9"),
        "{md}"
    );
    assert!(
        md.contains("observed: JET_errInvalidParameter (-1003)"),
        "{md}"
    );
    assert!(md.contains("### Unknown (1 scenarios"), "{md}");
    assert!(
        md.contains("- `open`: unknown on win10, win11 (spec 14 q9)"),
        "{md}"
    );
    // Without the variable, no file is written anywhere.
    let out = jetconform(&["run", "--format", "github"], dir.path());
    exits(&out, 1);
}

#[test]
fn verbose_and_quiet_never_break_machine_formats() {
    let dir = corpus(&[("ok.toml", PASSING), ("bad.toml", FAILING)]);
    for flag in ["-v", "-q"] {
        let out = jetconform(&["run", "--format", "json", flag], dir.path());
        exits(&out, 1);
        let doc: serde_json::Value =
            serde_json::from_str(&stdout(&out)).expect("one JSON document");
        assert_eq!(doc["summary"]["total"], 4);
        let out = jetconform(&["run", "--format", "junit", flag], dir.path());
        assert!(stdout(&out).starts_with("<?xml"), "{}", stdout(&out));
        let out = jetconform(&["run", "--format", "github", flag], dir.path());
        assert!(
            stdout(&out).lines().all(|l| l.starts_with("::error ")),
            "{}",
            stdout(&out)
        );
    }
    // Human: -v names every trial, -q only failures and the summary.
    let out = jetconform(&["run", "-v"], dir.path());
    has(stdout(&out), "PASS ok[mock@win10]");
    let out = jetconform(&["run", "-q"], dir.path());
    assert!(!stdout(&out).contains("PASS "), "{}", stdout(&out));
    has(stdout(&out), "FAIL bad[mock] on win10, win11\n");
}

#[test]
fn list_shows_the_trials_of_a_partition() {
    let dir = corpus(&[("ok.toml", PASSING), ("bad.toml", FAILING)]);
    let mut names = Vec::new();
    for k in ["1/2", "2/2"] {
        let out = jetconform(&["list", "--partition", k], dir.path());
        exits(&out, 0);
        let run = jetconform(&["run", "--partition", k, "--output", "r.json"], dir.path());
        let file = jetconform::results::load(&dir.path().join("r.json")).unwrap();
        let listed: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
        let ran: Vec<String> = file.trials.iter().map(|t| t.name.clone()).collect();
        assert_eq!(listed, ran, "{}", stderr(&run));
        names.extend(listed);
    }
    names.sort();
    assert_eq!(
        names,
        [
            "bad[mock@win10]",
            "bad[mock@win11]",
            "ok[mock@win10]",
            "ok[mock@win11]"
        ]
    );
}
