//! A problem found in a scenario file: where, what, and what to do instead.

use std::path::PathBuf;

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
}
