//! Happy paths of the loader: what a valid scenario turns into.

use super::load;
use super::model::{ArgExpr, ExpectedOutcome, Predicate, Scenario, Step, StepKind};
use jetconform_interface::{
    Arg, Buffer, Callback, ErrorCode, Function, LogInfo, Provenance, Text, VersionSet, WinVersion,
};
use std::path::Path;

const FIXTURE: &str = r#"
description = "An instance named by a parameter."

[params]
name = "bk"
circular_log = 0

[[step]]
call = "JetCreateInstance"
szInstanceName = "@name"
bind = { pinstance = "$inst" }

[[step]]
call = "JetSetSystemParameter"
pinstance = "$inst"
paramid = "JET_paramCircularLog"
lParam = "@circular_log"

[[step]]
call = "JetInit"
pinstance = "$inst"
"#;

const HEADER: &str = r#"
title = "t"
description = "d"
evidence = ["spec 6.1"]
provenance = "source"
"#;

/// Writes `fixtures/setup.toml` and the given scenario files into a fresh corpus and loads it.
fn load_corpus(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<Scenario>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(dir.path(), "fixtures/setup.toml", FIXTURE);
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    let loaded = load(&[dir.path().to_path_buf()]);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    (dir, loaded.scenarios)
}

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().expect("a file has a folder")).expect("writable");
    std::fs::write(path, text).expect("writable");
}

fn one(text: &str) -> Scenario {
    let (_dir, mut scenarios) = load_corpus(&[("s.toml", text)]);
    assert_eq!(scenarios.len(), 1);
    scenarios.remove(0)
}

fn call(step: &Step) -> &super::model::CallStep {
    match &step.kind {
        StepKind::Call(c) => c,
        StepKind::ForEach(_) => panic!("step {} is a loop", step.number),
    }
}

fn fixed(a: &ArgExpr) -> &Arg {
    match a {
        ArgExpr::Fixed(a) => a,
        other => panic!("not fixed: {other:?}"),
    }
}

#[test]
fn fixture_steps_come_first_with_parameters_substituted() {
    let s = one(&format!(
        "{HEADER}fixture = {{ name = \"setup\", circular_log = 1 }}\n\n[[step]]\ncall = \"JetTerm\"\ninstance = \"$inst\"\nexpect = \"JET_errSuccess\"\n"
    ));
    assert_eq!(s.fixture.as_deref(), Some("setup"));
    assert_eq!(s.steps.len(), 4);
    assert!(s.steps[..3]
        .iter()
        .all(|st| st.fixture.as_deref() == Some("setup")));
    assert_eq!(
        s.steps.iter().map(|st| st.number).collect::<Vec<_>>(),
        [1, 2, 3, 1]
    );
    assert_eq!(s.steps[3].fixture, None);
    // The default of `name`, the given value of `circular_log`.
    let create = call(&s.steps[0]);
    assert_eq!(
        fixed(&create.args[1]),
        &Arg::Str(Some(Text::Plain("bk".into())))
    );
    assert_eq!(create.bind, [("pinstance".to_string(), "inst".to_string())]);
    let set = call(&s.steps[1]);
    assert_eq!(set.args[0], ArgExpr::InOut("inst".into()));
    assert_eq!(fixed(&set.args[3]), &Arg::Handle(1));
    // Fixture steps expect success, from the source, on every version.
    let e = create
        .expect
        .for_version(WinVersion::Win10)
        .expect("win10 applies");
    assert_eq!(e.outcome, ExpectedOutcome::Code(ErrorCode::JET_errSuccess));
    assert_eq!(e.provenance, Provenance::Source);
    // JetCreateInstance is XP+, so is the scenario (spec 11.1).
    assert_eq!(s.versions, VersionSet::parse("xp..").expect("a range"));
    assert!(create.expect.for_version(WinVersion::Win2000).is_none());
}

