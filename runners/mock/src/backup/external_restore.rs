//! JetExternalRestore / JetExternalRestore2 (spec 8): hard recovery of a streaming backup
//! into a temporary instance of its own. Checks in SRC order (spec 8.3).

use crate::backup::restore::{check_logs, check_stream, lock, RstMap};
use crate::engine::Engine;
use crate::files::checkpoint::{self, Checkpoint};
use crate::files::db;
use crate::files::log::{self as logf, LogNames};
use crate::runmode::RunMode;
use crate::status::{StatusFn, SNP_RESTORE, SNT_BEGIN, SNT_COMPLETE};
use jetconform_interface::ErrorCode;
use std::io::{Seek, SeekFrom, Write};
use std::path::PathBuf;

type E = ErrorCode;

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

impl Engine {
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
        // spec 15.2 (amends 8.3): the A wrapper then allocates the converted map for `count`
        // entries; a negative count fails that allocation, before any path, mode or log check.
        // Only the W form reaches the late map-count test of step 12.
        if a.ansi && a.map.is_some() && a.count < 0 {
            self.knob(&self.profile.a_form_converts_restore_map);
            if self.profile.a_form_converts_restore_map.value {
                return E::JET_errOutOfMemory;
            }
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
            let (hdr, trailer_at) = check_stream(&p, signature, self.profile.patch_files.value)?;
            checked.push((p, hdr, trailer_at));
        }
        let cleared = checked.clone();
        let originals: Vec<(PathBuf, PathBuf)> = checked
            .iter()
            .map(|(p, h, _)| (PathBuf::from(&h.original_path), p.clone()))
            .collect();
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
                    index: 0,
                    signature: sig,
                },
            )
            .map_err(|_| E::JET_errDiskIO)?;
        }
        self.notify(status, SNP_RESTORE, SNT_BEGIN, None);
        // Redo onto the mapped databases: the backup's logs, then the roll-forward folder's
        // if they follow on (recovery.rs).
        if let Some(sig) = signature {
            let pairs: Vec<(PathBuf, PathBuf)> = originals;
            let gens = crate::recovery::restore_gens(
                &backup_dir,
                &names,
                lo,
                hi,
                Some(&existing_dir),
                sig,
            );
            let map = |p: &str| crate::recovery::restored_path(&pairs, p);
            let r = crate::recovery::Replay {
                map: &map,
                ignore_missing: false,
            };
            crate::recovery::replay(&gens, (lo, 0), sig, &r)?;
        }
        self.notify(status, SNP_RESTORE, SNT_COMPLETE, None);
        // spec 15.1: the clean end of recovery clears the whole bkinfoFullCur of every
        // restored database, so a second restore of the same file gives -615.
        for (p, _, _) in &cleared {
            if let Ok(mut h) = db::read_header(p) {
                h.full_cur = Default::default();
                db::write_header(p, &h).map_err(|_| E::JET_errDiskIO)?;
            }
        }
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
