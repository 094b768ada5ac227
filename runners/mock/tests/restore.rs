//! JetBackup (spec 7.1), JetRestore* (7.2), JetExternalRestore(2) (8).

mod common;
use common::*;
use jetconform_interface::grbits::bits;
use jetconform_interface::{ErrorCode as E, WinVersion as V};
use jetconform_mock::backup::external_restore::ExternalRestore;
use jetconform_mock::backup::restore::{RestoreTarget, RstMap};
use jetconform_mock::files::db;
use jetconform_mock::status::StatusEvent;
use jetconform_mock::{Engine, Target};
use rstest::rstest;
use std::path::Path;

const NORMAL: u32 = bits::JET_bitBackupEndNormal;

fn backup(fx: &mut Fx, dir: &str, grbit: u32) -> (E, Vec<StatusEvent>) {
    let t = fx.t();
    let p = fx.path(dir);
    let mut ev = Vec::new();
    let mut rec = |_: &mut Engine, e: StatusEvent| ev.push(e);
    let err = fx.e.backup(t, Some(&p), grbit, Some(&mut rec));
    (err, ev)
}

fn data_pages(p: &Path) -> Vec<u8> {
    let h = db::read_header(p).unwrap();
    let b = std::fs::read(p).unwrap();
    let ps = h.page_size as usize;
    b[2 * ps..(2 + h.pgno_last as usize) * ps].to_vec()
}

#[test]
fn jet_backup_writes_databases_logs_and_placeholder_patch_files() {
    let mut fx = online(V::Win10);
    let (err, ev) = backup(&mut fx, "bk", 0);
    assert_eq!(err, OK);
    let d = fx.dir.path();
    assert!(d.join("bk/db.edb").is_file());
    assert_eq!(std::fs::metadata(d.join("bk/db.pat")).unwrap().len(), 0);
    assert!(d.join("db.pat").exists(), "left next to the live database");
    assert!(d.join("bk/edb00002.log").is_file());
    assert!(!d.join("logs/edb00001.log").exists(), "logs truncated");
    assert_eq!(ev.len(), 2);
    assert_eq!(
        (ev[0].snp, ev[0].snt, ev[0].done, ev[0].total),
        (9, 5, Some(0), Some(100))
    );
    assert_eq!((ev[1].snp, ev[1].snt, ev[1].done), (9, 6, Some(100)));
    let h = db::read_header(&d.join("db.edb")).unwrap();
    assert_ne!(h.full_prev.gen_low, 0, "a full backup is recorded");
    assert_eq!(
        backup(&mut fx, "bk", 0).0,
        E::JET_errBackupDirectoryNotEmpty
    );
    assert_eq!(fx.e.log_traffic(fx.sesid, fx.dbid, 50), OK);
    let (err, ev) = backup(&mut fx, "incr", bits::JET_bitBackupIncremental);
    assert_eq!(err, OK);
    assert!(ev.is_empty(), "no callbacks for incremental backups");
}

#[test]
fn jet_backup_atomic_rotates_new_and_old() {
    let mut fx = online(V::Win10);
    assert_eq!(backup(&mut fx, "at", bits::JET_bitBackupAtomic).0, OK);
    assert!(fx.dir.path().join("at/new/db.edb").is_file());
    assert_eq!(backup(&mut fx, "at", bits::JET_bitBackupAtomic).0, OK);
    assert!(fx.dir.path().join("at/new/db.edb").is_file());
    assert!(!fx.dir.path().join("at/old").exists());
    assert!(!fx.dir.path().join("at/temp").exists());
}

#[rstest]
#[case(
    Opts::default(),
    "full",
    bits::JET_bitBackupIncremental,
    E::JET_errMissingFullBackup
)]
#[case(Opts { circular: true, ..Opts::default() }, "x", bits::JET_bitBackupIncremental, E::JET_errInvalidBackup)]
#[case(Opts { recovery: "off", ..Opts::default() }, "x", 0, E::JET_errLoggingDisabled)]
fn jet_backup_errors(#[case] o: Opts, #[case] dir: &str, #[case] grbit: u32, #[case] err: E) {
    let mut fx = online_with(V::Win10, o);
    assert_eq!(backup(&mut fx, dir, grbit).0, err);
}

