//! The mutants of the mock library (`mutant.c`, one changed behaviour each) and how to build
//! one: shared by tests/explore.rs and the explore bench (benches/explore.rs includes this file
//! by path; they are different crates).

use std::path::{Path, PathBuf};
use std::process::Command;

/// (mutant, function where it shows, shortest sequence that shows it).
pub const MUTANTS: [(&str, &str, usize); 5] = [
    // CreateInstance, Init, Begin(0), Begin(0x4).
    ("WRONG_ORDER", "JetBeginExternalBackupInstance", 4),
    // CreateInstance, Init, End2(Normal|Abort).
    ("GRBIT_ACCEPTED", "JetEndExternalBackupInstance2", 3),
    // CreateInstance, Init, TruncateLog.
    ("CODE_SWAPPED", "JetTruncateLogInstance", 3),
    // CreateInstance, Init, BeginSession, CreateDatabase, Begin, OpenFile, ReadFile.
    ("READ_OFF_BY_ONE", "JetReadFileInstance", 7),
    // CreateInstance, Init, Begin, End2, Begin.
    ("LEAK_AFTER_END", "JetBeginExternalBackupInstance", 5),
];

/// Builds mutant `name` into `dir` as a library that forwards to the mock library `library`
/// (a C compiler is needed: `$CC`, else `cc`; CI installs gcc).
pub fn build(name: &str, library: &Path, dir: &Path) -> Result<PathBuf, String> {
    let lib_dir = library.parent().unwrap_or(Path::new("."));
    let lib_name = library
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{}: not a library file name", library.display()))?;
    let out = dir.join(format!("libmutant_{}.so", name.to_ascii_lowercase()));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("tests/mutants/mutant.c"))
        .find(|p| p.is_file())
        .ok_or("tests/mutants/mutant.c not found")?;
    let built = Command::new(&cc)
        .args(["-shared", "-fPIC", "-Wall", "-Werror"])
        .arg(format!("-DMUTANT_{name}"))
        .arg("-o")
        .arg(&out)
        .arg(&src)
        .arg("-Wl,--no-as-needed")
        .arg(format!("-L{}", lib_dir.display()))
        .arg(format!("-l:{lib_name}"))
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .arg("-ldl")
        .status();
    if built.is_ok_and(|s| s.success()) {
        Ok(out)
    } else {
        Err(format!(
            "cannot build mutant {name} with `{cc}` (a C compiler is needed)"
        ))
    }
}
