//! `Text` arguments made concrete: sandbox-relative paths absolutized against this runner's
//! sandbox, with the same padding and separator rules as the mock (so that path-length
//! scenarios, spec 7.1, measure the same string on every runner).

use jetconform_interface::Text;
use std::path::MAIN_SEPARATOR;

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
            if !rel.is_empty() {
                s.push(MAIN_SEPARATOR);
                s.push_str(&rel.replace('/', std::path::MAIN_SEPARATOR_STR));
            }
            if let Some(n) = pad_to {
                let n = *n as usize;
                if rel.is_empty() && s.len() < n {
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

/// A sandbox-relative file name (verbs, `save_to`) as an absolute path.
pub fn sandbox_file(root: &str, rel: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(text_to_string(
        root,
        &Text::Path {
            path: rel.to_string(),
            pad_to: None,
            trailing_separator: false,
        },
    ))
}
