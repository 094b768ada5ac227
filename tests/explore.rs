//! `jetconform explore` end to end: every mutant of the mock library (tests/mutants/mutant.c,
//! one changed behaviour each) is found against the in-process mock and shrunk to within two
//! steps of the shortest sequence that shows it; a found scenario loads with `check` and
//! reproduces with `run`; the same seed finds the same differences.

mod common;
mod mutants;

use common::{exits, jetconform, stdout};
use mutants::MUTANTS;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn explore(args: &[&str], dir: &Path) -> (i32, Value) {
    let mut all = vec!["explore", "--format", "json"];
    all.extend_from_slice(args);
    let out = Command::new(env!("CARGO_BIN_EXE_jetconform"))
        .args(&all)
        .current_dir(dir)
        .env("JETCONFORM_MOCK_VERSION", "win10")
        .output()
        .expect("the binary runs");
    let doc = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| {
        panic!(
            "explore printed no JSON ({e}):\n{}\n{}",
            stdout(&out),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), doc)
}

#[test]
fn every_mutant_is_found_and_shrunk_and_its_scenario_round_trips() {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the mutants are built as ELF shared libraries");
        return;
    }
    let library = common::mock_library();
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, function, shortest) in MUTANTS {
        let m = mutants::build(name, &library, dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join(format!("found-{name}"));
        let b = format!("ffi:{}", m.display());
        let (code, doc) = explore(
            &[
                "--runner",
                "mock",
                "--runner",
                &b,
                "--version",
                "win10",
                "--sequences",
                "150",
                "--out",
                &out.display().to_string(),
            ],
            dir.path(),
        );
        assert_eq!(code, 1, "{name}: a difference is exit 1");
        let found = doc["found"].as_array().expect("found");
        let hit = found
            .iter()
            .filter(|f| f["function"] == function && f["reproduced"] == true)
            .min_by_key(|f| f["shrunk_steps"].as_u64())
            .unwrap_or_else(|| panic!("{name} not found: {doc:#}"));
        let steps = hit["shrunk_steps"].as_u64().expect("steps") as usize;
        assert!(
            steps <= shortest + 2,
            "{name}: shrunk to {steps} steps, the shortest is {shortest}: {hit:#}"
        );
        // The written scenario loads, passes on A (whose results it holds) and fails on B.
        let file = hit["file"].as_str().expect("a file was written");
        let checked = jetconform(&["check", file], dir.path());
        assert!(checked.status.success(), "{name}: {}", stdout(&checked));
        let on_a = jetconform(&["run", file, "--runner", "mock"], dir.path());
        exits(&on_a, 0);
        let on_b = Command::new(env!("CARGO_BIN_EXE_jetconform"))
            .args(["run", file, "--runner", &b])
            .current_dir(dir.path())
            .env("JETCONFORM_MOCK_VERSION", "win10")
            .output()
            .expect("runs");
        exits(&on_b, 1);
    }
}

#[test]
fn the_same_seed_finds_the_same_differences_on_any_number_of_workers_and_the_corpus_explains_some()
{
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    // The two runs differ in their number of workers: sequences finish in another order, and
    // are still taken in the order of the seed.
    let args = |out: &str, jobs: &str| {
        vec![
            "--jobs".to_string(),
            jobs.into(),
            "--runner".into(),
            "mock@xp".into(),
            "--runner".into(),
            "mock@win10".into(),
            "--seed".into(),
            "5".into(),
            "--sequences".into(),
            "60".into(),
            "--corpus".into(),
            cases.display().to_string(),
            "--out".into(),
            out.into(),
        ]
    };
    let strip = |doc: &Value| -> Vec<(String, u64, bool)> {
        doc["found"]
            .as_array()
            .expect("found")
            .iter()
            .map(|f| {
                (
                    f["signature"].as_str().unwrap_or("").to_string(),
                    f["shrunk_steps"].as_u64().unwrap_or(0),
                    f["explained_by"].is_string(),
                )
            })
            .collect()
    };
    let a1 = args("one", "1");
    let a2 = args("two", "3");
    let (c1, d1) = explore(
        &a1.iter().map(String::as_str).collect::<Vec<_>>(),
        dir.path(),
    );
    let (c2, d2) = explore(
        &a2.iter().map(String::as_str).collect::<Vec<_>>(),
        dir.path(),
    );
    assert_eq!((c1, c2), (1, 1));
    assert_eq!(strip(&d1), strip(&d2));
    assert!(
        strip(&d1).iter().any(|f| f.2),
        "some XP/win10 difference is documented by the corpus: {d1:#}"
    );
    // Every file written loads and passes on both versions of the model.
    let checked = jetconform(&["check", "one"], dir.path());
    assert!(checked.status.success(), "{}", stdout(&checked));
    let ran = jetconform(
        &[
            "run",
            "one",
            "--runner",
            "mock@xp",
            "--runner",
            "mock@win10",
        ],
        dir.path(),
    );
    exits(&ran, 0);
}