#[test]
fn per_version_expectations_with_ranges_aliases_and_default() {
    let s = one(&format!(
        r#"{HEADER}versions = ["xp", "server2008.."]

[[step]]
call = "JetEndExternalBackupInstance2"
instance = 0
grbit = ["JET_bitBackupEndAbort", 0x4000]
expect = {{ default = "JET_errSuccess", xp = {{ code = "JET_errBackupAbortByCaller", provenance = "documented", note = "DOC" }}, "vista..server2008r2" = "unknown", win11 = -1003 }}
"#
    ));
    let vs: Vec<WinVersion> = s.versions.iter().collect();
    assert_eq!(vs.first(), Some(&WinVersion::Xp));
    assert_eq!(vs.len(), 7);
    let c = call(&s.steps[0]);
    assert_eq!(fixed(&c.args[1]), &Arg::U32(0x2 | 0x4000));
    let at = |v| c.expect.for_version(v).cloned();
    let xp = at(WinVersion::Xp).expect("xp applies");
    assert_eq!(xp.outcome, ExpectedOutcome::Code(ErrorCode(-800)));
    assert_eq!(xp.provenance, Provenance::Documented);
    assert_eq!(xp.note.as_deref(), Some("DOC"));
    assert!(at(WinVersion::Server2003).is_none(), "not in versions");
    let win7 = at(WinVersion::Win7).expect("win7 applies");
    assert_eq!(
        (win7.outcome, win7.provenance),
        (ExpectedOutcome::Unknown, Provenance::Unknown)
    );
    let win8 = at(WinVersion::Win8).expect("win8 applies");
    assert_eq!(
        (win8.outcome, win8.provenance),
        (ExpectedOutcome::Code(ErrorCode(0)), Provenance::Source)
    );
    assert_eq!(
        at(WinVersion::Win11).map(|e| e.outcome),
        Some(ExpectedOutcome::Code(ErrorCode(-1003)))
    );
    // win8, win81 and win10 share the default's one entry.
    assert_eq!(c.expect.distinct().len(), 4);
    assert_eq!(at(WinVersion::Win10), at(WinVersion::Win8));
}

