//! Repeat loops that copy data stop at a cap derived from the file read (twice the size
//! OpenFile reported, plus 64 KiB) or at `--max-write`, failing the step with the reason; a
//! `pcbActual` larger than `cb` fails the step and is not saved. The faulty libraries are
//! run on `cases/read-file/database-to-end.toml`, under a file-size limit.

use super::support::{self, run_results, steps_of, text};

const SCENARIO: &str = "cases/read-file/database-to-end.toml";

fn run(fault: &str, extra: &[&str]) -> (serde_json::Value, String) {
    if !cfg!(target_os = "linux") {
        return (serde_json::Value::Null, String::new());
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = support::faulty_library(fault, dir.path());
    let runner = format!("ffi:{}", lib.display());
    let mut args = vec![SCENARIO, "--version", "win10", "--runner", &runner];
    args.extend_from_slice(extra);
    let (doc, out) = run_results(&args, support::root(), fault);
    assert_eq!(out.status.code(), Some(1), "{fault}: {}", text(&out.stderr));
    assert_eq!(doc["trials"][0]["outcome"], "fail", "{fault}: {doc:#}");
    (doc, text(&out.stderr))
}

/// The first ReadFile step (the repeat with `save_to`): its reason and iterations.
fn read_step(doc: &serde_json::Value) -> (String, u64) {
    let step = steps_of(doc, "JetReadFileInstance")[0];
    assert_eq!(step["verdict"], "fail", "{step:#}");
    (
        step["reason"].as_str().unwrap_or_default().to_string(),
        step["iterations"].as_u64().unwrap_or(0),
    )
}

#[test]
fn an_endless_read_stops_at_twice_the_file_size() {
    let (doc, _) = run("ENDLESS", &[]);
    if doc.is_null() {
        return;
    }
    let (reason, iterations) = read_step(&doc);
    assert!(
        reason.contains("of a file OpenFile reported as") && reason.contains("more than twice"),
        "{reason}"
    );
    // The database of the fixture is a few pages: a handful of 64 KiB reads, not millions.
    assert!(iterations < 200, "{iterations} reads");
}

#[test]
fn an_endless_read_stops_at_max_write() {
    let (doc, _) = run("ENDLESS", &["--max-write", "96KiB"]);
    if doc.is_null() {
        return;
    }
    let (reason, _) = read_step(&doc);
    assert!(
        reason.contains("more than --max-write allows (98304 bytes)"),
        "{reason}"
    );
    // Stopped by the read that passed the limit: at most one 64 KiB buffer more.
    let written: u64 = reason
        .strip_prefix("the trial has written ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX);
    assert!(written <= 98304 + 65536, "{reason}");
}

#[test]
fn pcb_actual_larger_than_cb_fails_the_step_and_is_not_saved() {
    let (doc, _) = run("TOO_MUCH", &[]);
    if doc.is_null() {
        return;
    }
    let (reason, _) = read_step(&doc);
    assert_eq!(
        reason,
        "pcbActual is 69632, more than the cb of 65536 bytes the call was given"
    );
    let notes = &steps_of(&doc, "JetReadFileInstance")[0]["observed"]["notes"];
    assert!(
        notes.to_string().contains("save_to backup/db.edb skipped"),
        "{notes}"
    );
}
