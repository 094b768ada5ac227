//! Transactions of a session: JetBeginTransaction(2,3), JetCommitTransaction(2), JetRollback,
//! and the level JetGetSystemParameter(JET_paramTransactionLevel) reads.
//!
//! The level is kept per session; the changes a transaction makes (JetUpdate, JetDelete)
//! wait in `redo.rs` until the outermost commit logs them, or a rollback undoes them. An
//! empty transaction leaves no trace in the log (ESENT logs a transaction's begin lazily,
//! with its first update: inferred from the log format, records belong to updates).

use crate::engine::Engine;
use jetconform_interface::ErrorCode;

type E = ErrorCode;

/// `JET_bitRollbackAll` (esent.h): roll back every level, not only the innermost.
pub const JET_BIT_ROLLBACK_ALL: u32 = 0x1;

impl Engine {
    fn trx_enter(&self, sesid: u64) -> Result<(), ErrorCode> {
        let idx = self.session_instance(sesid)?;
        self.api_enter(idx)
    }

    /// The session's open transaction levels (0 when none).
    pub fn transaction_level(&self, sesid: u64) -> u32 {
        self.trx_levels.get(&sesid).copied().unwrap_or(0)
    }

    /// Whether any session of instance `idx` has a transaction open (JetTerm: -1059, spec 9).
    pub(crate) fn has_open_transactions(&self, idx: usize) -> bool {
        let h = self.instances[idx].handle;
        self.trx_levels
            .iter()
            .any(|(s, l)| *l > 0 && self.sessions.get(s) == Some(&h))
    }

    /// `JetBeginTransaction[2|3]`: one more level. The grbit (JET_bitTransactionReadOnly) and
    /// the trxid of the 3 form change nothing the mock models. ESENT's limit of nested levels
    /// is not modelled.
    pub fn begin_transaction(&mut self, sesid: u64) -> ErrorCode {
        if let Err(e) = self.trx_enter(sesid) {
            return e;
        }
        *self.trx_levels.entry(sesid).or_insert(0) += 1;
        E::JET_errSuccess
    }

    /// `JetCommitTransaction[2]`: the innermost level commits; none open → -1054
    /// (`JET_errNotInTransaction`, documented for the call).
    pub fn commit_transaction(&mut self, sesid: u64) -> ErrorCode {
        if let Err(e) = self.trx_enter(sesid) {
            return e;
        }
        self.leave_levels(sesid, false, true)
    }

    /// `JetRollback`: the innermost level (every level with `JET_bitRollbackAll`) rolls back;
    /// none open → -1054 (documented for the call).
    pub fn rollback(&mut self, sesid: u64, grbit: u32) -> ErrorCode {
        if let Err(e) = self.trx_enter(sesid) {
            return e;
        }
        self.leave_levels(sesid, grbit & JET_BIT_ROLLBACK_ALL != 0, false)
    }

    fn leave_levels(&mut self, sesid: u64, all: bool, commit: bool) -> ErrorCode {
        match self.trx_levels.get_mut(&sesid) {
            Some(l) if *l > 0 => {
                *l = if all { 0 } else { *l - 1 };
                let to = *l;
                // A commit to level 0 logs the changes, a rollback undoes them (redo.rs).
                self.settle_changes(sesid, to, commit);
                E::JET_errSuccess
            }
            _ => E::JET_errNotInTransaction,
        }
    }
}
