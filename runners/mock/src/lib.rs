//! A model of `esent.dll`'s external backup and restore API, per Windows version, on real
//! files in a sandbox. Section numbers (`spec 6.3`) refer to the project's behavioural
//! specification; every behaviour cites the section it implements.
//!
//! * [`MockRunner`] implements `jetconform_interface::Runner`: each execution owns a fresh
//!   temporary sandbox and a fresh [`Engine`] for the version's [`profile::Profile`].
//! * [`Engine`] is the typed model (one method per operation, independent of `Call`) that a
//!   C-ABI layer can call directly; [`Engine::dispatch`] adapts a `Call` to it.
//!
//! # Files
//!
//! The mock writes files of its own formats (see [`files::db`], [`files::log`],
//! [`files::checkpoint`]): databases of checksummed pages (two header copies, data pages;
//! a new database has [`files::db::INITIAL_DATA_PAGES`] data pages), log generations
//! `<base>XXXXX.log` (5 then 8 upper-case hex digits with ESENT's default
//! `JET_paramLegacyFileNames` 0x3; `.jtx` / `.jcp` and 8 digits without its bits) plus the
//! current `<base>.log`, the
//! checkpoint `<base>.chk`, and reserve logs by version (`res1.log`/`res2.log` up to Server
//! 2003, `<base>res00001.jrs`/`…02.jrs` from Vista; 4 KiB placeholders). The database backup
//! stream is spec 10.3's: header snapshot twice, data pages, trailer page. With the Windows
//! 2000 profile (`patch_files`) the stream has no trailer: OpenFile creates `<db>.pat` next
//! to the database, the trailer content goes there when the stream is read to its end,
//! GetLogInfo lists the patch files after the logs, and restores read them.
//!
//! `JET_paramLogFileSize` is honoured logically: every log record stands for 1 KiB and a
//! generation rolls when its records reach the configured size; files only hold the 4 KiB
//! blocks actually written (no preallocation), so trials stay fast.
//!
//! The mock flushes immediately: the checkpoint generation is always the current generation.
//!
//! # Verbs
//!
//! `log_traffic`, `corrupt_page`, `corrupt_log`, `delete_file`, `lock_file`, `unlock_file`,
//! `write_file`, `copy_file`, `make_dir`, `delete_dir`, `rename_dir`, `list_dir`, `dir_exists`
//! (kept inside the sandbox: [`folders`]), `fault` (hooks listed in [`faults`]). A lock is
//! held by the engine: the mock's own opens of a locked file fail with -1032. Files the
//! engine holds open (attached databases, the current log, the file in a backup slot) cannot
//! be changed or deleted by the verbs (-1032), as on Windows.
//!
//! # Outputs
//!
//! Outputs are reported under their C parameter names, `Unwritten` when the call left them
//! as they were. A status callback (`pfnStatus` / `pfn`) is reported as `Callbacks` (every
//! invocation); when it carried a nested call, as `Nested` (that call's observation) with the
//! invocations under `<name>.callbacks`. Uses the spec calls undefined return -1003 with
//! `undefined` set (spec 5.4 stale or foreign ReadFile handles, NULL OpenFile outputs,
//! buffers smaller than the size passed). Every profile knob that decided a result and is not
//! an SRC fact (documented or inferred) is named in the observation's `notes`.
//!
//! # Not modelled
//!
//! Internal-copy backups (private grbit 0x40 of Begin: `NotModelled`); surrogate backups
//! (grbit 0x20, spec 5.6 / 15.7) are modelled as far as the backup state goes, without the
//! snapshot-type header record of their normal End and without JetBegin/EndSurrogateBackup,
//! JetInit3 with a restore map (`NotModelled`), system parameter ids outside the table of
//! `jetconform_interface::sysparams` (`NotModelled`; every id of that table is accepted,
//! stored and read back, refused where ESENT refuses), tables and records (JetCreateTable,
//! JetSetColumn, ... are not in the catalogue yet: `log_traffic` stands for logged updates),
//! replay of the logs at JetInit after a dirty termination,
//! page scrubbing of `JET_paramZeroDatabaseDuringBackup`, the records of transactions (levels
//! are kept: commit/rollback outside one -1054, JetTerm with one open -1059), and redo/undo
//! during restores (the mock's log records carry no page images: restores validate logs and
//! streams and rebuild the databases from the streamed pages).

pub mod backup;
pub mod database;
pub mod dispatch;
pub mod engine;
pub mod entry;
pub mod faults;
pub mod files;
pub mod folders;
pub mod instance;
pub mod instance_info;
pub mod lifecycle;
pub mod logstream;
pub mod params;
pub mod paths;
pub mod profile;
pub mod records;
pub mod recovery;
pub mod redo;
pub mod runmode;
pub mod runner;
mod scratch;
pub mod status;
pub mod tables;
pub mod transactions;
pub mod verbs;

pub use engine::Engine;
pub use entry::Target;
pub use profile::Profile;
pub use runmode::RunMode;
pub use runner::MockRunner;

/// A function, argument or situation the mock does not model yet (never a fake success).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotModelled(pub String);

impl From<jetconform_interface::ArgError> for NotModelled {
    /// An argument the mock cannot read (a call that does not fit the catalogue) is reported
    /// as not modelled rather than guessed at.
    fn from(e: jetconform_interface::ArgError) -> NotModelled {
        NotModelled(e.to_string())
    }
}
