//! `check`'s memory follows the size of the file it checks: a large scenario file is parsed
//! a slice of steps at a time (src/scenario/chunks.rs). Alone in its test binary, so that
//! the peak resident memory of this process's children is that of the one `check`.
#![cfg(target_os = "linux")]

mod common;

/// One step of the generated file, with a per-version expectation like the corpus's.
const STEP: &str = r#"
[[step]]
call = "JetBeginExternalBackup"
grbit = 0
expect = { win10 = { code = "JET_errInvalidParameter", provenance = "source" }, win11 = "JET_errInvalidParameter" }
"#;

const HEAD: &str = r#"title = "Many steps"
description = "A large file."
evidence = ["spec 4.2"]
versions = "win10..win11"
provenance = "source"
"#;

/// An 8 MiB scenario is checked in less than 8 times its size plus 64 MiB (the binary and
/// its libraries). Before it was parsed in slices it took about 30 times its size, and 25
/// to 40 times for larger files; now about 5 (BENCHMARKS.md, "`check` on bad and large input"). The bound
/// is loose so that a debug build on a loaded machine stays far from it.
#[test]
fn check_memory_stays_proportional_to_the_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("big.toml");
    let steps = (8 << 20) / STEP.len();
    std::fs::write(&file, format!("{HEAD}{}", STEP.repeat(steps))).expect("writable");
    let size = std::fs::metadata(&file).expect("written").len();

    let out = common::jetconform(&["check", "big.toml"], dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 scenario(s) valid"), "{stdout}");

    // SAFETY: rusage is plain data, filled by getrusage.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    // Linux reports ru_maxrss in KiB.
    let peak = usage.ru_maxrss as u64 * 1024;
    let bound = 8 * size + (64 << 20);
    eprintln!("check of {size} bytes: peak {peak} bytes");
    assert!(
        peak < bound,
        "check of a {} MiB file peaked at {} MiB (bound {} MiB)",
        size >> 20,
        peak >> 20,
        bound >> 20
    );
}
