//! Trial sandboxes: the ffi runner's go where the mock's go (`JETCONFORM_SANDBOX_DIR`, else
//! /dev/shm), named with their owner's pid; the harness removes the sandbox of a runner that
//! died; a later run removes those whose owner is gone.

use super::support::{self, output_within, text, Sandboxes};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// The folder holding the sandbox of the one trial of `cases/get-attach-info/success.toml` on
/// `runner` (from the database path JetGetAttachInfoInstance lists), and the sandbox's name.
fn sandbox_of(runner: &str, sandboxes: &Sandboxes, set_dir: bool) -> (String, String) {
    let out = tempfile::tempdir().expect("temp dir");
    let results = out.path().join("results.json");
    let results_arg = results.display().to_string();
    let mut cmd = support::jetconform(
        &[
            "run",
            "cases/get-attach-info/success.toml",
            "--version",
            "win10",
            "--runner",
            runner,
            "--output",
            &results_arg,
        ],
        support::root(),
        sandboxes,
        &support::marker("sandbox-of"),
    );
    if !set_dir {
        cmd.env_remove("JETCONFORM_SANDBOX_DIR");
    }
    let o = output_within(cmd, Duration::from_secs(60)).expect("the run ends");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(&results).expect("results")).unwrap();
    let db = doc["trials"][0]["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|s| s["observed"]["outputs"]["szz"]["strings"]["items"][0].as_str())
        .expect("the attached database is listed")
        .to_string();
    let sandbox = Path::new(&db).parent().expect("a folder");
    (
        sandbox.parent().expect("a folder").display().to_string(),
        sandbox.file_name().unwrap().to_string_lossy().into_owned(),
    )
}

#[test]
fn ffi_sandboxes_go_where_the_mock_s_go_named_with_their_owner() {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the mock library is built as an ELF shared library here");
        return;
    }
    let ffi = format!("ffi:{}", super::common::mock_library().display());
    let sandboxes = Sandboxes::new();
    let shm = sandboxes.shm().display().to_string();
    for runner in ["mock", ffi.as_str()] {
        let (dir, name) = sandbox_of(runner, &sandboxes, true);
        assert_eq!(dir, shm, "{runner}: JETCONFORM_SANDBOX_DIR is honoured");
        let kind = if runner == "mock" { "mock" } else { "ffi" };
        let pid = name
            .strip_prefix(&format!("jetconform-{kind}-"))
            .and_then(|rest| rest.split_once('-'))
            .map(|(pid, _)| pid);
        assert!(
            pid.is_some_and(|p| p.parse::<u32>().is_ok()),
            "{runner}: `{name}` names its owner's pid"
        );
    }
    // Without it, both use the same memory-backed folder.
    let default = |runner: &str| sandbox_of(runner, &sandboxes, false).0;
    let mock = default("mock");
    assert_eq!(default(&ffi), mock);
    if Path::new("/dev/shm").is_dir() {
        assert_eq!(mock, "/dev/shm");
    }
    assert_eq!(sandboxes.left(), Vec::<String>::new());
}

#[test]
fn the_sandbox_of_a_crashed_library_is_removed() {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the faulty library is an ELF shared library");
        return;
    }
    let dir = super::common::corpus(&[]);
    let lib = support::faulty_library("CRASH", dir.path());
    // run_begin asserts that no sandbox is left, in the sandbox folder or the temporary one.
    let (outcome, why, _) =
        super::runaway::run_begin(&format!("ffi:{}", lib.display()), "20", dir.path(), "crash");
    assert_eq!(outcome, "crashed", "{why}");
    assert!(why.contains("SIGABRT"), "{why}");
}

#[test]
fn a_later_run_removes_sandboxes_whose_owner_is_gone() {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: owners are looked up in /proc");
        return;
    }
    let sandboxes = Sandboxes::new();
    let mut gone = std::process::Command::new("true")
        .spawn()
        .expect("true runs");
    let dead = gone.id();
    gone.wait().expect("reaped");
    let alive = std::process::id();
    let names = [
        (
            sandboxes.shm(),
            format!("jetconform-mock-{dead}-a1b2c3"),
            false,
        ),
        (
            sandboxes.tmp(),
            format!("jetconform-ffi-{dead}-d4e5f6"),
            false,
        ),
        (
            sandboxes.shm(),
            format!("jetconform-mock-{alive}-g7h8i9"),
            true,
        ),
        (sandboxes.shm(), "jetconform-mock-j1k2l3".to_string(), true),
        (sandboxes.shm(), format!("unrelated-{dead}-x"), true),
    ];
    for (dir, name, _) in &names {
        std::fs::create_dir_all(dir.join(name).join("logs")).expect("folder");
        std::fs::write(dir.join(name).join("logs/edb.log"), b"x").expect("file");
    }
    let corpus = super::common::corpus(&[("begin.toml", support::BEGIN)]);
    let o = output_within(
        support::jetconform(&["run", "cases"], corpus.path(), &sandboxes, "stale"),
        Duration::from_secs(60),
    )
    .expect("the run ends");
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "{}",
        text(&o.stderr)
    );
    for (dir, name, kept) in &names {
        assert_eq!(dir.join(name).exists(), *kept, "{name}");
    }
}
