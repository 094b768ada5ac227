//! JetInit3's `JET_RSTINFO` (spec 1.2, spec 9) after a crash: its map (`rgrstmap`) decides
//! where recovery puts the database the logs created, and its `pfnStatus` hears the
//! recovery. The same sequences run on the in-process mock and, through the C ABI, on the
//! mock built as a C library (a child process per case: that library's engine is
//! process-global, spec 4.1); both must observe the same codes, callbacks and files.

mod common;

use jetconform_interface::{
    Arg, Call, Callback, Function, Observation, OutValue, RstInfo, RstMapEntry, Runner,
    ScenarioStart, Text, WinVersion,
};
use std::path::Path;
use std::process::Command;

/// `JET_RSTINFO`'s size on x64 (spec 1.2).
const RSTINFO_X64: u32 = 48;
const TERM_DIRTY: u32 = 0x8;
const REPLAY_MISSING_MAP_ENTRY_DB: u32 = 0x20;

/// The cases: (name, map's source name, JetInit3 grbit).
const CASES: &[(&str, &str, u32)] = &[
    // The logged database is mapped: it is re-created at its new name only.
    ("mapped", "db.edb", 0),
    // The map leaves it out: not replayed (inferred from the name of the bit below).
    ("unmapped", "other.edb", 0),
    // Left out but JET_bitReplayMissingMapEntryDB: replayed at its own name.
    (
        "unmapped-replayed",
        "other.edb",
        REPLAY_MISSING_MAP_ENTRY_DB,
    ),
];

fn text(s: &str) -> Option<Text> {
    Some(Text::Plain(s.into()))
}

fn handle(o: &Observation, name: &str) -> u64 {
    match o.outputs.get(name) {
        Some(OutValue::Handle(h)) => *h,
        other => panic!("{name} not written: {other:?} ({o:?})"),
    }
}

/// Runs one case; returns what it observed: the codes, JetInit3's callbacks, and which of
/// the two places holds a database afterwards.
fn run(
    case: &(&str, &str, u32),
    sandbox: &Path,
    call: &mut dyn FnMut(&Call) -> Observation,
) -> String {
    let mut log = Vec::new();
    let mut step = |log: &mut Vec<String>, c: Call| {
        let o = call(&c);
        log.push(format!("{:?} {:?}", c.function, o.code()));
        o
    };
    let create = |log: &mut Vec<String>,
                  step: &mut dyn FnMut(&mut Vec<String>, Call) -> Observation| {
        let o = step(
            log,
            Call {
                function: Function::JetCreateInstance,
                args: vec![Arg::Out(true), Arg::Str(text("app"))],
            },
        );
        handle(&o, "pinstance")
    };
    let inst = create(&mut log, &mut step);
    step(
        &mut log,
        Call {
            function: Function::JetInit,
            args: vec![Arg::InOut(Some(inst))],
        },
    );
    let s = step(
        &mut log,
        Call {
            function: Function::JetBeginSession,
            args: vec![
                Arg::Handle(inst),
                Arg::Out(true),
                Arg::Str(None),
                Arg::Str(None),
            ],
        },
    );
    let sesid = handle(&s, "psesid");
    step(
        &mut log,
        Call {
            function: Function::JetCreateDatabase,
            args: vec![
                Arg::Handle(sesid),
                Arg::Str(text("db.edb")),
                Arg::Str(None),
                Arg::Out(true),
                Arg::U32(0),
            ],
        },
    );
    step(
        &mut log,
        Call {
            function: Function::JetTerm2,
            args: vec![Arg::Handle(inst), Arg::U32(TERM_DIRTY)],
        },
    );
    std::fs::remove_file(sandbox.join("db.edb")).expect("the database existed");
    let inst = create(&mut log, &mut step);
    let o = step(
        &mut log,
        Call {
            function: Function::JetInit3A,
            args: vec![
                Arg::InOut(Some(inst)),
                Arg::RstInfo(Some(RstInfo {
                    cb_struct: RSTINFO_X64,
                    rstmap: vec![RstMapEntry {
                        database_name: text(case.1),
                        new_database_name: text("moved.edb"),
                    }],
                    callback: Some(Callback::default()),
                })),
                Arg::U32(case.2),
            ],
        },
    );
    log.push(format!("callbacks {:?}", o.outputs.get("prstInfo")));
    for f in ["db.edb", "moved.edb"] {
        log.push(format!("{f} {}", sandbox.join(f).exists()));
    }
    step(
        &mut log,
        Call {
            function: Function::JetTerm,
            args: vec![Arg::Handle(inst)],
        },
    );
    log.join("\n")
}

fn in_process(case: &(&str, &str, u32)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut e = jetconform_mock::Engine::new(WinVersion::Win10, dir.path());
    run(case, dir.path(), &mut |c| e.dispatch(c))
}

#[test]
fn in_process_the_map_places_the_database_and_the_callback_hears_recovery() {
    let mapped = in_process(&CASES[0]);
    assert!(
        mapped.contains("db.edb false") && mapped.contains("moved.edb true"),
        "{mapped}"
    );
    // JET_snpRestore (8): JET_sntBegin (5) then JET_sntComplete (6).
    assert!(
        mapped.contains("snp: 8, snt: 5") && mapped.contains("snp: 8, snt: 6"),
        "{mapped}"
    );
    let unmapped = in_process(&CASES[1]);
    assert!(
        unmapped.contains("db.edb false") && unmapped.contains("moved.edb false"),
        "{unmapped}"
    );
    let replayed = in_process(&CASES[2]);
    assert!(
        replayed.contains("db.edb true") && replayed.contains("moved.edb false"),
        "{replayed}"
    );
}

const CHILD: &str = "JETCONFORM_INIT3_CHILD";

/// The child side: one case through the C library, printed between markers.
#[test]
fn init3_child() {
    let (Ok(lib), Ok(name)) = (std::env::var(CHILD), std::env::var("JETCONFORM_INIT3_CASE")) else {
        return;
    };
    let case = CASES.iter().find(|c| c.0 == name).expect("a case");
    let runner =
        jetconform_ffi::FfiRunner::from_spec(&format!("ffi:{lib}")).expect("the library loads");
    let mut exec = runner
        .start(&ScenarioStart {
            scenario: "init3".into(),
            version: WinVersion::Win10,
        })
        .expect("starts");
    let root = std::path::PathBuf::from(exec.sandbox());
    let out = run(case, &root, &mut |c| {
        exec.call(c).expect("the call returns")
    });
    println!("<<<\n{out}\n>>>");
}

#[test]
fn the_c_library_honours_the_map_and_the_callback_as_in_process() {
    let lib = common::mock_library();
    for case in CASES {
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "init3_child", "--nocapture", "--test-threads=1"])
            .env(CHILD, &lib)
            .env("JETCONFORM_INIT3_CASE", case.0)
            .output()
            .expect("the test binary runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let got = stdout
            .split_once("<<<\n")
            .and_then(|(_, r)| r.split_once("\n>>>"))
            .map(|(o, _)| o.to_string());
        assert!(
            out.status.success() && got.is_some(),
            "{}: {stdout}{}",
            case.0,
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(got.unwrap(), in_process(case), "{}", case.0);
    }
}