#[test]
fn jet_backup_during_a_streaming_backup_and_with_a_long_path() {
    let mut fx = online(V::Win10);
    let long = "y".repeat(300);
    assert_eq!(backup(&mut fx, &long, 0).0, E::JET_errInvalidPath);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(backup(&mut fx, "b", 0).0, E::JET_errBackupInProgress);
}

fn restore(e: &mut Engine, t: RestoreTarget, src: &str, dest: Option<&str>) -> E {
    e.restore(t, Some(src), dest, None)
}

#[test]
fn restore_instance_rules_and_a_round_trip() {
    let mut fx = online(V::Win10);
    assert_eq!(backup(&mut fx, "bk", 0).0, OK);
    let src = fx.path("bk");
    let t = RestoreTarget::Instance(fx.inst);
    assert_eq!(
        restore(&mut fx.e, t, &src, None),
        E::JET_errAlreadyInitialized
    );
    let mut j = 0;
    assert_eq!(fx.e.create_instance(Some(&mut j), Some("r"), None), OK);
    let empty = fx.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert_eq!(
        restore(&mut fx.e, RestoreTarget::Instance(j), &empty, None),
        E::JET_errFileNotFound
    );
    let nopat = fx.path("nopat");
    std::fs::create_dir_all(&nopat).unwrap();
    std::fs::copy(
        fx.dir.path().join("bk/edb00002.log"),
        Path::new(&nopat).join("edb00002.log"),
    )
    .unwrap();
    assert_eq!(
        restore(&mut fx.e, RestoreTarget::Instance(j), &nopat, None),
        E::JET_errPatchFileMissing
    );
    let dest = fx.path("restored");
    assert_eq!(
        set(
            &mut fx.e,
            j,
            jetconform_interface::sysparams::ids::JET_paramCreatePathIfNotExist,
            1,
            None
        ),
        OK
    );
    assert_eq!(
        restore(&mut fx.e, RestoreTarget::Instance(j), &src, Some(&dest)),
        OK
    );
    let restored = fx.dir.path().join("restored/db.edb");
    assert_eq!(
        data_pages(&restored),
        data_pages(&fx.dir.path().join("db.edb"))
    );
    assert!(
        fx.e.instance(j).is_some(),
        "a caller's instance stays allocated"
    );
    assert_eq!(fx.e.run_mode(), jetconform_mock::RunMode::MultiInst);
    assert_eq!(
        restore(&mut fx.e, RestoreTarget::Legacy, &src, None),
        E::JET_errRunningInMultiInstanceMode
    );
}

#[test]
fn begin_inside_a_restore_callback_is_506() {
    let mut fx = online(V::Win10);
    assert_eq!(backup(&mut fx, "bk", 0).0, OK);
    let src = fx.path("bk");
    let dest = fx.path("out");
    std::fs::create_dir_all(&dest).unwrap();
    let mut j = 0;
    assert_eq!(fx.e.create_instance(Some(&mut j), Some("r"), None), OK);
    let mut nested = None;
    let mut cb = |e: &mut Engine, _: StatusEvent| {
        if nested.is_none() {
            nested = Some(e.begin_external_backup(Target::Instance(j), 0).unwrap());
        }
    };
    assert_eq!(
        fx.e.restore(
            RestoreTarget::Instance(j),
            Some(&src),
            Some(&dest),
            Some(&mut cb)
        ),
        OK
    );
    assert_eq!(nested, Some(E::JET_errRestoreInProgress));
    assert_eq!(fx.begin(0), OK, "other instances are unaffected");
}

/// A streaming backup saved to `restore/db.edb` and `blogs/`; returns (genLow, genHigh).
fn streamed_backup(fx: &mut Fx) -> (u32, u32) {
    streamed_backup_with(fx, 0)
}

