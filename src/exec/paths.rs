//! Engine paths are shown relative to the trial's sandbox, with `/`, so that expectations
//! and reports read the same on every runner and machine.

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
