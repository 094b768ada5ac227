//! `jetconform merge`: results files of several machines, versions or partitions into one.

use super::exit::{invalid, Exit};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct MergeArgs {
    /// Results files (from `jetconform run --output`).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Where to write the combined file.
    #[arg(long, value_name = "FILE")]
    output: PathBuf,
}

pub(super) fn merge(a: MergeArgs) -> ExitCode {
    match crate::results::merge_files(&a.files, &a.output) {
        Ok(m) => {
            crate::output::sayln!(
                "merged {} file(s): {} trial(s) into {}",
                a.files.len(),
                m.trials.len(),
                a.output.display()
            );
            Exit::Success.into()
        }
        Err(e) => invalid(e),
    }
}
