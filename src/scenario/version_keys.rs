//! Versions and ranges written as keys and values (`xp`, `server2003..win7`, `all`), with a
//! suggestion when one is misspelt.

use super::source::Cx;
use jetconform_interface::version::VersionParseError;
use jetconform_interface::{VersionSet, WinVersion};
use std::ops::Range;

/// A version or range used as a key (`xp`, `server2003..win7`).
pub fn version_key(cx: &mut Cx<'_>, text: &str, span: Range<usize>) -> Option<VersionSet> {
    match VersionSet::parse(text) {
        Ok(s) => Some(s),
        Err(VersionParseError {
            reversed: Some((from, to)),
            ..
        }) => {
            cx.error(
                span,
                format!("`{text}` is a reversed range"),
                "the newer version comes first",
                Some(format!("write it oldest first: {from}..{to}")),
            );
            None
        }
        Err(_) => {
            cx.error(
                span,
                format!("unknown version or range `{text}`"),
                "not a Windows version",
                suggest_version(text),
            );
            None
        }
    }
}

/// A suggestion for a misspelt version or range, component by component.
pub fn suggest_version(text: &str) -> Option<String> {
    let names: Vec<&str> = WinVersion::all_names().chain(["all"]).collect();
    let fix = |part: &str| -> Option<String> {
        if part.trim().is_empty() || WinVersion::parse(part).is_some() {
            Some(part.trim().to_string())
        } else {
            super::suggest::closest(part.trim(), names.iter().copied()).map(str::to_string)
        }
    };
    let fixed = match text.split_once("..") {
        None => fix(text)?,
        Some((a, b)) => format!("{}..{}", fix(a)?, fix(b)?),
    };
    if VersionSet::parse(&fixed).is_ok() && fixed != text {
        Some(format!("did you mean {fixed}?"))
    } else {
        Some(format!(
            "versions: {}; ranges like `xp..`, `..vista`, `server2003..win7`; `all`",
            WinVersion::ALL.map(|v| v.id()).join(", ")
        ))
    }
}
