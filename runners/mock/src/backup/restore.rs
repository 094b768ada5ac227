//! JetRestore / JetRestore2 / JetRestoreInstance (spec 7.2), and the checks shared with
//! JetExternalRestore(2) (`external_restore.rs`, spec 8). Recovery is modelled on the mock's files: backup logs are validated (presence,
//! signatures, continuity), database streams are validated (header, backup mark, trailer,
//! signatures) and turned back into databases whose pages equal the backed-up ones; then the
//! logs are replayed onto them (`recovery.rs`): the backup's, and the instance's own that
//! follow on.

use crate::engine::Engine;
use crate::faults::ApiLock;
use crate::files::db::{self, DbHeader, HeaderError, Trailer};
use crate::files::log::{self as logf, LogHeader, LogNames};
use crate::instance::Instance;
use crate::recovery;
use crate::runmode::RunMode;
use crate::status::{StatusFn, SNP_RESTORE, SNT_BEGIN, SNT_COMPLETE};
use jetconform_interface::{ErrorCode, INSTANCE_NIL};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

type E = ErrorCode;

/// Which restore call.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RestoreTarget {
    /// JetRestore / JetRestore2 (legacy: `ErrRUNINSTCheckAndSetOneInstMode`).
    Legacy,
    /// JetRestoreInstance with this handle (0 / nil: a temporary instance).
    Instance(u64),
}

/// One `JET_RSTMAP` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RstMap {
    pub database_name: Option<String>,
    pub new_database_name: Option<String>,
}

pub(crate) fn lock(e: &mut Engine, idx: usize, on: bool) {
    e.instances[idx].faults.lock = if on { Some(ApiLock::Restore) } else { None };
}

/// Validates the archived generations `lo..=hi` of `dir` (spec 8.3 step 9). Returns the
/// stream signature.
pub(crate) fn check_logs(
    dir: &Path,
    names: &LogNames,
    lo: u32,
    hi: u32,
) -> Result<Option<u64>, ErrorCode> {
    let mut prev: Option<LogHeader> = None;
    let alt = LogNames {
        ext: if names.ext == "log" { "jtx" } else { "log" },
        ..names.clone()
    };
    for g in lo..=hi {
        let p = [dir.join(names.archived(g)), dir.join(alt.archived(g))]
            .into_iter()
            .find(|p| p.is_file());
        let Some(p) = p else {
            return Err(E::JET_errFileNotFound);
        };
        let h = match logf::read_header(&p) {
            Ok(Some(h)) if h.gen == g => h,
            _ => return Err(E::JET_errLogFileCorrupt),
        };
        if let Some(pr) = &prev {
            if pr.signature != h.signature {
                return Err(E::JET_errGivenLogFileHasBadSignature);
            }
            if h.prev_created != pr.created {
                return Err(E::JET_errGivenLogFileIsNotContiguous);
            }
        }
        prev = Some(h);
    }
    Ok(prev.map(|h| h.signature))
}

/// Reads and validates a database backup stream (spec 8.3 step 12 / 10.3).
/// `patch`: the version keeps the trailer in `<db>.pat` next to the stream (W2K, spec 11.4);
/// the returned offset is then `None` (nothing to zero in the stream).
pub(crate) fn check_stream(
    path: &Path,
    log_signature: Option<u64>,
    patch: bool,
) -> Result<(DbHeader, Option<u64>), ErrorCode> {
    let hdr = match db::read_header(path) {
        Ok(h) => h,
        Err(HeaderError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(E::JET_errFileNotFound)
        }
        Err(HeaderError::Io(_)) => return Err(E::JET_errDiskIO),
        Err(_) => return Err(E::JET_errDatabaseCorrupted),
    };
    if hdr.full_cur.gen_low == 0 {
        return Err(E::JET_errRestoreOfNonBackupDatabase);
    }
    let ps = hdr.page_size as u64;
    let trailer_at = (hdr.pgno_last as u64 + 2) * ps;
    if hdr.full_cur.gen_high != 0 {
        // spec 15.1 (amends 8.3 step 12): a header whose genHigh is already set counts as
        // merged with its trailer; the trailer is not examined at all.
        return Ok((hdr, None));
    }
    let mut page = vec![0u8; ps as usize];
    let (ok, at) = if patch {
        let pat = db::patch_name(path);
        let ok = std::fs::File::open(pat)
            .and_then(|mut f| f.read_exact(&mut page))
            .is_ok();
        (ok, None)
    } else {
        let mut f = std::fs::File::open(path).map_err(|_| E::JET_errDiskIO)?;
        let ok = f.seek(SeekFrom::Start(trailer_at)).is_ok() && f.read_exact(&mut page).is_ok();
        (ok, Some(trailer_at))
    };
    let trailer = ok
        .then(|| Trailer::decode(&page))
        .flatten()
        .ok_or(E::JET_errBadPatchPage)?;
    let sig_ok = trailer.db_signature == hdr.db_signature
        && !matches!(log_signature, Some(s) if s != trailer.log_signature);
    if !sig_ok {
        return Err(E::JET_errDatabasePatchFileMismatch);
    }
    Ok((hdr, at))
}

