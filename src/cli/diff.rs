//! `jetconform diff`: steps whose result differs between versions or runners; exit 0 when
//! none, 1 when some, 2 on bad input.

use super::common::show_diagnostics;
use super::exit::{invalid, Exit};
use crate::diff::{DiffError, DiffRequest};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct DiffArgs {
    /// Scenario files or folders for live runs (default: cases/).
    paths: Vec<PathBuf>,
    /// Compare these versions (comma list, ranges or `all`) on one runner.
    #[arg(long, value_name = "VERS")]
    versions: Option<String>,
    /// Runners: once (with --versions; default mock) or twice (with --version). A live spec
    /// (`mock`, `process:...`) or `results:FILE`.
    #[arg(long = "runner", value_name = "SPEC")]
    runners: Vec<String>,
    /// A results file to read instead of running; once with --versions, or twice to compare
    /// two runners.
    #[arg(long = "results", value_name = "FILE")]
    results: Vec<PathBuf>,
    /// The version two runners are compared on.
    #[arg(long, value_name = "VER")]
    version: Option<String>,
    /// `text` (aligned columns) or `markdown` (a table for pull requests and job summaries).
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
}

#[derive(Copy, Clone, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Markdown,
}

pub(super) fn diff(a: DiffArgs) -> ExitCode {
    let request = DiffRequest {
        paths: a.paths,
        versions: a.versions,
        runners: a.runners,
        results: a.results,
        version: a.version,
    };
    let c = match crate::diff::compare_sources(&request) {
        Ok(c) => c,
        Err(e) => {
            if let DiffError::Scenarios(diagnostics) = &e {
                show_diagnostics(diagnostics);
            }
            return invalid(e);
        }
    };
    if c.rows.is_empty() {
        crate::output::sayln!("no differences");
        return Exit::Success.into();
    }
    let table = match a.format {
        DiffFormat::Text => crate::diff::render(&c.columns, &c.rows, c.full_call),
        DiffFormat::Markdown => crate::diff::render_markdown(&c.columns, &c.rows, c.full_call),
    };
    crate::output::say!("{table}");
    crate::output::sayln!("{} step(s) differ", c.rows.len());
    Exit::Failed.into()
}
