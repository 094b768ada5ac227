//! JetRestore / JetRestore2 / JetRestoreInstance (spec 7.2) and JetExternalRestore(2)
//! (spec 8). Recovery is modelled on the mock's files: backup logs are validated (presence,
//! signatures, continuity), database streams are validated (header, backup mark, trailer,
//! signatures) and turned back into databases whose pages equal the backed-up ones. Redo and
//! undo have nothing to replay: the mock's log records carry no page images.

use crate::engine::Engine;
use crate::faults::ApiLock;
use crate::files::checkpoint::{self, Checkpoint};
use crate::files::db::{self, DbHeader, HeaderError, Trailer};
use crate::files::log::{self as logf, LogHeader, LogNames};
use crate::instance::Instance;
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

/// The arguments of JetExternalRestore / JetExternalRestore2 (spec 8.1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExternalRestore {
    /// JetExternalRestore2 (else the 8-argument form).
    pub v2: bool,
    /// The A (or undecorated) form: map pointer/count consistency is checked (spec 8.3 step 2).
    pub ansi: bool,
    pub checkpoint_path: Option<String>,
    pub log_path: Option<String>,
    /// `rgrstmap` (`None`: NULL).
    pub map: Option<Vec<RstMap>>,
    pub count: i32,
    pub backup_log_path: Option<String>,
    pub gen_low: i32,
    pub gen_high: i32,
    /// `pLogInfo` of the 2 form: `None` is NULL; `cb_size_ok` says whether cbSize matched.
    pub log_info: Option<(bool, String)>,
    pub target_name: Option<String>,
    pub target_log_path: Option<String>,
    pub target_checkpoint_path: Option<String>,
}

/// `2 · dbidMax` (spec 8.2).
const MAX_MAP: i32 = 14;

fn lock(e: &mut Engine, idx: usize, on: bool) {
    e.instances[idx].faults.lock = if on { Some(ApiLock::Restore) } else { None };
}

