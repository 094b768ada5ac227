//! Where trial sandboxes go. Every mock trial creates and removes a handful of files; on a
//! journaling disk file system that dominates the run time (several seconds for the corpus
//! instead of about one), so sandboxes go to a memory-backed folder when the machine has one.

use std::path::PathBuf;

/// Overrides the folder that holds trial sandboxes.
pub const ENV: &str = "JETCONFORM_SANDBOX_DIR";

/// `$JETCONFORM_SANDBOX_DIR` if set; else `/dev/shm` where it is a writable folder (Linux);
/// else `None`: the system's temporary folder.
pub fn base() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let shm = PathBuf::from("/dev/shm");
    let writable = shm.is_dir()
        && tempfile::Builder::new()
            .prefix(".jetconform-probe")
            .tempfile_in(&shm)
            .is_ok();
    writable.then_some(shm)
}
