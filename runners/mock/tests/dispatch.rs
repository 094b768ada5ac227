//! The `Call` adapter and the `Runner` implementation.

use jetconform_interface::sysparams::ids;
use jetconform_interface::{
    Arg, Buffer, Call, CallResult, ErrorCode as E, Function as F, LogInfo, Observation, OutValue,
    Runner, ScenarioStart, Text, WinVersion as V,
};
use jetconform_mock::MockRunner;
use rstest::rstest;

fn path(p: &str) -> Arg {
    Arg::Str(Some(Text::Path {
        path: p.into(),
        pad_to: None,
        trailing_separator: false,
    }))
}
fn folder(p: &str) -> Arg {
    Arg::Str(Some(Text::Path {
        path: p.into(),
        pad_to: None,
        trailing_separator: true,
    }))
}
fn plain(s: &str) -> Arg {
    Arg::Str(Some(Text::Plain(s.into())))
}
fn call(function: F, args: Vec<Arg>) -> Call {
    Call { function, args }
}

struct Trial {
    x: Box<dyn jetconform_interface::Execution>,
    inst: u64,
    sesid: u64,
}

impl Trial {
    fn run(&mut self, c: Call) -> Observation {
        self.x.call(&c).unwrap()
    }
    fn ok(&mut self, c: Call) -> Observation {
        let o = self.run(c);
        assert_eq!(o.result, CallResult::Returned(E::JET_errSuccess), "{o:?}");
        o
    }
}

fn handle(o: &Observation, name: &str) -> u64 {
    match o.outputs.get(name) {
        Some(OutValue::Handle(h)) => *h,
        other => panic!("{name}: {other:?}"),
    }
}

fn fixture(v: V) -> Trial {
    let x = MockRunner::new()
        .start(&ScenarioStart {
            scenario: "t".into(),
            version: v,
        })
        .unwrap();
    let mut t = Trial {
        x,
        inst: 0,
        sesid: 0,
    };
    let create = if v >= V::Xp {
        F::JetCreateInstance
    } else {
        F::JetInit
    };
    if create == F::JetInit {
        let o = t.ok(call(
            F::JetInit,
            vec![Arg::InOut(Some(jetconform_interface::INSTANCE_NIL))],
        ));
        t.inst = handle(&o, "pinstance");
    } else {
        let o = t.ok(call(
            F::JetCreateInstance,
            vec![Arg::Out(true), plain("bk")],
        ));
        t.inst = handle(&o, "pinstance");
        let set = |id: u32, l: u64, sz: Arg| {
            call(
                F::JetSetSystemParameter,
                vec![
                    Arg::InOut(Some(0)),
                    Arg::Handle(0),
                    Arg::U32(id),
                    Arg::Handle(l),
                    sz,
                ],
            )
        };
        let h = t.inst;
        for c in [
            set(ids::JET_paramCreatePathIfNotExist, 1, Arg::Str(None)),
            set(ids::JET_paramLogFilePath, 0, folder("logs")),
            set(ids::JET_paramSystemPath, 0, folder("sys")),
            set(ids::JET_paramTempPath, 0, folder("tmp")),
            set(ids::JET_paramLogFileSize, 128, Arg::Str(None)),
        ] {
            let mut c = c;
            c.args[0] = Arg::InOut(Some(h));
            t.ok(c);
        }
        t.ok(call(F::JetInit, vec![Arg::InOut(Some(h))]));
    }
    let o = t.ok(call(
        F::JetBeginSession,
        vec![
            Arg::Handle(t.inst),
            Arg::Out(true),
            Arg::Str(None),
            Arg::Str(None),
        ],
    ));
    t.sesid = handle(&o, "psesid");
    let o = t.ok(call(
        F::JetCreateDatabase,
        vec![
            Arg::Handle(t.sesid),
            path("db.edb"),
            Arg::Str(None),
            Arg::Out(true),
            Arg::U32(0),
        ],
    ));
    assert_eq!(o.outputs.get("pdbid"), Some(&OutValue::U32(1)));
    t.ok(call(
        F::log_traffic,
        vec![Arg::Handle(t.sesid), Arg::U32(1), Arg::U32(300)],
    ));
    t
}

#[test]
fn runner_info() {
    let i = MockRunner::new().info();
    assert_eq!(i.name, "mock");
    assert_eq!(i.versions.len(), 9);
    assert!(i.fault_hooks);
    assert!(i.verbs.iter().any(|v| v == "log_traffic"));
    assert_eq!(i.machine.description.as_deref(), Some("model of esent.dll"));
}

