//! Harness verbs that act on the sandbox's files (docs/scenario-format.md): the mock applies
//! them to its own file formats. `log_traffic` lives with the databases (`database.rs`).

use crate::engine::Engine;
use crate::files::{db, log};
use crate::NotModelled;
use jetconform_interface::ErrorCode;
use std::io::Write;
use std::path::Path;

type E = ErrorCode;

fn io_code(e: &std::io::Error) -> ErrorCode {
    match e.kind() {
        std::io::ErrorKind::NotFound => E::JET_errFileNotFound,
        std::io::ErrorKind::PermissionDenied => E::JET_errFileAccessDenied,
        std::io::ErrorKind::InvalidInput => E::JET_errInvalidParameter,
        _ => E::JET_errDiskIO,
    }
}

fn ensure_parent(p: &Path) -> std::io::Result<()> {
    match p.parent() {
        Some(parent) => std::fs::create_dir_all(parent),
        None => Ok(()),
    }
}

fn code(r: std::io::Result<()>) -> ErrorCode {
    match r {
        Ok(()) => E::JET_errSuccess,
        Err(e) => io_code(&e),
    }
}

impl Engine {
    /// Whether ESENT holds `p` open without write or delete sharing: attached databases and
    /// the current log of a running instance, and the file open in a backup slot. The
    /// verbs that change or delete such a file fail with -1032, as the harness's own file
    /// operations would on Windows (inferred from spec 13's recipe "detach, corrupt,
    /// re-attach").
    pub(crate) fn in_use(&self, p: &Path) -> bool {
        use crate::backup::state::SlotFile;
        self.instances.iter().filter(|i| i.running()).any(|i| {
            let slot = match (&i.backup.slot.in_use, &i.backup.slot.file) {
                (true, Some(SlotFile::Db { path, .. }))
                | (true, Some(SlotFile::Log { path, .. })) => crate::paths::same(path, p),
                _ => false,
            };
            let current_log = i.params.logging()
                && crate::paths::same(&i.log.dir.join(i.params.names().current()), p);
            slot || current_log || i.dbs.iter().any(|d| crate::paths::same(&d.path, p))
        })
    }

    fn busy(&self, p: &Path) -> bool {
        self.is_locked(p) || self.in_use(p)
    }

    /// `corrupt_page`: damages data page `pgno` of a database file (its checksum fails).
    pub fn verb_corrupt_page(&mut self, file: &str, pgno: u32) -> ErrorCode {
        let p = self.resolve(file);
        if self.busy(&p) {
            return E::JET_errFileAccessDenied;
        }
        code(db::corrupt_page(&p, pgno))
    }

    /// `corrupt_log`: damages 8 bytes of a log file at `offset`.
    pub fn verb_corrupt_log(&mut self, file: &str, offset: u32) -> ErrorCode {
        let p = self.resolve(file);
        if self.busy(&p) {
            return E::JET_errFileAccessDenied;
        }
        code(log::corrupt(&p, offset as u64))
    }

    /// `delete_file`.
    pub fn verb_delete_file(&mut self, file: &str) -> ErrorCode {
        let p = self.resolve(file);
        if self.busy(&p) {
            return E::JET_errFileAccessDenied;
        }
        code(std::fs::remove_file(p))
    }

    /// `lock_file`: an exclusive, deny-read hold; the mock's opens of it fail with -1032.
    pub fn verb_lock_file(&mut self, file: &str) -> ErrorCode {
        let p = self.resolve(file);
        if !p.exists() {
            return E::JET_errFileNotFound;
        }
        self.locks.insert(p);
        E::JET_errSuccess
    }

    /// `unlock_file`.
    pub fn verb_unlock_file(&mut self, file: &str) -> ErrorCode {
        let p = self.resolve(file);
        self.locks.retain(|l| !crate::paths::same(l, &p));
        E::JET_errSuccess
    }

    /// `write_file`: creates (or replaces) a file of `size` bytes (a fill pattern).
    pub fn verb_write_file(&mut self, file: &str, size: u32) -> ErrorCode {
        let p = self.resolve(file);
        if self.busy(&p) {
            return E::JET_errFileAccessDenied;
        }
        // A fill pattern for the first MiB, then sparse zeros: large sizes stay cheap.
        let head: Vec<u8> = (0..size.min(1 << 20)).map(|i| (i % 251) as u8).collect();
        code(ensure_parent(&p).and_then(|_| {
            let f = std::fs::File::create(&p)?;
            (&f).write_all(&head)?;
            f.set_len(size as u64)
        }))
    }

    /// `copy_file`.
    pub fn verb_copy_file(&mut self, from: &str, to: &str) -> ErrorCode {
        let (f, t) = (self.resolve(from), self.resolve(to));
        if self.is_locked(&f) || self.busy(&t) {
            return E::JET_errFileAccessDenied;
        }
        code(ensure_parent(&t).and_then(|_| std::fs::copy(&f, &t).map(|_| ())))
    }

    /// `make_dir`: the folder and its missing parents, inside the sandbox (`folders.rs`).
    pub fn verb_make_dir(&mut self, path: &str) -> ErrorCode {
        match self.guarded(path, true) {
            Ok(p) => code(std::fs::create_dir_all(p)),
            Err(_) => E::JET_errInvalidParameter,
        }
    }

    /// `fault`: arms a hook of `faults.rs` on an instance (-1003 for an unknown instance).
    pub fn verb_fault(&mut self, inst: u64, name: &str) -> Result<ErrorCode, NotModelled> {
        // A live handle, or (single-instance mode) the one instance whatever the handle.
        let Some(idx) = self.index_of(inst).or_else(|| self.find_pinst(inst).ok()) else {
            return Ok(E::JET_errInvalidParameter);
        };
        if self.instances[idx].faults.arm(name) {
            Ok(E::JET_errSuccess)
        } else {
            Err(NotModelled(format!(
                "unknown fault hook `{name}` (known: {})",
                crate::faults::FAULT_NAMES.join(", ")
            )))
        }
    }
}
