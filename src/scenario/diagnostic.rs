//! A problem found in a scenario file: where, what, and what to do instead.

use std::path::PathBuf;

/// Errors keep a file from loading; warnings are reported (and counted) but do not, unless
/// `check --deny warnings` is given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub col: u32,
    /// Byte range of the offending text in the file (empty when the whole file is meant).
    pub span: std::ops::Range<usize>,
    /// What is wrong (`unknown error JET_errNoBakup`).
    pub message: String,
    /// Short text under the offending span (`not a JET_ERR name`).
    pub label: String,
    /// What to do instead (`did you mean JET_errNoBackup?`).
    pub help: Option<String>,
    pub severity: Severity,
}

impl Diagnostic {
    /// A diagnostic about a whole file (or a path that is not one), at 1:1.
    pub fn file_level(
        file: PathBuf,
        severity: Severity,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            file,
            line: 1,
            col: 1,
            span: 0..0,
            message,
            label: label.into(),
            help,
            severity,
        }
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }
}
