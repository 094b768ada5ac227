//! Run mode (spec 4.1), entry layer (4.2-4.5), life-cycle calls (spec 9, 6.11).

mod common;
use common::*;
use jetconform_interface::grbits::bits;
use jetconform_interface::sysparams::ids;
use jetconform_interface::{ErrorCode as E, WinVersion as V, INSTANCE_NIL};
use jetconform_mock::{Engine, RunMode, Target};
use rstest::rstest;

fn engine(v: V) -> (tempfile::TempDir, Engine) {
    let d = tempfile::tempdir().unwrap();
    let e = Engine::new(v, d.path());
    (d, e)
}

#[test]
fn legacy_init_selects_one_instance_mode_and_term_resets_it() {
    let (_d, mut e) = engine(V::Win10);
    let mut out = None;
    assert_eq!(e.init(None, 0, &mut out), OK);
    assert_eq!(e.run_mode(), RunMode::OneInst);
    assert_eq!(out, None);
    let mut h = 0;
    assert_eq!(
        e.create_instance(Some(&mut h), Some("x"), None),
        E::JET_errRunningInOneInstanceMode
    );
    assert_eq!(e.init(None, 0, &mut out), E::JET_errAlreadyInitialized);
    // Legacy calls forward to the single instance.
    assert_eq!(e.begin_external_backup(Target::Legacy, 0).unwrap(), OK);
    assert_eq!(
        e.end_external_backup(Target::Legacy, bits::JET_bitBackupEndAbort),
        OK
    );
    let inst = e.instance_handles()[0];
    assert_eq!(e.term(inst, 0), OK);
    assert_eq!(e.run_mode(), RunMode::NoSet);
}

#[test]
fn init_with_nil_returns_the_new_instance() {
    let (_d, mut e) = engine(V::Win10);
    let mut out = None;
    assert_eq!(e.init(Some(INSTANCE_NIL), 0, &mut out), OK);
    assert!(out.is_some());
}

#[test]
fn create_instance_rules() {
    let (_d, mut e) = engine(V::Win10);
    assert_eq!(
        e.create_instance(None, Some("a"), None),
        E::JET_errInvalidParameter
    );
    let (mut a, mut b) = (0, 0);
    assert_eq!(e.create_instance(Some(&mut a), Some("a"), None), OK);
    assert_eq!(e.run_mode(), RunMode::MultiInst);
    assert_eq!(
        e.create_instance(Some(&mut b), Some("a"), None),
        E::JET_errInstanceNameInUse
    );
    assert_eq!(e.create_instance(Some(&mut b), None, None), OK);
    assert_eq!(
        e.create_instance(Some(&mut b), None, None),
        E::JET_errInstanceNameInUse
    );
    assert_ne!(a, 0);
    assert_ne!(a, INSTANCE_NIL);
    let mut out = None;
    assert_eq!(
        e.init(None, 0, &mut out),
        E::JET_errRunningInMultiInstanceMode
    );
}

#[test]
fn too_many_instances() {
    let (_d, mut e) = engine(V::Win10);
    assert_eq!(
        e.set_system_parameter(None, 0, ids::JET_paramMaxInstances, 2, None)
            .unwrap(),
        OK
    );
    let mut h = 0;
    assert_eq!(e.create_instance(Some(&mut h), Some("a"), None), OK);
    assert_eq!(e.create_instance(Some(&mut h), Some("b"), None), OK);
    assert_eq!(
        e.create_instance(Some(&mut h), Some("c"), None),
        E::JET_errTooManyInstances
    );
}

#[test]
fn handles_are_never_reused() {
    let (_d, mut e) = engine(V::Win10);
    let (mut a, mut b) = (0, 0);
    assert_eq!(e.create_instance(Some(&mut a), Some("a"), None), OK);
    assert_eq!(e.term(a, 0), OK);
    assert_eq!(e.run_mode(), RunMode::NoSet);
    assert_eq!(e.create_instance(Some(&mut b), Some("a"), None), OK);
    assert_ne!(a, b);
}

