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

/// Engine paths are shown relative to the trial's sandbox, with `/`, so that expectations
/// and reports read the same on every runner and machine.
///
/// `C:\t\sbx\logs\edb00001.log` with sandbox `C:\t\sbx` -> `logs/edb00001.log`. Paths outside
/// the sandbox are returned as they are (with `/`).
pub fn relativize(sandbox: &str, path: &str) -> String {
    let norm = |s: &str| s.replace('\\', "/");
    let (root, p) = (norm(sandbox), norm(path));
    let root = root.trim_end_matches('/');
    match p.strip_prefix(root) {
        Some("") => String::new(),
        Some(rest) if rest.starts_with('/') => rest.trim_start_matches('/').to_string(),
        _ => p,
    }
}

#[cfg(test)]
mod tests {
    use super::relativize;

    #[test]
    fn strips_the_sandbox_on_both_separators() {
        assert_eq!(
            relativize("C:\\t\\sbx", "C:\\t\\sbx\\logs\\edb00001.log"),
            "logs/edb00001.log"
        );
        assert_eq!(relativize("/tmp/sbx/", "/tmp/sbx/db.edb"), "db.edb");
        assert_eq!(
            relativize("/tmp/sbx", "/tmp/sbx2/db.edb"),
            "/tmp/sbx2/db.edb"
        );
        assert_eq!(relativize("/tmp/sbx", "/tmp/sbx"), "");
    }
}
