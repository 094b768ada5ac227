//! "Did you mean ...?" for misspelt names.

/// The candidate closest to `name` by edit distance (Damerau-Levenshtein, ignoring case), if
/// it is close enough to be a plausible typo. A name cut short (`circular` for
/// `circular_log`) counts as two edits and one run on as three, so that a real one-letter
/// slip wins over them:
/// `JetEndExternalBackupInstance3` is `JetEndExternalBackupInstance2`, not the legacy
/// `JetEndExternalBackup` it happens to start with. Among equally distant names the one of
/// the closest length wins (`Instance3` is `Instance2` rather than `Instance`), then the
/// earlier candidate.
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = name.to_ascii_lowercase();
    let mut best: Option<((usize, bool, usize), &'c str)> = None;
    for c in candidates {
        let c_lower = c.to_ascii_lowercase();
        let edits = strsim::damerau_levenshtein(&lower, &c_lower);
        let long = lower.len() >= 4 && c_lower.len() >= 4;
        // A name cut short costs 2, one run on past a shorter name 3.
        let prefix = if long && c_lower.starts_with(&lower) {
            Some(2)
        } else if long && lower.starts_with(&c_lower) {
            Some(3)
        } else {
            None
        };
        let length = lower.len().abs_diff(c_lower.len());
        // (distance, whether only the prefix rule makes it that close, length difference)
        let d = match prefix {
            Some(p) if p < edits => (p, true, length),
            _ => (edits, false, length),
        };
        match best {
            Some((bd, _)) if bd <= d => {}
            _ => best = Some((d, c)),
        }
    }
    let limit = (name.chars().count() / 3).max(2);
    best.filter(|((d, _, _), _)| *d <= limit).map(|(_, c)| c)
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

    #[test]
    fn the_nearest_name_wins_over_a_prefix() {
        let functions = [
            "JetEndExternalBackup",
            "JetEndExternalBackupInstance",
            "JetEndExternalBackupInstance2",
            "JetTruncateLog",
            "JetTruncateLogInstance",
        ];
        assert_eq!(
            closest("JetEndExternalBackupInstance3", functions),
            Some("JetEndExternalBackupInstance2")
        );
        assert_eq!(
            closest("JetTruncateLogInstanse", functions),
            Some("JetTruncateLogInstance")
        );
        assert_eq!(
            closest("JetEndExternalBackupInst", functions),
            Some("JetEndExternalBackupInstance")
        );
    }
}
