//! Snapshots of `run`'s four output formats on a fixed set of scenarios (one passing, one
//! failing, one whose expectation is unknown), so a change to any output shows as a diff.
//! Timings are the only thing normalised. `INSTA_UPDATE=always cargo test --test snapshots`
//! rewrites them after an intended change.

mod common;
use common::*;

const UNKNOWN: &str = r#"
title = "Legacy Begin, its result not settled"
description = "A scenario whose expectation is unknown: recorded, not judged."
evidence = ["spec 4.2"]
versions = "win10..win11"
provenance = "unknown"

[[step]]
call = "JetBeginExternalBackup"
grbit = 0
expect = { code = "unknown", note = "spec 4.2 q1" }
"#;

fn run(format: &str) -> String {
    let dir = corpus(&[
        ("passing.toml", PASSING),
        ("failing.toml", FAILING),
        ("unknown.toml", UNKNOWN),
    ]);
    let out = jetconform(&["run", "--format", format], dir.path());
    exits(&out, 1);
    normalise(&stdout(&out))
}

/// Timings differ from run to run; nothing else may.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = replace_number_after(line, "\"seconds\": ");
        let line = replace_number_after(&line, "\"duration_us\": ");
        let line = replace_number_after(&line, "time=\"");
        let line = match (line.rfind(" ("), line.ends_with(" s)")) {
            (Some(i), true) if line.contains(" trials: ") => format!("{} (T s)", &line[..i]),
            _ => line,
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn replace_number_after(line: &str, key: &str) -> String {
    match line.find(key) {
        Some(i) => {
            let start = i + key.len();
            let len = line[start..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
                .unwrap_or(line.len() - start);
            format!("{}T{}", &line[..start], &line[start + len..])
        }
        None => line.to_string(),
    }
}

#[test]
fn human() {
    insta::assert_snapshot!(run("human"));
}

#[test]
fn json() {
    insta::assert_snapshot!(run("json"));
}

#[test]
fn junit() {
    insta::assert_snapshot!(run("junit"));
}

#[test]
fn github() {
    insta::assert_snapshot!(run("github"));
}
