//! Every system parameter of the table (`sysparams::SYSPARAMS`, the `JET_paramXxx` list of
//! `esent.h`), for every release: set, read back with JetGetSystemParameter, refused where
//! ESENT refuses (ids the release's header lacks, read-only ones, bad values, init-time
//! parameters after JetInit). The same walk runs on the in-process mock and, through the C
//! ABI, on the mock built as a C library (libesent.so / esent.dll): a child process per
//! release, since that library's engine is process-global (spec 4.1).

mod common;

use jetconform_interface::sysparams::{
    ids, ParamDefaultValue, ParamEffect, ParamKind, ParamScope, SysParamInfo, SYSPARAMS,
};
use jetconform_interface::{
    Arg, Buffer, Call, CallResult, Function, Observation, OutValue, Runner, ScenarioStart, Text,
    WinVersion,
};
use std::process::Command;

const E_INVALID_PARAMETER: i32 = -1003;
const E_ALREADY_INITIALIZED: i32 = -1030;
const E_INVALID_SESID: i32 = -1104;

fn code(o: &Observation, what: &str) -> i32 {
    match &o.result {
        CallResult::Returned(c) => c.0,
        other => panic!("{what}: {other:?}"),
    }
}

fn path(p: &str) -> Option<Text> {
    Some(Text::Path {
        path: p.to_string(),
        pad_to: None,
        trailing_separator: true,
    })
}

/// A valid value other than the default: (lParam, szParam).
fn sample(p: &SysParamInfo) -> (u64, Option<Text>) {
    let def = match p.default {
        ParamDefaultValue::Num(n) => n,
        ParamDefaultValue::Text(_) => 0,
    };
    match p.kind {
        ParamKind::Path => (0, path(&format!("params/p{}", p.id))),
        ParamKind::Text => (
            0,
            Some(Text::Plain(
                match p.id {
                    ids::JET_paramBaseName => "abc",
                    ids::JET_paramRecovery => "off",
                    _ => "jetconform",
                }
                .into(),
            )),
        ),
        ParamKind::Boolean => ((def == 0) as u64, None),
        ParamKind::Pointer => (0x1000, None),
        ParamKind::Integer => (
            match p.id {
                ids::JET_paramLogFileSize => 1024,
                ids::JET_paramDatabasePageSize => 8192,
                ids::JET_paramMaxInstances => 8,
                ids::JET_paramLegacyFileNames => 1,
                _ if def < p.max => def + 1,
                _ => p.min,
            },
            None,
        ),
    }
}

fn set(id: u32, inst: Option<u64>, l: u64, sz: Option<Text>) -> Call {
    Call {
        function: Function::JetSetSystemParameter,
        args: vec![
            Arg::InOut(inst),
            Arg::Handle(0),
            Arg::U32(id),
            Arg::Handle(l),
            Arg::Str(sz),
        ],
    }
}

fn get(id: u32) -> Call {
    Call {
        function: Function::JetGetSystemParameter,
        args: vec![
            Arg::Handle(0),
            Arg::Handle(0),
            Arg::U32(id),
            Arg::Out(true),
            Arg::Buffer(Some(Buffer {
                size: 1024,
                offset: 0,
                save_to: None,
            })),
            Arg::U32(1024),
        ],
    }
}

