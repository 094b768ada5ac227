//! Begin (spec 6.1), End (5.5, 6.9, 11.2, 11.3), StopBackup (5.7), header bookkeeping (10.4).

mod common;
use common::*;
use jetconform_interface::grbits::bits;
use jetconform_interface::{ErrorCode as E, WinVersion as V};
use rstest::rstest;

const NORMAL: u32 = bits::JET_bitBackupEndNormal;
const ABORT: u32 = bits::JET_bitBackupEndAbort;
const INCR: u32 = bits::JET_bitBackupIncremental;

#[rstest]
#[case(0x4, E::JET_errInvalidGrbit)]
#[case(0x10, E::JET_errInvalidGrbit)]
#[case(0x41, E::JET_errInvalidGrbit)]
#[case(0x2, E::JET_errInvalidGrbit)]
#[case(0, OK)]
fn begin_grbits(#[case] grbit: u32, #[case] err: E) {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(grbit), err);
}

#[test]
fn begin_internal_copy_is_not_modelled() {
    let mut fx = online(V::Win10);
    let t = fx.t();
    assert!(fx
        .e
        .begin_external_backup(t, bits::JET_bitInternalCopy)
        .is_err());
}

#[test]
fn begin_surrogate_starts_a_surrogate_backup() {
    // spec 15.7 / 5.6
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(bits::JET_bitBackupSurrogate), OK);
    assert_eq!(fx.begin(0), E::JET_errSurrogateBackupInProgress);
    assert_eq!(fx.end(NORMAL | bits::JET_bitBackupSurrogate), OK);
    assert_eq!(fx.end(NORMAL), E::JET_errNoBackup);
    assert_eq!(fx.begin(0), OK);
}

#[test]
fn surrogate_bit_is_invalid_before_win7() {
    let mut fx = online(V::Vista);
    assert_eq!(
        fx.begin(bits::JET_bitBackupSurrogate),
        E::JET_errInvalidGrbit
    );
}

#[test]
fn begin_twice_is_505_and_grbit_checked_first() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.begin(0), E::JET_errBackupInProgress);
    assert_eq!(fx.begin(0x4), E::JET_errInvalidGrbit);
}

#[test]
fn recovery_off_is_516_before_grbit() {
    let mut fx = online_with(
        V::Win10,
        Opts {
            recovery: "off",
            ..Opts::default()
        },
    );
    assert_eq!(fx.begin(0x4), E::JET_errLoggingDisabled);
    assert!(!fx.dir.path().join("logs/edb.log").exists());
}

#[test]
fn circular_incremental_is_526_after_grbit() {
    let mut fx = online_with(
        V::Win10,
        Opts {
            circular: true,
            ..Opts::default()
        },
    );
    assert_eq!(fx.begin(0x5), E::JET_errInvalidGrbit);
    assert_eq!(fx.begin(INCR), E::JET_errInvalidBackup);
    assert_eq!(
        fx.begin(0),
        OK,
        "full backups are allowed with circular logging"
    );
}

#[test]
fn incremental_without_full_is_560_and_not_started() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(INCR), E::JET_errMissingFullBackup);
    assert_eq!(fx.end(NORMAL), E::JET_errNoBackup);
}

#[test]
fn full_with_truncate_allows_incremental() {
    let mut fx = online(V::Win10);
    fx.full_sequence(true);
    assert_eq!(fx.end(NORMAL), OK);
    assert_eq!(fx.e.log_traffic(fx.sesid, fx.dbid, 10), OK);
    assert_eq!(fx.begin(INCR), OK);
    // spec 6.2 step 4: -521, backup not cancelled on modern builds.
    assert_eq!(fx.attach_info().0, E::JET_errInvalidBackupSequence);
    let (err, logs) = fx.log_info();
    assert_eq!(err, OK);
    assert!(!logs.is_empty());
    assert_eq!(fx.end(NORMAL), OK);
}

#[rstest]
#[case(V::Win10, 0, E::JET_errMissingFullBackup)]
#[case(V::Win10, bits::JET_bitBackupTruncateDone, OK)]
#[case(
    V::Server2003,
    bits::JET_bitBackupTruncateDone,
    E::JET_errMissingFullBackup
)]
fn copy_backup_does_not_qualify(#[case] v: V, #[case] extra: u32, #[case] err: E) {
    let mut fx = online(v);
    fx.full_sequence(false);
    assert_eq!(fx.end(NORMAL | extra), OK);
    assert_eq!(fx.begin(INCR), err);
}

#[test]
fn recovery_off_database_makes_incremental_fail() {
    let mut fx = online(V::Win10);
    let mut d2 = 0;
    assert_eq!(
        fx.e.create_database(
            fx.sesid,
            Some("unlogged.edb"),
            Some(&mut d2),
            bits::JET_bitDbRecoveryOff
        ),
        OK
    );
    let (_, dbs) = {
        assert_eq!(fx.begin(0), OK);
        fx.attach_info()
    };
    assert_eq!(dbs.len(), 1, "recovery-off databases are not listed");
    assert_eq!(fx.end(ABORT), OK);
    fx.full_sequence(true);
    assert_eq!(fx.end(NORMAL), OK);
    assert_eq!(fx.begin(INCR), E::JET_errMissingFullBackup);
}

