//! The call × state matrix of spec 5.3 (MODERN), one test per cell.

mod common;
use common::*;
use jetconform_interface::grbits::bits;
use jetconform_interface::{ErrorCode as E, WinVersion as V};
use jetconform_mock::backup::lists::{ListArgs, ListCharset, ListOut};
use jetconform_mock::backup::state::State;
use jetconform_mock::backup::stream::ReadOut;
use rstest::rstest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    S0,
    SD,
    SDf,
    SL,
    SLf,
    /// SD + stop.
    Stop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cl {
    Begin,
    AttachInfo,
    OpenDb,
    OpenLog,
    OpenMissing,
    OpenEmpty,
    Read,
    ReadUnaligned,
    Close0,
    Close1,
    LogInfo,
    TruncInfo,
    Truncate,
    EndNormal,
    EndNeither,
    StopBackup,
}

fn setup(v: V, s: St) -> Fx {
    let mut fx = online(v);
    match s {
        St::S0 => {}
        St::SD => assert_eq!(fx.begin(0), OK),
        St::SDf => {
            assert_eq!(fx.begin(0), OK);
            assert_eq!(fx.open("db.edb").0, OK);
        }
        St::SL => {
            assert_eq!(fx.begin(0), OK);
            assert_eq!(fx.log_info().0, OK);
        }
        St::SLf => {
            assert_eq!(fx.begin(0), OK);
            let (err, logs) = fx.log_info();
            assert_eq!(err, OK);
            assert_eq!(fx.open_raw(&logs[0]).0, OK);
        }
        St::Stop => {
            assert_eq!(fx.begin(0), OK);
            assert_eq!(fx.stop(), OK);
        }
    }
    fx
}

fn run(fx: &mut Fx, c: Cl) -> E {
    let t = fx.t();
    match c {
        Cl::Begin => fx.begin(0),
        Cl::AttachInfo => fx.attach_info().0,
        Cl::OpenDb => fx.open("db.edb").0,
        Cl::OpenLog => fx.open("logs/edb00001.log").0,
        Cl::OpenMissing => fx.open("logs/edbFFFFF.log").0,
        Cl::OpenEmpty => fx.open("").0,
        Cl::Read => fx.read(65536).0,
        Cl::ReadUnaligned => {
            let mut buf = vec![0u8; 65536];
            fx.e.read_file(t, 0, &mut buf, false, &mut ReadOut::default())
        }
        Cl::Close0 => fx.close(0),
        Cl::Close1 => fx.close(1),
        Cl::LogInfo => fx.log_info().0,
        Cl::TruncInfo => fx.truncate_info().0,
        Cl::Truncate => fx.truncate(),
        Cl::EndNormal => fx.end(bits::JET_bitBackupEndNormal),
        Cl::EndNeither => fx.end(0),
        Cl::StopBackup => fx.stop(),
    }
}

const NB: E = E::JET_errNoBackup;
const STOP: E = E::JET_errBackupAbortByServer;
const SEQ: E = E::JET_errInvalidBackupSequence;
const PARAM: E = E::JET_errInvalidParameter;
const OOM: E = E::JET_errOutOfMemory;

/// spec 5.3, cell by cell: result and state afterwards.
fn expected(s: St, c: Cl) -> (E, St) {
    use Cl::*;
    use St::*;
    if s == S0 {
        return match c {
            Begin => (OK, SD),
            EndNeither => (PARAM, S0),
            StopBackup => (OK, S0),
            _ => (NB, S0),
        };
    }
    match (c, s) {
        (Begin, _) => (E::JET_errBackupInProgress, s),
        (EndNormal, _) => (OK, S0),
        (EndNeither, _) => (PARAM, s),
        (StopBackup, _) => (OK, s),
        (Close1, _) => (PARAM, s),
        (Close0, SDf) => (OK, SD),
        (Close0, SLf) => (OK, SL),
        (Close0, _) => (PARAM, s),
        (_, Stop) => (STOP, Stop),
        (AttachInfo, _) => (OK, s),
        (OpenEmpty, _) | (ReadUnaligned, _) => (PARAM, s),
        (Read, _) => (OK, s),
        (OpenDb | OpenLog | OpenMissing, SDf | SLf) => (OOM, s),
        (OpenDb, SD) => (OK, SDf),
        (OpenDb, SL) => (SEQ, S0),
        (OpenLog | OpenMissing, SD) => (E::JET_errDatabaseNotFound, SD),
        (OpenLog, SL) => (OK, SLf),
        (OpenMissing, SL) => (E::JET_errMissingFileToBackup, S0),
        (LogInfo | TruncInfo, SD | SL) => (OK, SL),
        (LogInfo | TruncInfo, _) => (SEQ, s),
        (Truncate, SL) => (E::JET_errLogFileNotCopied, SL),
        (Truncate, _) => (SEQ, s),
        (c, s) => unreachable!("{c:?} in {s:?}"),
    }
}