#[test]
fn enable_multi_instance() {
    let (_d, mut e) = engine(V::Win10);
    let mut n = None;
    assert_eq!(
        e.enable_multi_instance(None, 1, &mut n).unwrap(),
        E::JET_errInvalidParameter
    );
    assert_eq!(e.enable_multi_instance(None, 0, &mut n).unwrap(), OK);
    assert_eq!(n, Some(0));
    assert_eq!(e.run_mode(), RunMode::MultiInst);
    assert_eq!(
        e.enable_multi_instance(None, 0, &mut n).unwrap(),
        E::JET_errSystemParamsAlreadySet
    );
    let p = [jetconform_mock::params::SysParam {
        paramid: ids::JET_paramDatabasePageSize,
        lparam: 8192,
        sz: None,
    }];
    assert_eq!(
        e.enable_multi_instance(Some(&p), 1, &mut n).unwrap(),
        E::JET_errSystemParameterConflict
    );
}

#[test]
fn enable_multi_in_one_inst_mode() {
    let (_d, mut e) = engine(V::Win10);
    let mut out = None;
    assert_eq!(e.init(None, 0, &mut out), OK);
    let mut n = None;
    assert_eq!(
        e.enable_multi_instance(None, 0, &mut n).unwrap(),
        E::JET_errRunningInOneInstanceMode
    );
}

#[rstest]
#[case(ids::JET_paramCircularLog, 1, None)]
#[case(ids::JET_paramLogFileSize, 256, None)]
#[case(ids::JET_paramBaseName, 0, Some("abc"))]
#[case(ids::JET_paramRecovery, 0, Some("off"))]
fn instance_params_after_init_are_1030(#[case] id: u32, #[case] l: u64, #[case] sz: Option<&str>) {
    let mut fx = online(V::Win10);
    assert_eq!(
        set(&mut fx.e, fx.inst, id, l, sz),
        E::JET_errAlreadyInitialized
    );
}

#[test]
fn same_value_after_init_succeeds_and_settable_params_work() {
    let mut fx = online(V::Win10);
    assert_eq!(
        set(&mut fx.e, fx.inst, ids::JET_paramCircularLog, 0, None),
        OK
    );
    assert_eq!(
        set(
            &mut fx.e,
            fx.inst,
            ids::JET_paramCreatePathIfNotExist,
            0,
            None
        ),
        OK
    );
    assert_eq!(
        fx.e.set_system_parameter(None, 0, ids::JET_paramDatabasePageSize, 8192, None)
            .unwrap(),
        E::JET_errAlreadyInitialized
    );
    assert_eq!(
        fx.e.set_system_parameter(None, 0, ids::JET_paramDatabasePageSize, 4096, None)
            .unwrap(),
        OK
    );
}

#[rstest]
#[case(V::Win10, ids::JET_paramLogFileSize, 63, None)]
#[case(V::Xp, ids::JET_paramLogFileSize, 64, None)]
#[case(V::Win10, ids::JET_paramLogFileSize, 32769, None)]
#[case(V::Win10, ids::JET_paramBaseName, 0, Some("ab"))]
#[case(V::Win10, ids::JET_paramRecovery, 0, Some("maybe"))]
#[case(V::Win10, ids::JET_paramSystemPath, 0, None)]
#[case(V::Xp, ids::JET_paramLegacyFileNames, 1, None)]
fn out_of_range_is_1003(#[case] v: V, #[case] id: u32, #[case] l: u64, #[case] sz: Option<&str>) {
    let (_d, mut e) = engine(v);
    assert_eq!(
        e.set_system_parameter(None, 0, id, l, sz).unwrap(),
        E::JET_errInvalidParameter
    );
}

#[rstest]
#[case(V::Server2003, 2048, OK)]
#[case(V::Win10, 2048, E::JET_errInvalidParameter)]
#[case(V::Win10, 32768, OK)]
fn page_sizes_by_version(#[case] v: V, #[case] size: u64, #[case] err: E) {
    let (_d, mut e) = engine(v);
    assert_eq!(
        e.set_system_parameter(None, 0, ids::JET_paramDatabasePageSize, size, None)
            .unwrap(),
        err
    );
}

