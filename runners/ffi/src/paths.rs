//! `Text` arguments made concrete: sandbox-relative paths absolutized against this runner's
//! sandbox, with the same padding and separator rules as the mock (so that path-length
//! scenarios, spec 7.1, measure the same string on every runner).

use jetconform_interface::Text;

pub use jetconform_interface::marshal::text_to_string;

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