fn observed(fx: &Fx) -> St {
    match (fx.state(), fx.stopped()) {
        (State::S0, _) => St::S0,
        (State::SD, true) => St::Stop,
        (State::SD, false) => St::SD,
        (State::SDf, _) => St::SDf,
        (State::SL, _) => St::SL,
        (State::SLf, _) => St::SLf,
    }
}

#[rstest]
fn cell(
    #[values(St::S0, St::SD, St::SDf, St::SL, St::SLf, St::Stop)] s: St,
    #[values(
        Cl::Begin,
        Cl::AttachInfo,
        Cl::OpenDb,
        Cl::OpenLog,
        Cl::OpenMissing,
        Cl::OpenEmpty,
        Cl::Read,
        Cl::ReadUnaligned,
        Cl::Close0,
        Cl::Close1,
        Cl::LogInfo,
        Cl::TruncInfo,
        Cl::Truncate,
        Cl::EndNormal,
        Cl::EndNeither,
        Cl::StopBackup
    )]
    c: Cl,
    #[values(V::Win8, V::Win11)] v: V,
) {
    let mut fx = setup(v, s);
    let (err, after) = expected(s, c);
    assert_eq!(run(&mut fx, c), err, "{c:?} in {s:?}");
    let got = observed(&fx);
    if c == Cl::StopBackup && s != St::S0 {
        // The stop overlay: same state, stop flag set.
        assert!(fx.stopped());
        let same = if s == St::SD { St::Stop } else { s };
        assert_eq!(got, same);
    } else {
        assert_eq!(got, after, "state after {c:?} in {s:?}");
    }
}

// Per-version departures from the modern matrix (profile knobs, spec 11.5).

#[rstest]
#[case(V::Vista, true)]
#[case(V::Server2003, true)]
#[case(V::Win81, false)]
fn sequence_errors_cancel_where_doc_says(#[case] v: V, #[case] cancels: bool) {
    let mut fx = setup(v, St::SDf);
    assert_eq!(fx.log_info().0, SEQ);
    let after = if cancels { St::S0 } else { St::SDf };
    assert_eq!(observed(&fx), after);
}

#[rstest]
#[case(V::Win2000, E::JET_errFileNotFound)]
#[case(V::Xp, E::JET_errMissingFileToBackup)]
fn missing_log_by_version(#[case] v: V, #[case] err: E) {
    let mut fx = setup(v, St::SL);
    assert_eq!(fx.open("logs/edbFFFFF.log").0, err);
    assert_eq!(observed(&fx), St::S0);
}

#[test]
fn win2000_cancels_on_non_attached_in_db_phase() {
    let mut fx = setup(V::Win2000, St::SD);
    assert_eq!(fx.open("logs/edb00001.log").0, E::JET_errDatabaseNotFound);
    assert_eq!(observed(&fx), St::S0);
}

#[test]
fn opening_the_current_log_ends_the_backup() {
    let mut fx = setup(V::Win10, St::SL);
    assert_eq!(fx.open("logs/edb.log").0, PARAM);
    assert_eq!(observed(&fx), St::S0);
}

#[test]
fn a_too_long_path_is_1023_and_harmless() {
    let mut fx = setup(V::Win10, St::SL);
    let long = format!("{}/{}", fx.path("logs"), "x".repeat(300));
    assert_eq!(fx.open_raw(&long).0, E::JET_errInvalidPath);
    assert_eq!(observed(&fx), St::SL);
}

#[test]
fn incremental_open_db_is_521_and_ends() {
    let mut fx = online(V::Win10);
    fx.full_sequence(true);
    assert_eq!(fx.end(bits::JET_bitBackupEndNormal), OK);
    assert_eq!(fx.begin(bits::JET_bitBackupIncremental), OK);
    assert_eq!(fx.open("db.edb").0, SEQ);
    assert_eq!(fx.end(bits::JET_bitBackupEndNormal), NB);
}

#[test]
fn get_log_info_2a_checks_cb_size_before_entry() {
    let mut fx = online(V::Win10);
    let t = fx.t();
    let args = ListArgs {
        charset: ListCharset::A,
        buffer: true,
        cb_max: 4096,
    };
    assert_eq!(
        fx.e.get_log_info(t, args, Some(20), &mut ListOut::default()),
        PARAM
    );
    assert_eq!(
        fx.e.get_log_info(t, args, Some(16), &mut ListOut::default()),
        NB
    );
    let w = ListArgs {
        charset: ListCharset::W,
        ..args
    };
    assert_eq!(
        fx.e.get_log_info(t, w, Some(16), &mut ListOut::default()),
        NB,
        "W does not check"
    );
}
