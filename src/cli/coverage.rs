//! `jetconform coverage`: spec 13's function x code table; exit 1 when a row is missing.

use super::common::load;
use super::exit::Exit;
use std::path::PathBuf;
use std::process::ExitCode;

pub(super) fn coverage(paths: Vec<PathBuf>) -> ExitCode {
    let input = match load(paths) {
        Ok(input) => input,
        Err(code) => return code,
    };
    let (text, missing) = crate::coverage::report(&input.loaded.scenarios);
    crate::output::say!("{text}");
    if !input.ok() {
        Exit::Invalid.into()
    } else if missing {
        Exit::Failed.into()
    } else {
        Exit::Success.into()
    }
}
