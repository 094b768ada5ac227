//! `jetconform record`: observed results into scenario files.

use crate::results::ResultsFile;
use std::process::ExitCode;

pub fn command(_file: &ResultsFile, _machine: Option<&str>, _dry_run: bool) -> ExitCode {
    eprintln!("error: record is not available yet");
    ExitCode::from(2)
}
