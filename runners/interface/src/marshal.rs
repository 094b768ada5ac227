//! What every runner does the same way with the vocabulary: turn a `Text` into the string the
//! engine receives, and decode a multi-string (`szz`) buffer. Sharing them keeps path-length
//! scenarios (spec 7.1) and list outputs (spec 6.2, 6.6) identical across runners.

use crate::call::Text;
use crate::observation::OutValue;
use std::path::MAIN_SEPARATOR;

/// Longest padded path a runner builds (`Text::Path::pad_to`): far beyond any path limit, and
/// capped so that a huge value cannot exhaust memory.
pub const MAX_PAD: usize = 32768;

/// The string the engine receives: sandbox paths absolute under `root` (native separators,
/// padded with `x` to `pad_to` characters, with a trailing separator when asked), other text
/// as written.
pub fn text_to_string(root: &str, t: &Text) -> String {
    match t {
        Text::Plain(s) | Text::Raw(s) => s.clone(),
        Text::Path {
            path,
            pad_to,
            trailing_separator,
        } => {
            let mut s = root.to_string();
            let rel = path.trim_matches('/');
            if !rel.is_empty() && rel != "." {
                s.push(MAIN_SEPARATOR);
                s.push_str(&rel.replace('/', std::path::MAIN_SEPARATOR_STR));
            }
            if let Some(n) = pad_to {
                let n = (*n as usize).min(MAX_PAD);
                if (rel.is_empty() || rel == ".") && s.len() < n {
                    s.push(MAIN_SEPARATOR);
                }
                while s.len() < n {
                    s.push('x');
                }
            }
            if *trailing_separator {
                s.push(MAIN_SEPARATOR);
            }
            s
        }
    }
}

/// Decodes the written bytes of a multi-string buffer (UTF-16LE when `wide`, else one byte per
/// character): the items up to the double NUL, or up to the end of what was written
/// (`terminated: false`).
pub fn decode_szz(bytes: &[u8], wide: bool) -> OutValue {
    let units: Vec<u16> = if wide {
        bytes
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
            .collect()
    } else {
        bytes.iter().map(|b| *b as u16).collect()
    };
    let mut items = Vec::new();
    let mut cur: Vec<u16> = Vec::new();
    for u in units {
        if u != 0 {
            cur.push(u);
            continue;
        }
        if cur.is_empty() {
            return OutValue::Strings {
                items,
                terminated: true,
            };
        }
        items.push(String::from_utf16_lossy(&cur));
        cur.clear();
    }
    if !cur.is_empty() {
        items.push(String::from_utf16_lossy(&cur));
    }
    OutValue::Strings {
        items,
        terminated: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_pad_and_separate() {
        let t = Text::Path {
            path: "logs".into(),
            pad_to: None,
            trailing_separator: true,
        };
        assert_eq!(
            text_to_string("/s", &t),
            format!("/s{MAIN_SEPARATOR}logs{MAIN_SEPARATOR}")
        );
        let t = Text::Path {
            path: "deep".into(),
            pad_to: Some(20),
            trailing_separator: false,
        };
        assert_eq!(text_to_string("/s", &t).len(), 20);
        let t = Text::Path {
            path: ".".into(),
            pad_to: None,
            trailing_separator: false,
        };
        assert_eq!(text_to_string("/s", &t), "/s");
        assert_eq!(text_to_string("/s", &Text::Plain(String::new())), "");
    }

    #[test]
    fn lists_decode_with_and_without_terminators() {
        let w: Vec<u8> = "a\0bc\0\0"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(
            decode_szz(&w, true),
            OutValue::Strings {
                items: vec!["a".into(), "bc".into()],
                terminated: true
            }
        );
        assert_eq!(
            decode_szz(b"ab\0c", false),
            OutValue::Strings {
                items: vec!["ab".into(), "c".into()],
                terminated: false
            }
        );
        // What follows the double NUL (the runner's sentinel fill) is not part of the list.
        assert_eq!(
            decode_szz(b"a\0bc\0\0\xcd", false),
            OutValue::Strings {
                items: vec!["a".into(), "bc".into()],
                terminated: true
            }
        );
        let w: Vec<u8> = "x\0\0"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(
            decode_szz(&w, true),
            OutValue::Strings {
                items: vec!["x".into()],
                terminated: true
            }
        );
    }
}
