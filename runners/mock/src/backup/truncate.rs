//! JetTruncateLog(Instance) (spec 6.8).

use crate::backup::state::Status;
use crate::engine::Engine;
use crate::entry::{answer, Answer, Target};
use crate::files::log::RecordKind;
use jetconform_interface::ErrorCode;

type E = ErrorCode;

impl Engine {
    pub fn truncate_log(&mut self, target: Target) -> ErrorCode {
        answer(self.truncate_steps(target))
    }

    fn truncate_steps(&mut self, target: Target) -> Answer {
        // step 1
        let idx = self.backup_entry(target)?;
        let b = &self.instances[idx].backup;
        // steps 2-5
        if b.stop {
            self.knob(&self.profile.truncate_after_stop);
            if let Some(err) = self.profile.truncate_after_stop.value {
                return Ok(err);
            }
        }
        if b.slot.in_use || b.copy_mic == 0 || b.copy_mac == 0 {
            return Ok(E::JET_errInvalidBackupSequence);
        }
        // step 6
        self.instances[idx].backup.status = Status::LogsAndPatches;
        // step 7
        let b = &self.instances[idx].backup;
        if b.gen_copy_done_sum < b.copy_range_sum() {
            self.knob(&self.profile.log_file_not_copied_check);
            if self.profile.log_file_not_copied_check.value {
                return Ok(E::JET_errLogFileNotCopied);
            }
        }
        // step 8
        self.instances[idx].backup.logs_truncated = true;
        // step 9: delete deleteMic .. deleteMac-1 in ascending order; missing files skipped.
        let _ = self.log_append(idx, RecordKind::BackupTruncate, 0, 1);
        let (lo, hi) = (
            self.instances[idx].backup.delete_mic,
            self.instances[idx].backup.delete_mac,
        );
        for g in lo..hi {
            let p = self.archived_log_path(idx, g);
            if self.is_locked(&p) {
                return Ok(E::JET_errFileAccessDenied);
            }
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(_) => return Ok(E::JET_errFileAccessDenied),
            }
        }
        Ok(E::JET_errSuccess)
    }
}
