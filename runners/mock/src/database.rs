//! Sessions and databases (spec 9): JetBeginSession, JetEndSession, JetCreateDatabase,
//! JetAttachDatabase, JetDetachDatabase(2), and the `log_traffic` verb.

use crate::engine::Engine;
use crate::entry::Target;
use crate::files::db::{self, DbHeader, HeaderError};
use crate::files::log::RecordKind;
use crate::instance::AttachedDb;
use jetconform_interface::grbits::bits;
use jetconform_interface::ErrorCode;
use std::path::PathBuf;

type E = ErrorCode;

impl Engine {
    /// The instance of a session (-1104 for an unknown sesid).
    pub(crate) fn session_instance(&self, sesid: u64) -> Result<usize, ErrorCode> {
        self.sessions
            .get(&sesid)
            .and_then(|h| self.index_of(*h))
            .ok_or(E::JET_errInvalidSesid)
    }

    /// `JetBeginSession`: entry layer (so -1029, -1329 ...); `out` is written on success.
    pub fn begin_session(&mut self, inst: u64, out: Option<&mut u64>) -> ErrorCode {
        let idx = match self.enter(Target::Instance(inst)) {
            Ok(i) => i,
            Err(e) => return e,
        };
        let Some(out) = out else {
            return E::JET_errInvalidParameter;
        };
        let s = self.alloc_sesid();
        self.sessions.insert(s, self.instances[idx].handle);
        *out = s;
        E::JET_errSuccess
    }

    /// `JetEndSession`: allowed after JetStopService (spec 9).
    /// Its open transactions are rolled back (JetEndSession's documented behaviour).
    pub fn end_session(&mut self, sesid: u64, _grbit: u32) -> ErrorCode {
        if self.trx_levels.remove(&sesid).is_some() {
            self.settle_changes(sesid, 0, false);
        }
        self.cursors.retain(|_, c| c.sesid != sesid);
        match self.sessions.remove(&sesid) {
            Some(_) => E::JET_errSuccess,
            None => E::JET_errInvalidSesid,
        }
    }

    fn session_enter(&self, sesid: u64) -> Result<usize, ErrorCode> {
        let idx = self.session_instance(sesid)?;
        self.api_enter(idx)?;
        Ok(idx)
    }

    fn next_dbid(&self, idx: usize) -> u32 {
        // dbid 0 is the temporary database in ESENT; user databases start at 1.
        (1..)
            .find(|d| !self.instances[idx].dbs.iter().any(|x| x.dbid == *d))
            .unwrap_or(1)
    }

    fn db_path(&self, name: Option<&str>) -> Result<PathBuf, ErrorCode> {
        match name {
            None | Some("") => Err(E::JET_errInvalidParameter),
            Some(n) => crate::paths::canonical(&self.root, n),
        }
    }

    /// `JetCreateDatabase`: not blocked by a backup (spec 9, 14.18); `out` is the dbid.
    pub fn create_database(
        &mut self,
        sesid: u64,
        name: Option<&str>,
        out: Option<&mut u32>,
        grbit: u32,
    ) -> ErrorCode {
        let idx = match self.session_enter(sesid) {
            Ok(i) => i,
            Err(e) => return e,
        };
        let Some(out) = out else {
            return E::JET_errInvalidParameter;
        };
        let path = match self.db_path(name) {
            Ok(p) => p,
            Err(e) => return e,
        };
        if path.exists() {
            return E::JET_errDatabaseDuplicate;
        }
        if self.is_locked(&path) {
            return E::JET_errFileAccessDenied;
        }
        if let Some(parent) = path.parent() {
            if !parent.is_dir() {
                let create = self.instances[idx].params.create_path_if_not_exist;
                if !create || std::fs::create_dir_all(parent).is_err() {
                    return E::JET_errInvalidPath;
                }
            }
        }
        let i = &self.instances[idx];
        let unlogged = grbit & bits::JET_bitDbRecoveryOff != 0 || !i.params.logging();
        let gen = i.log.current_gen;
        let hdr = DbHeader {
            page_size: self.globals.page_size,
            pgno_last: db::INITIAL_DATA_PAGES,
            db_signature: 0,
            log_signature: i.log.signature,
            recovery_off: unlogged,
            clean: false,
            gen_min_required: gen,
            gen_max_required: gen,
            gen_max_committed: gen,
            original_path: path.to_string_lossy().into_owned(),
            ..Default::default()
        };
        let hdr = DbHeader {
            db_signature: self.new_signature(),
            ..hdr
        };
        if db::create(&path, &hdr).is_err() {
            return E::JET_errDiskIO;
        }
        *out = self.register_db(idx, path, unlogged, RecordKind::CreateDb);
        E::JET_errSuccess
    }