impl Engine {
    pub(crate) fn temp_instance(&mut self, name: &str) -> Result<usize, ErrorCode> {
        if self.instances.len() as u32 >= self.globals.max_instances {
            return Err(E::JET_errTooManyInstances);
        }
        let mut n = 0;
        let unique = loop {
            let cand = format!("{name}{n:04}");
            if !self
                .instances
                .iter()
                .any(|i| i.name.as_deref() == Some(&cand))
            {
                break cand;
            }
            n += 1;
        };
        let h = self.alloc_handle();
        self.instances
            .push(Instance::new(h, Some(unique), None, self.defaults.clone()));
        Ok(self.instances.len() - 1)
    }

    /// `JetRestore(2)` / `JetRestoreInstance` (spec 7.2).
    pub fn restore(
        &mut self,
        target: RestoreTarget,
        src: Option<&str>,
        dest: Option<&str>,
        mut status: StatusFn,
    ) -> ErrorCode {
        let (idx, temp) = match target {
            RestoreTarget::Legacy => {
                // step 1
                match self.mode {
                    RunMode::MultiInst => return E::JET_errRunningInMultiInstanceMode,
                    RunMode::NoSet => self.mode = RunMode::OneInst,
                    RunMode::OneInst => {}
                }
                if self.instances.is_empty() {
                    match self.temp_instance("Restore") {
                        Ok(i) => (i, true),
                        Err(e) => return e,
                    }
                } else {
                    (0, false)
                }
            }
            RestoreTarget::Instance(h)
                if (h == 0 || h == INSTANCE_NIL) && self.mode != RunMode::OneInst =>
            {
                // step 2: a temporary instance; NoSet → MultiInst.
                self.mode = RunMode::MultiInst;
                match self.temp_instance("Restore") {
                    Ok(i) => (i, true),
                    Err(e) => return e,
                }
            }
            RestoreTarget::Instance(h) => {
                if let Err(e) = self.validate_handle(h) {
                    return e;
                }
                match self.find_pinst(h) {
                    Ok(i) => (i, false),
                    Err(e) => return e,
                }
            }
        };
        if self.instances[idx].running() {
            return E::JET_errAlreadyInitialized;
        }
        lock(self, idx, true);
        let r = self.restore_body(idx, src, dest, &mut status);
        lock(self, idx, false);
        if temp {
            self.free_instance(idx);
        } else if self.instances.is_empty() {
            self.mode = RunMode::NoSet;
        }
        match r {
            Ok(()) => E::JET_errSuccess,
            Err(e) => e,
        }
    }

