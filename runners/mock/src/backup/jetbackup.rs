//! JetBackup(Instance) (spec 7.1): the engine-driven backup to a directory, built on the
//! streaming calls (Begin, OpenFile/ReadFile/CloseFile, GetLogInfo, TruncateLog, End).

use crate::backup::stream::{OpenOut, ReadOut};
use crate::engine::Engine;
use crate::entry::Target;
use crate::status::{StatusFn, SNP_BACKUP, SNT_BEGIN, SNT_COMPLETE};
use jetconform_interface::grbits::bits;
use jetconform_interface::ErrorCode;
use std::io::Write;
use std::path::{Path, PathBuf};

type E = ErrorCode;

/// Chunk of the internal copy loop (page-size multiple, at least 3 pages of 32 KiB).
const CHUNK: usize = 1 << 20;

impl Engine {
    pub fn backup(
        &mut self,
        target: Target,
        path: Option<&str>,
        grbit: u32,
        mut status: StatusFn,
    ) -> ErrorCode {
        // step 1
        let idx = match self.enter(target) {
            Ok(i) => i,
            Err(e) => return e,
        };
        if !self.instances[idx].backup_allowed {
            return E::JET_errBackupNotAllowedYet;
        }
        // steps 2, 6: canonicalised first (an empty or NULL path does not survive it; spec
        // 14.6 leaves the "truncate only" branch unsettled).
        let dir = match path {
            None | Some("") => return E::JET_errInvalidPath,
            Some(p) => match crate::paths::canonical(&self.root, p) {
                Ok(d) => d,
                Err(e) => return e,
            },
        };
        let incremental = grbit & bits::JET_bitBackupIncremental != 0;
        let i = &self.instances[idx];
        // step 3
        if !i.params.logging() {
            return E::JET_errLoggingDisabled;
        }
        if i.faults.log_write_fail {
            return E::JET_errLogWriteFail;
        }
        if incremental && i.params.circular_log {
            return E::JET_errInvalidBackup;
        }
        // step 4: internal Begin, grbits not validated.
        let begin = grbit & bits::JET_bitBackupIncremental;
        match self.begin_backup_checked(idx, begin, false) {
            Ok(e) if e == E::JET_errSuccess => {}
            Ok(e) => return e,
            Err(()) => return E::JET_errInvalidGrbit,
        }
        let atomic = grbit & bits::JET_bitBackupAtomic != 0;
        let body = self.backup_body(idx, &dir, incremental, atomic, &mut status);
        // step 13: internal End, Normal on success, Abort on failure; the first error wins.
        let end = if body.is_ok() {
            bits::JET_bitBackupEndNormal
        } else {
            bits::JET_bitBackupEndAbort
        };
        let ended = self.finish_backup(idx, end);
        let _ = std::fs::remove_dir_all(dir.join("temp"));
        match body {
            Err(e) => e,
            Ok(()) => ended,
        }
    }