#[test]
fn not_allowed_after_failed_term() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(
        fx.e.term(fx.inst, bits::JET_bitTermComplete),
        E::JET_errBackupInProgress
    );
    assert_eq!(fx.end(NORMAL), OK);
    assert_eq!(fx.begin(0), E::JET_errBackupNotAllowedYet);
}

#[rstest]
#[case("log_write_fail", E::JET_errLogWriteFail)]
#[case("log_disk_full", E::JET_errLogDiskFull)]
#[case("log_sequence_end", E::JET_errLogSequenceEnd)]
#[case("checkpoint_corrupt", E::JET_errCheckpointCorrupt)]
#[case("instance_unavailable", E::JET_errInstanceUnavailable)]
#[case("term_in_progress", E::JET_errTermInProgress)]
#[case("restore_in_progress", E::JET_errRestoreInProgress)]
#[case("init_in_progress", E::JET_errNotInitialized)]
fn fault_hooks(#[case] name: &str, #[case] err: E) {
    let mut fx = online(V::Win10);
    assert_eq!(fx.e.verb_fault(fx.inst, name).unwrap(), OK);
    assert_eq!(fx.begin(0), err);
    assert_eq!(fx.e.verb_fault(fx.inst, "clear").unwrap(), OK);
    assert_eq!(fx.begin(0), OK);
}

#[test]
fn an_unavailable_instance_keeps_its_first_cause() {
    // spec 15.3
    let mut fx = online(V::Win10);
    let inst = fx.inst;
    assert_eq!(fx.e.verb_fault(inst, "instance_unavailable").unwrap(), OK);
    let later = "instance_unavailable_log_disk_full";
    assert_eq!(fx.e.verb_fault(inst, later).unwrap(), OK);
    assert_eq!(fx.begin(0), E::JET_errInstanceUnavailable);
    assert_eq!(fx.e.verb_fault(inst, "clear").unwrap(), OK);
    assert_eq!(fx.e.verb_fault(inst, later).unwrap(), OK);
    assert_eq!(fx.e.verb_fault(inst, "instance_unavailable").unwrap(), OK);
    assert_eq!(
        fx.begin(0),
        E::JET_errInstanceUnavailableDueToFatalLogDiskFull
    );
}

#[test]
fn unknown_fault_is_not_modelled() {
    let mut fx = online(V::Win10);
    assert!(fx.e.verb_fault(fx.inst, "nope").is_err());
}

#[rstest]
#[case("sys/edb.chk", E::JET_errCheckpointFileNotFound)]
fn missing_checkpoint(#[case] file: &str, #[case] err: E) {
    let mut fx = online(V::Win10);
    let p = fx.path(file);
    assert_eq!(fx.e.verb_delete_file(&p), OK);
    assert_eq!(fx.begin(0), err);
    assert_eq!(
        fx.begin(INCR),
        E::JET_errMissingFullBackup,
        "incremental does not read the checkpoint"
    );
}

#[test]
fn damaged_checkpoint_is_533() {
    let mut fx = online(V::Win10);
    let p = fx.path("sys/edb.chk");
    assert_eq!(fx.e.verb_write_file(&p, 64), OK);
    assert_eq!(fx.begin(0), E::JET_errCheckpointCorrupt);
}

// spec 5.5 / 11.2 / 11.3: what End returns, per version.
#[derive(Clone, Copy, Debug)]
enum EndCase {
    Abort,
    Premature,
    AfterStop,
    Complete,
}

#[rstest]
#[case(V::Win11, EndCase::Abort, OK)]
#[case(V::Win10, EndCase::Premature, OK)]
#[case(V::Win8, EndCase::AfterStop, OK)]
#[case(V::Win10, EndCase::Complete, OK)]
#[case(V::Xp, EndCase::Abort, E::errBackupAbortByCaller)]
#[case(V::Xp, EndCase::Premature, OK)]
#[case(V::Server2003, EndCase::Abort, OK)]
#[case(V::Server2003, EndCase::Premature, E::errBackupAbortByCaller)]
#[case(V::Server2003, EndCase::AfterStop, E::JET_errBackupAbortByServer)]
#[case(V::Win7, EndCase::Premature, OK)]
fn end_returns_by_version(#[case] v: V, #[case] c: EndCase, #[case] err: E) {
    let mut fx = online(v);
    let grbit = match c {
        EndCase::Abort => {
            assert_eq!(fx.begin(0), OK);
            ABORT
        }
        EndCase::Premature => {
            assert_eq!(fx.begin(0), OK);
            NORMAL
        }
        EndCase::AfterStop => {
            assert_eq!(fx.begin(0), OK);
            assert_eq!(fx.stop(), OK);
            NORMAL
        }
        EndCase::Complete => {
            fx.full_sequence(true);
            NORMAL
        }
    };
    assert_eq!(fx.end(grbit), err);
    assert_eq!(
        fx.end(NORMAL),
        E::JET_errNoBackup,
        "the backup ended in every case"
    );
}

