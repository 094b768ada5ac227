//! Streaming on real files: the database stream of spec 10.3, ReadFile's rules (6.4),
//! checksum failures, truncation (6.6 - 6.8), locks and the verbs.

mod common;
use common::*;
use jetconform_interface::grbits::bits;
use jetconform_interface::{ErrorCode as E, WinVersion as V};
use jetconform_mock::backup::stream::{OpenOut, ReadOut};
use jetconform_mock::files::db::{self, DbHeader, Trailer};
use rstest::rstest;

const NORMAL: u32 = bits::JET_bitBackupEndNormal;

#[test]
fn database_stream_layout() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    let (err, out) = fx.open("db.edb");
    assert_eq!(err, OK);
    let size = out.size.unwrap();
    let stream = fx.read_all(65536).unwrap();
    assert_eq!(stream.len() as u64, size);
    assert_eq!(fx.read(65536).2.len(), 0, "0 bytes forever after the end");
    let ps = 4096;
    let h1 = DbHeader::decode(&stream[..ps]).unwrap();
    let h2 = DbHeader::decode(&stream[ps..2 * ps]).unwrap();
    assert_eq!(h1, h2);
    assert_eq!(
        h1.full_cur.gen_low, 1,
        "bkinfoFullCur.genLow = copyMic (checkpoint gen, trailing the current one: spec 15.9)"
    );
    let disk = std::fs::read(fx.dir.path().join("db.edb")).unwrap();
    assert_eq!(
        &stream[2 * ps..stream.len() - ps],
        &disk[2 * ps..],
        "data pages equal the file's"
    );
    let t = Trailer::decode(&stream[stream.len() - ps..]).unwrap();
    assert_eq!(t.bkinfo.gen_low, 1);
    assert_eq!(t.pgno_last, h1.pgno_last);
    assert_eq!(fx.close(0), OK);
}

#[rstest]
#[case(8192, PARAM_)]
#[case(12288, OK)]
#[case(65537, PARAM_)]
#[case(0, PARAM_)]
fn first_database_read_size_rules(#[case] cb: usize, #[case] err: E) {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.open("db.edb").0, OK);
    assert_eq!(fx.read(cb).0, err);
}

const PARAM_: E = E::JET_errInvalidParameter;

#[test]
fn log_reads_need_two_pages_first() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    let (_, logs) = fx.log_info();
    assert_eq!(fx.open_raw(&logs[0]).0, OK);
    assert_eq!(fx.read(4096).0, PARAM_);
    assert_eq!(fx.read(8192).0, OK);
    assert_eq!(fx.read(4096).0, OK, "later reads may be one page");
}

#[test]
fn section_open_rules() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    let t = fx.t();
    let p = fx.path("db.edb");
    for ib in [100, 4096, 8192] {
        assert_eq!(
            fx.e.open_file(t, Some(&p), ib, &mut OpenOut::default()),
            PARAM_,
            "ibRead {ib}"
        );
    }
    let mut out = OpenOut::default();
    assert_eq!(fx.e.open_file(t, Some(&p), 3 * 4096, &mut out), OK);
    assert_eq!(
        out.size,
        Some((16 + 3) * 4096),
        "the reported size does not shrink"
    );
    // spec 15.4: the copy counts as started: a one-page first read is fine and delivers data
    // page 2 (no header copies).
    let (err, _, first) = fx.read(4096);
    assert_eq!(err, OK);
    assert_eq!(first.len(), 4096);
    let s = fx.read_all(65536).unwrap();
    assert_eq!(
        first.len() + s.len(),
        (15 + 1) * 4096,
        "copy starts at page ibRead/cbPage - 1 = 2, without header copies"
    );
}

#[test]
fn corrupt_page_is_1018_auto_close_and_backup_continues() {
    let mut fx = online(V::Win10);
    let p = fx.path("db.edb");
    // spec 13's recipe: detach, corrupt one data page on disk, re-attach.
    assert_eq!(
        fx.e.verb_corrupt_page(&p, 5),
        E::JET_errFileAccessDenied,
        "attached: in use"
    );
    assert_eq!(fx.e.detach_database(fx.sesid, Some(&p), 0), OK);
    assert_eq!(fx.e.verb_corrupt_page(&p, 5), OK);
    assert_eq!(fx.e.attach_database(fx.sesid, Some(&p), 0), OK);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.open("db.edb").0, OK);
    assert_eq!(fx.read_all(65536), Err(E::JET_errReadVerifyFailure));
    assert_eq!(fx.close(0), PARAM_, "the handle was closed automatically");
    let (err, logs) = fx.log_info();
    assert_eq!(err, OK, "backup continues");
    assert!(!logs.is_empty());
    // The DB was dropped: truncation is held back (deleteMac = its bkinfoFullPrev.genHigh = 0).
    assert_eq!(fx.truncate_info(), (OK, vec![]));
}

