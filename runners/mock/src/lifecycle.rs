//! Instance life-cycle calls (spec 9, 6.11): JetCreateInstance(2), JetInit(2/3), JetTerm(2),
//! JetStopService(Instance)(2).

use crate::backup::restore::RstMap;
use crate::engine::Engine;
use crate::entry::Target;
use crate::files::db;
use crate::files::log::RecordKind;
use crate::instance::{Instance, Life};
use crate::runmode::RunMode;
use crate::status::StatusFn;
use jetconform_interface::grbits::bits;
use jetconform_interface::{ErrorCode, INSTANCE_NIL};
use std::path::{Path, PathBuf};

type E = ErrorCode;

/// `sizeof(JET_RSTINFO)` on x64 (spec 1.2).
pub const RSTINFO_SIZE: u32 = 48;

fn ensure_dir(p: &Path, create: bool) -> Result<(), ErrorCode> {
    // `create_dir_all` accepts a folder that is already there (it makes it first, and looks
    // only when that fails): one call where a look and a make were two.
    let ok = if create {
        std::fs::create_dir_all(p).is_ok()
    } else {
        p.is_dir()
    };
    if ok {
        Ok(())
    } else {
        Err(E::JET_errInvalidPath)
    }
}

impl Engine {
    /// `JetCreateInstance` (spec 9). `out` receives `*pinstance` when written.
    pub fn create_instance(
        &mut self,
        out: Option<&mut u64>,
        name: Option<&str>,
        display: Option<&str>,
    ) -> ErrorCode {
        let Some(out) = out else {
            return E::JET_errInvalidParameter;
        };
        match self.mode {
            RunMode::OneInst => return E::JET_errRunningInOneInstanceMode,
            RunMode::NoSet | RunMode::MultiInst => {}
        }
        // Two NULL names collide too (spec 9).
        if self.instances.iter().any(|i| i.name.as_deref() == name) {
            return E::JET_errInstanceNameInUse;
        }
        if self.instances.len() as u32 >= self.globals.max_instances {
            return E::JET_errTooManyInstances;
        }
        self.mode = RunMode::MultiInst;
        let h = self.alloc_handle();
        let params = self.defaults.clone();
        self.instances.push(Instance::new(
            h,
            name.map(str::to_string),
            display.map(str::to_string),
            params,
        ));
        *out = h;
        E::JET_errSuccess
    }

    /// `JetInit` / `JetInit2` (spec 9). `pinstance`: the value `*pinstance` holds (`None`:
    /// NULL). `out` receives the handle written back through `pinstance`.
    pub fn init(&mut self, pinstance: Option<u64>, grbit: u32, out: &mut Option<u64>) -> ErrorCode {
        self.init_full(pinstance, grbit, out, &[], &mut None)
    }

    /// JetInit with what JetInit3's `JET_RSTINFO` adds: a database map and a status callback
    /// for the recovery (`recovery.rs`).
    pub(crate) fn init_full(
        &mut self,
        pinstance: Option<u64>,
        grbit: u32,
        out: &mut Option<u64>,
        map: &[RstMap],
        status: &mut StatusFn,
    ) -> ErrorCode {
        let (idx, allocated) = match self.mode {
            RunMode::MultiInst => {
                let Some(h) = pinstance else {
                    return E::JET_errRunningInMultiInstanceMode;
                };
                if h == 0 || h == INSTANCE_NIL {
                    if self.instances.iter().any(|i| i.name.is_none()) {
                        return E::JET_errInstanceNameInUse;
                    }
                    if self.instances.len() as u32 >= self.globals.max_instances {
                        return E::JET_errTooManyInstances;
                    }
                    let h = self.alloc_handle();
                    self.instances
                        .push(Instance::new(h, None, None, self.defaults.clone()));
                    *out = Some(h);
                    (self.instances.len() - 1, true)
                } else {
                    if let Err(e) = self.validate_handle(h) {
                        return e;
                    }
                    match self.index_of(h) {
                        Some(i) if self.instances[i].running() => {
                            return E::JET_errAlreadyInitialized
                        }
                        // An instance whose API is locked (fault hooks, spec 14.26): the
                        // concurrent JetInit / restore / JetTerm wins.
                        Some(i) if self.instances[i].faults.lock.is_some() => {
                            return match self.instances[i].faults.lock {
                                Some(crate::faults::ApiLock::Init) => E::JET_errInitInProgress,
                                Some(crate::faults::ApiLock::Restore) => {
                                    E::JET_errRestoreInProgress
                                }
                                _ => E::JET_errTermInProgress,
                            };
                        }
                        Some(i) => (i, false),
                        None => return E::JET_errInvalidParameter,
                    }
                }
            }
            RunMode::OneInst => return E::JET_errAlreadyInitialized,
            RunMode::NoSet => {
                // spec 4.1: the first JetInit without a created instance selects OneInst.
                self.mode = RunMode::OneInst;
                let h = self.alloc_handle();
                self.instances
                    .push(Instance::new(h, None, None, self.defaults.clone()));
                if pinstance.is_some() {
                    *out = Some(h);
                }
                (self.instances.len() - 1, true)
            }
        };
        match self.init_instance(idx, grbit, map, status) {
            Ok(()) => {
                // On success the instance is written back through a non-NULL pinstance
                // (inferred: how the legacy JetInit(&inst) hands out its instance).
                if pinstance.is_some() {
                    *out = Some(self.instances[idx].handle);
                }
                E::JET_errSuccess
            }
            Err(e) => {
                // spec 9: failure frees an instance it allocated, and a created one.
                let _ = allocated;
                self.free_instance(idx);
                *out = None;
                e
            }
        }
    }

