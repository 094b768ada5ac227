//! JetOpenFile(Instance)(Section) (spec 6.3) and the outputs of the streaming calls;
//! reading and closing are in `read.rs`.

use crate::backup::state::{SlotFile, Status};
use crate::engine::Engine;
use crate::entry::{answer, Answer, Target};
use crate::files::db::{self, BkInfo};
use jetconform_interface::ErrorCode;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

type E = ErrorCode;

/// Outputs of OpenFile: `phfFile` and the size (`pulFileSizeLow/High`), written on success.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenOut {
    pub handle: Option<u64>,
    pub size: Option<u64>,
}

/// Outputs of ReadFile: `pcbActual` (written on success only, spec 6.4 step 8).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOut {
    pub cb_actual: Option<u32>,
    /// Set when the spec calls the use undefined (spec 5.4, 14.8).
    pub undefined: Option<String>,
}

fn open_error(e: &std::io::Error) -> ErrorCode {
    match e.kind() {
        std::io::ErrorKind::NotFound => E::JET_errFileNotFound,
        std::io::ErrorKind::PermissionDenied => E::JET_errFileAccessDenied,
        _ => E::JET_errDiskIO,
    }
}

/// Reads as much of `buf` as the file has at `at` (short only at EOF).
pub(crate) fn read_at(f: &mut File, at: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    f.seek(SeekFrom::Start(at))?;
    read_full(f, buf)
}