    /// Records a newly created or attached database in the instance (and in its log, when
    /// logged) and returns its dbid.
    fn register_db(&mut self, idx: usize, path: PathBuf, unlogged: bool, kind: RecordKind) -> u32 {
        let dbid = self.next_dbid(idx);
        let hdr = db::read_header(&path).ok();
        let signature = hdr.as_ref().map(|h| h.db_signature).unwrap_or(0);
        if !unlogged {
            // The record names the file, so recovery can re-create or find it (redo.rs).
            let payload = crate::redo::DbRecord {
                path: path.to_string_lossy().into_owned(),
                db: signature,
                page_size: hdr.map(|h| h.page_size).unwrap_or(self.globals.page_size),
            };
            let _ = self.log_append_payload(idx, kind, dbid, &payload.encode());
        }
        self.instances[idx]
            .dbs
            .push(AttachedDb::new(dbid, path, unlogged, signature));
        dbid
    }

    /// `JetOpenDatabase`: the database must be attached to the session's instance (by
    /// JetAttachDatabase or JetCreateDatabase); its dbid is returned. Not attached → -1203
    /// `JET_errDatabaseNotFound` (inferred: ESENT looks the name up among the attached
    /// databases; the documentation requires the attach first). `szConnect` and the grbit
    /// (read-only, exclusive) change nothing the mock models.
    pub fn open_database(
        &mut self,
        sesid: u64,
        name: Option<&str>,
        out: Option<&mut u32>,
    ) -> ErrorCode {
        let idx = match self.session_enter(sesid) {
            Ok(i) => i,
            Err(e) => return e,
        };
        let Some(out) = out else {
            return E::JET_errInvalidParameter;
        };
        let path = match self.db_path(name) {
            Ok(p) => p,
            Err(e) => return e,
        };
        match self.instances[idx].db_by_path(&path) {
            Some(d) => {
                *out = self.instances[idx].dbs[d].dbid;
                E::JET_errSuccess
            }
            None => E::JET_errDatabaseNotFound,
        }
    }

    /// `JetCloseDatabase`: a dbid the session's instance does not have → -1010
    /// `JET_errInvalidDatabaseId` (inferred: ESENT validates the dbid before closing). The
    /// database stays attached.
    pub fn close_database(&mut self, sesid: u64, dbid: u32, _grbit: u32) -> ErrorCode {
        let idx = match self.session_enter(sesid) {
            Ok(i) => i,
            Err(e) => return e,
        };
        if self.instances[idx].dbs.iter().any(|d| d.dbid == dbid) {
            E::JET_errSuccess
        } else {
            E::JET_errInvalidDatabaseId
        }
    }