    /// `JetInit3` (spec 9): `cb_struct` of a given JET_RSTINFO must be exact; its map
    /// (`rgrstmap`) redirects the databases recovery replays, and `status` (its
    /// `pfnStatus`) hears the recovery's progress (`recovery.rs`).
    pub fn init3(
        &mut self,
        pinstance: Option<u64>,
        rstinfo: Option<(u32, &[RstMap])>,
        grbit: u32,
        out: &mut Option<u64>,
        mut status: StatusFn,
    ) -> ErrorCode {
        let mut map: &[RstMap] = &[];
        if let Some((cb, m)) = rstinfo {
            if cb != RSTINFO_SIZE {
                return E::JET_errInvalidParameter;
            }
            map = m;
        }
        self.init_full(pinstance, grbit, out, map, &mut status)
    }

    /// Init without ISAM (spec 7.2 step 3, 8.3 step 7): the instance's system, log and temp
    /// paths may not be those of another running instance (-1083 / -1084 / -1085).
    pub(crate) fn check_path_collisions(&self, idx: usize) -> Result<(), ErrorCode> {
        let p = &self.instances[idx].params;
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
        Ok(())
    }

    fn init_instance(
        &mut self,
        idx: usize,
        grbit: u32,
        map: &[RstMap],
        status: &mut StatusFn,
    ) -> Result<(), ErrorCode> {
        let p = self.instances[idx].params.clone();
        let create = p.create_path_if_not_exist;
        let system_dir = self.resolve(&p.system_path);
        let log_dir = self.resolve(&p.log_path);
        let temp = self.resolve(&p.temp_path);
        let temp_dir = if p.temp_path.ends_with('/') || p.temp_path.ends_with('\\') {
            temp.clone()
        } else {
            temp.parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| self.root.clone())
        };
        // Path collisions with other running instances (spec 8.3 step 7, 9).
        self.check_path_collisions(idx)?;
        ensure_dir(&system_dir, create)?;
        ensure_dir(&log_dir, create)?;
        ensure_dir(&temp_dir, create)?;
        {
            let i = &mut self.instances[idx];
            i.log.dir = log_dir;
            i.log.system_dir = system_dir;
        }
        // spec 9 / 11.4: Windows 2000's JetInit re-attaches the databases that were attached
        // at the last term (recorded with the checkpoint); XP+ attach nothing.
        let reattach = if self.profile.init_reattaches.value {
            crate::files::checkpoint::read_attachments(&self.checkpoint_path(idx))
        } else {
            Vec::new()
        };
        // Crash recovery first (recovery.rs): the logs after the checkpoint are replayed.
        self.recover_at_init(idx, grbit, map, status)?;
        self.open_log_stream(idx)?;
        self.log_append(idx, RecordKind::Init, 0, 1)?;
        for path in reattach.into_iter().map(PathBuf::from) {
            let Ok(hdr) = db::read_header(&path) else {
                continue;
            };
            let dbid = (1..)
                .find(|d| !self.instances[idx].dbs.iter().any(|x| x.dbid == *d))
                .unwrap_or(1);
            let unlogged = hdr.recovery_off || !self.instances[idx].params.logging();
            self.instances[idx]
                .dbs
                .push(crate::instance::AttachedDb::new(
                    dbid,
                    path,
                    unlogged,
                    hdr.db_signature,
                ));
        }
        let i = &mut self.instances[idx];
        i.life = Life::Running;
        // spec 4.5: set only by a successful JetInit.
        i.backup_allowed = true;
        i.backup = Default::default();
        Ok(())
    }

    /// `JetTerm` ≡ `JetTerm2(inst, JET_bitTermAbrupt)` (spec 2.3).
    pub fn term(&mut self, inst: u64, grbit: u32) -> ErrorCode {
        if let Err(e) = self.validate_handle(inst) {
            return e;
        }
        let idx = match self.find_pinst(inst) {
            Ok(i) => i,
            Err(e) => return e,
        };
        if !self.instances[idx].running() {
            // spec 9: an uninitialized created instance is freed.
            self.free_instance(idx);
            return E::JET_errSuccess;
        }
        if self.instances[idx].faults.lock == Some(crate::faults::ApiLock::Term) {
            return E::JET_errTermInProgress;
        }
        // spec 4.5: cleared first, never restored if the term fails.
        self.instances[idx].backup_allowed = false;
        let dirty_bit = self.profile.term_dirty.value && grbit & bits::JET_bitTermDirty != 0;
        let ends_backup = grbit & (bits::JET_bitTermAbrupt | bits::JET_bitTermStopBackup) != 0;
        let dirty_only = dirty_bit && grbit & !bits::JET_bitTermDirty == 0;
        // spec 9: a termination (SRC: Complete and Abrupt alike) with a transaction open.
        // A dirty termination is the crash path and leaves them to recovery (inferred).
        if !dirty_only && self.has_open_transactions(idx) {
            return E::JET_errTooManyActiveUsers;
        }
        if self.instances[idx].backup.in_progress {
            if ends_backup {
                // spec 5.7: the backup ends internally with reason -801.
                self.backup_cleanup(idx, Some(E::JET_errBackupAbortByServer));
            } else if !dirty_only {
                // spec 5.7: JetTerm2 without Abrupt/StopBackup during a backup.
                return E::JET_errBackupInProgress;
            }
        }
        if !dirty_bit {
            // A clean termination writes the data to the pages and logs its end; a dirty one
            // stops like a crash, leaving both to recovery at the next JetInit (redo.rs).
            for d in 0..self.instances[idx].dbs.len() {
                let _ = self.flush_db(idx, d);
            }
            let _ = self.log_append(idx, RecordKind::Term, 0, 1);
            // spec 15.9: a clean termination flushes everything: the checkpoint catches up.
            let l = &mut self.instances[idx].log;
            l.checkpoint_gen = l.current_gen;
            l.checkpoint_index = l.records;
        }
        self.drop_cursors_of_instance(idx);
        let _ = self.write_checkpoint(idx);
        if self.profile.init_reattaches.value {
            // spec 9 / 11.4: what the next W2K JetInit re-attaches.
            let dbs: Vec<String> = self.instances[idx]
                .dbs
                .iter()
                .map(|d| d.path.to_string_lossy().into_owned())
                .collect();
            let _ = crate::files::checkpoint::write_attachments(&self.checkpoint_path(idx), &dbs);
        }
        if !dirty_bit {
            let paths: Vec<PathBuf> = self.instances[idx]
                .dbs
                .iter()
                .map(|d| d.path.clone())
                .collect();
            for p in paths {
                if let Ok(mut h) = db::read_header(&p) {
                    h.clean = true;
                    let _ = db::write_header(&p, &h);
                }
            }
        }
        self.free_instance(idx);
        if dirty_bit {
            E::JET_errDirtyShutdown
        } else {
            E::JET_errSuccess
        }
    }

    /// `JetStopService` (legacy) / `JetStopServiceInstance` (spec 6.11): find only, no entry.
    pub fn stop_service(&mut self, target: Target) -> ErrorCode {
        match self.find_only(target) {
            Ok(idx) => {
                self.instances[idx].stop_service = true;
                E::JET_errSuccess
            }
            Err(e) => e,
        }
    }

    /// `JetStopServiceInstance2` (spec 2.4, 6.11).
    pub fn stop_service_instance2(&mut self, inst: u64, grbit: u32) -> ErrorCode {
        const RESUME: u32 = bits::JET_bitStopServiceResume;
        const EMIT: u32 = bits::JET_bitStopServiceStopAndEmitLog;
        const PARTIAL: u32 =
            bits::JET_bitStopServiceBackgroundUserTasks | bits::JET_bitStopServiceQuiesceCaches;
        let idx = match self.find_only(Target::Instance(inst)) {
            Ok(i) => i,
            Err(e) => return e,
        };
        if grbit & !(PARTIAL | EMIT | RESUME) != 0 || (grbit & EMIT != 0 && grbit != EMIT) {
            return E::JET_errInvalidGrbit;
        }
        let i = &mut self.instances[idx];
        if grbit & RESUME != 0 {
            if i.stop_service {
                return E::JET_errClientRequestToStopJetService;
            }
            // Resume restores only the partial bits (all of them when none is named).
            let named = grbit & PARTIAL;
            i.stop_service_bits &= if named == 0 { 0 } else { !named };
            return E::JET_errSuccess;
        }
        if grbit == 0 || grbit == EMIT {
            i.stop_service = true;
        } else {
            i.stop_service_bits |= grbit & PARTIAL;
        }
        E::JET_errSuccess
    }
}