/// Walks the table on one release; returns what disagreed.
fn walk(v: WinVersion, call: &mut dyn FnMut(&Call) -> Observation) -> Vec<String> {
    let mut bad = Vec::new();
    let expect = |bad: &mut Vec<String>, what: String, got: i32, want: i32| {
        if got != want {
            bad.push(format!("{}: {what}: {got}, expected {want}", v.id()));
        }
    };
    // Before any instance: every parameter goes to the process defaults (spec 9, NoSet).
    for p in SYSPARAMS {
        let defined = p.defined_in(v);
        let settable =
            defined && p.effect != ParamEffect::ReadOnly && p.scope != ParamScope::Session;
        let (l, sz) = sample(p);
        if settable && p.kind == ParamKind::Integer && p.max < u32::MAX as u64 {
            let o = call(&set(p.id, None, p.max + 1, None));
            expect(
                &mut bad,
                format!("{} = max + 1", p.name),
                code(&o, p.name),
                E_INVALID_PARAMETER,
            );
        }
        if settable && p.is_string() {
            let o = call(&set(p.id, None, 0, None));
            expect(
                &mut bad,
                format!("{} = NULL", p.name),
                code(&o, p.name),
                E_INVALID_PARAMETER,
            );
        }
        let o = call(&set(p.id, None, l, sz.clone()));
        let want = if settable { 0 } else { E_INVALID_PARAMETER };
        expect(&mut bad, format!("set {}", p.name), code(&o, p.name), want);
        let o = call(&get(p.id));
        let got = code(&o, p.name);
        if !defined {
            expect(
                &mut bad,
                format!("get {}", p.name),
                got,
                E_INVALID_PARAMETER,
            );
            continue;
        }
        if p.scope == ParamScope::Session {
            // No session given.
            expect(&mut bad, format!("get {}", p.name), got, E_INVALID_SESID);
            continue;
        }
        expect(&mut bad, format!("get {}", p.name), got, 0);
        if !settable || got != 0 {
            continue;
        }
        match (&sz, o.outputs.get("szParam"), o.outputs.get("plParam")) {
            (Some(t), Some(OutValue::Strings { items, .. }), _) => {
                let first = items.first().cloned().unwrap_or_default();
                let ok = match t {
                    Text::Plain(s) => &first == s,
                    _ => first.contains(&format!("p{}", p.id)),
                };
                if !ok {
                    bad.push(format!("{}: {} reads back {first:?}", v.id(), p.name));
                }
            }
            (None, _, Some(OutValue::Handle(n))) if *n == l => {}
            (_, s, n) => bad.push(format!(
                "{}: {} reads back {s:?} / {n:?}, set {l}",
                v.id(),
                p.name
            )),
        }
    }
    // After JetInit (legacy: the single instance of OneInst mode, spec 4.1), init-time
    // parameters are refused with -1030 when the value changes (spec 9).
    // The folders the walk set may not exist (W2K cannot create them): the sandbox itself.
    for id in [
        ids::JET_paramSystemPath,
        ids::JET_paramLogFilePath,
        ids::JET_paramTempPath,
    ] {
        let o = call(&set(id, None, 0, path(".")));
        expect(&mut bad, format!("path {id}"), code(&o, "path"), 0);
    }
    let init = Call {
        function: Function::JetInit,
        args: vec![Arg::InOut(Some(0))],
    };
    let o = call(&init);
    expect(&mut bad, "JetInit".into(), code(&o, "JetInit"), 0);
    for p in SYSPARAMS {
        if !p.defined_in(v) || p.effect == ParamEffect::ReadOnly || p.scope == ParamScope::Session {
            continue;
        }
        let (l, sz) = match p.kind {
            ParamKind::Path => (0, path("other")),
            ParamKind::Text if p.id == ids::JET_paramRecovery => {
                (0, Some(Text::Plain("on".into())))
            }
            ParamKind::Text => (0, Some(Text::Plain("xyz".into()))),
            _ => match p.default {
                ParamDefaultValue::Num(n) => (n, None),
                ParamDefaultValue::Text(_) => (0, None),
            },
        };
        if sz.is_none() && l == sample(p).0 {
            continue;
        }
        let o = call(&set(p.id, None, l, sz));
        let want = if p.settable_after_init {
            0
        } else {
            E_ALREADY_INITIALIZED
        };
        expect(
            &mut bad,
            format!("{} after JetInit", p.name),
            code(&o, p.name),
            want,
        );
    }
    bad
}

#[test]
fn every_parameter_on_every_release_in_process() {
    let mut bad = Vec::new();
    for v in WinVersion::ALL {
        let dir = tempfile::tempdir().unwrap();
        let mut e = jetconform_mock::Engine::new(v, dir.path());
        bad.extend(walk(v, &mut |c| e.dispatch(c)));
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

const CHILD: &str = "JETCONFORM_SYSPARAMS_CHILD";

/// The child side of the C-library walk: one release, in a process of its own.
#[test]
fn every_parameter_child() {
    let (Ok(lib), Ok(v)) = (
        std::env::var(CHILD),
        std::env::var("JETCONFORM_MOCK_VERSION"),
    ) else {
        return;
    };
    let v = WinVersion::parse(&v).expect("a release");
    let runner =
        jetconform_ffi::FfiRunner::from_spec(&format!("ffi:{lib}")).expect("the library loads");
    let mut exec = runner
        .start(&ScenarioStart {
            scenario: "sysparams".into(),
            version: v,
        })
        .expect("starts");
    let mut calls = 0;
    let bad = walk(v, &mut |c| {
        calls += 1;
        exec.call(c).expect("the call returns")
    });
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(calls > 2 * SYSPARAMS.len(), "the walk ran");
    println!("{}: {calls} calls through the C library", v.id());
}

#[test]
fn every_parameter_on_every_release_through_the_c_library() {
    let lib = common::mock_library();
    for v in WinVersion::ALL {
        let out = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "every_parameter_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, &lib)
            .env("JETCONFORM_MOCK_VERSION", v.id())
            .output()
            .expect("the test binary runs");
        assert!(
            out.status.success()
                && String::from_utf8_lossy(&out.stdout).contains("calls through the C library"),
            "{}: {}{}",
            v.id(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
