//! Showing what a runner sent, in error messages: long lines are cut, not dumped whole.

/// `text` cut to at most `max` characters (on a character boundary), saying how long it was.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}... ({} bytes in all)", text.len())
}

/// A received line as shown in messages: quoted, cut at 200 characters.
pub fn shown(line: &str) -> String {
    let line = line.trim_end_matches(['\n', '\r']);
    if line.is_empty() {
        return "an empty line".to_string();
    }
    format!("`{}`", truncate(line, 200))
}

/// A parser's complaint, cut like a received line: it may quote the offending text whole
/// (`unknown variant `...``).
pub fn why(e: &impl std::fmt::Display) -> String {
    truncate(&e.to_string(), 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_long_lines_on_char_boundaries() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("ééééé", 2), "éé... (10 bytes in all)");
        assert_eq!(shown("{}\n"), "`{}`");
        assert_eq!(shown("\n"), "an empty line");
        assert!(shown(&"x".repeat(10_000)).ends_with("... (10000 bytes in all)`"));
    }
}
