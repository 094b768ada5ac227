//! Windows 2000 patch files (spec 10.1, 11.4; knob `patch_files`): the database stream has
//! no trailer page, the patch data goes to `<db>.pat`, listed after the logs and needed by
//! restores.

mod common;
use common::*;
use jetconform_interface::grbits::bits;
use jetconform_interface::WinVersion as V;
use jetconform_mock::backup::external_restore::ExternalRestore;
use jetconform_mock::backup::restore::{RestoreTarget, RstMap};
use jetconform_mock::files::db::{self, Trailer};
use std::path::Path;

#[test]
fn stream_without_trailer_and_a_listed_patch_file() {
    let mut fx = online(V::Win2000);
    assert_eq!(fx.begin(0), OK);
    let (err, out) = fx.open("db.edb");
    assert_eq!(err, OK);
    assert_eq!(out.size, Some((16 + 2) * 4096));
    let pat = fx.dir.path().join("db.pat");
    assert!(pat.exists(), "created by OpenFile");
    let stream = fx.read_all(65536).unwrap();
    assert_eq!(stream.len(), 18 * 4096);
    assert!(Trailer::decode(&std::fs::read(&pat).unwrap()).is_some());
    assert_eq!(fx.close(0), OK);
    let (err, list) = fx.log_info();
    assert_eq!(err, OK);
    assert!(list.last().unwrap().ends_with("db.pat"), "{list:?}");
    assert_eq!(fx.open_raw(list.last().unwrap()).0, OK);
    let (err, out, b) = fx.read(12288);
    assert_eq!(err, OK, "{out:?}");
    assert_eq!(b.len(), 4096);
    assert!(
        out.undefined.is_none(),
        "W2K patch files are meant to be read"
    );
    assert_eq!(fx.close(0), OK);
    std::fs::create_dir_all(fx.dir.path().join("restore")).unwrap();
    std::fs::write(fx.dir.path().join("restore/db.edb"), &stream).unwrap();
    std::fs::copy(&pat, fx.dir.path().join("restore/db.pat")).unwrap();
    let logs: Vec<String> = list
        .iter()
        .filter(|l| l.ends_with(".log"))
        .cloned()
        .collect();
    std::fs::create_dir_all(fx.dir.path().join("blogs")).unwrap();
    for l in &logs {
        std::fs::copy(
            l,
            fx.dir
                .path()
                .join("blogs")
                .join(Path::new(l).file_name().unwrap()),
        )
        .unwrap();
    }
    assert_eq!(fx.end(bits::JET_bitBackupEndNormal), OK);
    // JetExternalRestore on Windows 2000 (its own temporary instance needs multi-instance
    // mode, so a fresh engine runs it).
    let mut e = jetconform_mock::Engine::new(V::Win2000, fx.dir.path());
    let gen = |l: &String| {
        u32::from_str_radix(
            &Path::new(l).file_stem().unwrap().to_string_lossy()[3..],
            16,
        )
        .unwrap()
    };
    let x = ExternalRestore {
        checkpoint_path: Some(fx.path("rst")),
        log_path: Some(fx.path("rst")),
        map: Some(vec![RstMap {
            database_name: Some(fx.path("db.edb")),
            new_database_name: Some(fx.path("restore/db.edb")),
        }]),
        count: 1,
        backup_log_path: Some(fx.path("blogs")),
        gen_low: gen(&logs[0]) as i32,
        gen_high: gen(logs.last().unwrap()) as i32,
        ..Default::default()
    };
    let stream = fx.dir.path().join("restore/db.edb");
    let saved = std::fs::read(&stream).unwrap();
    assert_eq!(e.external_restore(&x, None), OK);
    // The restored file is no backup any more (spec 15.1): the saved stream, without its
    // patch file, is what lacks a trailer.
    std::fs::write(&stream, saved).unwrap();
    std::fs::remove_file(fx.dir.path().join("restore/db.pat")).unwrap();
    assert_eq!(
        e.external_restore(&x, None),
        jetconform_interface::ErrorCode::JET_errBadPatchPage
    );
}

#[test]
fn jet_backup_and_restore_round_trip_with_real_patch_files() {
    let mut fx = online(V::Win2000);
    let t = fx.t();
    let dir = fx.path("bk");
    // No JET_paramCreatePathIfNotExist before XP: the backup folder must exist (spec 7.1).
    std::fs::create_dir_all(fx.dir.path().join("bk")).unwrap();
    assert_eq!(fx.e.backup(t, Some(&dir), 0, None), OK);
    let pat = std::fs::read(fx.dir.path().join("bk/db.pat")).unwrap();
    assert!(Trailer::decode(&pat).is_some());
    let inst = fx.inst;
    assert_eq!(fx.e.term(inst, 0), OK);
    let dest = fx.path("restored");
    std::fs::create_dir_all(&dest).unwrap();
    assert_eq!(
        fx.e.restore(RestoreTarget::Legacy, Some(&dir), Some(&dest), None),
        OK
    );
    let a = std::fs::read(fx.dir.path().join("restored/db.edb")).unwrap();
    let b = std::fs::read(fx.dir.path().join("db.edb")).unwrap();
    let h = db::read_header(&fx.dir.path().join("db.edb")).unwrap();
    let ps = h.page_size as usize;
    assert_eq!(a[2 * ps..], b[2 * ps..]);
}
