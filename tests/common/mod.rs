//! Helpers of the command-line tests: a corpus in a temporary folder and the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn jetconform(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jetconform"))
        .args(args)
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the binary runs")
}

/// Passes on win10 and win11.
pub const PASSING: &str = r#"
title = "Legacy Begin in a fresh process"
description = "The run mode is not set yet: the legacy call is refused."
evidence = ["spec 4.2"]
versions = "win10..win11"
provenance = "source"

[[step]]
call = "JetBeginExternalBackup"
grbit = 0
expect = "JET_errInvalidParameter"
"#;

/// Fails on win10 and win11: the mock returns JET_errInvalidParameter.
pub const FAILING: &str = r#"
title = "Legacy Begin, wrongly expected to succeed"
description = "A scenario that fails on the mock."
evidence = ["spec 4.2"]
versions = "win10..win11"
provenance = "source"

[[step]]
call = "JetBeginExternalBackup"
grbit = 0
expect = "JET_errSuccess"
"#;

pub fn corpus(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("cases/fixtures")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("cases").join(name), text).unwrap();
    }
    dir
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit status, showing both streams when it is not the one expected.
#[track_caller]
pub fn exits(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "exit status\n--- stdout\n{}\n--- stderr\n{}",
        stdout(o),
        stderr(o)
    );
}

/// Asserts that `text` contains `needle`, showing the text when it does not.
#[track_caller]
pub fn has(text: impl AsRef<str>, needle: &str) {
    let text = text.as_ref();
    assert!(text.contains(needle), "expected {needle:?} in\n{text}");
}

/// Asserts the exit status and that the standard output contains `needle`.
#[track_caller]
pub fn exits_printing(o: &Output, code: i32, needle: &str) {
    exits(o, code);
    has(stdout(o), needle);
}

/// Asserts the exit status and that the standard error contains `needle`.
#[track_caller]
pub fn exits_saying(o: &Output, code: i32, needle: &str) {
    exits(o, code);
    has(stderr(o), needle);
}

/// Builds the mock library and returns its path (cargo reports the cdylib's file name).
pub fn mock_library() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "build",
            "-q",
            "-p",
            "jetconform-mock-dll",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "building the mock library failed");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "esent")
        .flat_map(|m| {
            m["filenames"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
        })
        .filter_map(|f| f.as_str().map(PathBuf::from))
        .find(|f| {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".so") || name.ends_with(".dll") || name.ends_with(".dylib")
        })
        .expect("cargo names the library it built")
}
