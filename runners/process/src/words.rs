//! The command line of a `process:` spec, split into words like a POSIX shell splits them
//! (without expansions), so that paths with blanks and Windows paths can be quoted.

/// Why a command line could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("unterminated {0} quote")]
    Unterminated(&'static str),
    #[error("a backslash ends the command")]
    TrailingBackslash,
    #[error("no command given")]
    Empty,
}

/// Splits a command line into words the way a POSIX shell does, without expansions:
/// blanks separate words; `'...'` is literal; in `"..."` a backslash escapes `"`, `\`, `$`
/// and `` ` `` only; elsewhere a backslash escapes any character. So Windows paths need
/// quotes: `'C:\tools\agent.exe'`.
pub fn split_words(line: &str) -> Result<Vec<String>, SplitError> {
    let mut words = Vec::new();
    let mut word = String::new();
    // A word exists as soon as anything was written for it, even `''` (an empty argument).
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(SplitError::Unterminated("single")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(SplitError::Unterminated("double")),
                        },
                        Some(c) => word.push(c),
                        None => return Err(SplitError::Unterminated("double")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err(SplitError::TrailingBackslash),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if words.is_empty() {
        return Err(SplitError::Empty);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(line: &str) -> Vec<String> {
        split_words(line).unwrap()
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            s("jetconform serve --runner mock"),
            ["jetconform", "serve", "--runner", "mock"]
        );
        assert_eq!(
            s("  ssh   winbox  'C:\\jc\\jetconform.exe' serve "),
            ["ssh", "winbox", "C:\\jc\\jetconform.exe", "serve"]
        );
        assert_eq!(
            s(r#"a "b c" d\ e '' "x\"y\z""#),
            ["a", "b c", "d e", "", "x\"y\\z"]
        );
        assert_eq!(s("a'b'\"c\"d"), ["abcd"]);
        assert_eq!(
            s(r#"ssh winbox "C:\jc\jetconform.exe" serve"#),
            ["ssh", "winbox", "C:\\jc\\jetconform.exe", "serve"]
        );
        assert_eq!(s(r"C:\jc\x.exe"), ["C:jcx.exe"]);
        assert_eq!(split_words("a 'b"), Err(SplitError::Unterminated("single")));
        assert_eq!(
            split_words("a \"b"),
            Err(SplitError::Unterminated("double"))
        );
        assert_eq!(split_words("a \\"), Err(SplitError::TrailingBackslash));
        assert_eq!(split_words("   "), Err(SplitError::Empty));
    }
}