#[test]
fn corrupt_page_on_win2000_cancels_the_backup() {
    let mut fx = online(V::Win2000);
    let p = fx.path("db.edb");
    // spec 13's recipe: detach, corrupt one data page on disk, re-attach.
    assert_eq!(
        fx.e.verb_corrupt_page(&p, 5),
        E::JET_errFileAccessDenied,
        "attached: in use"
    );
    assert_eq!(fx.e.detach_database(fx.sesid, Some(&p), 0), OK);
    assert_eq!(fx.e.verb_corrupt_page(&p, 5), OK);
    assert_eq!(fx.e.attach_database(fx.sesid, Some(&p), 0), OK);
    assert_eq!(
        fx.e.begin_external_backup(jetconform_mock::Target::Legacy, 0)
            .unwrap(),
        OK
    );
    let t = jetconform_mock::Target::Legacy;
    assert_eq!(fx.e.open_file(t, Some(&p), 0, &mut OpenOut::default()), OK);
    let mut buf = vec![0u8; 65536];
    assert_eq!(
        fx.e.read_file(t, 0, &mut buf, true, &mut ReadOut::default()),
        E::JET_errReadVerifyFailure
    );
    assert_eq!(fx.e.end_external_backup(t, NORMAL), E::JET_errNoBackup);
}

#[rstest]
#[case(V::Win10, Some(E::JET_errLogReadVerifyFailure))]
#[case(V::Win2000, None)]
fn corrupt_log(#[case] v: V, #[case] err: Option<E>) {
    let mut fx = online(v);
    let t = if v == V::Win2000 {
        jetconform_mock::Target::Legacy
    } else {
        fx.t()
    };
    assert_eq!(fx.e.begin_external_backup(t, 0).unwrap(), OK);
    let (e, logs) = if v == V::Win2000 {
        let args = jetconform_mock::backup::lists::ListArgs {
            charset: jetconform_mock::backup::lists::ListCharset::W,
            buffer: true,
            cb_max: 4096,
        };
        let mut o = jetconform_mock::backup::lists::ListOut::default();
        let e = fx.e.get_log_info(t, args, None, &mut o);
        (e, decode(o))
    } else {
        fx.log_info()
    };
    assert_eq!(e, OK);
    assert_eq!(fx.e.verb_corrupt_log(&logs[0], 5000), OK);
    assert_eq!(
        fx.e.open_file(t, Some(&logs[0]), 0, &mut OpenOut::default()),
        OK
    );
    let mut buf = vec![0u8; 65536];
    let r =
        fx.e.read_file(t, 0, &mut buf, true, &mut ReadOut::default());
    match err {
        Some(err) => {
            assert_eq!(r, err);
            assert_eq!(
                fx.e.end_external_backup(t, NORMAL),
                E::JET_errNoBackup,
                "backup cancelled"
            );
        }
        None => assert_eq!(r, OK, "no log checksums on W2K"),
    }
}

#[test]
fn locked_log_is_1032_and_ends_the_backup() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    let (_, logs) = fx.log_info();
    assert_eq!(fx.e.verb_lock_file(&logs[0]), OK);
    assert_eq!(fx.open_raw(&logs[0]).0, E::JET_errFileAccessDenied);
    assert_eq!(fx.end(NORMAL), E::JET_errNoBackup);
    assert_eq!(fx.e.verb_unlock_file(&logs[0]), OK);
}

