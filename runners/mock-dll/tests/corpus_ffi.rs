//! The corpus as the oracle of mutation testing, through the C library: every scenario under
//! `cases/` is run by a `jetconform` binary built beforehand from an unmutated tree
//! (`$JETCONFORM_BIN`) with `--runner ffi:` against this package's library, and the test fails
//! if any trial does not pass (or end `unknown`, which is recorded, not judged).
//!
//! Why a second corpus test: `cargo mutants` rebuilds what depends on the mutated mock. The
//! in-process oracle (`cargo test --test corpus`) needs the whole `jetconform` library and the
//! corpus binary rebuilt for every mutant; this one needs only the mock and this library
//! relinked (docs/corpus-strength.md gives the command and both costs). That the corpus gives
//! the same verdicts through the library as in process is checked by tests/ffi_runner.rs.
//!
//! Ignored by default: it needs `$JETCONFORM_BIN`. Run it with
//! `JETCONFORM_BIN=PATH cargo test -p jetconform-mock-dll --test corpus_ffi -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The library cargo built for this test: next to the `deps/` folder holding the test binary.
fn library() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test binary is in <target>/<profile>/deps");
    let name = if cfg!(windows) {
        "esent.dll"
    } else if cfg!(target_os = "macos") {
        "libesent.dylib"
    } else {
        "libesent.so"
    };
    dir.join(name)
}

#[test]
#[ignore = "needs JETCONFORM_BIN, a jetconform binary (docs/corpus-strength.md)"]
fn corpus_passes_through_the_library() {
    let bin = std::env::var_os("JETCONFORM_BIN")
        .expect("JETCONFORM_BIN: path of a jetconform binary built from an unmutated tree");
    let lib = library();
    assert!(lib.is_file(), "{}: not built", lib.display());
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cases");
    // A mutant can turn a read loop into an endless one: --max-write bounds what a trial
    // saves (the corpus saves a few MiB at most), and cargo mutants' --timeout ends the rest.
    let out = Command::new(&bin)
        .arg("run")
        .arg(&cases)
        .arg("--runner")
        .arg(format!("ffi:{}", lib.display()))
        .args(["--quiet", "--max-write", "64MiB"])
        .output()
        .expect("JETCONFORM_BIN runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the corpus failed through {} (status {:?}):\n{stdout}\n{}",
        lib.display(),
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    // A run that planned nothing would also succeed: require the summary line's trials.
    assert!(
        stdout.contains(" trials: ") && stdout.contains(" 0 failed, "),
        "no summary of a full run:\n{stdout}"
    );
}
