//! Tables and records in the database pages and the log: a value committed before a crash
//! reads back after the recovery at the next JetInit, uncommitted and rolled-back ones do
//! not; a backup carries the records, and a restore replays the logs that follow it.

mod common;

use common::*;
use jetconform_interface::{ErrorCode as E, WinVersion as V};
use jetconform_mock::records::{MOVE_FIRST, PREP_INSERT};
use jetconform_mock::tables::ColumnDef;

const TEXT: u32 = 10;

fn table(fx: &mut Fx) -> (u64, u32) {
    let t = fx.e.create_table(fx.sesid, fx.dbid, Some("notes")).unwrap();
    let def = ColumnDef {
        coltyp: TEXT,
        cb_max: 255,
        grbit: 0,
    };
    let col =
        fx.e.add_column(fx.sesid, t, Some("body"), Some(&def))
            .unwrap();
    (t, col)
}

fn insert(fx: &mut Fx, t: u64, col: u32, v: &str) {
    assert_eq!(fx.e.prepare_update(fx.sesid, t, PREP_INSERT), OK);
    assert_eq!(fx.e.set_column(fx.sesid, t, col, Some(v.as_bytes()), 0), OK);
    fx.e.update(fx.sesid, t).unwrap();
}

/// Every value of the column, in record order, through a new session and cursor.
fn values(fx: &mut Fx, col: u32) -> Vec<String> {
    let mut s = 0;
    assert_eq!(fx.e.begin_session(fx.inst, Some(&mut s)), OK);
    let t = fx.e.open_table(s, fx.dbid, Some("notes")).unwrap();
    let mut out = Vec::new();
    let mut r = fx.e.move_cursor(s, t, MOVE_FIRST);
    while r == OK {
        let (_, got) = fx.e.retrieve_column(s, t, col, 64, 0).unwrap();
        out.push(String::from_utf8(got.data).unwrap());
        r = fx.e.move_cursor(s, t, 1);
    }
    assert_eq!(r, E::JET_errNoCurrentRecord);
    assert_eq!(fx.e.end_session(s, 0), OK);
    out
}

fn reinit_and_attach(fx: &mut Fx, grbit: u32) -> E {
    let mut out = None;
    let r = fx.e.init(Some(fx.inst), grbit, &mut out);
    if r != OK {
        return r;
    }
    if fx.inst == 0 || out.is_some() {
        fx.inst = out.unwrap_or(fx.inst);
    }
    let mut s = 0;
    assert_eq!(fx.e.begin_session(fx.inst, Some(&mut s)), OK);
    fx.sesid = s;
    let db = fx.path("db.edb");
    assert_eq!(fx.e.attach_database(s, Some(&db), 0), OK);
    let mut dbid = 0;
    assert_eq!(fx.e.open_database(s, Some(&db), Some(&mut dbid)), OK);
    fx.dbid = dbid;
    OK
}

fn created_again(fx: &mut Fx) {
    let mut inst = 0;
    assert_eq!(fx.e.create_instance(Some(&mut inst), Some("bk"), None), OK);
    for (id, sz) in [(2, "logs/"), (0, "sys/"), (1, "tmp/")] {
        assert_eq!(set(&mut fx.e, inst, id, 0, Some(sz)), OK);
    }
    assert_eq!(set(&mut fx.e, inst, 11, 128, None), OK);
    fx.inst = inst;
}

#[test]
fn crash_recovery_redoes_committed_and_drops_the_rest() {
    let mut fx = online(V::Win10);
    let (t, col) = table(&mut fx);
    let s = fx.sesid;
    assert_eq!(fx.e.begin_transaction(s), OK);
    insert(&mut fx, t, col, "committed");
    assert_eq!(fx.e.commit_transaction(s), OK);
    assert_eq!(fx.e.begin_transaction(s), OK);
    insert(&mut fx, t, col, "rolled back");
    assert_eq!(fx.e.rollback(s, 0), OK);
    insert(&mut fx, t, col, "autocommit");
    assert_eq!(fx.e.begin_transaction(s), OK);
    insert(&mut fx, t, col, "open at the crash");
    assert_eq!(fx.e.term(fx.inst, 0x8), E::JET_errDirtyShutdown);
    // The pages do not hold the records yet: only the logs do.
    let pages = jetconform_mock::files::data::read(std::path::Path::new(&fx.path("db.edb")));
    assert!(pages
        .unwrap()
        .tables
        .get("notes")
        .is_none_or(|t| t.records.is_empty()));
    created_again(&mut fx);
    assert_eq!(reinit_and_attach(&mut fx, 0), OK);
    assert_eq!(values(&mut fx, col), ["committed", "autocommit"]);
}

