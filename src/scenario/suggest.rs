//! "Did you mean ...?" for misspelt names.

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = name.to_ascii_lowercase();
    let mut best: Option<(usize, &'c str)> = None;
    for c in candidates {
        // Case slips are the most likely typo of all.
        let c_lower = c.to_ascii_lowercase();
        let d = if c.eq_ignore_ascii_case(name) {
            0
        } else if lower.len() >= 4 && (c_lower.starts_with(&lower) || lower.starts_with(&c_lower)) {
            // A name cut short (or run on) is as plausible as a one-letter slip.
            1
        } else {
            strsim::damerau_levenshtein(&lower, &c_lower).max(1)
        };
        match best {
            Some((bd, _)) if bd <= d => {}
            _ => best = Some((d, c)),
        }
    }
    let limit = (name.chars().count() / 3).max(2);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

/// `Some("did you mean X?")` when a candidate is close.
pub fn did_you_mean<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean {c}?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let names = [
            "JET_errNoBackup",
            "JET_errNoBackupDirectory",
            "JET_errSuccess",
        ];
        assert_eq!(closest("JET_errNoBakup", names), Some("JET_errNoBackup"));
        assert_eq!(closest("jet_errsuccess", names), Some("JET_errSuccess"));
        assert_eq!(closest("banana", names), None);
        assert_eq!(
            closest("circular", ["circular_log", "name"]),
            Some("circular_log")
        );
    }
}