    fn backup_body(
        &mut self,
        idx: usize,
        dir: &Path,
        incremental: bool,
        atomic: bool,
        status: &mut StatusFn,
    ) -> Result<(), ErrorCode> {
        // The copies are of the pages: the data the engine holds reaches them first.
        for d in 0..self.instances[idx].dbs.len() {
            self.flush_db(idx, d)?;
        }
        // step 7: directory preparation.
        if !dir.is_dir() {
            let create = self.instances[idx].params.create_path_if_not_exist;
            if !create || std::fs::create_dir_all(dir).is_err() {
                return Err(E::JET_errInvalidPath);
            }
        }
        let temp = dir.join("temp");
        if temp.exists() && std::fs::remove_dir_all(&temp).is_err() {
            return Err(E::JET_errDeleteBackupFileFail);
        }
        let (new, old) = (dir.join("new"), dir.join("old"));
        let target = if atomic {
            if new.exists() {
                if old.exists() && std::fs::remove_dir_all(&old).is_err() {
                    return Err(E::JET_errDeleteBackupFileFail);
                }
                std::fs::rename(&new, &old).map_err(|_| E::JET_errDeleteBackupFileFail)?;
            }
            if incremental {
                std::fs::create_dir_all(&old).map_err(|_| E::JET_errMakeBackupDirectoryFail)?;
                old.clone()
            } else {
                std::fs::create_dir(&temp).map_err(|_| E::JET_errMakeBackupDirectoryFail)?;
                temp.clone()
            }
        } else {
            let mut entries = std::fs::read_dir(dir).map_err(|_| E::JET_errInvalidPath)?;
            let clash = if incremental {
                entries.any(|e| {
                    e.map(|e| e.file_name() == "new" || e.file_name() == "old")
                        .unwrap_or(false)
                })
            } else {
                entries.next().is_some()
            };
            if clash {
                return Err(E::JET_errBackupDirectoryNotEmpty);
            }
            dir.to_path_buf()
        };
        let inst = Target::Instance(self.instances[idx].handle);
        let mut copied = Vec::new();
        if !incremental {
            // step 8
            self.notify(status, SNP_BACKUP, SNT_BEGIN, Some((0, 100)));
            let dbs: Vec<PathBuf> = self.instances[idx]
                .dbs
                .iter()
                .filter(|d| !d.unlogged)
                .map(|d| d.path.clone())
                .collect();
            for db in dbs {
                // The internal open creates an empty patch file next to the live database.
                let _ = std::fs::File::create(crate::files::db::patch_name(&db));
                let name = db.file_name().map(PathBuf::from).unwrap_or_default();
                self.copy_stream(inst, &db, &target.join(name))?;
                copied.push(db);
            }
        }
        // step 9: the logs, then the patch files of the databases copied.
        let logs = self.list_logs_internal(idx)?;
        for log in logs {
            let name = log.file_name().map(PathBuf::from).unwrap_or_default();
            self.copy_stream(inst, &log, &target.join(name))?;
        }
        for db in &copied {
            let pat = crate::files::db::patch_name(db);
            let name = pat.file_name().map(PathBuf::from).unwrap_or_default();
            // W2K: the real patch file (its header page); XP+: an empty placeholder.
            let data = if self.profile.patch_files.value {
                std::fs::read(&pat).unwrap_or_default()
            } else {
                Vec::new()
            };
            std::fs::write(target.join(name), data).map_err(|_| E::JET_errDiskIO)?;
        }
        // step 10
        if atomic && !incremental {
            std::fs::rename(&temp, &new).map_err(|_| E::JET_errMakeBackupDirectoryFail)?;
            if old.exists() {
                let _ = std::fs::remove_dir_all(&old);
            }
        }
        // step 11
        let err = self.truncate_log(inst);
        if err != E::JET_errSuccess {
            return Err(err);
        }
        if !incremental {
            // step 12
            self.notify(status, SNP_BACKUP, SNT_COMPLETE, Some((100, 100)));
        }
        Ok(())
    }

    /// The copy range as paths (runs the log prepare of spec 6.6 step 5).
    fn list_logs_internal(&mut self, idx: usize) -> Result<Vec<PathBuf>, ErrorCode> {
        use crate::backup::lists::{ListArgs, ListCharset, ListOut};
        let inst = Target::Instance(self.instances[idx].handle);
        let mut out = ListOut::default();
        let args = ListArgs {
            charset: ListCharset::W,
            buffer: false,
            cb_max: 0,
        };
        let err = self.get_log_info(inst, args, None, &mut out);
        if err != E::JET_errSuccess {
            return Err(err);
        }
        let b = &self.instances[idx].backup;
        Ok((b.copy_mic..b.copy_mac)
            .map(|g| self.archived_log_path(idx, g))
            .collect())
    }

    /// OpenFile / ReadFile* / CloseFile of one file into `dst` (overwritten).
    fn copy_stream(&mut self, inst: Target, src: &Path, dst: &Path) -> Result<(), ErrorCode> {
        let mut out = OpenOut::default();
        let err = self.open_file(inst, Some(&src.to_string_lossy()), 0, &mut out);
        if err != E::JET_errSuccess {
            return Err(err);
        }
        let mut f = std::fs::File::create(dst).map_err(|_| E::JET_errDiskIO)?;
        let mut buffer = std::mem::take(&mut self.scratch);
        let copied = self.copy_loop(inst, &mut f, &mut buffer);
        self.scratch = buffer;
        copied?;
        match self.close_file(inst, 0) {
            e if e == E::JET_errSuccess => Ok(()),
            e => Err(e),
        }
    }

    /// ReadFile into `buffer` (its first `CHUNK` bytes) and writes what each read delivers
    /// to `f`, until a read delivers nothing.
    fn copy_loop(
        &mut self,
        inst: Target,
        f: &mut std::fs::File,
        buffer: &mut crate::scratch::Scratch,
    ) -> Result<(), ErrorCode> {
        let buf = &mut buffer.at_least(CHUNK)[..CHUNK];
        loop {
            let mut r = ReadOut::default();
            let err = self.read_file(inst, 0, buf, true, &mut r);
            if err != E::JET_errSuccess {
                return Err(err);
            }
            let n = r.cb_actual.unwrap_or(0) as usize;
            if n == 0 {
                return Ok(());
            }
            f.write_all(&buf[..n]).map_err(|_| E::JET_errDiskIO)?;
        }
    }
}