#[test]
fn top_level_provenance_per_version_and_not_exported() {
    let s = one(r#"
title = "t"
description = "d"
evidence = ["spec 6.11"]
versions = "all"
provenance = { "win10.." = "source", default = "inferred" }

[[step]]
call = "JetStopServiceInstance2"
instance = 0
grbit = "JET_bitStopServiceAll"
expect = { default = "JET_errSuccess", "..win81" = "not_exported" }
"#);
    let c = call(&s.steps[0]);
    let p = |v| {
        c.expect
            .for_version(v)
            .map(|e| (e.outcome.clone(), e.provenance.clone()))
    };
    assert_eq!(
        p(WinVersion::Win7),
        Some((ExpectedOutcome::NotExported, Provenance::Inferred))
    );
    assert_eq!(
        p(WinVersion::Win11),
        Some((ExpectedOutcome::Code(ErrorCode(0)), Provenance::Source))
    );
}

#[test]
fn defaults_are_filled_in_per_parameter_type() {
    let s = one(&format!(
        r#"{HEADER}
[[step]]
call = "JetGetAttachInfoInstanceW"
instance = "nil"
expect = "JET_errNoBackup"

[[step]]
call = "JetReadFileInstance"
instance = 0
hfFile = 0
pv = {{ size = 100, offset = 512 }}
expect = "JET_errNoBackup"

[[step]]
call = "JetGetLogInfoInstance2W"
instance = 0
expect = "JET_errNoBackup"

[[step]]
call = "JetGetLogInfoInstance2A"
instance = 0
szz = "null"
pLogInfo = {{ ulGenLow = 3 }}
expect = "JET_errNoBackup"

[[step]]
call = "JetExternalRestoreW"
rgrstmap = [{{ szDatabaseName = "db.edb", szNewDatabaseName = {{ path = "restore", pad_to = 300, trailing_separator = true }} }}]
szBackupLogPath = "backup"
genLow = 1
genHigh = 2
pfn = "record"
expect = "JET_errSuccess"

[[step]]
call = "JetSetSystemParameterW"
pinstance = "null"
paramid = "JET_paramLogFilePath"
szParam = "logs/"
expect = "JET_errSuccess"

[[step]]
call = "JetSetSystemParameterW"
pinstance = "null"
paramid = 3
szParam = {{ text = "null" }}
expect = "JET_errSuccess"
"#
    ));
    // JetGetAttachInfoInstanceW is VISTA+ (spec 11.1).
    assert_eq!(s.versions, VersionSet::since(WinVersion::Vista));
    let attach = call(&s.steps[0]);
    let a: Vec<&Arg> = attach.args.iter().map(fixed).collect();
    assert_eq!(a[0], &Arg::Handle(u64::MAX));
    assert_eq!(
        a[1],
        &Arg::Buffer(Some(Buffer {
            size: 4096,
            offset: 0,
            save_to: None
        }))
    );
    assert_eq!(a[2], &Arg::U32(4096));
    assert_eq!(a[3], &Arg::Out(true));
    let read = call(&s.steps[1]);
    assert_eq!(
        fixed(&read.args[2]),
        &Arg::Buffer(Some(Buffer {
            size: 100,
            offset: 512,
            save_to: None
        }))
    );
    assert_eq!(fixed(&read.args[3]), &Arg::U32(100));
    let w = call(&s.steps[2]);
    assert_eq!(
        fixed(&w.args[4]),
        &Arg::LogInfo(Some(LogInfo {
            cb_size: 20,
            gen_low: 0,
            gen_high: 0,
            base_name: String::new()
        }))
    );
    let a = call(&s.steps[3]);
    assert_eq!(fixed(&a.args[1]), &Arg::Buffer(None));
    assert_eq!(fixed(&a.args[2]), &Arg::U32(0));
    assert_eq!(
        fixed(&a.args[4]),
        &Arg::LogInfo(Some(LogInfo {
            cb_size: 16,
            gen_low: 3,
            gen_high: 0,
            base_name: String::new()
        }))
    );
    let restore = call(&s.steps[4]);
    let Arg::RstMap(Some(map)) = fixed(&restore.args[2]) else {
        panic!("an rstmap")
    };
    assert_eq!(
        map[0].new_database_name,
        Some(Text::Path {
            path: "restore".into(),
            pad_to: Some(300),
            trailing_separator: true
        })
    );
    assert_eq!(fixed(&restore.args[3]), &Arg::I32(1));
    assert_eq!(fixed(&restore.args[0]), &Arg::Str(None));
    assert_eq!(
        fixed(&restore.args[7]),
        &Arg::Callback(Some(Callback::default()))
    );
    let set = call(&s.steps[5]);
    assert_eq!(fixed(&set.args[1]), &Arg::Handle(0));
    assert_eq!(fixed(&set.args[4]), &super::model::path_arg("logs/"));
    let base = call(&s.steps[6]);
    assert_eq!(
        fixed(&base.args[4]),
        &Arg::Str(Some(Text::Plain("null".into())))
    );
}

#[test]
fn for_each_repeat_checks_and_nested_callbacks() {
    let s = one(&format!(
        r#"{HEADER}fixture = "setup"

[[step]]
call = "JetOpenFileInstance"
instance = "$inst"
szFileName = "db.edb"
bind = {{ phfFile = "$h", pulFileSizeLow = "$size" }}
check = {{ pulFileSizeHigh = 0, pulFileSizeLow = {{ min = 4096, ne = 0 }} }}
expect = "JET_errSuccess"

[[step]]
call = "JetReadFileInstance"
instance = "$inst"
hfFile = "$h"
expect = "JET_errSuccess"
repeat = {{ until = {{ pcbActual = 0 }}, sum = {{ pcbActual = "$total" }} }}

[[step]]
call = "JetGetLogInfoInstance"
instance = "$inst"
bind = {{ szz = "$logs" }}
check = {{ szz = {{ count = 2, contains = ["edb00001.log"] }}, pcbActual = {{ max = "$total" }} }}
expect = "JET_errSuccess"

[[step]]
for_each = {{ in = "$logs", as = "$log" }}

[[step.do]]
call = "JetOpenFileInstance"
instance = "$inst"
szFileName = "$log"
bind = {{ phfFile = "$lh" }}
expect = "JET_errSuccess"

[[step.do]]
call = "JetCloseFileInstance"
instance = "$inst"
hfFile = "$lh"
expect = "JET_errSuccess"

[[step]]
call = "JetBackupInstance"
instance = "$inst"
szBackupPath = "backup"
grbit = 0
pfnStatus = {{ nested = {{ call = "JetStopBackupInstance", instance = "$inst" }} }}
expect = "JET_errSuccess"

[[step]]
call = "JetRestoreInstance"
instance = 0
sz = "backup"
pfn = {{ nested = {{ call = "JetStopBackupInstance", instance = 7 }} }}
expect = "JET_errSuccess"
"#
    ));
    let own: Vec<&Step> = s.steps.iter().filter(|st| st.fixture.is_none()).collect();
    assert_eq!(
        own.iter().map(|st| st.number).collect::<Vec<_>>(),
        [1, 2, 3, 4, 7, 8]
    );
    let open = call(own[0]);
    assert_eq!(open.checks.len(), 3);
    assert_eq!(
        open.checks[2].predicate,
        Predicate::Ne(super::model::Operand::Number(0))
    );
    let read = call(own[1]);
    assert_eq!(read.args[1], ArgExpr::Handle("h".into()));
    let r = read.repeat.as_ref().expect("a repeat");
    assert_eq!(
        (r.until.clone(), r.max, r.sum.clone()),
        (
            vec![("pcbActual".to_string(), 0)],
            1_000_000,
            vec![("pcbActual".to_string(), "total".to_string())]
        )
    );
    let list = call(own[2]);
    let predicates: Vec<Predicate> = list.checks.iter().map(|c| c.predicate.clone()).collect();
    assert_eq!(
        predicates,
        [
            Predicate::Count(2),
            Predicate::Contains(vec!["edb00001.log".into()]),
            Predicate::Max(super::model::Operand::Binding("total".into())),
        ]
    );
    let StepKind::ForEach(f) = &own[3].kind else {
        panic!("a loop")
    };
    assert_eq!(
        (f.list.as_str(), f.item.as_str(), f.body.len()),
        ("logs", "log", 2)
    );
    assert_eq!(
        f.body.iter().map(|st| st.number).collect::<Vec<_>>(),
        [5, 6]
    );
    assert_eq!(call(&f.body[0]).args[1], ArgExpr::RawText("log".into()));
    let backup = call(own[4]);
    let ArgExpr::Callback(nested) = &backup.args[3] else {
        panic!("a callback with bindings")
    };
    assert_eq!(nested.function, Function::JetStopBackupInstance);
    assert_eq!(nested.args, [ArgExpr::Handle("inst".into())]);
    let restore = call(own[5]);
    let Arg::Callback(Some(cb)) = fixed(&restore.args[3]) else {
        panic!("a fixed callback")
    };
    assert_eq!(
        cb.nested.as_ref().map(|c| c.args.clone()),
        Some(vec![Arg::Handle(7)])
    );
}

#[test]
fn ids_follow_the_corpus_root_and_verbs_are_listed() {
    let verb = format!(
        "{HEADER}requires = [\"fault_hooks\"]\n\n[[step]]\ncall = \"make_dir\"\npath = \"logs\"\n\n[[step]]\ncall = \"fault\"\ninstance = 0\nfault = \"x\"\n"
    );
    let (_dir, scenarios) = load_corpus(&[("b/two.toml", &verb), ("a/one.toml", &verb)]);
    assert_eq!(
        scenarios.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["a/one", "b/two"]
    );
    let s = &scenarios[0];
    assert_eq!(s.verbs, [Function::make_dir, Function::fault]);
    assert!(s.requires_fault_hooks);
    // Only verbs: every version.
    assert_eq!(s.versions, VersionSet::ALL);
    let e = call(&s.steps[0])
        .expect
        .for_version(WinVersion::Win2000)
        .cloned()
        .expect("applies");
    assert_eq!(e.outcome, ExpectedOutcome::Code(ErrorCode(0)));
}

#[test]
fn provokes_names_codes_without_changing_the_expectation() {
    let s = one(&format!(
        r#"{HEADER}
versions = "win10"

[[step]]
call = "JetExternalRestore"
genLow = 2
genHigh = 2
provokes = ["JET_errStartingRestoreLogTooHigh", -553]
expect = "unknown"
"#
    ));
    let c = call(&s.steps[0]);
    assert_eq!(c.provokes, vec![ErrorCode(-554), ErrorCode(-553)]);
    assert_eq!(
        c.expect.for_version(WinVersion::Win10).map(|e| &e.outcome),
        Some(&ExpectedOutcome::Unknown)
    );
}

#[test]
fn a_callbacks_nested_result_can_be_checked() {
    let s = one(&format!(
        r#"{HEADER}
versions = "win10"

[[step]]
call = "JetRestoreInstance"
instance = 0
sz = "bk"
pfn = {{ nested = {{ call = "JetStopBackupInstance", instance = 0 }} }}
check = {{ pfn = "JET_errRestoreInProgress" }}
expect = "unknown"
"#
    ));
    let c = call(&s.steps[0]);
    assert_eq!(c.checks.len(), 1);
    assert_eq!(c.checks[0].output, "pfn");
    assert_eq!(
        c.checks[0].predicate,
        Predicate::Eq(super::model::Operand::Number(-506))
    );
}

#[test]
fn expectation_forms_load_whole_and_per_version() {
    let s = one(r#"
title = "t"
description = "d"
evidence = ["spec 15.8"]
versions = "xp.."

[[step]]
call = "JetStopBackupInstance"
instance = 0x1234
expect = { "vista.." = { any_of = ["JET_errInvalidInstance", -1003], provenance = "documented", note = "15.8" }, "xp..server2003" = { code = "JET_errInvalidParameter", provenance = "source" } }

[[step]]
call = "JetStopBackupInstance"
instance = 0x1234
expect = { any_of = ["JET_errInvalidParameter", "JET_errInvalidInstance"], provenance = "inferred" }

[[step]]
call = "JetStopBackupInstance"
instance = 0x1234
expect = { code = "success", provenance = "inferred" }

[[step]]
call = "JetStopBackupInstance"
instance = 0x1234
expect = "any"
"#);
    let outcome = |i: usize, v: WinVersion| {
        let e = call(&s.steps[i])
            .expect
            .for_version(v)
            .cloned()
            .expect("applies");
        (e.outcome, e.provenance)
    };
    let either = ExpectedOutcome::AnyOf(vec![ErrorCode(-1115), ErrorCode(-1003)]);
    assert_eq!(
        outcome(0, WinVersion::Win7),
        (either.clone(), Provenance::Documented)
    );
    assert_eq!(
        outcome(0, WinVersion::Xp),
        (ExpectedOutcome::Code(ErrorCode(-1003)), Provenance::Source)
    );
    // The same codes in another order are the same expectation.
    assert!(outcome(1, WinVersion::Xp).0.same_as(&either));
    assert_ne!(outcome(1, WinVersion::Xp).0, either);
    assert_eq!(outcome(2, WinVersion::Win11).0, ExpectedOutcome::Success);
    // `any` claims nothing: no provenance needed, and it is `unknown`.
    assert_eq!(
        outcome(3, WinVersion::Win11),
        (ExpectedOutcome::Any, Provenance::Unknown)
    );
}
