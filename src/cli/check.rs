//! `jetconform check`: validate scenarios without running them (exit 0 or 2).

use super::common::{all_exist, input_ok, load};
use super::exit::Exit;
use std::path::PathBuf;
use std::process::ExitCode;

pub(super) fn check(paths: Vec<PathBuf>) -> ExitCode {
    let exist = all_exist(&paths);
    let loaded = load(paths);
    println!(
        "checked {} file(s): {} scenario(s) valid, {} problem(s)",
        loaded.files,
        loaded.scenarios.len(),
        loaded.diagnostics.len()
    );
    if input_ok(&loaded, exist) {
        Exit::Success.into()
    } else {
        Exit::Invalid.into()
    }
}