#[test]
fn unknown_param_is_not_modelled() {
    let (_d, mut e) = engine(V::Win10);
    assert!(e.set_system_parameter(None, 0, 9999, 0, None).is_err());
}

#[test]
fn init_creates_paths_logs_checkpoint_and_reserve_logs() {
    let fx = online(V::Win10);
    let d = fx.dir.path();
    assert!(d.join("logs/edb.log").exists());
    assert!(
        d.join("logs/edb00001.log").exists(),
        "200 commits of 1 KiB roll a 128 KiB log"
    );
    // Reserve logs are 4 KiB placeholders of zeros, whatever way they are made.
    for r in ["logs/edbres00001.jrs", "logs/edbres00002.jrs"] {
        assert_eq!(std::fs::read(d.join(r)).unwrap(), vec![0u8; 4096], "{r}");
    }
    assert!(d.join("sys/edb.chk").exists());
    assert!(d.join("db.edb").exists());
    let fx = online(V::Xp);
    for r in ["logs/res1.log", "logs/res2.log"] {
        assert_eq!(
            std::fs::read(fx.dir.path().join(r)).unwrap(),
            vec![0u8; 4096],
            "{r}"
        );
    }
}

#[test]
fn init_keeps_a_reserve_log_already_there() {
    let mut fx = created(V::Win10, &Opts::default());
    let logs = fx.dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(logs.join("edbres00001.jrs"), b"kept").unwrap();
    assert_eq!(fx.e.init(Some(fx.inst), 0, &mut None), OK);
    assert_eq!(
        std::fs::read(logs.join("edbres00001.jrs")).unwrap(),
        b"kept"
    );
    assert_eq!(
        std::fs::read(logs.join("edbres00002.jrs")).unwrap(),
        vec![0u8; 4096]
    );
}

#[test]
fn init_without_folders_and_without_create_path_fails_and_frees() {
    let (_d, mut e) = engine(V::Win10);
    let mut h = 0;
    assert_eq!(e.create_instance(Some(&mut h), Some("a"), None), OK);
    assert_eq!(
        e.set_system_parameter(Some(h), 0, ids::JET_paramLogFilePath, 0, Some("nope/"))
            .unwrap(),
        OK
    );
    let mut out = None;
    assert_eq!(e.init(Some(h), 0, &mut out), E::JET_errInvalidPath);
    assert_eq!(e.run_mode(), RunMode::NoSet);
}

#[test]
fn init_twice_is_1030_and_path_collision() {
    let mut fx = online(V::Win10);
    let mut out = None;
    assert_eq!(
        fx.e.init(Some(fx.inst), 0, &mut out),
        E::JET_errAlreadyInitialized
    );
    let mut h2 = 0;
    assert_eq!(fx.e.create_instance(Some(&mut h2), Some("other"), None), OK);
    assert_eq!(
        set(&mut fx.e, h2, ids::JET_paramLogFilePath, 0, Some("logs/")),
        OK
    );
    assert_eq!(
        set(&mut fx.e, h2, ids::JET_paramSystemPath, 0, Some("sys2/")),
        OK
    );
    assert_eq!(
        set(&mut fx.e, h2, ids::JET_paramCreatePathIfNotExist, 1, None),
        OK
    );
    assert_eq!(fx.e.init(Some(h2), 0, &mut out), E::JET_errLogFilePathInUse);
}

#[test]
fn init3_checks_rstinfo_size() {
    let (_d, mut e) = engine(V::Win10);
    let mut out = None;
    assert_eq!(
        e.init3(None, Some((40, &[])), 0, &mut out, None),
        E::JET_errInvalidParameter
    );
    assert_eq!(e.init3(None, Some((48, &[])), 0, &mut out, None), OK);
}

