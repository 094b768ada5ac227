//! A library that writes outside the buffer the ffi runner gave it (16 bytes after the `cb`
//! bytes of ReadFile's `pv`, 8 bytes 64 bytes before it) fails the step, which names the
//! write: where, and how many bytes. The runner keeps guard regions around every output
//! buffer and checks them after each call.

use super::support::{self, run_results, steps_of, text};

fn read_reason(fault: &str) -> Option<String> {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the faulty library is an ELF shared library");
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = support::faulty_library(fault, dir.path());
    let runner = format!("ffi:{}", lib.display());
    let (doc, out) = run_results(
        &[
            "cases/read-file/database-to-end.toml",
            "--version",
            "win10",
            "--runner",
            &runner,
        ],
        support::root(),
        fault,
    );
    assert_eq!(out.status.code(), Some(1), "{fault}: {}", text(&out.stderr));
    let step = steps_of(&doc, "JetReadFileInstance")[0];
    assert_eq!(step["verdict"], "fail", "{fault}: {step:#}");
    Some(step["reason"].as_str().unwrap_or_default().to_string())
}

#[test]
fn a_write_after_the_buffer_fails_the_step() {
    if let Some(reason) = read_reason("WRITE_AFTER") {
        assert_eq!(
            reason,
            "wrote outside its buffers: wrote 16 byte(s) after the 65536 bytes pv was given \
             (offsets +65536..+65551)"
        );
    }
}

#[test]
fn a_write_before_the_buffer_fails_the_step() {
    if let Some(reason) = read_reason("WRITE_BEFORE") {
        assert_eq!(
            reason,
            "wrote outside its buffers: wrote 8 byte(s) before pv (offsets -64..-57)"
        );
    }
}