#[test]
fn bad_input_is_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        &["explore", "--runner", "mock"][..],
        &["explore", "--runner", "mock", "--runner", "mock@nt4"],
        &[
            "explore", "--runner", "mock", "--runner", "mock", "--misuse", "2",
        ],
        &[
            "explore", "--runner", "mock", "--runner", "mock", "--time", "soon",
        ],
        &[
            "explore", "--runner", "mock", "--runner", "mock", "--legacy", "1.5",
        ],
        &[
            "explore",
            "--runner",
            "mock",
            "--runner",
            "mock",
            "--page-size",
            "-1",
        ],
        &[
            "explore", "--runner", "mock", "--runner", "mock", "--weight", "term=x",
        ],
        &[
            "explore", "--runner", "mock", "--runner", "mock", "--jobs", "0",
        ],
    ] {
        let o = jetconform(args, dir.path());
        exits(&o, 2);
    }
}

/// The generator's legacy single-instance sequences (spec 4.2), page sizes (spec 10.2),
/// terms during a backup (spec 9) and incremental backups after a truncating full one
/// (spec 6.1) all load and run: mock against itself finds nothing and no sequence is invalid.
#[test]
fn legacy_page_size_term_and_incremental_sequences_load_and_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, doc) = explore(
        &[
            "--runner",
            "mock",
            "--runner",
            "mock",
            "--sequences",
            "80",
            "--legacy",
            "0.5",
            "--page-size",
            "1",
            "--weight",
            "term=4",
            "--weight",
            "backup=4",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["sequences"], 80, "{doc:#}");
    assert_eq!(doc["invalid"].as_array().map(Vec::len), Some(0), "{doc:#}");
}

/// XP and Windows 10 differ on legacy calls and on JetTerm during a backup (spec 11): with
/// every sequence starting from the legacy setup, explore finds a difference on a legacy
/// form and one on a term made while a backup is in progress, each reproduced.
#[test]
fn differences_on_legacy_forms_and_term_during_backup_are_found() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, doc) = explore(
        &[
            "--runner",
            "mock@xp",
            "--runner",
            "mock@win10",
            "--seed",
            "3",
            "--sequences",
            "120",
            "--legacy",
            "1",
            "--out",
            "found",
        ],
        dir.path(),
    );
    assert_eq!(code, 1, "{doc:#}");
    let found = doc["found"].as_array().expect("found");
    let legacy = [
        "JetBeginExternalBackup",
        "JetEndExternalBackup",
        "JetTruncateLog",
        "JetStopService",
        "JetOpenFileA",
        "JetGetAttachInfoA",
    ];
    assert!(
        found
            .iter()
            .any(|f| legacy.iter().any(|l| f["function"] == *l) && f["reproduced"] == true),
        "no legacy form: {doc:#}"
    );
    assert!(
        found.iter().any(|f| f["function"]
            .as_str()
            .is_some_and(|s| s.starts_with("JetTerm"))
            && f["state"]
                .as_str()
                .is_some_and(|s| s.starts_with("online/SD") || s.starts_with("online/SL"))),
        "no term during a backup: {doc:#}"
    );
}
