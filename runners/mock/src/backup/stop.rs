//! JetStopBackup(Instance) (spec 6.10, 5.7).

use crate::engine::Engine;
use crate::entry::Target;
use jetconform_interface::ErrorCode;

impl Engine {
    /// Finds the instance (no API entry) and sets `stop`; 0 even without a backup, on an
    /// uninitialized or stop-serviced instance.
    pub fn stop_backup(&mut self, target: Target) -> ErrorCode {
        match self.find_only(target) {
            Ok(idx) => {
                self.instances[idx].backup.stop = true;
                ErrorCode::JET_errSuccess
            }
            Err(e) => e,
        }
    }
}