#[rstest]
#[case(0)]
#[case(NORMAL | ABORT)]
fn end_needs_exactly_one_of_normal_abort(#[case] grbit: u32) {
    let mut fx = online(V::Win10);
    assert_eq!(
        fx.end(grbit),
        E::JET_errInvalidParameter,
        "checked before the no-backup test"
    );
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.end(grbit), E::JET_errInvalidParameter);
    assert_eq!(fx.attach_info().0, OK, "backup still active");
}

#[test]
fn stop_backup_without_backup_has_no_lasting_effect() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.stop(), OK);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.attach_info().0, OK);
}

#[test]
fn stop_backup_then_calls() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.open("db.edb").0, OK);
    assert_eq!(fx.stop(), OK);
    assert_eq!(fx.read(65536).0, E::JET_errBackupAbortByServer);
    assert_eq!(fx.close(0), OK, "CloseFile has no stop check");
    assert_eq!(fx.truncate(), E::JET_errBackupAbortByServer);
    assert_eq!(fx.end(NORMAL), OK);
}

#[rstest]
#[case(V::Xp, E::JET_errInvalidBackupSequence)]
#[case(V::Server2003, E::JET_errBackupAbortByServer)]
fn truncate_after_stop_by_version(#[case] v: V, #[case] err: E) {
    let mut fx = online(v);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.stop(), OK);
    // XP proceeds past the stop check to the ordering check (no ranges yet).
    assert_eq!(fx.truncate(), err);
}

#[test]
fn header_bookkeeping_of_a_full_truncated_backup() {
    use jetconform_mock::files::db;
    let mut fx = online(V::Win10);
    fx.full_sequence(true);
    assert_eq!(fx.end(NORMAL), OK);
    let h = db::read_header(&fx.dir.path().join("db.edb")).unwrap();
    // The traffic rolled 1 -> 2 with changes in generation 1, so the checkpoint (copyMic) is
    // still 1 (spec 15.9); the prepare roll 2 -> 3 ends the copy range at 2.
    assert_eq!(h.full_prev.gen_low, 1);
    assert_eq!(h.full_prev.gen_high, 2);
    assert_eq!(h.copy_prev, Default::default());
}

#[test]
fn checkpoint_trails_the_current_generation() {
    // spec 15.9: the checkpoint stays at a generation whose page changes are not flushed, so
    // a full backup truncates only what precedes it; a clean term brings it up to date.
    use jetconform_mock::files::checkpoint;
    let mut fx = online(V::Win10);
    let chk = fx.dir.path().join("sys/edb.chk");
    let gen = |p: &std::path::Path| checkpoint::read(p).unwrap().gen;
    assert_eq!(gen(&chk), 1, "generation 1 logged commits");
    fx.full_sequence(true);
    assert_eq!(
        gen(&chk),
        2,
        "the prepare roll flushed generation 1's changes"
    );
    assert_eq!(fx.end(NORMAL), OK);
    assert!(!fx.dir.path().join("logs/edb00001.log").exists());
    assert!(
        fx.dir.path().join("logs/edb00002.log").exists(),
        "generation 2 is at the checkpoint: not truncated"
    );
    let inst = fx.inst;
    assert_eq!(fx.e.term(inst, 0), OK);
    assert_eq!(
        gen(&chk),
        3,
        "a clean term moves the checkpoint to the current generation"
    );
}

#[test]
fn legacy_end_in_multi_mode() {
    let mut fx = online(V::Win10);
    assert_eq!(
        fx.e.end_external_backup(jetconform_mock::Target::Legacy, NORMAL),
        E::JET_errRunningInMultiInstanceMode
    );
}

/// `read_file_fail:N:CODE` (faults.rs): the Nth database ReadFile fails with the armed code.
#[test]
fn read_file_fail_hook_fails_the_nth_read_with_its_code() {
    use jetconform_mock::faults::Faults;
    let mut f = Faults::default();
    assert!(f.arm("read_file_fail:2:JET_errDiskIO"));
    assert_eq!(f.read_fail_tick(), None);
    assert_eq!(f.read_fail_tick(), Some(E::JET_errDiskIO));
    assert_eq!(f.read_fail_tick(), None, "fires once");
    assert!(f.arm("read_file_fail:1:-1018"));
    assert_eq!(f.read_fail_tick(), Some(E(-1018)));
    assert!(!f.arm("read_file_fail:0:-1018"));
    assert!(!f.arm("read_file_fail:1:5"));
}