#[test]
fn uninitialized_instance_gives_1029_and_term_frees_it() {
    let mut fx = created(V::Win10, &Opts::default());
    assert_eq!(fx.begin(0), E::JET_errNotInitialized);
    let mut s = 0;
    assert_eq!(
        fx.e.begin_session(fx.inst, Some(&mut s)),
        E::JET_errNotInitialized
    );
    assert_eq!(fx.e.term(fx.inst, 0), OK);
    assert_eq!(fx.e.run_mode(), RunMode::NoSet);
}

#[rstest]
#[case(bits::JET_bitTermComplete, E::JET_errBackupInProgress)]
#[case(0, E::JET_errBackupInProgress)]
#[case(bits::JET_bitTermAbrupt, OK)]
#[case(bits::JET_bitTermStopBackup, OK)]
#[case(bits::JET_bitTermDirty, E::JET_errDirtyShutdown)]
fn term_during_backup(#[case] grbit: u32, #[case] err: E) {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.e.term(fx.inst, grbit), err);
}

#[test]
fn failed_term_leaves_backup_running_and_begin_disabled() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(
        fx.e.term(fx.inst, bits::JET_bitTermComplete),
        E::JET_errBackupInProgress
    );
    assert_eq!(fx.attach_info().0, OK);
    assert_eq!(fx.end(bits::JET_bitBackupEndNormal), OK);
    assert_eq!(fx.begin(0), E::JET_errBackupNotAllowedYet);
    assert_eq!(fx.e.term(fx.inst, bits::JET_bitTermStopBackup), OK);
}

#[rstest]
#[case(V::Win10, E::JET_errInvalidInstance)]
#[case(V::Xp, E::JET_errInvalidParameter)]
fn stale_handle_after_term(#[case] v: V, #[case] err: E) {
    let mut fx = online(v);
    let mut other = 0;
    assert_eq!(
        fx.e.create_instance(Some(&mut other), Some("keep"), None),
        OK
    );
    assert_eq!(fx.e.term(fx.inst, 0), OK);
    assert_eq!(fx.begin(0), err);
    assert_eq!(fx.stop(), err);
}

#[test]
fn term_then_reinit_continues_the_log_stream() {
    let mut fx = online(V::Win10);
    let inst = fx.inst;
    assert_eq!(fx.e.term(inst, 0), OK);
    let mut h = 0;
    assert_eq!(fx.e.create_instance(Some(&mut h), Some("bk"), None), OK);
    for (id, sz) in [
        (ids::JET_paramLogFilePath, "logs/"),
        (ids::JET_paramSystemPath, "sys/"),
        (ids::JET_paramTempPath, "tmp/"),
    ] {
        assert_eq!(set(&mut fx.e, h, id, 0, Some(sz)), OK);
    }
    assert_eq!(set(&mut fx.e, h, ids::JET_paramLogFileSize, 128, None), OK);
    let mut out = None;
    assert_eq!(fx.e.init(Some(h), 0, &mut out), OK);
    assert_eq!(fx.e.instance(h).unwrap().log.current_gen, 2);
}

#[test]
fn stop_service_blocks_every_entry_but_stop_backup_and_term() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.e.stop_service(Target::Instance(fx.inst)), OK);
    assert_eq!(fx.attach_info().0, E::JET_errClientRequestToStopJetService);
    assert_eq!(fx.close(0), E::JET_errClientRequestToStopJetService);
    assert_eq!(
        fx.end(bits::JET_bitBackupEndNormal),
        E::JET_errClientRequestToStopJetService
    );
    assert_eq!(fx.stop(), OK);
    assert_eq!(fx.e.end_session(fx.sesid, 0), OK);
    assert_eq!(fx.e.term(fx.inst, bits::JET_bitTermAbrupt), OK);
}

#[test]
fn legacy_stop_service_in_multi_mode() {
    let mut fx = online(V::Win10);
    assert_eq!(
        fx.e.stop_service(Target::Legacy),
        E::JET_errRunningInMultiInstanceMode
    );
    assert_eq!(
        fx.e.stop_backup(Target::Legacy),
        E::JET_errRunningInMultiInstanceMode
    );
    assert_eq!(
        fx.e.stop_backup(Target::Instance(0)),
        E::JET_errInvalidParameter
    );
}