#[test]
fn a_database_the_logs_created_is_created_again() {
    let mut fx = online(V::Win7);
    let (t, col) = table(&mut fx);
    insert(&mut fx, t, col, "kept by the logs");
    assert_eq!(fx.e.term(fx.inst, 0x8), E::JET_errDirtyShutdown);
    std::fs::remove_file(fx.path("db.edb")).unwrap();
    created_again(&mut fx);
    assert_eq!(reinit_and_attach(&mut fx, 0), OK);
    assert_eq!(values(&mut fx, col), ["kept by the logs"]);
}

#[test]
fn a_missing_generation_stops_recovery() {
    let mut fx = online(V::Win10);
    let (t, col) = table(&mut fx);
    // Enough records to roll the log a few times (128 KiB logs).
    for i in 0..150 {
        insert(&mut fx, t, col, &format!("value {i}"));
    }
    let gen = fx.e.instance(fx.inst).unwrap().log.current_gen;
    let chk = fx.e.instance(fx.inst).unwrap().log.checkpoint_gen;
    assert_eq!(gen, chk + 1, "the checkpoint trails by one generation");
    assert_eq!(fx.e.term(fx.inst, 0x8), E::JET_errDirtyShutdown);
    // The current generation is lost with the crash.
    std::fs::remove_file(fx.path("logs/edb.log")).unwrap();
    created_again(&mut fx);
    let mut out = None;
    assert_eq!(
        fx.e.init(Some(fx.inst), 0, &mut out),
        E::JET_errMissingLogFile
    );
}

#[test]
fn a_missing_database_stops_recovery_unless_ignored() {
    let mut fx = online(V::Win10);
    let db = fx.path("db.edb");
    let (t, col) = table(&mut fx);
    let s = fx.sesid;
    // Attached (not created) in the window: a later crash cannot re-create it.
    assert_eq!(fx.e.close_table(s, t), OK);
    assert_eq!(fx.e.term(fx.inst, 0), OK);
    created_again(&mut fx);
    assert_eq!(reinit_and_attach(&mut fx, 0), OK);
    let t = fx.e.open_table(fx.sesid, fx.dbid, Some("notes")).unwrap();
    insert(&mut fx, t, col, "x");
    assert_eq!(fx.e.term(fx.inst, 0x8), E::JET_errDirtyShutdown);
    std::fs::remove_file(&db).unwrap();
    created_again(&mut fx);
    let mut out = None;
    assert_eq!(
        fx.e.init(Some(fx.inst), 0, &mut out),
        E::JET_errAttachedDatabaseMismatch
    );
    created_again(&mut fx);
    assert_eq!(
        fx.e.init(Some(fx.inst), 0x4, &mut out),
        OK,
        "JET_bitReplayIgnoreMissingDB"
    );
}

#[test]
fn backup_carries_records_and_restore_replays_later_logs() {
    let mut fx = online(V::Win10);
    let (t, col) = table(&mut fx);
    insert(&mut fx, t, col, "before the backup");
    let bk = fx.path("bk");
    let r = fx.e.backup(fx.t(), Some(&bk), 0, None);
    assert_eq!(r, OK);
    // The copy holds the record in its pages.
    let copied = jetconform_mock::files::data::read(std::path::Path::new(&fx.path("bk/db.edb")));
    let notes = &copied.unwrap().tables["notes"];
    let first = notes.records.values().next().unwrap();
    assert_eq!(first[&col], b"before the backup");
    insert(&mut fx, t, col, "after the backup");
    assert_eq!(fx.e.close_table(fx.sesid, t), OK);
    assert_eq!(fx.e.term(fx.inst, 0), OK);
    std::fs::remove_file(fx.path("db.edb")).unwrap();
    created_again(&mut fx);
    let r = fx.e.restore(
        jetconform_mock::backup::restore::RestoreTarget::Instance(fx.inst),
        Some(&bk),
        None,
        None,
    );
    assert_eq!(r, OK);
    assert_eq!(reinit_and_attach(&mut fx, 0), OK);
    assert_eq!(
        values(&mut fx, col),
        ["before the backup", "after the backup"]
    );
}