    /// `JetAttachDatabase` (spec 9): -505 during any backup.
    pub fn attach_database(&mut self, sesid: u64, name: Option<&str>, grbit: u32) -> ErrorCode {
        let idx = match self.session_enter(sesid) {
            Ok(i) => i,
            Err(e) => return e,
        };
        if self.instances[idx].backup.in_progress {
            return E::JET_errBackupInProgress;
        }
        // spec 5.6 / 15.7: a surrogate backup blocks attach and detach with -617.
        if self.instances[idx].backup.surrogate {
            return E::JET_errSurrogateBackupInProgress;
        }
        let path = match self.db_path(name) {
            Ok(p) => p,
            Err(e) => return e,
        };
        if self.instances[idx].db_by_path(&path).is_some() {
            return E::JET_wrnDatabaseAttached;
        }
        if self.is_locked(&path) {
            return E::JET_errFileAccessDenied;
        }
        let hdr = match db::read_header(&path) {
            Ok(h) => h,
            Err(HeaderError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return E::JET_errFileNotFound
            }
            Err(HeaderError::Io(_)) => return E::JET_errDiskIO,
            Err(_) => return E::JET_errDatabaseCorrupted,
        };
        if hdr.page_size != self.globals.page_size {
            return E::JET_errPageSizeMismatch;
        }
        if hdr.original_path != path.to_string_lossy() {
            // The attachment records the database's new location.
            let mut h = hdr.clone();
            h.original_path = path.to_string_lossy().into_owned();
            let _ = db::write_header(&path, &h);
        }
        let unlogged = hdr.recovery_off
            || grbit & bits::JET_bitDbRecoveryOff != 0
            || !self.instances[idx].params.logging();
        self.register_db(idx, path, unlogged, RecordKind::Attach);
        E::JET_errSuccess
    }

    /// `JetDetachDatabase(2)` (spec 9): -505 during any backup; allowed after JetStopService.
    /// A NULL name detaches every database.
    pub fn detach_database(&mut self, sesid: u64, name: Option<&str>, _grbit: u32) -> ErrorCode {
        let idx = match self.session_instance(sesid) {
            Ok(i) => i,
            Err(e) => return e,
        };
        // Entry without the stop-service check (spec 6.11 "still allowed").
        if let Err(e) = self.api_enter(idx) {
            if e != E::JET_errClientRequestToStopJetService {
                return e;
            }
        }
        if self.instances[idx].backup.in_progress {
            return E::JET_errBackupInProgress;
        }
        // spec 5.6 / 15.7: a surrogate backup blocks attach and detach with -617.
        if self.instances[idx].backup.surrogate {
            return E::JET_errSurrogateBackupInProgress;
        }
        let targets: Vec<usize> = match name {
            None => (0..self.instances[idx].dbs.len()).collect(),
            Some(n) => {
                let path = match crate::paths::canonical(&self.root, n) {
                    Ok(p) => p,
                    Err(e) => return e,
                };
                match self.instances[idx].db_by_path(&path) {
                    Some(d) => vec![d],
                    None => return E::JET_errDatabaseNotFound,
                }
            }
        };
        for d in targets.into_iter().rev() {
            // The data reaches the pages before the database leaves the instance.
            if let Err(e) = self.flush_db(idx, d) {
                return e;
            }
            self.close_cursors_of(idx, self.instances[idx].dbs[d].dbid);
            let adb = self.instances[idx].dbs.remove(d);
            if let Ok(mut h) = db::read_header(&adb.path) {
                h.clean = true;
                let _ = db::write_header(&adb.path, &h);
            }
            if !adb.unlogged {
                let _ = self.log_append(idx, RecordKind::Detach, adb.dbid, 1);
            }
        }
        E::JET_errSuccess
    }

    /// `log_traffic` verb: `commits` small committed updates on `dbid` (one log record each).
    pub fn log_traffic(&mut self, sesid: u64, dbid: u32, commits: u32) -> ErrorCode {
        let idx = match self.session_enter(sesid) {
            Ok(i) => i,
            Err(e) => return e,
        };
        let Some(d) = self.instances[idx].dbs.iter().find(|d| d.dbid == dbid) else {
            return E::JET_errInvalidParameter;
        };
        if d.unlogged {
            return E::JET_errSuccess;
        }
        let path = d.path.clone();
        if let Err(e) = self.log_append(idx, RecordKind::Commit, dbid, commits) {
            return e;
        }
        let gen = self.instances[idx].log.current_gen;
        if let Ok(mut h) = db::read_header(&path) {
            h.gen_max_committed = gen;
            h.gen_max_required = gen;
            let _ = db::write_header(&path, &h);
        }
        E::JET_errSuccess
    }
}
