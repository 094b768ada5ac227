//! SIGINT and SIGTERM to a `jetconform run` whose runner hangs: the run stops at once, kills
//! its runner processes, removes their sandboxes, writes the trials finished so far to
//! `--output` and to its summary marked partial, and exits 130 or 143.

use super::support::{self, survivors, text, Sandboxes};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A scenario whose only call is JetTruncateLogInstance (which FAULTY_HANG never returns).
const TRUNCATE: &str = r#"
title = "TruncateLog on a garbage instance"
description = "One call, which the hanging library never returns."
evidence = ["spec 6.8"]
versions = "win10"
provenance = "documented"

[[step]]
call = "JetTruncateLogInstance"
instance = 12345
expect = "JET_errInvalidParameter"
"#;

/// Whether a sandbox under `shm` holds the file the hanging call creates.
fn hung(shm: &Path) -> bool {
    support::entries(shm)
        .iter()
        .any(|d| shm.join(d).join("hung").exists())
}

fn interrupted_by(signal: &str, code: i32) {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the faulty library is an ELF shared library");
        return;
    }
    let dir = super::common::corpus(&[
        ("a-begin.toml", support::BEGIN),
        ("b-truncate.toml", TRUNCATE),
        ("c-begin.toml", support::BEGIN),
    ]);
    let lib = support::faulty_library("HANG", dir.path());
    let runner = format!("ffi:{}", lib.display());
    let results = dir.path().join("results.json");
    let sandboxes = Sandboxes::new();
    let marker = support::marker(signal);
    let args = [
        "run",
        "cases",
        "--jobs",
        "1",
        "--call-timeout",
        "120",
        "--runner",
        &runner,
        "--output",
        "results.json",
    ];
    let mut cmd = support::jetconform(&args, dir.path(), &sandboxes, &marker);
    let out = dir.path().join("stdout");
    cmd.stdout(std::fs::File::create(&out).expect("stdout file"));
    cmd.stderr(std::fs::File::create(dir.path().join("stderr")).expect("stderr file"));
    let mut jc = cmd.spawn().expect("jetconform starts");
    let started = Instant::now();
    while !hung(&sandboxes.shm()) {
        if started.elapsed() > Duration::from_secs(60) || jc.try_wait().ok().flatten().is_some() {
            let _ = jc.kill();
            let _ = jc.wait();
            survivors(&marker);
            panic!("the run never reached the hanging call");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let sent = Instant::now();
    let killed = Command::new("kill")
        .args([&format!("-{signal}"), &jc.id().to_string()])
        .status();
    assert!(killed.is_ok_and(|s| s.success()), "kill -{signal}");
    let status = loop {
        if let Some(s) = jc.try_wait().expect("wait") {
            break s;
        }
        if sent.elapsed() > Duration::from_secs(30) {
            let _ = jc.kill();
            let _ = jc.wait();
            survivors(&marker);
            panic!("jetconform did not stop within 30 s of {signal}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let printed = text(&std::fs::read(&out).unwrap_or_default());
    assert_eq!(status.code(), Some(code), "{printed}");
    assert_eq!(survivors(&marker), Vec::<String>::new(), "processes left");
    assert_eq!(sandboxes.left(), Vec::<String>::new(), "sandboxes left");
    let why = format!("interrupted by SIG{signal}: 1 of 3 planned trials ran");
    assert!(
        printed.contains(&format!("{why}; the results are partial")),
        "{printed}"
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&results).expect("results written"))
            .expect("the results file is whole");
    assert_eq!(doc["runs"][0]["interrupted"], why.as_str());
    let trials = doc["trials"].as_array().expect("trials");
    assert_eq!(trials.len(), 1, "{doc:#}");
    assert_eq!(trials[0]["scenario"], "a-begin");
}

#[test]
fn sigint_stops_the_run_and_keeps_what_finished() {
    interrupted_by("INT", 130);
}

#[test]
fn sigterm_stops_the_run_and_keeps_what_finished() {
    interrupted_by("TERM", 143);
}