#[rstest]
#[case(0x10, E::JET_errInvalidGrbit)]
#[case(0x8 | 0x2, E::JET_errInvalidGrbit)]
#[case(0x2, OK)]
#[case(0x4 | 0x2, OK)]
#[case(0x8000_0000, OK)]
fn stop_service_instance2_grbits(#[case] grbit: u32, #[case] err: E) {
    let mut fx = online(V::Win10);
    assert_eq!(fx.e.stop_service_instance2(fx.inst, grbit), err);
    assert_eq!(fx.begin(0), OK, "partial stops do not affect backup calls");
}

#[test]
fn stop_service_instance2_all_then_resume() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.e.stop_service_instance2(fx.inst, 0), OK);
    assert_eq!(
        fx.e.stop_service_instance2(fx.inst, 0x8000_0000),
        E::JET_errClientRequestToStopJetService
    );
    assert_eq!(fx.begin(0), E::JET_errClientRequestToStopJetService);
}

#[test]
fn attach_detach_during_backup_are_505() {
    let mut fx = online(V::Win10);
    let mut dbid2 = 0;
    assert_eq!(
        fx.e.create_database(fx.sesid, Some("db2.edb"), Some(&mut dbid2), 0),
        OK
    );
    assert_eq!(fx.e.detach_database(fx.sesid, Some("db2.edb"), 0), OK);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(
        fx.e.attach_database(fx.sesid, Some("db2.edb"), 0),
        E::JET_errBackupInProgress
    );
    assert_eq!(
        fx.e.detach_database(fx.sesid, Some("db.edb"), 0),
        E::JET_errBackupInProgress
    );
    let mut dbid3 = 0;
    assert_eq!(
        fx.e.create_database(fx.sesid, Some("db3.edb"), Some(&mut dbid3), 0),
        OK,
        "spec 14.18"
    );
    assert_eq!(fx.end(bits::JET_bitBackupEndAbort), OK);
    assert_eq!(fx.e.attach_database(fx.sesid, Some("db2.edb"), 0), OK);
    assert_eq!(
        fx.e.attach_database(fx.sesid, Some("db2.edb"), 0),
        E::JET_wrnDatabaseAttached
    );
    assert_eq!(
        fx.e.detach_database(fx.sesid, Some("nope.edb"), 0),
        E::JET_errDatabaseNotFound
    );
    assert_eq!(
        fx.e.attach_database(fx.sesid, Some("nope.edb"), 0),
        E::JET_errFileNotFound
    );
    assert_eq!(
        fx.e.create_database(fx.sesid, Some("db.edb"), Some(&mut dbid3), 0),
        E::JET_errDatabaseDuplicate
    );
}

#[test]
fn sessions() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.e.end_session(12345, 0), E::JET_errInvalidSesid);
    assert_eq!(fx.e.log_traffic(12345, 1, 1), E::JET_errInvalidSesid);
    let mut s = 0;
    assert_eq!(
        fx.e.begin_session(fx.inst, None),
        E::JET_errInvalidParameter
    );
    assert_eq!(fx.e.begin_session(fx.inst, Some(&mut s)), OK);
    assert_ne!(s, fx.sesid);
}

#[rstest]
#[case("init_in_progress", E::JET_errInitInProgress)]
#[case("restore_in_progress", E::JET_errRestoreInProgress)]
#[case("term_in_progress", E::JET_errTermInProgress)]
fn init_of_a_locked_instance(#[case] hook: &str, #[case] err: E) {
    let mut fx = created(V::Win10, &Opts::default());
    assert_eq!(fx.e.verb_fault(fx.inst, hook).unwrap(), OK);
    let mut out = None;
    assert_eq!(fx.e.init(Some(fx.inst), 0, &mut out), err);
}
