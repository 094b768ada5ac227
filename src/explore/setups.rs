//! The setups a generated sequence starts from, inline rather than fixtures so that found
//! scenarios stand alone.

use super::sequence::{GenStep, Rng};

/// The online instance of the corpus's `online-instance` fixture (spec 13 "B"), inline so
/// that found scenarios stand alone: an instance with its own folders, initialized, one
/// session and one logged database `db.edb`.
pub fn setup() -> Vec<GenStep> {
    let st = "setup";
    let mut v = vec![
        GenStep::new("JetCreateInstance", st)
            .arg("szInstanceName", "\"bk\"")
            .bind("pinstance", "inst"),
        GenStep::new("JetSetSystemParameter", st)
            .arg("pinstance", "\"$inst\"")
            .arg("paramid", "\"JET_paramCreatePathIfNotExist\"")
            .arg("lParam", "1"),
    ];
    for (param, dir) in [
        ("JET_paramLogFilePath", "logs"),
        ("JET_paramSystemPath", "sys"),
        ("JET_paramTempPath", "tmp"),
    ] {
        v.push(
            GenStep::new("JetSetSystemParameter", st)
                .arg("pinstance", "\"$inst\"")
                .arg("paramid", format!("\"{param}\""))
                .arg(
                    "szParam",
                    format!("{{ path = \"{dir}\", trailing_separator = true }}"),
                ),
        );
    }
    v.extend([
        GenStep::new("JetInit", st)
            .arg("pinstance", "\"$inst\"")
            .bind("pinstance", "inst"),
        GenStep::new("JetBeginSession", st)
            .arg("instance", "\"$inst\"")
            .bind("psesid", "sesid"),
        GenStep::new("JetCreateDatabase", st)
            .arg("sesid", "\"$sesid\"")
            .arg("szFilename", "\"db.edb\"")
            .bind("pdbid", "dbid"),
        GenStep::new("log_traffic", st)
            .arg("sesid", "\"$sesid\"")
            .arg("dbid", "\"$dbid\"")
            .arg("commits", "10"),
    ]);
    for s in &mut v {
        s.setup = true;
    }
    v
}

/// The legacy single-instance fixture "L" of spec 13 (as the corpus's `legacy-instance`):
/// no JetCreateInstance; process-wide parameters point the folders (made by the harness:
/// JET_paramCreatePathIfNotExist is XP+) into the sandbox, and JetInit(NULL) switches the
/// process to single-instance mode (spec 4.1). Instance calls then ignore their handle
/// (spec 4.4), so the instance argument is 0 and nothing binds `$inst`.
pub fn legacy_setup() -> Vec<GenStep> {
    let st = "setup";
    let mut v: Vec<GenStep> = ["logs", "sys", "tmp"]
        .iter()
        .map(|d| GenStep::new("make_dir", st).arg("path", format!("\"{d}\"")))
        .collect();
    for (param, dir) in [
        ("JET_paramLogFilePath", "logs"),
        ("JET_paramSystemPath", "sys"),
        ("JET_paramTempPath", "tmp"),
    ] {
        v.push(
            GenStep::new("JetSetSystemParameter", st)
                .arg("pinstance", "\"null\"")
                .arg("paramid", format!("\"{param}\""))
                .arg(
                    "szParam",
                    format!("{{ path = \"{dir}\", trailing_separator = true }}"),
                ),
        );
    }
    v.extend([
        GenStep::new("JetInit", st).arg("pinstance", "\"null\""),
        GenStep::new("JetBeginSession", st)
            .arg("instance", "0")
            .bind("psesid", "sesid"),
        GenStep::new("JetCreateDatabase", st)
            .arg("sesid", "\"$sesid\"")
            .arg("szFilename", "\"db.edb\"")
            .bind("pdbid", "dbid"),
        GenStep::new("log_traffic", st)
            .arg("sesid", "\"$sesid\"")
            .arg("dbid", "\"$dbid\"")
            .arg("commits", "10"),
    ]);
    for s in &mut v {
        s.setup = true;
    }
    v
}

/// The page sizes tried: the documented 2, 4 and 8 KiB and the 16 and 32 KiB the source
/// accepts (spec 10.2, spec 11.4).
pub const PAGE_SIZES: [&str; 5] = ["2048", "4096", "8192", "16384", "32768"];

/// JET_paramDatabasePageSize is process-wide and may only be set before any run mode is
/// (spec 9), so this call comes first, with no instance; every ReadFile size rule then
/// follows it (spec 10.2).
pub fn page_size(rng: &mut Rng, state: &str) -> GenStep {
    GenStep::new("JetSetSystemParameter", state)
        .arg("pinstance", "\"null\"")
        .arg("paramid", "\"JET_paramDatabasePageSize\"")
        .arg("lParam", *rng.pick(&PAGE_SIZES))
}
