//! `jetconform report [--check]`: regenerate `reports/`, or say whether it is stale.

use super::common::load;
use super::exit::{invalid, Exit};
use crate::report::Updated;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct ReportArgs {
    /// Scenario folder (default: cases/).
    #[arg(long, value_name = "DIR", default_value = "cases")]
    cases: PathBuf,
    /// Reports folder (default: reports/).
    #[arg(long, value_name = "DIR", default_value = "reports")]
    dir: PathBuf,
    /// Do not write: exit 1 when the committed reports differ from what would be written.
    #[arg(long)]
    check: bool,
}

pub(super) fn report(a: ReportArgs) -> ExitCode {
    let Ok(input) = load(vec![a.cases.clone()]) else {
        return Exit::Invalid.into();
    };
    let loaded = input.loaded;
    if !loaded.diagnostics.is_empty() {
        return invalid(format!(
            "the scenarios under {} do not load; fix them first",
            a.cases.display()
        ));
    }
    match crate::report::update(&loaded.scenarios, &a.dir, a.check) {
        Ok(Updated::UpToDate(n)) => {
            crate::output::sayln!("reports are up to date ({n} files)");
            Exit::Success.into()
        }
        Ok(Updated::Stale(stale)) => {
            eprintln!(
                "error: stale reports (run `jetconform report` and commit reports/):\n  {}",
                stale.join("\n  ")
            );
            Exit::Failed.into()
        }
        Ok(Updated::Written(n)) => {
            crate::output::sayln!("wrote {n} report file(s) to {}", a.dir.display());
            Exit::Success.into()
        }
        Err(e) => invalid(e),
    }
}
