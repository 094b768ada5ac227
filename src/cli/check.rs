//! `jetconform check`: validate scenarios without running them (exit 0 or 2).

use super::common::{count_of, load_each};
use super::exit::Exit;
use crate::output::sayln;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct CheckArgs {
    /// Scenario files or folders (default: cases/).
    paths: Vec<PathBuf>,
    /// `--deny warnings`: warnings fail the check too (exit 2), as errors do.
    #[arg(long, value_name = "warnings", value_parser = ["warnings"])]
    deny: Option<String>,
}

pub(super) fn check(a: CheckArgs) -> ExitCode {
    // Scenarios are only counted, not kept: memory is one file's at a time.
    let mut valid = 0usize;
    let input = match load_each(a.paths, |_| {
        valid += 1;
        None
    }) {
        Ok(input) => input,
        Err(code) => return code,
    };
    let loaded = &input.loaded;
    let warnings = if loaded.warnings.is_empty() {
        String::new()
    } else {
        format!(
            ", {}",
            count_of(loaded.warnings.len(), "warning", "warnings")
        )
    };
    sayln!(
        "checked {} file(s): {} scenario(s) valid, {} problem(s){warnings}",
        loaded.files,
        valid - loaded.refused,
        loaded.diagnostics.len()
    );
    let denied = a.deny.is_some() && !loaded.warnings.is_empty();
    if denied {
        eprintln!("error: warnings are denied (--deny warnings)");
    }
    if input.ok() && !denied {
        Exit::Success.into()
    } else {
        Exit::Invalid.into()
    }
}