/// Reads as much of `buf` as the file has from its current position (short only at EOF).
pub(crate) fn read_full(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match f.read(&mut buf[done..]) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

impl Engine {
    pub(crate) fn slot_path(&self, idx: usize) -> Option<&Path> {
        match &self.instances[idx].backup.slot.file {
            Some(SlotFile::Db { path, .. }) | Some(SlotFile::Log { path, .. }) => Some(path),
            None => None,
        }
    }

    pub(crate) fn page_size(&self) -> u32 {
        self.globals.page_size
    }

    /// Ends the backup after a log-phase failure (spec 5.3 notes) and returns `err`.
    pub(crate) fn fail_and_end(&mut self, idx: usize, err: ErrorCode) -> ErrorCode {
        self.backup_cleanup(idx, Some(err));
        err
    }

    /// `JetOpenFileInstance` / `JetOpenFileSectionInstance` with `ib_read` (spec 6.3).
    pub fn open_file(
        &mut self,
        target: Target,
        name: Option<&str>,
        ib_read: u64,
        out: &mut OpenOut,
    ) -> ErrorCode {
        answer(self.open_steps(target, name, ib_read, out))
    }

    fn open_steps(
        &mut self,
        target: Target,
        name: Option<&str>,
        ib_read: u64,
        out: &mut OpenOut,
    ) -> Answer {
        // step 1
        let idx = self.backup_entry(target)?;
        let cb_page = self.page_size() as u64;
        let b = &self.instances[idx].backup;
        // steps 2-3
        if b.stop {
            return Ok(E::JET_errBackupAbortByServer);
        }
        // step 5
        let name = match name {
            None | Some("") => return Ok(E::JET_errInvalidParameter),
            Some(n) => n,
        };
        // step 6
        if ib_read % cb_page != 0 || (ib_read > 0 && ib_read < 3 * cb_page) {
            return Ok(E::JET_errInvalidParameter);
        }
        // step 7
        if b.slot.in_use {
            return Ok(E::JET_errOutOfMemory);
        }
        // step 8
        let path = match crate::paths::canonical(&self.root, name) {
            Ok(p) => p,
            Err(e) => return Ok(e),
        };
        let in_db_phase = b.status == Status::Databases;
        let full = b.full;
        // step 9
        if let Some(d) = self.instances[idx].db_by_path(&path) {
            if !full || !in_db_phase {
                // Log phase: this -521 ends the backup (spec 5.3 notes).
                return Ok(self.fail_and_end(idx, E::JET_errInvalidBackupSequence));
            }
            return Ok(self.open_db(idx, d, &path, ib_read, out));
        }
        if in_db_phase {
            // Not an attached database: -1203, backup continues (SD) — W2K cancels.
            let err = self.profile.open_non_attached_in_db_phase.value;
            self.knob(&self.profile.open_non_attached_in_db_phase);
            self.knob(&self.profile.db_error_cancels_backup);
            if self.profile.db_error_cancels_backup.value {
                return Ok(self.fail_and_end(idx, err));
            }
            return Ok(err);
        }
        Ok(self.open_log(idx, &path, ib_read, out))
    }

    fn open_db(
        &mut self,
        idx: usize,
        d: usize,
        path: &Path,
        ib_read: u64,
        out: &mut OpenOut,
    ) -> ErrorCode {
        let cb_page = self.page_size();
        let db_fail = |e: &mut Engine, err: ErrorCode| {
            // spec 6.3 step 10: slot released, DB leaves the session; W2K cancels the backup.
            e.instances[idx].dbs[d].in_backup_session = false;
            if e.profile.db_error_cancels_backup.value {
                e.backup_cleanup(idx, Some(err));
            }
            err
        };
        if self.is_locked(path) {
            return db_fail(self, E::JET_errFileAccessDenied);
        }
        // The stream copies the pages: the data the engine holds reaches them first
        // (redo.rs), so the backup carries the records and the logs carry what follows.
        if let Err(e) = self.flush_db(idx, d) {
            return db_fail(self, e);
        }
        let mut hdr = match db::read_header(path) {
            Ok(h) => h,
            Err(db::HeaderError::Io(e)) => return db_fail(self, open_error(&e)),
            Err(_) => return db_fail(self, E::JET_errDatabaseCorrupted),
        };
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return db_fail(self, open_error(&e)),
        };
        let b = &self.instances[idx].backup;
        let gen_low = b.copy_mic;
        // spec 10.3: the header snapshot carries bkinfoFullCur = {mark, copyMic, 0}.
        hdr.full_cur = BkInfo {
            gen_low,
            gen_high: 0,
            mark: b.mark,
        };
        let header = hdr.encode();
        // spec 10.3: headers, data pages and the trailer page. Windows 2000 had no trailer:
        // the patch data went to `<db>.pat` next to the database (spec 11.4), created here.
        let patch = self.profile.patch_files.value;
        if patch {
            self.knob(&self.profile.patch_files);
            let _ = std::fs::File::create(db::patch_name(path));
        }
        let pages = hdr.pgno_last as u64 + if patch { 2 } else { 3 };
        let size = pages * cb_page as u64;
        let next_pgno = if ib_read > 0 {
            (ib_read / cb_page as u64 - 1) as u32
        } else {
            1
        };
        let dbid = self.instances[idx].dbs[d].dbid;
        let inst = &mut self.instances[idx];
        inst.dbs[d].in_backup_session = true;
        let b = &mut inst.backup;
        b.slot.in_use = true;
        // spec 15.4: a section open at an offset marks the copy as started, so the first-read
        // rules of 6.4 (three-page minimum, header-copy prefix) do not apply to the next read;
        // the stream position is the offset itself (ibRead / cbPage - 1 is the next data page).
        b.slot.ib = ib_read;
        b.slot.cb = size;
        b.slot.file = Some(SlotFile::Db {
            dbid,
            path: path.to_path_buf(),
            file,
            header,
            page_size: hdr.page_size,
            pgno_last: hdr.pgno_last,
            next_pgno,
            headers_sent: ib_read > 0,
            trailer_sent: false,
            gen_low,
        });
        b.slots_used = 1;
        out.handle = Some(0);
        out.size = Some(size);
        E::JET_errSuccess
    }

    fn open_log(&mut self, idx: usize, path: &Path, ib_read: u64, out: &mut OpenOut) -> ErrorCode {
        let names = self.instances[idx].params.names();
        let file_name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut gen = None;
        if names.has_log_ext(&file_name) {
            match names.parse(&file_name) {
                Some(g) => gen = Some(g),
                // `edb.log` and other malformed names: -1003 and the backup ends.
                None => return self.fail_and_end(idx, E::JET_errInvalidParameter),
            }
        }
        if self.is_locked(path) {
            return self.fail_and_end(idx, E::JET_errFileAccessDenied);
        }
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let err = self.profile.open_missing_file.value;
                self.knob(&self.profile.open_missing_file);
                return self.fail_and_end(idx, err);
            }
            Err(e) => return self.fail_and_end(idx, open_error(&e)),
        };
        let size = match file.metadata() {
            Ok(m) if m.is_file() => m.len(),
            Ok(_) => return self.fail_and_end(idx, E::JET_errFileAccessDenied),
            Err(e) => return self.fail_and_end(idx, open_error(&e)),
        };
        let b = &mut self.instances[idx].backup;
        b.slot.in_use = true;
        b.slot.ib = ib_read.min(size);
        b.slot.cb = size;
        b.slot.file = Some(SlotFile::Log {
            path: path.to_path_buf(),
            file,
            gen,
        });
        b.slots_used = 1;
        out.handle = Some(0);
        out.size = Some(size);
        E::JET_errSuccess
    }
}
