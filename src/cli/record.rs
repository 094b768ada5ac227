//! `jetconform record --from RESULTS`: observed results into the scenario files.

use super::exit::{invalid, Exit};
use crate::record::Change;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct RecordArgs {
    /// A results file.
    #[arg(long, value_name = "RESULTS")]
    from: PathBuf,
    /// Print a unified diff of what would change, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// The machine name for `observed:<machine>` (default: from the results file).
    #[arg(long, value_name = "NAME")]
    machine: Option<String>,
}

pub(super) fn record(a: RecordArgs) -> ExitCode {
    // An empty `CI=` is how a shell clears the variable: only a value means CI.
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        return invalid("`record` rewrites scenario files and does not run in CI (the CI environment variable is set)");
    }
    let file = match crate::results::load(&a.from) {
        Ok(f) => f,
        Err(e) => return invalid(e),
    };
    let recorded = match crate::record::apply(&file, a.machine.as_deref(), a.dry_run) {
        Ok(r) => r,
        Err(e) => return invalid(e),
    };
    for note in &recorded.skipped {
        eprintln!("not recorded: {note}");
    }
    for note in &recorded.replaced {
        eprintln!("replaced: {note}");
    }
    for f in &recorded.files {
        match &f.result {
            Ok(Change::Diff(diff)) => crate::output::say!("{diff}"),
            Ok(Change::Written) => {}
            Err(e) => eprintln!("error: {e}"),
        }
    }
    if !a.dry_run {
        crate::output::sayln!("recorded into {} file(s)", recorded.changed());
    }
    if recorded.failed() {
        Exit::Invalid.into()
    } else {
        Exit::Success.into()
    }
}