#[test]
fn truncate_needs_every_listed_log_then_deletes_the_truncate_range() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    let (_, dbs) = fx.attach_info();
    assert_eq!(fx.open_raw(&dbs[0]).0, OK);
    fx.read_all(65536).unwrap();
    assert_eq!(fx.close(0), OK);
    let (_, logs) = fx.log_info();
    assert_eq!(fx.truncate(), E::JET_errLogFileNotCopied);
    for l in &logs {
        assert_eq!(fx.open_raw(l).0, OK);
        fx.read_all(65536).unwrap();
        assert_eq!(fx.close(0), OK);
    }
    let (err, doomed) = fx.truncate_info();
    assert_eq!(err, OK);
    assert_eq!(
        doomed.len(),
        1,
        "generation 1 (deleteMac = checkpoint = 2 < copyMac = 3, spec 15.9)"
    );
    assert_eq!(fx.truncate(), OK);
    for d in &doomed {
        assert!(!std::path::Path::new(d).exists(), "{d}");
    }
    assert_eq!(fx.truncate(), OK, "repeating skips missing files");
    assert_eq!(fx.end(NORMAL), OK);
}

#[test]
fn truncate_with_a_locked_log_is_1032_after_deleting_older_ones() {
    // Enough traffic for several generations behind the (trailing) checkpoint.
    let mut fx = online_with(
        V::Win10,
        Opts {
            traffic: 600,
            ..Opts::default()
        },
    );
    fx.full_sequence(false);
    let (_, doomed) = fx.truncate_info();
    assert_eq!(fx.e.verb_lock_file(&doomed[1]), OK);
    assert_eq!(fx.truncate(), E::JET_errFileAccessDenied);
    assert!(!std::path::Path::new(&doomed[0]).exists());
}

#[test]
fn log_file_not_copied_is_not_checked_before_vista() {
    let mut fx = online(V::Server2003);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.log_info().0, OK);
    assert_eq!(fx.truncate(), OK);
}

#[test]
fn stale_slot_and_foreign_handles_are_undefined() {
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.open("db.edb").0, OK);
    assert_eq!(fx.end(bits::JET_bitBackupEndAbort), OK);
    assert_eq!(fx.begin(0), OK);
    let (err, out, _) = fx.read(65536);
    assert_eq!(err, PARAM_);
    assert!(out.undefined.unwrap().contains("5.4"));
    let t = fx.t();
    let mut buf = vec![0u8; 65536];
    let mut out = ReadOut::default();
    assert_eq!(fx.e.read_file(t, 1, &mut buf, true, &mut out), PARAM_);
    assert!(out.undefined.is_some());
}

#[test]
fn incremental_after_lost_logs_is_569_and_the_backup_survives() {
    let mut fx = online(V::Win10);
    fx.full_sequence(true);
    assert_eq!(fx.end(NORMAL), OK);
    assert_eq!(fx.e.log_traffic(fx.sesid, fx.dbid, 400), OK);
    // Lose the oldest archived generations.
    let logs = fx.dir.path().join("logs");
    let mut names: Vec<String> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() == 12 && n.starts_with("edb") && n.ends_with(".log"))
        .collect();
    names.sort();
    // The full backup left its last generation (at the checkpoint, spec 15.9) in place: the
    // two oldest must go for a gap after the recorded genHigh.
    for n in &names[..2] {
        let p = logs.join(n).to_string_lossy().into_owned();
        assert_eq!(fx.e.verb_delete_file(&p), OK);
    }
    assert_eq!(fx.begin(bits::JET_bitBackupIncremental), OK);
    let (err, out) = fx.log_info_out();
    assert_eq!(err, E::JET_errMissingFileToBackup);
    assert!(out.written.is_none());
    // spec 15.5: copyMic stayed 0: no copy range for TruncateLog, and the list starts at 0.
    assert_eq!(fx.truncate(), E::JET_errInvalidBackupSequence);
    let (err, logs) = fx.log_info();
    assert_eq!(err, OK);
    assert!(logs[0].ends_with("edb00000.log"), "{logs:?}");
    assert_eq!(fx.end(NORMAL), OK, "backup intact");
}

#[test]
fn a_form_attach_info_one_byte_short_drops_the_final_terminator() {
    // spec 15.6
    use jetconform_mock::backup::lists::{ListArgs, ListCharset, ListOut};
    let mut fx = online(V::Win10);
    assert_eq!(fx.begin(0), OK);
    let t = fx.t();
    let a = |cb_max| ListArgs {
        charset: ListCharset::A,
        buffer: true,
        cb_max,
    };
    let mut size = ListOut::default();
    assert_eq!(fx.e.get_attach_info(t, a(0), &mut size), OK);
    let needed = size.cb_actual.unwrap();
    let mut out = ListOut::default();
    assert_eq!(fx.e.get_attach_info(t, a(needed - 1), &mut out), OK);
    let written = out.written.unwrap();
    assert_eq!(written.len() as u32, needed - 1);
    assert_eq!(written.last(), Some(&0), "the name keeps its terminator");
    assert_eq!(
        fx.e.get_attach_info(t, a(needed - 2), &mut ListOut::default()),
        E::JET_errBufferTooSmall
    );
}

