//! JetEndExternalBackup(Instance)(2) (spec 5.5, 6.9), the backup clean-up
//! (`ErrBKExternalBackupCleanUp`) and the header bookkeeping of spec 10.4.

use crate::backup::state::Status;
use crate::engine::Engine;
use crate::entry::Target;
use crate::files::db::{self, BkInfo};
use crate::files::log::RecordKind;
use jetconform_interface::grbits::bits;
use jetconform_interface::ErrorCode;

type E = ErrorCode;

impl Engine {
    /// `JetEndExternalBackupInstance2`; the legacy and Instance forms pass Normal.
    pub fn end_external_backup(&mut self, target: Target, grbit: u32) -> ErrorCode {
        let idx = match self.enter(target) {
            Ok(i) => i,
            Err(e) => return e,
        };
        let normal = grbit & bits::JET_bitBackupEndNormal != 0;
        let abort = grbit & bits::JET_bitBackupEndAbort != 0;
        // spec 5.5 step 1
        if normal == abort {
            return E::JET_errInvalidParameter;
        }
        self.finish_backup(idx, grbit)
    }

    /// spec 5.5 steps 2-11 (after the grbit check): also JetBackup's internal End.
    pub(crate) fn finish_backup(&mut self, idx: usize, grbit: u32) -> ErrorCode {
        let abort = grbit & bits::JET_bitBackupEndAbort != 0;
        // step 2
        let mut reason = if abort {
            Some(E::errBackupAbortByCaller)
        } else {
            None
        };
        let b = &mut self.instances[idx].backup;
        // step 3 (`inProgressAny`: a local or a surrogate backup)
        if !b.in_progress && !b.surrogate {
            b.stop = false;
            b.status = Status::NotStarted;
            return E::JET_errNoBackup;
        }
        // step 4: the surrogate bit of End must match the kind of backup (spec 5.6, 15.7);
        // a mismatch is abnormal, internal reason -505 (local backup) or -617 (surrogate).
        let mut mismatch = false;
        let end_surrogate = self.profile.begin_valid_grbits.value & bits::JET_bitBackupSurrogate
            != 0
            && grbit & bits::JET_bitBackupSurrogate != 0;
        if reason.is_none() && end_surrogate != b.surrogate {
            reason = Some(if b.surrogate {
                E::JET_errSurrogateBackupInProgress
            } else {
                E::JET_errBackupInProgress
            });
            mismatch = true;
        }
        // A normal surrogate End records an OS-snapshot-type backup in the headers (spec 5.6);
        // the mock keeps no snapshot record, so it updates none.
        let surrogate = b.surrogate;
        // step 5
        let mut premature = false;
        if reason.is_none() {
            if b.stop {
                reason = Some(E::JET_errBackupAbortByServer);
            } else if b.status == Status::Databases {
                reason = Some(E::errBackupAbortByCaller);
                premature = true;
            }
        }
        // step 7 (before the reset of step 10, which clears what it needs)
        let no_hdr = self.profile.no_db_header_update_bit.value
            && grbit & bits::JET_bitBackupNoDbHeaderUpdate != 0;
        if reason.is_none() && !no_hdr && !surrogate {
            if grbit & bits::JET_bitBackupTruncateDone != 0 {
                self.knob(&self.profile.truncate_done_bit);
            }
            let truncate_done = self.profile.truncate_done_bit.value
                && grbit & bits::JET_bitBackupTruncateDone != 0;
            self.update_headers(idx, truncate_done);
        }
        // steps 6, 8, 10
        self.backup_cleanup(idx, reason);
        // step 11: SRC returns 0; older versions return the internal reason (profile).
        let p = &self.profile;
        match reason {
            None => E::JET_errSuccess,
            Some(_) if mismatch => E::JET_errSuccess,
            Some(r) if r == E::JET_errBackupAbortByServer => {
                self.knob(&p.end_after_stop);
                p.end_after_stop.value
            }
            Some(_) if premature => {
                self.knob(&p.end_premature_normal);
                p.end_premature_normal.value
            }
            Some(_) => {
                self.knob(&p.end_abort);
                p.end_abort.value
            }
        }
    }

    /// Ends the backup (spec 5.5 steps 6, 8, 10; `ErrBKExternalBackupCleanUp`): closes the
    /// slot (leaving its stale record, spec 5.4), writes the abort and stop records, resets.
    pub(crate) fn backup_cleanup(&mut self, idx: usize, reason: Option<ErrorCode>) {
        if reason.is_some() {
            let _ = self.log_append(idx, RecordKind::BackupAbort, 0, 1);
        }
        let _ = self.log_append(idx, RecordKind::BackupStop, 0, 1);
        if self.instances[idx].params.aggressive_log_rollover {
            let _ = self.log_roll(idx);
        }
        let i = &mut self.instances[idx];
        i.backup.reset();
        for d in i.dbs.iter_mut() {
            d.in_backup_session = false;
            d.backup_done = false;
        }
    }

    /// spec 10.4: the header fields a normal End writes.
    fn update_headers(&mut self, idx: usize, truncate_done: bool) {
        let i = &self.instances[idx];
        let b = &i.backup;
        let truncated = b.logs_truncated || truncate_done;
        let gen_high = b.copy_mac.saturating_sub(1);
        for d in &i.dbs {
            if d.unlogged {
                continue;
            }
            let qualifies = if b.full {
                d.in_backup_session && d.backup_done
            } else {
                true
            };
            if !qualifies {
                continue;
            }
            let Ok(mut h) = db::read_header(&d.path) else {
                continue;
            };
            let new = BkInfo {
                gen_low: b.copy_mic,
                gen_high,
                mark: b.mark,
            };
            let field = match (b.full, truncated) {
                (true, true) => &mut h.full_prev,
                (true, false) => &mut h.copy_prev,
                (false, true) => &mut h.inc_prev,
                (false, false) => &mut h.diff_prev,
            };
            // A field is only overwritten if the new mark is not older.
            if field.mark > new.mark {
                continue;
            }
            *field = new;
            if b.full && truncated {
                h.inc_prev = BkInfo::default();
                h.diff_prev = BkInfo::default();
            }
            let _ = db::write_header(&d.path, &h);
        }
    }
}