/// Validates the archived generations `lo..=hi` of `dir` (spec 8.3 step 9). Returns the
/// stream signature.
fn check_logs(dir: &Path, names: &LogNames, lo: u32, hi: u32) -> Result<Option<u64>, ErrorCode> {
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
fn check_stream(
    path: &Path,
    log_signature: Option<u64>,
    patch: bool,
) -> Result<(DbHeader, Trailer, Option<u64>), ErrorCode> {
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
    let mut page = vec![0u8; ps as usize];
    let (ok, at) = if patch {
        let pat = crate::backup::jetbackup::patch_name(path);
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
    Ok((hdr, trailer, at))
}

impl Engine {
    fn temp_instance(&mut self, name: &str) -> Result<usize, ErrorCode> {
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
        let p = self.instances[idx].params.clone();
        for (j, other) in self.instances.iter().enumerate() {
            if j == idx || !other.running() {
                continue;
            }
            let same = |a: &str, b: &str| crate::paths::same(&self.resolve(a), &self.resolve(b));
            if same(&other.params.system_path, &p.system_path) {
                return Err(E::JET_errSystemPathInUse);
            }
            if same(&other.params.log_path, &p.log_path) {
                return Err(E::JET_errLogFilePathInUse);
            }
            if same(&other.params.temp_path, &p.temp_path) {
                return Err(E::JET_errTempPathInUse);
            }
        }
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
            let (hdr, _, _) = check_stream(&stream, signature, self.profile.patch_files.value)?;
            let out = match &dest_dir {
                Some(d) => d.join(stream.file_name().unwrap_or_default()),
                None => PathBuf::from(&hdr.original_path),
            };
            write_restored_db(&stream, &out, hdr, hi)?;
        }
        self.notify(status, SNP_RESTORE, SNT_COMPLETE, None);
        Ok(())
    }

    /// `JetExternalRestore` / `JetExternalRestore2` (spec 8.3, checks in order).
    pub fn external_restore(&mut self, a: &ExternalRestore, mut status: StatusFn) -> ErrorCode {
        // step 1
        let base = if a.v2 {
            match &a.log_info {
                Some((true, base)) => base.clone(),
                _ => return E::JET_errInvalidParameter,
            }
        } else {
            "edb".to_string()
        };
        // step 2
        if a.ansi && (a.map.is_none() && a.count != 0 || a.map.is_some() && a.count == 0) {
            return E::JET_errInvalidParameter;
        }
        // step 3
        if a.target_log_path.is_some() != a.target_checkpoint_path.is_some()
            || a.target_name.is_some() && a.target_log_path.is_some()
        {
            return E::JET_errInvalidParameter;
        }
        // step 4
        match self.mode {
            RunMode::OneInst => return E::JET_errRunningInOneInstanceMode,
            RunMode::NoSet => self.mode = RunMode::MultiInst,
            RunMode::MultiInst => {}
        }
        let r = self.external_restore_body(a, &base, &mut status);
        if self.instances.is_empty() {
            self.mode = RunMode::NoSet;
        }
        r.unwrap_or_else(|e| e)
    }

    fn external_restore_body(
        &mut self,
        a: &ExternalRestore,
        base: &str,
        status: &mut StatusFn,
    ) -> Result<ErrorCode, ErrorCode> {
        // step 5: the target instance. The engine swaps the caller's log and checkpoint
        // paths (spec 8.4): the caller's *checkpoint* path is used as the log path.
        let mut target: Option<usize> = None;
        let mut in_place: Option<(PathBuf, PathBuf)> = None;
        if let Some(name) = &a.target_name {
            let t = self
                .instances
                .iter()
                .position(|i| i.name.as_deref() == Some(name.as_str()) && i.running());
            let t = t.ok_or(E::JET_errBadRestoreTargetInstance)?;
            self.api_enter(t)?;
            if self.instances[t].params.base_name != base {
                return Err(E::JET_errBadRestoreTargetInstance);
            }
            if !self.instances[t].params.circular_log {
                target = Some(t);
            }
        } else if let (Some(tl), Some(tc)) = (&a.target_log_path, &a.target_checkpoint_path) {
            let (log, chk) = (self.resolve(tc), self.resolve(tl));
            let t = self
                .instances
                .iter()
                .position(|i| i.running() && crate::paths::same(&i.log.dir, &log));
            match t {
                Some(t) => {
                    self.api_enter(t)?;
                    if self.instances[t].params.base_name != base {
                        return Err(E::JET_errBadRestoreTargetInstance);
                    }
                    if !self.instances[t].params.circular_log {
                        target = Some(t);
                    }
                }
                None => in_place = Some((log, chk)),
            }
        }
        // step 6
        let ridx = self.temp_instance("Restore")?;
        let r = self.external_restore_run(ridx, a, base, target, in_place, status);
        self.free_instance(ridx);
        r
    }

    fn external_restore_run(
        &mut self,
        ridx: usize,
        a: &ExternalRestore,
        base: &str,
        target: Option<usize>,
        in_place: Option<(PathBuf, PathBuf)>,
        status: &mut StatusFn,
    ) -> Result<ErrorCode, ErrorCode> {
        let (log_dir, chk_dir) = match in_place {
            Some(p) => p,
            None => (
                self.resolve(a.log_path.as_deref().unwrap_or(".")),
                self.resolve(a.checkpoint_path.as_deref().unwrap_or(".")),
            ),
        };
        // step 7: path collisions with running instances (system first).
        for i in self.instances.iter().filter(|i| i.running()) {
            if crate::paths::same(&i.log.system_dir, &chk_dir) {
                return Err(E::JET_errSystemPathInUse);
            }
            if crate::paths::same(&i.log.dir, &log_dir) {
                return Err(E::JET_errLogFilePathInUse);
            }
        }
        // step 8
        for d in [&log_dir, &chk_dir] {
            std::fs::create_dir_all(d).map_err(|_| E::JET_errFileNotFound)?;
        }
        lock(self, ridx, true);
        // step 9
        let names = LogNames::new(base, 0x3);
        let backup_dir = self.resolve(a.backup_log_path.as_deref().unwrap_or("."));
        let (lo, hi) = (a.gen_low.max(0) as u32, a.gen_high.max(0) as u32);
        let signature = check_logs(&backup_dir, &names, lo, hi)?;
        // step 10: logs outside the range are deleted from a separate backup folder.
        if !crate::paths::same(&backup_dir, &log_dir) {
            if let Ok(rd) = std::fs::read_dir(&backup_dir) {
                for e in rd.filter_map(|e| e.ok()) {
                    let n = e.file_name().to_string_lossy().into_owned();
                    let out = names.parse(&n).is_some_and(|g| g < lo || g > hi)
                        || n.eq_ignore_ascii_case(&names.current());
                    if out {
                        let _ = std::fs::remove_file(e.path());
                    }
                }
            }
        }
        // step 11: existing logs of the roll-forward folder must belong to the same stream.
        let existing_dir = target
            .map(|t| self.instances[t].log.dir.clone())
            .unwrap_or_else(|| log_dir.clone());
        if let (Some(sig), Ok(rd)) = (signature, std::fs::read_dir(&existing_dir)) {
            for e in rd.filter_map(|e| e.ok()) {
                if names.parse(&e.file_name().to_string_lossy()).is_some() {
                    if let Ok(Some(h)) = logf::read_header(&e.path()) {
                        if h.signature != sig {
                            return Err(E::JET_errExistingLogFileHasBadSignature);
                        }
                    }
                }
            }
        }
        // step 12
        if a.count < 0 || a.count > MAX_MAP {
            return Err(E::JET_errInvalidParameter);
        }
        let map = a.map.clone().unwrap_or_default();
        let entries = &map[..(a.count as usize).min(map.len())];
        let mut checked = Vec::new();
        for m in entries {
            let Some(new) = m.new_database_name.as_deref() else {
                return Err(E::JET_errInvalidParameter);
            };
            let p = crate::paths::canonical(&self.root, new)?;
            let (hdr, _, trailer_at) = check_stream(&p, signature, self.profile.patch_files.value)?;
            checked.push((p, hdr, trailer_at));
        }
        for (p, mut hdr, trailer_at) in checked {
            // The range tests (-554/-553) are overwritten in SRC (spec 8.4): not returned.
            hdr.full_cur.gen_high = hi;
            hdr.clean = true;
            db::write_header(&p, &hdr).map_err(|_| E::JET_errDiskIO)?;
            // The trailer page is zeroed (a W2K patch file is left as it is).
            if let Some(at) = trailer_at {
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&p)
                    .map_err(|_| E::JET_errDiskIO)?;
                let zero = vec![0u8; hdr.page_size as usize];
                f.seek(SeekFrom::Start(at))
                    .and_then(|_| f.write_all(&zero))
                    .map_err(|_| E::JET_errDiskIO)?;
            }
        }
        // step 13
        let chk = chk_dir.join(names.checkpoint());
        let _ = std::fs::remove_file(&chk);
        if let Some(sig) = signature {
            checkpoint::write(
                &chk,
                &Checkpoint {
                    gen: lo,
                    signature: sig,
                },
            )
            .map_err(|_| E::JET_errDiskIO)?;
        }
        self.notify(status, SNP_RESTORE, SNT_BEGIN, None);
        self.notify(status, SNP_RESTORE, SNT_COMPLETE, None);
        lock(self, ridx, false);
        // spec 8.2: a running target's log stream is rolled; its logs feed the roll-forward.
        if let Some(t) = target {
            let _ = self.log_roll(t);
        }
        // step 14
        Ok(if target.is_some() {
            E::JET_wrnTargetInstanceRunning
        } else {
            E::JET_errSuccess
        })
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