#[rstest]
#[case(V::Xp, F::JetGetAttachInfoInstanceW)]
#[case(V::Win2000, F::JetBeginExternalBackupInstance)]
#[case(V::Win7, F::JetStopServiceInstance2)]
fn not_exported(#[case] v: V, #[case] f: F) {
    let x = MockRunner::new()
        .start(&ScenarioStart {
            scenario: "t".into(),
            version: v,
        })
        .unwrap();
    let mut t = Trial {
        x,
        inst: 0,
        sesid: 0,
    };
    let args = f.info().params.iter().map(|_| Arg::Handle(0)).collect();
    assert_eq!(t.run(call(f, args)).result, CallResult::NotExported);
}

#[test]
fn a_full_backup_through_calls_and_finish_removes_the_sandbox() {
    let mut t = fixture(V::Win10);
    let sandbox = t.x.sandbox().to_string();
    let i = Arg::Handle(t.inst);
    t.ok(call(
        F::JetBeginExternalBackupInstance,
        vec![i.clone(), Arg::U32(0)],
    ));
    let o = t.ok(call(
        F::JetGetAttachInfoInstanceW,
        vec![
            i.clone(),
            Arg::Buffer(Some(Buffer {
                size: 4096,
                offset: 0,
                save_to: None,
            })),
            Arg::U32(4096),
            Arg::Out(true),
        ],
    ));
    let db = match o.outputs.get("szz") {
        Some(OutValue::Strings {
            items,
            terminated: true,
        }) => items[0].clone(),
        other => panic!("{other:?}"),
    };
    assert!(db.starts_with(&sandbox) && db.ends_with("db.edb"));
    // NULL output of OpenFile: access violation in ESENT.
    let o = t.run(call(
        F::JetOpenFileInstance,
        vec![
            i.clone(),
            Arg::Str(Some(Text::Raw(db.clone()))),
            Arg::Out(false),
            Arg::Out(true),
            Arg::Out(true),
        ],
    ));
    assert_eq!(o.code(), Some(E::JET_errInvalidParameter));
    assert!(o.undefined.is_some());
    let o = t.ok(call(
        F::JetOpenFileInstance,
        vec![
            i.clone(),
            Arg::Str(Some(Text::Raw(db))),
            Arg::Out(true),
            Arg::Out(true),
            Arg::Out(true),
        ],
    ));
    assert_eq!(o.outputs.get("phfFile"), Some(&OutValue::Handle(0)));
    assert_eq!(
        o.outputs.get("pulFileSizeLow"),
        Some(&OutValue::U32((16 + 3) * 4096))
    );
    let read = |save: bool, offset: u32| {
        call(
            F::JetReadFileInstance,
            vec![
                Arg::Handle(0),
                Arg::Handle(0),
                Arg::Buffer(Some(Buffer {
                    size: 65536,
                    offset,
                    save_to: save.then(|| "backup/db.edb".to_string()),
                })),
                Arg::U32(65536),
                Arg::Out(true),
            ],
        )
    };
    let mut r = read(false, 512);
    r.args[0] = i.clone();
    let o = t.run(r);
    assert_eq!(o.code(), Some(E::JET_errInvalidParameter));
    assert_eq!(o.outputs.get("pcbActual"), Some(&OutValue::Unwritten));
    // The adapter's own buffer must hold the caller's offset past any page boundary.
    for offset in [1, 4095, 4096 + 4095] {
        let mut r = read(false, offset);
        r.args[0] = i.clone();
        assert_eq!(
            t.run(r).code(),
            Some(E::JET_errInvalidParameter),
            "{offset}"
        );
    }
    let mut total = 0;
    loop {
        let mut r = read(true, 0);
        r.args[0] = i.clone();
        let o = t.ok(r);
        match o.outputs.get("pcbActual") {
            Some(OutValue::U32(0)) => break,
            Some(OutValue::U32(n)) => total += *n,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(total, 19 * 4096);
    let saved = std::fs::metadata(std::path::Path::new(&sandbox).join("backup/db.edb"))
        .unwrap()
        .len();
    assert_eq!(saved, 19 * 4096);
    t.ok(call(
        F::JetCloseFileInstance,
        vec![i.clone(), Arg::Handle(0)],
    ));
    let o = t.ok(call(
        F::JetGetLogInfoInstance2W,
        vec![
            i.clone(),
            Arg::Buffer(Some(Buffer {
                size: 4096,
                offset: 0,
                save_to: None,
            })),
            Arg::U32(4096),
            Arg::Out(true),
            Arg::LogInfo(Some(LogInfo {
                cb_size: 20,
                gen_low: 0,
                gen_high: 0,
                base_name: String::new(),
            })),
        ],
    ));
    match o.outputs.get("pLogInfo") {
        Some(OutValue::LogInfo(l)) => {
            assert_eq!(l.base_name, "edb");
            assert!(l.gen_low >= 1 && l.gen_high >= l.gen_low);
        }
        other => panic!("{other:?}"),
    }
    t.ok(call(
        F::JetEndExternalBackupInstance2,
        vec![i.clone(), Arg::U32(2)],
    ));
    let x = t.x;
    x.finish().unwrap();
    assert!(!std::path::Path::new(&sandbox).exists());
}

#[test]
fn legacy_mode_on_win2000() {
    let mut t = fixture(V::Win2000);
    t.ok(call(F::JetBeginExternalBackup, vec![Arg::U32(0)]));
    let o = t.ok(call(
        F::JetGetAttachInfo,
        vec![
            Arg::Buffer(Some(Buffer {
                size: 1,
                offset: 0,
                save_to: None,
            })),
            Arg::U32(1),
            Arg::Out(true),
        ],
    ));
    // W2K A functions truncate silently (spec 11.4).
    assert!(matches!(
        o.outputs.get("szz"),
        Some(OutValue::Strings {
            terminated: false,
            ..
        })
    ));
    t.ok(call(F::JetEndExternalBackup, vec![]));
}

#[rstest]
#[case(V::Win10, E::JET_errBufferTooSmall)]
#[case(V::Server2003, E::JET_errSuccess)]
fn a_variant_small_buffer(#[case] v: V, #[case] err: E) {
    let mut t = fixture(v);
    let i = Arg::Handle(t.inst);
    t.ok(call(
        F::JetBeginExternalBackupInstance,
        vec![i.clone(), Arg::U32(0)],
    ));
    let o = t.run(call(
        F::JetGetAttachInfoInstance,
        vec![
            i,
            Arg::Buffer(Some(Buffer {
                size: 4096,
                offset: 0,
                save_to: None,
            })),
            Arg::U32(1),
            Arg::Out(true),
        ],
    ));
    assert_eq!(o.code(), Some(err));
}

#[test]
fn section_open_with_many_sections_is_wrn_nyi_even_with_a_bad_instance() {
    let x = MockRunner::new()
        .start(&ScenarioStart {
            scenario: "t".into(),
            version: V::Win10,
        })
        .unwrap();
    let mut t = Trial {
        x,
        inst: 0,
        sesid: 0,
    };
    let o = t.run(call(
        F::JetOpenFileSectionInstance,
        vec![
            Arg::Handle(77),
            path("db.edb"),
            Arg::Out(true),
            Arg::I32(0),
            Arg::I32(2),
            Arg::U64(0),
            Arg::Out(true),
            Arg::Out(true),
        ],
    ));
    assert_eq!(o.code(), Some(E::JET_wrnNyi));
}

#[test]
fn not_modelled_is_never_success() {
    let mut t = fixture(V::Win10);
    let o = t.run(call(
        F::JetBeginExternalBackupInstance,
        vec![Arg::Handle(t.inst), Arg::U32(0x40)],
    ));
    assert!(matches!(o.result, CallResult::NotModelled(_)));
    let o = t.run(call(F::JetOpenFileInstance, vec![Arg::U32(1)]));
    assert!(matches!(o.result, CallResult::NotModelled(_)));
    let o = t.run(call(
        F::fault,
        vec![Arg::Handle(t.inst), plain("no_such_hook")],
    ));
    assert!(matches!(o.result, CallResult::NotModelled(_)));
}

#[test]
fn callbacks_are_recorded_and_nested_calls_reported() {
    use jetconform_interface::Callback;
    let mut t = fixture(V::Win10);
    let o = t.ok(call(
        F::JetBackupInstance,
        vec![
            Arg::Handle(t.inst),
            path("bk"),
            Arg::U32(0),
            Arg::Callback(Some(Callback::default())),
        ],
    ));
    match o.outputs.get("pfnStatus") {
        Some(OutValue::Callbacks(ev)) => assert_eq!(ev.len(), 2),
        other => panic!("{other:?}"),
    }
    let o = t.ok(call(F::JetCreateInstance, vec![Arg::Out(true), plain("r")]));
    let j = handle(&o, "pinstance");
    let nested = call(
        F::JetBeginExternalBackupInstance,
        vec![Arg::Handle(j), Arg::U32(0)],
    );
    let o = t.ok(call(
        F::JetRestoreInstance,
        vec![
            Arg::Handle(j),
            path("bk"),
            path(""),
            Arg::Callback(Some(Callback {
                nested: Some(Box::new(nested)),
            })),
        ],
    ));
    match o.outputs.get("pfn") {
        Some(OutValue::Nested(n)) => assert_eq!(n.code(), Some(E::JET_errRestoreInProgress)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        o.outputs.get("pfn.callbacks"),
        Some(OutValue::Callbacks(_))
    ));
}

/// Cost of one typical trial (fixture, a few calls, teardown): run with `--ignored
/// --nocapture` in release mode.
#[test]
#[ignore]
fn trial_cost() {
    let start = std::time::Instant::now();
    let n = 300;
    for _ in 0..n {
        let mut t = fixture(V::Win10);
        let i = Arg::Handle(t.inst);
        t.ok(call(
            F::JetBeginExternalBackupInstance,
            vec![i.clone(), Arg::U32(0)],
        ));
        t.ok(call(F::JetEndExternalBackupInstance2, vec![i, Arg::U32(2)]));
        t.x.finish().unwrap();
    }
    let per = start.elapsed().as_secs_f64() / n as f64;
    println!("{:.3} ms per trial", per * 1000.0);
}

#[test]
#[ignore]
fn step_costs() {
    use std::time::Instant;
    let n = 100;
    let mut acc = std::collections::BTreeMap::<String, f64>::new();
    for _ in 0..n {
        let t0 = Instant::now();
        let mut x = MockRunner::new()
            .start(&ScenarioStart {
                scenario: "t".into(),
                version: V::Win10,
            })
            .unwrap();
        *acc.entry("start".into()).or_default() += t0.elapsed().as_secs_f64();
        let mut time = |name: &str, c: Call, x: &mut Box<dyn jetconform_interface::Execution>| {
            let t = Instant::now();
            let o = x.call(&c).unwrap();
            *acc.entry(name.into()).or_default() += t.elapsed().as_secs_f64();
            o
        };
        let o = time(
            "create",
            call(F::JetCreateInstance, vec![Arg::Out(true), plain("bk")]),
            &mut x,
        );
        let h = handle(&o, "pinstance");
        let set = |id: u32, l: u64, sz: Arg| {
            call(
                F::JetSetSystemParameter,
                vec![
                    Arg::InOut(Some(h)),
                    Arg::Handle(0),
                    Arg::U32(id),
                    Arg::Handle(l),
                    sz,
                ],
            )
        };
        time(
            "param",
            set(ids::JET_paramCreatePathIfNotExist, 1, Arg::Str(None)),
            &mut x,
        );
        time(
            "param",
            set(ids::JET_paramLogFilePath, 0, folder("logs")),
            &mut x,
        );
        time(
            "param",
            set(ids::JET_paramSystemPath, 0, folder("sys")),
            &mut x,
        );
        time("init", call(F::JetInit, vec![Arg::InOut(Some(h))]), &mut x);
        let o = time(
            "session",
            call(
                F::JetBeginSession,
                vec![
                    Arg::Handle(h),
                    Arg::Out(true),
                    Arg::Str(None),
                    Arg::Str(None),
                ],
            ),
            &mut x,
        );
        let s = handle(&o, "psesid");
        time(
            "createdb",
            call(
                F::JetCreateDatabase,
                vec![
                    Arg::Handle(s),
                    path("db.edb"),
                    Arg::Str(None),
                    Arg::Out(true),
                    Arg::U32(0),
                ],
            ),
            &mut x,
        );
        time(
            "traffic",
            call(
                F::log_traffic,
                vec![Arg::Handle(s), Arg::U32(1), Arg::U32(10)],
            ),
            &mut x,
        );
        time(
            "begin",
            call(
                F::JetBeginExternalBackupInstance,
                vec![Arg::Handle(h), Arg::U32(0)],
            ),
            &mut x,
        );
        let t0 = Instant::now();
        x.finish().unwrap();
        *acc.entry("finish".into()).or_default() += t0.elapsed().as_secs_f64();
    }
    for (k, v) in acc {
        println!("{k:10} {:.3} ms", v * 1000.0 / n as f64);
    }
}

#[test]
fn inferred_and_documented_knobs_are_noted_on_the_observation() {
    let mut t = fixture(V::Xp);
    let i = Arg::Handle(t.inst);
    t.ok(call(
        F::JetBeginExternalBackupInstance,
        vec![i.clone(), Arg::U32(0)],
    ));
    let o = t.run(call(F::JetEndExternalBackupInstance2, vec![i, Arg::U32(2)]));
    assert_eq!(o.code(), Some(E::errBackupAbortByCaller));
    assert!(
        o.notes
            .iter()
            .any(|n| n.contains("end_return.abort") && n.contains("documented")),
        "{:?}",
        o.notes
    );
    let mut t = fixture(V::Win11);
    let i = Arg::Handle(t.inst);
    t.ok(call(
        F::JetBeginExternalBackupInstance,
        vec![i.clone(), Arg::U32(0)],
    ));
    let o = t.ok(call(F::JetEndExternalBackupInstance2, vec![i, Arg::U32(2)]));
    assert!(o.notes.is_empty(), "SRC facts are not noted: {:?}", o.notes);
}