    fn restore_body(
        &mut self,
        idx: usize,
        src: Option<&str>,
        dest: Option<&str>,
        status: &mut StatusFn,
    ) -> Result<(), ErrorCode> {
        // step 3: init without ISAM: path collisions with running instances.
        self.check_path_collisions(idx)?;
        // step 4
        let src = crate::paths::canonical(&self.root, src.ok_or(E::JET_errInvalidParameter)?)?;
        let names = self.instances[idx].params.names();
        // step 5: logs in the folder, else in new\, then old\.
        let (dir, gens) = [src.clone(), src.join("new"), src.join("old")]
            .into_iter()
            .map(|d| {
                let mut g: Vec<u32> = std::fs::read_dir(&d)
                    .map(|rd| {
                        rd.filter_map(|e| e.ok())
                            .filter_map(|e| names.parse(&e.file_name().to_string_lossy()))
                            .collect()
                    })
                    .unwrap_or_default();
                g.sort_unstable();
                (d, g)
            })
            .find(|(_, g)| !g.is_empty())
            .ok_or(E::JET_errFileNotFound)?;
        // step 6
        let (lo, hi) = (gens[0], gens[gens.len() - 1]);
        let signature = check_logs(&dir, &names, lo, hi)?;
        // step 7: the database map comes from the patch files.
        let pats: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "pat"))
                    .collect()
            })
            .unwrap_or_default();
        if pats.is_empty() {
            return Err(E::JET_errPatchFileMissing);
        }
        let dest_dir = match dest {
            Some(d) if !d.is_empty() => {
                let d = crate::paths::canonical(&self.root, d)?;
                if !d.is_dir() {
                    let create = self.instances[idx].params.create_path_if_not_exist;
                    if !create || std::fs::create_dir_all(&d).is_err() {
                        return Err(E::JET_errInvalidPath);
                    }
                }
                Some(d)
            }
            _ => None,
        };
        // step 8
        self.notify(status, SNP_RESTORE, SNT_BEGIN, None);
        let mut restored: Vec<(PathBuf, PathBuf)> = Vec::new();
        for pat in pats {
            let stem = pat
                .file_stem()
                .map(|s| s.to_os_string())
                .unwrap_or_default();
            let stream = std::fs::read_dir(&dir)
                .map_err(|_| E::JET_errFileNotFound)?
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .find(|p| {
                    p.file_stem() == Some(stem.as_os_str())
                        && p.extension() != Some(std::ffi::OsStr::new("pat"))
                        && !names.has_log_ext(&p.to_string_lossy())
                })
                .ok_or(E::JET_errFileNotFound)?;
            let (hdr, _) = check_stream(&stream, signature, self.profile.patch_files.value)?;
            let out = match &dest_dir {
                Some(d) => d.join(stream.file_name().unwrap_or_default()),
                None => PathBuf::from(&hdr.original_path),
            };
            restored.push((PathBuf::from(&hdr.original_path), out.clone()));
            write_restored_db(&stream, &out, hdr, hi)?;
        }
        // Redo: the backup's logs, then the instance's own if they follow on (recovery.rs).
        if let Some(sig) = signature {
            let log_dir = self.resolve(&self.instances[idx].params.log_path);
            let gens = recovery::restore_gens(&dir, &names, lo, hi, Some(&log_dir), sig);
            let map = |p: &str| recovery::restored_path(&restored, p);
            let r = recovery::Replay {
                map: &map,
                ignore_missing: false,
            };
            recovery::replay(&gens, (lo, 0), sig, &r)?;
        }
        self.notify(status, SNP_RESTORE, SNT_COMPLETE, None);
        Ok(())
    }
}

/// Turns a backup stream back into a database file: header (restored, clean) twice, then
/// the data pages exactly as streamed; the trailer is dropped.
fn write_restored_db(
    stream: &Path,
    out: &Path,
    mut hdr: DbHeader,
    gen_high: u32,
) -> Result<(), ErrorCode> {
    hdr.full_cur.gen_high = gen_high;
    hdr.clean = true;
    // spec 15.1: once recovery has made the database consistent, the whole bkinfoFullCur is
    // cleared (the mock's recovery always ends clean), so the file is no backup any more.
    hdr.full_cur = Default::default();
    hdr.original_path = out.to_string_lossy().into_owned();
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|_| E::JET_errInvalidPath)?;
    }
    let ps = hdr.page_size as u64;
    let mut src = std::fs::File::open(stream).map_err(|_| E::JET_errDiskIO)?;
    let mut dst = std::fs::File::create(out).map_err(|_| E::JET_errFileAccessDenied)?;
    let h = hdr.encode();
    dst.write_all(&h)
        .and_then(|_| dst.write_all(&h))
        .map_err(|_| E::JET_errDiskIO)?;
    src.seek(SeekFrom::Start(2 * ps))
        .map_err(|_| E::JET_errDiskIO)?;
    let mut pages = src.take(hdr.pgno_last as u64 * ps);
    std::io::copy(&mut pages, &mut dst).map_err(|_| E::JET_errDiskIO)?;
    Ok(())
}
