//! `runners/mock-dll/examples/backup-app.c`, a small backup application written against
//! ESENT's C API, built with the system C compiler against the mock library (libesent.so)
//! and run: set up, write, stream a backup into a folder, crash, restore, recover, and an
//! injected read failure. It prints one line per stage and `RESULT: ok`.

#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds backup-app.c against the library; returns (program, library folder, temp dir).
fn build_app() -> (PathBuf, PathBuf, tempfile::TempDir) {
    let lib = common::mock_library();
    let lib_dir = lib.parent().expect("a folder");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("backup-app");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .arg("-Wall")
        .arg("-Werror")
        .arg("-o")
        .arg(&exe)
        .arg(root.join("runners/mock-dll/examples/backup-app.c"))
        .arg(format!("-L{}", lib_dir.display()))
        .arg("-lesent")
        .output()
        .unwrap_or_else(|e| panic!("the C compiler `{cc}` runs: {e}"));
    assert!(
        out.status.success(),
        "compiling backup-app.c failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (exe, lib_dir.to_path_buf(), dir)
}

fn run(exe: &Path, lib_dir: &Path, work: &Path, faults: Option<&str>) -> std::process::Output {
    std::fs::create_dir(work).unwrap();
    let mut c = Command::new(exe);
    c.arg(work)
        .env("LD_LIBRARY_PATH", lib_dir)
        .env("DYLD_LIBRARY_PATH", lib_dir)
        .env("JETCONFORM_MOCK_VERSION", "win11")
        .env_remove("JETCONFORM_MOCK_FAULTS");
    if let Some(f) = faults {
        c.env("JETCONFORM_MOCK_FAULTS", f);
    }
    c.output().expect("backup-app runs")
}

#[test]
fn the_example_backup_application_runs_against_the_c_library() {
    let (exe, lib_dir, dir) = build_app();
    let out = run(&exe, &lib_dir, &dir.path().join("work"), None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    assert!(
        out.status.success() && stdout.contains("RESULT: ok"),
        "backup-app failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The records came back from the streamed pages and the copied logs, the later one not.
    for line in [
        "read-back: \"written before the backup\"",
        "read-back: \"written during the backup\"",
        "read-back: the 2 records of the backup and its logs, not the later one",
    ] {
        assert!(stdout.contains(line), "{line} missing:\n{stdout}");
    }
}

/// `JETCONFORM_MOCK_FAULTS` arms the hooks on every instance the library initializes: the
/// application's first database ReadFile fails with the armed code, and it reports so.
#[test]
fn faults_armed_from_the_environment_reach_the_application() {
    let (exe, lib_dir, dir) = build_app();
    let out = run(
        &exe,
        &lib_dir,
        &dir.path().join("work"),
        Some("read_file_fail:1:JET_errDiskIO"),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    assert!(
        stdout.contains("JetReadFileInstance(inst, h, buffer, BUFFER_SIZE, &got) returned -1022")
            && stdout.contains("RESULT: failed at backup"),
        "{stdout}"
    );
}
