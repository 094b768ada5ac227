//! Databases and transactions of client programs: JetOpenDatabase / JetCloseDatabase,
//! JetBeginTransaction / JetCommitTransaction / JetRollback, the level read back with
//! JET_paramTransactionLevel, and JetTerm with a transaction open (spec 9: -1059).

mod common;

use common::*;
use jetconform_interface::sysparams::ids;
use jetconform_interface::{ErrorCode as E, WinVersion as V};
use jetconform_mock::params::{GetParamArgs, GetParamOut};

fn level(fx: &mut Fx) -> u64 {
    let mut out = GetParamOut::default();
    let a = GetParamArgs {
        pl_present: true,
        ..Default::default()
    };
    let err =
        fx.e.get_system_parameter(0, fx.sesid, ids::JET_paramTransactionLevel, a, &mut out)
            .unwrap();
    assert_eq!(err, OK);
    out.lparam.unwrap()
}

#[test]
fn levels_nest_commit_and_roll_back() {
    let mut fx = online(V::Win11);
    let s = fx.sesid;
    assert_eq!(fx.e.commit_transaction(s), E::JET_errNotInTransaction);
    assert_eq!(fx.e.rollback(s, 0), E::JET_errNotInTransaction);
    for _ in 0..3 {
        assert_eq!(fx.e.begin_transaction(s), OK);
    }
    assert_eq!(level(&mut fx), 3);
    assert_eq!(fx.e.commit_transaction(s), OK);
    assert_eq!(level(&mut fx), 2);
    assert_eq!(fx.e.rollback(s, 0), OK);
    assert_eq!(level(&mut fx), 1);
    assert_eq!(fx.e.begin_transaction(s), OK);
    assert_eq!(fx.e.rollback(s, 0x1), OK, "JET_bitRollbackAll");
    assert_eq!(level(&mut fx), 0);
    assert_eq!(fx.e.begin_transaction(0xBAD), E::JET_errInvalidSesid);
}

#[test]
fn term_with_a_transaction_open_is_refused_until_it_ends() {
    let mut fx = online(V::Win11);
    let (s, inst) = (fx.sesid, fx.inst);
    assert_eq!(fx.e.begin_transaction(s), OK);
    assert_eq!(fx.e.term(inst, 0), E::JET_errTooManyActiveUsers);
    assert_eq!(fx.e.commit_transaction(s), OK);
    assert_eq!(fx.e.term(inst, 0), OK);
}

#[test]
fn end_session_rolls_back() {
    let mut fx = online(V::Win11);
    let (s, inst) = (fx.sesid, fx.inst);
    assert_eq!(fx.e.begin_transaction(s), OK);
    assert_eq!(fx.e.end_session(s, 0), OK);
    assert_eq!(fx.e.term(inst, 0), OK);
}

#[test]
fn open_needs_an_attached_database_and_close_a_known_dbid() {
    let mut fx = online(V::Win11);
    let s = fx.sesid;
    let db = fx.path("db.edb");
    let mut dbid = 0;
    assert_eq!(fx.e.open_database(s, Some(&db), Some(&mut dbid)), OK);
    assert_eq!(dbid, fx.dbid);
    assert_eq!(fx.e.close_database(s, dbid, 0), OK);
    assert_eq!(fx.e.close_database(s, 77, 0), E::JET_errInvalidDatabaseId);
    let other = fx.path("other.edb");
    assert_eq!(
        fx.e.open_database(s, Some(&other), Some(&mut dbid)),
        E::JET_errDatabaseNotFound
    );
    assert_eq!(
        fx.e.open_database(s, Some(&db), None),
        E::JET_errInvalidParameter
    );
}

#[test]
fn instance_info_lists_running_instances_and_its_array_is_freed_once() {
    let mut fx = online(V::Win11);
    let list = fx.e.instance_info();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].handle, fx.inst);
    assert_eq!(list[0].databases.len(), 1);
    let mut out = None;
    assert_eq!(fx.e.get_instance_info(true, true, &mut out), OK);
    let (n, token) = out.unwrap();
    assert_eq!(n, 1);
    assert_eq!(fx.e.free_buffer(token), Some(OK));
    assert_eq!(fx.e.free_buffer(token), None, "freed twice: undefined");
    assert_eq!(fx.e.free_buffer(0), Some(OK), "NULL does nothing");
    assert_eq!(
        fx.e.get_instance_info(false, true, &mut out),
        E::JET_errInvalidParameter
    );
}