/// Same, with `traffic` commits between Begin and GetLogInfo (a wider copy range).
fn streamed_backup_with(fx: &mut Fx, traffic: u32) -> (u32, u32) {
    assert_eq!(fx.begin(0), OK);
    if traffic > 0 {
        assert_eq!(fx.e.log_traffic(fx.sesid, fx.dbid, traffic), OK);
    }
    let stream = {
        assert_eq!(fx.open("db.edb").0, OK);
        let s = fx.read_all(65536).unwrap();
        assert_eq!(fx.close(0), OK);
        s
    };
    std::fs::create_dir_all(fx.dir.path().join("restore")).unwrap();
    std::fs::write(fx.dir.path().join("restore/db.edb"), stream).unwrap();
    let (err, out) = fx.log_info_out();
    assert_eq!(err, OK);
    let li = out.log_info.clone().unwrap();
    std::fs::create_dir_all(fx.dir.path().join("blogs")).unwrap();
    for l in decode(out) {
        assert_eq!(fx.open_raw(&l).0, OK);
        let b = fx.read_all(65536).unwrap();
        assert_eq!(fx.close(0), OK);
        let name = Path::new(&l).file_name().unwrap().to_owned();
        std::fs::write(fx.dir.path().join("blogs").join(name), b).unwrap();
    }
    assert_eq!(fx.truncate(), OK);
    assert_eq!(fx.end(NORMAL), OK);
    (li.gen_low, li.gen_high)
}

fn ext(fx: &Fx, lo: u32, hi: u32) -> ExternalRestore {
    ExternalRestore {
        v2: true,
        ansi: false,
        checkpoint_path: Some(fx.path("rst")),
        log_path: Some(fx.path("rst")),
        map: Some(vec![RstMap {
            database_name: Some(fx.path("db.edb")),
            new_database_name: Some(fx.path("restore/db.edb")),
        }]),
        count: 1,
        backup_log_path: Some(fx.path("blogs")),
        gen_low: lo as i32,
        gen_high: hi as i32,
        log_info: Some((true, "edb".into())),
        ..Default::default()
    }
}

#[test]
fn external_restore_rebuilds_the_backed_up_pages() {
    let mut fx = online(V::Win10);
    let (lo, hi) = streamed_backup(&mut fx);
    let x = ext(&fx, lo, hi);
    assert_eq!(fx.e.external_restore(&x, None), OK);
    let restored = fx.dir.path().join("restore/db.edb");
    assert_eq!(
        data_pages(&restored),
        data_pages(&fx.dir.path().join("db.edb"))
    );
    // spec 15.1: the clean end of recovery clears the whole bkinfoFullCur.
    let h = db::read_header(&restored).unwrap();
    assert_eq!(h.full_cur, db::BkInfo::default());
    assert!(h.clean);
    assert!(fx.dir.path().join("rst/edb.chk").is_file());
    // Restoring it again: no backup record any more (spec 15.1), not the trailer's -535.
    assert_eq!(
        fx.e.external_restore(&x, None),
        E::JET_errRestoreOfNonBackupDatabase
    );
}

#[test]
fn a_header_with_gen_high_set_skips_the_trailer_check() {
    // spec 15.1: genLow != 0 and genHigh != 0 means "trailer already merged".
    let mut fx = online(V::Win10);
    let (lo, hi) = streamed_backup(&mut fx);
    let x = ext(&fx, lo, hi);
    let target = fx.dir.path().join("restore/db.edb");
    let mut h = db::read_header(&target).unwrap();
    h.full_cur.gen_high = hi;
    db::write_header(&target, &h).unwrap();
    let good = std::fs::read(&target).unwrap();
    std::fs::write(&target, &good[..good.len() - 4096]).unwrap();
    assert_eq!(fx.e.external_restore(&x, None), OK);
}

#[test]
fn external_restore_with_a_running_target_is_578() {
    let mut fx = online(V::Win10);
    let (lo, hi) = streamed_backup(&mut fx);
    let mut x = ext(&fx, lo, hi);
    x.target_name = Some("bk".into());
    assert_eq!(
        fx.e.external_restore(&x, None),
        E::JET_wrnTargetInstanceRunning
    );
}

