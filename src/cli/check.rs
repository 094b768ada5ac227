//! `jetconform check`: validate scenarios without running them (exit 0 or 2).

use super::common::load;
use super::exit::Exit;
use std::path::PathBuf;
use std::process::ExitCode;

pub(super) fn check(paths: Vec<PathBuf>) -> ExitCode {
    let input = match load(paths) {
        Ok(input) => input,
        Err(code) => return code,
    };
    let loaded = &input.loaded;
    println!(
        "checked {} file(s): {} scenario(s) valid, {} problem(s)",
        loaded.files,
        loaded.scenarios.len(),
        loaded.diagnostics.len()
    );
    if input.ok() {
        Exit::Success.into()
    } else {
        Exit::Invalid.into()
    }
}
