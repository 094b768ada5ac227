//! The subcommands that work on results: `merge`, `diff`, `baseline`, `report`, `record`.
//! Each parses its arguments here and hands the work to its module.

use crate::cli::INVALID;
use crate::results::{self, ResultsFile};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct MergeArgs {
    /// Results files (from `jetconform run --output`).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Where to write the combined file.
    #[arg(long, value_name = "FILE")]
    output: PathBuf,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// Scenario files or folders for live runs (default: cases/).
    pub(crate) paths: Vec<PathBuf>,
    /// Compare these versions (comma list, ranges or `all`) on one runner.
    #[arg(long, value_name = "VERS")]
    pub(crate) versions: Option<String>,
    /// Runners: once (with --versions; default mock) or twice (with --version). A live spec
    /// (`mock`, `process:...`) or `results:FILE`.
    #[arg(long = "runner", value_name = "SPEC")]
    pub(crate) runners: Vec<String>,
    /// A results file to read instead of running; once with --versions, or twice to compare
    /// two runners.
    #[arg(long = "results", value_name = "FILE")]
    pub(crate) results: Vec<PathBuf>,
    /// The version two runners are compared on.
    #[arg(long, value_name = "VER")]
    pub(crate) version: Option<String>,
    /// `text` (aligned columns) or `markdown` (a table for pull requests and job summaries).
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub(crate) format: DiffFormat,
}

#[derive(Copy, Clone, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
}

#[derive(clap::Args)]
pub struct BaselineArgs {
    /// A results file.
    #[arg(long, value_name = "RESULTS")]
    from: PathBuf,
    /// The baseline to write (TOML, or JSON when it ends in .json).
    #[arg(long, value_name = "FILE")]
    output: PathBuf,
}

#[derive(clap::Args)]
pub struct ReportArgs {
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

#[derive(clap::Args)]
pub struct RecordArgs {
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

pub(crate) fn bad(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(INVALID)
}

pub(crate) fn load_results(path: &Path) -> Result<ResultsFile, ExitCode> {
    results::load(path).map_err(bad)
}

pub fn merge(a: MergeArgs) -> ExitCode {
    let mut files = Vec::new();
    for p in &a.files {
        match load_results(p) {
            Ok(f) => files.push((p.display().to_string(), f)),
            Err(code) => return code,
        }
    }
    match results::merge(&files) {
        Ok(m) => match m.write(&a.output) {
            Ok(()) => {
                crate::output::sayln!(
                    "merged {} file(s): {} trial(s) into {}",
                    files.len(),
                    m.trials.len(),
                    a.output.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => bad(format!("cannot write {}: {e}", a.output.display())),
        },
        Err(e) => bad(e),
    }
}

pub fn baseline(a: BaselineArgs) -> ExitCode {
    let file = match load_results(&a.from) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (b, refused) = crate::baseline::from_results(&file);
    for r in &refused {
        eprintln!("warning: {r} did not fail on a result code and cannot be baselined");
    }
    match std::fs::write(&a.output, crate::baseline::render(&b, &a.output)) {
        Ok(()) => {
            crate::output::sayln!(
                "wrote {} known divergence(s) to {}",
                b.known.len(),
                a.output.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => bad(format!("cannot write {}: {e}", a.output.display())),
    }
}

pub fn diff(a: DiffArgs) -> ExitCode {
    crate::diff::command::run(a)
}

pub fn report(a: ReportArgs) -> ExitCode {
    crate::report::command(&a.cases, &a.dir, a.check)
}

pub fn record(a: RecordArgs) -> ExitCode {
    if std::env::var_os("CI").is_some() {
        return bad("`record` rewrites scenario files and does not run in CI (the CI environment variable is set)");
    }
    let file = match load_results(&a.from) {
        Ok(f) => f,
        Err(code) => return code,
    };
    crate::record::command(&file, a.machine.as_deref(), a.dry_run)
}