#[rstest]
#[case::no_loginfo(|x: &mut ExternalRestore| x.log_info = None, E::JET_errInvalidParameter)]
#[case::bad_cb_size(|x: &mut ExternalRestore| x.log_info = Some((false, "edb".into())), E::JET_errInvalidParameter)]
#[case::one_target_path(|x: &mut ExternalRestore| x.target_log_path = Some("t".into()), E::JET_errInvalidParameter)]
#[case::bad_target(|x: &mut ExternalRestore| x.target_name = Some("nobody".into()), E::JET_errBadRestoreTargetInstance)]
#[case::missing_gen(|x: &mut ExternalRestore| x.gen_high += 5, E::JET_errFileNotFound)]
#[case::zero_range(|x: &mut ExternalRestore| { x.gen_low = 0; x.gen_high = 0 }, E::JET_errFileNotFound)]
#[case::map_count(|x: &mut ExternalRestore| x.count = 15, E::JET_errInvalidParameter)]
#[case::ansi_negative_count(|x: &mut ExternalRestore| { x.ansi = true; x.count = -1; x.gen_high += 5 }, E::JET_errOutOfMemory)]
#[case::wide_negative_count(|x: &mut ExternalRestore| x.count = -1, E::JET_errInvalidParameter)]
#[case::ansi_map_mismatch(|x: &mut ExternalRestore| { x.ansi = true; x.count = 0 }, E::JET_errInvalidParameter)]
fn external_restore_argument_errors(#[case] change: fn(&mut ExternalRestore), #[case] err: E) {
    let mut fx = online(V::Win10);
    let (lo, hi) = streamed_backup(&mut fx);
    let mut x = ext(&fx, lo, hi);
    change(&mut x);
    assert_eq!(fx.e.external_restore(&x, None), err);
}

#[test]
fn external_restore_database_checks() {
    let mut fx = online(V::Win10);
    let (lo, hi) = streamed_backup(&mut fx);
    let x = ext(&fx, lo, hi);
    let target = fx.dir.path().join("restore/db.edb");
    let good = std::fs::read(&target).unwrap();
    // A cleanly detached normal database: not a backup copy.
    std::fs::copy(fx.dir.path().join("db.edb"), &target).unwrap();
    assert_eq!(
        fx.e.external_restore(&x, None),
        E::JET_errRestoreOfNonBackupDatabase
    );
    std::fs::write(&target, vec![7u8; 8192]).unwrap();
    assert_eq!(fx.e.external_restore(&x, None), E::JET_errDatabaseCorrupted);
    std::fs::write(&target, &good[..good.len() - 4096]).unwrap();
    assert_eq!(fx.e.external_restore(&x, None), E::JET_errBadPatchPage);
    std::fs::remove_file(&target).unwrap();
    assert_eq!(fx.e.external_restore(&x, None), E::JET_errFileNotFound);
}

#[test]
fn external_restore_log_checks() {
    use jetconform_mock::files::log as logf;
    let mut fx = online(V::Win10);
    let (lo, hi) = streamed_backup_with(&mut fx, 300);
    assert!(hi >= lo + 2, "{lo}..{hi}");
    let mid = fx.dir.path().join(format!("blogs/edb{:05X}.log", lo + 1));
    let saved = std::fs::read(&mid).unwrap();
    // A log of another stream in the range: -555.
    let mut other = online(V::Win10);
    streamed_backup_with(&mut other, 300);
    std::fs::copy(
        other
            .dir
            .path()
            .join(format!("blogs/edb{:05X}.log", lo + 1)),
        &mid,
    )
    .unwrap();
    let x = ext(&fx, lo, hi);
    assert_eq!(
        fx.e.external_restore(&x, None),
        E::JET_errGivenLogFileHasBadSignature
    );
    // Same stream, broken chain: -556.
    let mut h = logf::LogHeader::decode(&saved[..logf::BLOCK]).unwrap();
    h.prev_created ^= 1;
    logf::create(&mid, &h).unwrap();
    assert_eq!(
        fx.e.external_restore(&x, None),
        E::JET_errGivenLogFileIsNotContiguous
    );
    std::fs::write(&mid, &saved).unwrap();
    assert_eq!(fx.e.external_restore(&x, None), OK);
}

#[test]
fn external_restore_modes_and_paths() {
    let mut fx = online(V::Win10);
    let (lo, hi) = streamed_backup(&mut fx);
    let mut x = ext(&fx, lo, hi);
    x.log_path = Some(fx.path("logs"));
    assert_eq!(fx.e.external_restore(&x, None), E::JET_errLogFilePathInUse);
    x.checkpoint_path = Some(fx.path("sys"));
    assert_eq!(fx.e.external_restore(&x, None), E::JET_errSystemPathInUse);
    // Single-instance mode: -1080.
    let d = tempfile::tempdir().unwrap();
    let mut e = Engine::new(V::Win10, d.path());
    let mut out = None;
    assert_eq!(e.init(None, 0, &mut out), OK);
    assert_eq!(
        e.external_restore(&ext(&fx, lo, hi), None),
        E::JET_errRunningInOneInstanceMode
    );
}
