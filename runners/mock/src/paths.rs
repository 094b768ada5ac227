//! Path handling. ESENT resolves relative paths against the process's current directory; the
//! mock resolves them against the execution's sandbox. Windows separators in caller strings
//! (ESENT's defaults are `.\`) are accepted on every platform.

use jetconform_interface::ErrorCode;
use std::path::{Component, Path, PathBuf};

/// `OSFSAPI_MAX_PATH` less the NUL: canonical paths of 259 characters or more fail (spec 7.1).
pub const MAX_PATH_CHARS: usize = 259;

/// Makes `text` absolute against `root`, lexically normalised (no `.`/`..`).
pub fn resolve(root: &Path, text: &str) -> PathBuf {
    let t: String = if std::path::MAIN_SEPARATOR == '\\' {
        text.to_string()
    } else {
        text.replace('\\', "/")
    };
    let p = Path::new(&t);
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        root.join(p)
    };
    normalise(&joined)
}

pub fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Path canonicalisation with ESENT's length limit (-1023).
pub fn canonical(root: &Path, text: &str) -> Result<PathBuf, ErrorCode> {
    let p = resolve(root, text);
    if p.as_os_str().len() >= MAX_PATH_CHARS {
        return Err(ErrorCode::JET_errInvalidPath);
    }
    Ok(p)
}

/// Whether two paths name the same file (lexically; case-insensitive like NTFS).
pub fn same(a: &Path, b: &Path) -> bool {
    normalise(a).to_string_lossy().to_lowercase() == normalise(b).to_string_lossy().to_lowercase()
}

/// The text ESENT would report for a folder: absolute, with a trailing separator.
pub fn folder_text(p: &Path) -> String {
    let mut s = p.to_string_lossy().into_owned();
    if !s.ends_with(std::path::MAIN_SEPARATOR) {
        s.push(std::path::MAIN_SEPARATOR);
    }
    s
}
