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

/// Names Windows reserves for devices, whatever their case and extension (`nul.txt` is NUL)
/// and in any folder (`logs/AUX` is AUX): opening one opens the device, not a file in the
/// sandbox. `CONIN$` and `CONOUT$` are the console's.
const DEVICES: &[&str] = &["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

/// What a component of a path that Windows reserves would do there, if it is one: a device
/// name, NTFS stream syntax (`db.edb:evil`), or a trailing dot or space (which Windows drops,
/// so the engine would open another file than the one named). Such names are plain file
/// names on other systems; scenarios may pass them on purpose (`deliberate = true`).
pub fn reserved_reason(path: &str) -> Option<String> {
    for c in path.split(['/', '\\']) {
        if c.is_empty() || c == "." || c == ".." {
            continue;
        }
        if let Some(device) = device_name(c) {
            return Some(format!(
                "`{c}` is the Windows device {device}: it opens the device, not a file in the sandbox"
            ));
        }
        if c.contains(':') {
            return Some(format!(
                "`{c}` uses stream syntax: on Windows `:` names an NTFS stream of another file (or a drive)"
            ));
        }
        if c.ends_with('.') || c.ends_with(' ') {
            return Some(format!(
                "`{c}` ends with a {}: Windows drops it and opens another file",
                if c.ends_with('.') { "dot" } else { "space" }
            ));
        }
    }
    None
}

/// The device a path component names (`COM1.log` is COM1), if any.
fn device_name(component: &str) -> Option<String> {
    // The base name ends at the first dot; Windows also ignores spaces before it.
    let base = component
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end_matches(' ');
    // Compared without regard to case rather than upper-cased: every path of every step
    // comes through here, and an upper-case copy of each component was an allocation.
    if DEVICES.iter().any(|d| d.eq_ignore_ascii_case(base)) {
        return Some(base.to_ascii_uppercase());
    }
    // COM0-9 and LPT0-9, and the superscript digits Windows also accepts (COM¹).
    for prefix in ["COM", "LPT"] {
        let rest = base
            .get(..prefix.len())
            .filter(|p| p.eq_ignore_ascii_case(prefix))
            .map(|_| &base[prefix.len()..]);
        if let Some(rest) = rest {
            let mut chars = rest.chars();
            if let (Some(d), None) = (chars.next(), chars.next()) {
                if d.is_ascii_digit() || matches!(d, '\u{b9}' | '\u{b2}' | '\u{b3}') {
                    return Some(base.to_ascii_uppercase());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_are_devices_streams_and_trailing_dots() {
        for bad in [
            "CON",
            "nul",
            "NUL.txt",
            "COM1.log",
            "com9",
            "LPT1",
            "COM\u{b9}",
            "logs/AUX",
            "logs\\prn.edb",
            "CON .txt",
            "db.edb:evil",
            "db.edb::$DATA",
            "db.edb.",
            "logs./x",
            "db.edb ",
            "CONOUT$",
        ] {
            assert!(reserved_reason(bad).is_some(), "{bad}");
        }
        for good in [
            "",
            ".",
            "db.edb",
            "logs/edb00001.log",
            "console",
            "COM10",
            "LPT",
            "nullx",
            "com1x.log",
            "backup/",
            "./db.edb",
            "a..b/c",
            "CONFIG",
        ] {
            assert!(reserved_reason(good).is_none(), "{good}");
        }
    }

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
