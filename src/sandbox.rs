//! Where trial sandboxes go (`jetconform_interface::sandbox`: a memory-backed folder when
//! the machine has one), removing those left by earlier runs, and paths shown relative to a
//! sandbox.

pub use jetconform_interface::sandbox::{base, remove_stale, ENV};

/// Removes, once per process, the sandboxes of earlier runs whose owner is gone (killed,
/// crashed) from the folders sandboxes go to. Their names carry their owner's pid.
pub fn remove_stale_once() {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(|| {
        let mut dirs = vec![std::env::temp_dir()];
        dirs.extend(base());
        dirs.dedup();
        for d in dirs {
            remove_stale(&d);
        }
    });
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
