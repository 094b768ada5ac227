//! `jetconform report`: the committed reports under `reports/`.

use std::path::Path;
use std::process::ExitCode;

pub fn command(_cases: &Path, _dir: &Path, _check: bool) -> ExitCode {
    eprintln!("error: report is not available yet");
    ExitCode::from(2)
}
