//! JetBeginExternalBackup(Instance) (spec 6.1), checks in SRC order.

use crate::backup::state::Status;
use crate::engine::Engine;
use crate::entry::Target;
use crate::files::checkpoint::{self, CheckpointError};
use crate::files::db;
use crate::files::log::RecordKind;
use crate::NotModelled;
use jetconform_interface::grbits::bits;
use jetconform_interface::ErrorCode;

type E = ErrorCode;

const INCREMENTAL: u32 = bits::JET_bitBackupIncremental;
const SURROGATE: u32 = bits::JET_bitBackupSurrogate;
const INTERNAL_COPY: u32 = bits::JET_bitInternalCopy;

impl Engine {
    pub fn begin_external_backup(
        &mut self,
        target: Target,
        grbit: u32,
    ) -> Result<ErrorCode, NotModelled> {
        // spec 6.1 step 1
        let idx = match self.enter(target) {
            Ok(i) => i,
            Err(e) => return Ok(e),
        };
        self.begin_backup_checked(idx, grbit, true).map_err(|_| {
            NotModelled(
                "internal-copy backups (private grbit 0x40, a recovery-time copy) are not modelled"
                    .into(),
            )
        })
    }

    /// Steps 2-15 of spec 6.1 (also used by JetBackup, spec 7.1 step 4). `Err(())` when the
    /// private internal-copy grbit would start a kind of backup the mock does not model.
    pub(crate) fn begin_backup_checked(
        &mut self,
        idx: usize,
        grbit: u32,
        validate_grbit: bool,
    ) -> Result<ErrorCode, ()> {
        let i = &self.instances[idx];
        // step 2 (spec 4.5)
        if !i.backup_allowed {
            return Ok(E::JET_errBackupNotAllowedYet);
        }
        // step 3
        if !i.params.logging() {
            return Ok(E::JET_errLoggingDisabled);
        }
        // step 4
        if i.faults.log_write_fail {
            return Ok(E::JET_errLogWriteFail);
        }
        if validate_grbit {
            // step 6
            if grbit & !self.profile.begin_valid_grbits.value != 0 {
                self.knob(&self.profile.begin_valid_grbits);
                return Ok(E::JET_errInvalidGrbit);
            }
        }
        // step 7
        if grbit & (INCREMENTAL | SURROGATE) != 0 && i.params.circular_log {
            return Ok(E::JET_errInvalidBackup);
        }
        // step 8
        if validate_grbit && grbit & INTERNAL_COPY != 0 && grbit & (INCREMENTAL | SURROGATE) != 0 {
            return Ok(E::JET_errInvalidGrbit);
        }
        // step 9
        if i.faults.log_disk_full {
            return Ok(E::JET_errLogDiskFull);
        }
        if i.faults.log_sequence_end {
            return Ok(E::JET_errLogSequenceEnd);
        }
        // step 10
        if i.backup.in_progress {
            return Ok(E::JET_errBackupInProgress);
        }
        if i.backup.surrogate {
            return Ok(E::JET_errSurrogateBackupInProgress);
        }
        if validate_grbit && grbit & INTERNAL_COPY != 0 {
            return Err(());
        }
        // spec 6.1 DOC return codes: OutOfMemory (an allocation failure; fault hook only,
        // spec 13). The backup is not started.
        if i.faults.out_of_memory {
            return Ok(E::JET_errOutOfMemory);
        }
        if validate_grbit && grbit & SURROGATE != 0 {
            // spec 15.7: the public Begin with the surrogate bit starts a surrogate backup
            // (spec 5.6): in progress, but not local, with every attached DB in the session.
            // The copy range of JetBeginSurrogateBackup's arguments is not given here and
            // stays unset.
            let _ = self.log_append(idx, RecordKind::BackupBegin, 0, 1);
            let mark = self.tick();
            let i = &mut self.instances[idx];
            i.backup.surrogate = true;
            // Full or incremental is not recorded: nothing reads it for a surrogate backup (its
            // streaming calls answer -520, spec 5.6, and its End updates no header, end.rs).
            i.backup.stop = false;
            i.backup.mark = mark;
            for d in i.dbs.iter_mut() {
                d.in_backup_session = true;
                d.backup_done = false;
            }
            return Ok(E::JET_errSuccess);
        }
        let incremental = grbit & INCREMENTAL != 0;
        if incremental {
            // step 12: every attached DB needs a previous full backup in its header (SRC does
            // not filter on logging, so a recovery-off DB makes this fail).
            for d in &i.dbs {
                let ok = db::read_header(&d.path)
                    .map(|h| h.full_prev.gen_low != 0)
                    .unwrap_or(false);
                if !ok {
                    return Ok(E::JET_errMissingFullBackup);
                }
            }
        }
        let mut copy_mic = 0;
        if !incremental {
            // step 13
            if i.faults.checkpoint_corrupt {
                return Ok(E::JET_errCheckpointCorrupt);
            }
            let path = self.checkpoint_path(idx);
            if self.is_locked(&path) {
                return Ok(E::JET_errFileAccessDenied);
            }
            match checkpoint::read(&path) {
                Ok(c) => copy_mic = c.gen,
                Err(CheckpointError::NotFound) => return Ok(E::JET_errCheckpointFileNotFound),
                Err(_) => return Ok(E::JET_errCheckpointCorrupt),
            }
        }
        // step 14 (errors ignored)
        let _ = self.log_append(idx, RecordKind::BackupBegin, 0, 1);
        let mark = self.tick();
        // step 15
        let i = &mut self.instances[idx];
        let b = &mut i.backup;
        b.in_progress = true;
        b.full = !incremental;
        b.status = if incremental {
            Status::LogsAndPatches
        } else {
            Status::Databases
        };
        b.stop = false;
        b.began_new_log = false;
        b.copy_mic = copy_mic;
        b.copy_mac = 0;
        b.delete_mic = 0;
        b.delete_mac = 0;
        b.gen_copy_done_sum = 0;
        b.logs_truncated = false;
        b.mark = mark;
        b.slots_used = 0;
        for d in i.dbs.iter_mut() {
            d.in_backup_session = incremental;
            d.backup_done = false;
        }
        Ok(E::JET_errSuccess)
    }
}
