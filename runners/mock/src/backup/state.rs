//! Per-instance backup context (spec 5.1) and the states of spec 5.2.

use std::fs::File;
use std::path::PathBuf;

/// `status` of spec 5.1.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    NotStarted,
    Databases,
    LogsAndPatches,
}

/// What the single file slot (`rhf[0]`, `crhfMax = 1`) holds.
#[derive(Debug)]
pub enum SlotFile {
    /// A database stream (spec 10.3).
    Db {
        dbid: u32,
        path: PathBuf,
        file: File,
        /// Header snapshot taken at OpenFile (bkinfoFullCur patched, checksum recomputed).
        header: Vec<u8>,
        page_size: u32,
        pgno_last: u32,
        /// Next data page to deliver (starts at 1, or at the section start of spec 6.3).
        next_pgno: u32,
        /// The two header copies were delivered.
        headers_sent: bool,
        /// The trailer page was delivered: the stream is complete.
        trailer_sent: bool,
        /// Backup copyMic when opened (trailer genLow).
        gen_low: u32,
    },
    /// A log generation (gen known from the name) or another non-database file.
    Log {
        path: PathBuf,
        file: File,
        gen: Option<u32>,
    },
}

#[derive(Debug, Default)]
pub struct Slot {
    pub in_use: bool,
    /// `None` once CloseFile zeroed the slot (or it was never used); `Some` with
    /// `in_use == false` is the stale record a cleanup leaves behind (spec 5.4).
    pub file: Option<SlotFile>,
    /// Next offset in the stream.
    pub ib: u64,
    /// Stream size.
    pub cb: u64,
}

/// `BACKUP_CONTEXT` (spec 5.1).
#[derive(Debug, Default)]
pub struct BackupContext {
    /// `inProgressLocal`: a streaming backup (or JetBackup's internal one).
    pub in_progress: bool,
    /// A surrogate backup exists (`inProgressAny` without `inProgressLocal`, spec 5.6, 15.7).
    pub surrogate: bool,
    pub status: Status,
    pub full: bool,
    pub stop: bool,
    pub began_new_log: bool,
    pub copy_mic: u32,
    pub copy_mac: u32,
    pub delete_mic: u32,
    pub delete_mac: u32,
    pub gen_copy_done_sum: u64,
    pub logs_truncated: bool,
    /// Logical time of Begin (`lgposMark` / `logtimeMark`).
    pub mark: u64,
    pub slot: Slot,
    /// Slots ever handed out in this backup (CloseFile's range check, spec 6.5 step 3).
    pub slots_used: u32,
}

/// The states of spec 5.2, derived from the context (for tests and notes).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum State {
    S0,
    SD,
    SDf,
    SL,
    SLf,
}

impl BackupContext {
    pub fn state(&self) -> State {
        if !self.in_progress {
            return State::S0;
        }
        let open = self.slot.in_use;
        match (self.status, open) {
            (Status::Databases, false) => State::SD,
            (Status::Databases, true) => State::SDf,
            (_, false) => State::SL,
            (_, true) => State::SLf,
        }
    }

    /// Resets to S0, keeping the stale slot record (spec 5.4) and clearing `stop` (5.5 step 10).
    pub fn reset(&mut self) {
        let slot = std::mem::take(&mut self.slot);
        *self = BackupContext::default();
        self.slot = Slot {
            in_use: false,
            ..slot
        };
    }

    /// Σ generations copyMic .. copyMac-1 (spec 6.8 step 7).
    pub fn copy_range_sum(&self) -> u64 {
        if self.copy_mac <= self.copy_mic {
            return 0;
        }
        let (a, b) = (self.copy_mic as u64, self.copy_mac as u64 - 1);
        (a + b) * (b - a + 1) / 2
    }
}
