//! Sandbox paths: every path a scenario writes is relative to the trial's own directory
//! (docs/scenario-format.md, "Sandbox"), so none may leave it.

/// Why `path` would leave the sandbox, if it would.
pub fn escape_reason(path: &str) -> Option<&'static str> {
    let bytes = path.as_bytes();
    if path.starts_with("\\\\") || path.starts_with("//") {
        return Some("a UNC path leaves the sandbox");
    }
    if path.starts_with('/') || path.starts_with('\\') {
        return Some("an absolute path leaves the sandbox");
    }
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Some("a drive path leaves the sandbox");
    }
    if path.split(['/', '\\']).any(|c| c == "..") {
        return Some("`..` leaves the sandbox");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes_only() {
        for bad in [
            "/x",
            "C:\\x",
            "c:x",
            "\\\\server\\x",
            "../x",
            "a/../../x",
            "a\\..\\x",
        ] {
            assert!(escape_reason(bad).is_some(), "{bad}");
        }
        for good in ["", "db.edb", "logs/edb00001.log", "a..b/c", "backup/"] {
            assert!(escape_reason(good).is_none(), "{good}");
        }
    }
}
