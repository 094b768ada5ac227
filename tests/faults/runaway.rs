//! A runner whose descendants outlive it: a `process:` runner (a shell script) or a library
//! through `ffi:` that forks a child keeping its pipes, with or without `setsid()`, and then
//! exits or hangs. The run must end (crashed when the runner exited, timeout at
//! `--call-timeout` when it hung), no descendant may outlive it, and the sandbox of a runner
//! that died is removed.

use super::support::{self, output_within, survivors, text};
use jetconform_interface::protocol::Hello;
use jetconform_interface::{MachineInfo, RunnerInfo, VersionSet, WinVersion};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

/// A runner speaking just enough of the protocol: its hello, then at the first request it
/// starts a child that keeps its stdout (`fork`, `setsid`) and exits, or hangs (`setsid-hang`).
const SCRIPT: &str = r#"
printf '%s\n' "$HELLO"
IFS= read -r request || exit 0
case "$1" in
  fork) sleep 300 & ;;
  setsid) setsid sleep 300 & ;;
  setsid-hang) setsid sleep 300 & exec sleep 300 ;;
esac
exit 3
"#;

fn hello() -> String {
    let info = RunnerInfo {
        name: "fake".into(),
        versions: VersionSet::single(WinVersion::Win10),
        machine: MachineInfo::default(),
        verbs: vec![],
        fault_hooks: false,
        profile: None,
        reserved_names: false,
    };
    serde_json::to_string(&Hello::new(info, vec![], true)).expect("a hello")
}

/// `run --format json` of BEGIN on `runner`: the one trial's outcome and reason, and the
/// seconds the run took. Panics when it hangs, or leaves a process or a sandbox behind.
pub fn run_begin(runner: &str, timeout: &str, dir: &Path, test: &str) -> (String, String, f64) {
    std::fs::write(dir.join("cases/begin.toml"), support::BEGIN).expect("scenario");
    let sandboxes = support::Sandboxes::new();
    let marker = support::marker(test);
    let mut cmd = support::jetconform(
        &[
            "run",
            "cases",
            "--format",
            "json",
            "--call-timeout",
            timeout,
            "--runner",
            runner,
        ],
        dir,
        &sandboxes,
        &marker,
    );
    cmd.env("HELLO", hello());
    let started = Instant::now();
    let result = output_within(cmd, Duration::from_secs(60));
    let seconds = started.elapsed().as_secs_f64();
    let left = survivors(&marker);
    let out = result.unwrap_or_else(|e| panic!("{test}: the run hung: {e}"));
    assert!(
        left.is_empty(),
        "{test}: processes outlived the run: {left:#?}"
    );
    assert_eq!(
        sandboxes.left(),
        Vec::<String>::new(),
        "{test}: sandboxes left behind"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{test}: no JSON ({e}): {}\n{}",
            text(&out.stdout),
            text(&out.stderr)
        )
    });
    let r = &doc["results"][0];
    (
        r["outcome"].as_str().unwrap_or_default().to_string(),
        r["reason"].as_str().unwrap_or_default().to_string(),
        seconds,
    )
}

#[test]
fn process_runners_whose_children_keep_their_pipes() {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the fake runner is a POSIX shell script, its processes seen in /proc");
        return;
    }
    let dir = super::common::corpus(&[]);
    let script = dir.path().join("runner.sh");
    std::fs::write(&script, SCRIPT).expect("script");
    for (mode, outcome, reason) in [
        ("fork", "crashed", "exited with status 3"),
        ("setsid", "crashed", "exited with status 3"),
        ("setsid-hang", "timeout", "did not answer within 3 s"),
    ] {
        let runner = format!("process:sh '{}' {mode}", script.display());
        let (got, why, seconds) = run_begin(&runner, "3", dir.path(), mode);
        assert_eq!((got.as_str(), mode), (outcome, mode), "{why}");
        assert!(why.contains(reason), "{mode}: {why}");
        // An exit is seen at once, a hang at the deadline: never both a timeout and a wait.
        let most = if outcome == "timeout" { 15.0 } else { 10.0 };
        assert!(seconds < most, "{mode}: the run took {seconds:.1} s");
    }
}

#[test]
fn libraries_whose_children_keep_the_served_process_pipes() {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the faulty library is an ELF shared library");
        return;
    }
    let dir = super::common::corpus(&[]);
    for fault in ["FORK_EXIT", "SETSID_EXIT"] {
        let lib = support::faulty_library(fault, dir.path());
        let runner = format!("ffi:{}", lib.display());
        let (got, why, seconds) = run_begin(&runner, "20", dir.path(), fault);
        assert_eq!(got, "crashed", "{fault}: {why}");
        assert!(why.contains("exited with status 3"), "{fault}: {why}");
        assert!(seconds < 15.0, "{fault}: the run took {seconds:.1} s");
    }
}
