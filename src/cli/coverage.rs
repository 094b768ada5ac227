//! `jetconform coverage`: spec 13's function x code table; exit 1 when a row is missing.

use super::common::{all_exist, input_ok, load};
use super::exit::Exit;
use std::path::PathBuf;
use std::process::ExitCode;

pub(super) fn coverage(paths: Vec<PathBuf>) -> ExitCode {
    let exist = all_exist(&paths);
    let loaded = load(paths);
    let (text, missing) = crate::coverage::report(&loaded.scenarios);
    print!("{text}");
    if !input_ok(&loaded, exist) {
        Exit::Invalid.into()
    } else if missing {
        Exit::Failed.into()
    } else {
        Exit::Success.into()
    }
}