#[test]
fn incremental_backup_lists_logs_since_the_full_one_and_records_inc_prev() {
    let mut fx = online(V::Win10);
    fx.full_sequence(true);
    assert_eq!(fx.end(NORMAL), OK);
    assert_eq!(fx.e.log_traffic(fx.sesid, fx.dbid, 300), OK);
    assert_eq!(fx.begin(bits::JET_bitBackupIncremental), OK);
    let (err, logs) = fx.log_info();
    assert_eq!(err, OK);
    assert!(logs.len() >= 3);
    for l in &logs {
        assert_eq!(fx.open_raw(l).0, OK);
        fx.read_all(65536).unwrap();
        assert_eq!(fx.close(0), OK);
    }
    assert_eq!(fx.truncate(), OK);
    assert_eq!(fx.end(NORMAL), OK);
    let h = db::read_header(&fx.dir.path().join("db.edb")).unwrap();
    assert!(h.inc_prev.gen_high > h.full_prev.gen_high);
}

#[test]
fn attach_info_after_stop_on_vista_cancels() {
    let mut fx = online(V::Vista);
    assert_eq!(fx.begin(0), OK);
    assert_eq!(fx.stop(), OK);
    assert_eq!(fx.attach_info().0, E::JET_errBackupAbortByServer);
    assert_eq!(fx.end(NORMAL), E::JET_errNoBackup);
}

#[test]
fn verbs_on_files() {
    let mut fx = online(V::Win10);
    let a = fx.path("d/a.bin");
    let b = fx.path("e/b.bin");
    assert_eq!(fx.e.verb_write_file(&a, 1000), OK);
    assert_eq!(fx.e.verb_copy_file(&a, &b), OK);
    assert_eq!(std::fs::metadata(&b).unwrap().len(), 1000);
    assert_eq!(fx.e.verb_lock_file(&b), OK);
    assert_eq!(fx.e.verb_delete_file(&b), E::JET_errFileAccessDenied);
    assert_eq!(fx.e.verb_unlock_file(&b), OK);
    assert_eq!(fx.e.verb_delete_file(&b), OK);
    assert_eq!(fx.e.verb_delete_file(&b), E::JET_errFileNotFound);
    let d = fx.path("x/y");
    assert_eq!(fx.e.verb_make_dir(&d), OK);
    assert!(std::path::Path::new(&d).is_dir());
    let db = fx.path("db.edb");
    assert_eq!(
        fx.e.verb_corrupt_page(&db, 999),
        E::JET_errFileAccessDenied,
        "attached"
    );
    assert_eq!(fx.e.detach_database(fx.sesid, None, 0), OK);
    assert_eq!(fx.e.verb_corrupt_page(&db, 999), PARAM_);
    assert_eq!(fx.e.verb_delete_file(&db), OK);
}

#[test]
fn streaming_a_larger_database_keeps_to_the_callers_buffer() {
    // A database grown to 4096 pages (16 MiB) streamed in 1 MiB reads.
    let mut fx = online(V::Win10);
    let p = fx.dir.path().join("big.edb");
    let hdr = DbHeader {
        page_size: 4096,
        pgno_last: 4096,
        db_signature: 7,
        ..Default::default()
    };
    db::create(&p, &hdr).unwrap();
    assert_eq!(
        fx.e.attach_database(fx.sesid, Some(&p.to_string_lossy()), 0),
        OK
    );
    assert_eq!(fx.begin(0), OK);
    let (err, out) = fx.open_raw(&p.to_string_lossy());
    assert_eq!(err, OK);
    let mut total = 0u64;
    loop {
        let (err, o, b) = fx.read(1 << 20);
        assert_eq!(err, OK);
        assert!(o.cb_actual.unwrap() as usize <= 1 << 20);
        if b.is_empty() {
            break;
        }
        total += b.len() as u64;
    }
    assert_eq!(Some(total), out.size);
}
