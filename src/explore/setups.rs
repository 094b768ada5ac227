//! The setups a generated sequence starts from, inline rather than fixtures so that found
//! scenarios stand alone. Both end online with one session and one logged database; they
//! differ in how the instance is made and named (`Instance`).

use super::sequence::{GenStep, Rng};

/// The folders of an instance, made in the sandbox, and the parameter that points the engine
/// at each (spec 9).
const FOLDERS: [(&str, &str); 3] = [
    ("JET_paramLogFilePath", "logs"),
    ("JET_paramSystemPath", "sys"),
    ("JET_paramTempPath", "tmp"),
];

/// How a setup names its instance.
struct Instance {
    /// The `pinstance` of JetSetSystemParameter and JetInit.
    pinstance: &'static str,
    /// The `instance` of JetBeginSession.
    instance: &'static str,
    /// JetInit binds `$inst` (a multi-instance handle, spec 4.1).
    binds: bool,
}

/// The online instance of the corpus's `online-instance` fixture (spec 13 "B"), inline so
/// that found scenarios stand alone: an instance with its own folders (made by the engine:
/// JET_paramCreatePathIfNotExist), initialized, one session and one logged database `db.edb`.
pub fn setup() -> Vec<GenStep> {
    let first = vec![
        GenStep::new("JetCreateInstance", SETUP)
            .arg("szInstanceName", "\"bk\"")
            .bind("pinstance", "inst"),
        GenStep::new("JetSetSystemParameter", SETUP)
            .arg("pinstance", "\"$inst\"")
            .arg("paramid", "\"JET_paramCreatePathIfNotExist\"")
            .arg("lParam", "1"),
    ];
    online(
        first,
        &Instance {
            pinstance: "\"$inst\"",
            instance: "\"$inst\"",
            binds: true,
        },
    )
}

/// The legacy single-instance fixture "L" of spec 13 (as the corpus's `legacy-instance`):
/// no JetCreateInstance; process-wide parameters point the folders (made by the harness:
/// JET_paramCreatePathIfNotExist is XP+) into the sandbox, and JetInit(NULL) switches the
/// process to single-instance mode (spec 4.1). Instance calls then ignore their handle
/// (spec 4.4), so the instance argument is 0 and nothing binds `$inst`.
pub fn legacy_setup() -> Vec<GenStep> {
    let first = FOLDERS
        .iter()
        .map(|(_, d)| GenStep::new("make_dir", SETUP).arg("path", format!("\"{d}\"")))
        .collect();
    online(
        first,
        &Instance {
            pinstance: "\"null\"",
            instance: "0",
            binds: false,
        },
    )
}

const SETUP: &str = "setup";

/// `first`, then what both setups share: the folder parameters, JetInit, a session, the
/// database and its log records; every step marked as setup.
fn online(mut v: Vec<GenStep>, i: &Instance) -> Vec<GenStep> {
    for (param, dir) in FOLDERS {
        v.push(
            GenStep::new("JetSetSystemParameter", SETUP)
                .arg("pinstance", i.pinstance)
                .arg("paramid", format!("\"{param}\""))
                .arg(
                    "szParam",
                    format!("{{ path = \"{dir}\", trailing_separator = true }}"),
                ),
        );
    }
    let init = GenStep::new("JetInit", SETUP).arg("pinstance", i.pinstance);
    v.extend([
        if i.binds {
            init.bind("pinstance", "inst")
        } else {
            init
        },
        GenStep::new("JetBeginSession", SETUP)
            .arg("instance", i.instance)
            .bind("psesid", "sesid"),
        GenStep::new("JetCreateDatabase", SETUP)
            .arg("sesid", "\"$sesid\"")
            .arg("szFilename", "\"db.edb\"")
            .bind("pdbid", "dbid"),
        GenStep::new("log_traffic", SETUP)
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
