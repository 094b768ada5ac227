//! The command line: a contract users script against. Exit status 0 when every trial
//! passed (or was unknown/skipped), 1 when any failed, 2 when input was invalid or a runner
//! could not start.

use crate::output::{human, json, Summary};
use crate::plan::{plan, VersionFilter};
use crate::runners::{self, RunnerEntry};
use crate::scenario::{self, Loaded};
use clap::{Parser, Subcommand, ValueEnum};
use jetconform_interface::{functions::FUNCTIONS, VersionSet};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "jetconform",
    version,
    about = "Conformance harness for the ESENT external backup and restore API"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run scenarios and judge every step.
    Run(RunArgs),
    /// Validate scenarios without running them.
    Check {
        /// Scenario files or folders (default: cases/).
        paths: Vec<PathBuf>,
    },
    /// Print the trials a run would have.
    List(SelectArgs),
    /// Print the spec 13 coverage table (function x documented code); exit 1 when a row is
    /// missing.
    Coverage {
        /// Scenario files or folders (default: cases/).
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema of scenario files.
    Schema,
    /// Print the function catalogue, or one function's parameters.
    Functions {
        /// A function name (e.g. JetOpenFileInstanceW).
        name: Option<String>,
    },
    /// Combine results files from several machines, versions or partitions into one.
    Merge(crate::commands::MergeArgs),
    /// Steps whose result differs between versions (`--versions`) or runners (`--runner`
    /// twice); exit 0 when none, 1 when some.
    Diff(crate::commands::DiffArgs),
    /// Write a baseline (known divergences) from a results file.
    Baseline(crate::commands::BaselineArgs),
    /// Regenerate `reports/` (Markdown matrix, a page per function, an HTML page).
    Report(crate::commands::ReportArgs),
    /// Write observed results into the scenario files as expectations.
    Record(crate::commands::RecordArgs),
    /// Serve a runner over the process protocol on stdin/stdout (docs/protocol.md), for
    /// `--runner 'process:jetconform serve --runner SPEC'` (locally, or over ssh).
    Serve {
        /// The runner to serve.
        #[arg(long, value_name = "SPEC", default_value = "mock")]
        runner: String,
    },
}

#[derive(clap::Args)]
pub(crate) struct SelectArgs {
    /// Scenario files or folders (default: cases/).
    pub(crate) paths: Vec<PathBuf>,
    /// Runner to use; repeat for several (default: mock).
    #[arg(long = "runner", value_name = "SPEC")]
    pub(crate) runners: Vec<String>,
    /// Versions: an id, a range (xp.., ..vista, server2003..win7), a comma list, or all.
    /// Default: every version each scenario applies to.
    #[arg(long, value_name = "VER|RANGE|all")]
    pub(crate) version: Option<String>,
    /// Only slice K of N of the planned trials (sorted by name, index modulo N).
    #[arg(long, value_name = "K/N")]
    pub(crate) partition: Option<crate::partition::Partition>,
}

#[derive(clap::Args)]
struct RunArgs {
    #[command(flatten)]
    select: SelectArgs,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Worker threads (default: the number of cores).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Print every trial, not only the ones that did not pass.
    #[arg(long, short)]
    verbose: bool,
    /// Print only the summary line and failures.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Lifetime of `process:` runner processes: a fresh one per scenario, or one (per worker)
    /// for the whole run. Default: `scenario`, unless the runner says it keeps no
    /// process-global state.
    #[arg(long, value_name = "scenario|run")]
    isolate: Option<jetconform_process::Isolation>,
    /// Seconds a `process:` runner gets to answer one call before it is killed (the trial's
    /// outcome is then `timeout`).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_seconds)]
    call_timeout: std::time::Duration,
    /// Also write every trial, with every step's observation, to this results file (JSON,
    /// docs/results.schema.json).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Known divergences (TOML or JSON, from `jetconform baseline`): matching failures do not
    /// fail the run; other results and unexpected passes do.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
}

fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s.is_finite() && s <= 1e9 => Ok(std::time::Duration::from_secs_f64(s)),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}

#[derive(Copy, Clone, ValueEnum)]
enum Format {
    Human,
    Json,
    /// JUnit XML: one testcase per trial.
    Junit,
    /// GitHub Actions annotations pointing at failing steps.
    Github,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(a) => run(a),
        Command::Check { paths } => check(paths),
        Command::List(a) => list(a),
        Command::Coverage { paths } => coverage(paths),
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&scenario::json_schema()).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Command::Functions { name } => functions(name.as_deref()),
        Command::Serve { runner } => serve(&runner),
        Command::Merge(a) => crate::commands::merge(a),
        Command::Diff(a) => crate::commands::diff(a),
        Command::Baseline(a) => crate::commands::baseline(a),
        Command::Report(a) => crate::commands::report(a),
        Command::Record(a) => crate::commands::record(a),
    }
}

pub(crate) const INVALID: u8 = 2;

fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("cases")]
    } else {
        paths
    }
}

/// Loads and prints every diagnostic to stderr.
pub(crate) fn load(paths: Vec<PathBuf>) -> Loaded {
    let paths = default_paths(paths);
    let mut missing = Vec::new();
    for p in &paths {
        if !p.exists() {
            missing.push(p.clone());
        }
    }
    let loaded = scenario::load(&paths);
    let color = std::io::stderr().is_terminal();
    for d in &loaded.diagnostics {
        eprintln!("{}", scenario::render(d, color));
    }
    for p in missing {
        eprintln!("error: {} does not exist", p.display());
    }
    loaded
}

fn input_ok(loaded: &Loaded, paths_exist: bool) -> bool {
    loaded.diagnostics.is_empty() && paths_exist
}

fn all_exist(paths: &[PathBuf]) -> bool {
    default_paths(paths.to_vec()).iter().all(|p| p.exists())
}

pub(crate) fn select(
    a: &SelectArgs,
    settings: &runners::Settings,
) -> Result<(Vec<RunnerEntry>, VersionFilter), String> {
    let specs = if a.runners.is_empty() {
        vec!["mock".to_string()]
    } else {
        a.runners.clone()
    };
    let mut entries = Vec::new();
    for s in &specs {
        let mut entry = runners::build_with(s, settings).map_err(|e| format!("error: {e}"))?;
        if a.version.is_some() {
            runners::accept_any_version(&mut entry);
        }
        entries.push(entry);
    }
    let filter = match &a.version {
        None => VersionFilter::Applicable,
        Some(text) => {
            let mut set = VersionSet::EMPTY;
            for part in text.split(',') {
                let s = VersionSet::parse(part).map_err(|e| {
                    format!("error: {e}; versions are {} (ranges like xp.., ..vista, server2003..win7; or all)",
                        jetconform_interface::WinVersion::ALL.map(|v| v.id()).join(", "))
                })?;
                set = set.union(s);
            }
            VersionFilter::Only(set)
        }
    };
    Ok((entries, filter))
}

fn run(a: RunArgs) -> ExitCode {
    let started = Instant::now();
    let exist = all_exist(&a.select.paths);
    let baseline = match &a.baseline {
        None => None,
        Some(p) => match crate::baseline::load(p) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(INVALID);
            }
        },
    };
    let loaded = load(a.select.paths.clone());
    let settings = runners::Settings {
        isolate: a.isolate,
        call_timeout: a.call_timeout,
    };
    let (runners, filter) = match select(&a.select, &settings) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(INVALID);
        }
    };
    let infos: Vec<_> = runners.iter().map(|r| r.info.clone()).collect();
    let mut trials = plan(&loaded.scenarios, &infos, filter);
    if let Some(p) = a.select.partition {
        trials = p.select(trials, |t| {
            crate::exec::trial_name(
                &loaded.scenarios[t.scenario].id,
                &runners[t.runner].name,
                t.version,
            )
        });
    }
    let jobs = a.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    // Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
    let style = human::Style {
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let human_out = matches!(a.format, Format::Human);
    let verbose = a.verbose;
    let progress = crate::output::progress::Progress::new(trials.len() as u64, a.quiet);
    let results = crate::run::execute(&trials, &loaded.scenarios, &runners, jobs, &|r| {
        progress.done(&r.name);
        if human_out && verbose {
            progress.println(&human::line(r, &style));
        }
    });
    progress.finish();
    let sum = Summary::of(&results);
    let seconds = started.elapsed().as_secs_f64();
    let file_trials = crate::results::from_trial_results(&results);
    let judgement = baseline
        .as_ref()
        .map(|b| crate::baseline::judge(b, &file_trials));
    let known = |name: &str| judgement.as_ref().is_some_and(|j| j.known.contains(name));
    let mut out = std::io::stdout().lock();
    match a.format {
        Format::Json => {
            let mut doc = json::document(&results, &sum, seconds);
            if let (Some(j), Some(map)) = (&judgement, doc.as_object_mut()) {
                map.insert(
                    "baseline".into(),
                    serde_json::json!({ "known": j.known, "problems": j.problems }),
                );
            }
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            );
        }
        Format::Junit => {
            let _ = write!(
                out,
                "{}",
                crate::output::junit::document(&file_trials, &known)
            );
        }
        Format::Github => {
            let unknown: Vec<_> = file_trials
                .iter()
                .filter(|t| !known(&t.name))
                .cloned()
                .collect();
            let _ = write!(out, "{}", crate::output::github::annotations(&unknown));
        }
        Format::Human => {
            for r in results.iter().filter(|r| r.outcome.is_failure()) {
                if known(&r.name) {
                    if !a.quiet {
                        let _ = writeln!(out, "KNOWN {}  (matches the baseline)", r.name);
                    }
                } else {
                    let _ = write!(out, "{}", human::details(r, &style));
                }
            }
            if !a.quiet && !verbose {
                for r in results
                    .iter()
                    .filter(|r| r.outcome == crate::verdict::Outcome::Unknown)
                {
                    let _ = write!(out, "{}", human::unknowns(r, &style));
                }
            }
            let _ = writeln!(out, "{}", human::summary(&sum, seconds));
        }
    }
    if let Some(r) = baseline.as_ref().and_then(|b| b.runner.as_deref()) {
        if !runners.iter().any(|e| e.name == r) {
            eprintln!(
                "warning: the baseline was taken from runner `{r}`, which is not in this run; its entries name that runner's trials"
            );
        }
    }
    if let Some(j) = &judgement {
        for p in &j.problems {
            eprintln!("baseline: {p}");
        }
        if !a.quiet && !j.known.is_empty() {
            eprintln!(
                "baseline: {} failing trial(s) match their known divergences",
                j.known.len()
            );
        }
    }
    if let Some(path) = &a.output {
        let record = crate::results::RunRecord {
            command: crate::results::command_line(),
            jetconform: env!("CARGO_PKG_VERSION").into(),
            runners: infos.clone(),
            partition: a.select.partition.map(|p| p.to_string()),
        };
        let file = crate::results::ResultsFile::new(record, file_trials.clone());
        if let Err(e) = file.write(path) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(INVALID);
        }
    }
    if !input_ok(&loaded, exist) {
        eprintln!(
            "error: {} problem(s) in the scenarios; the valid ones ran",
            loaded.diagnostics.len().max(1)
        );
        return ExitCode::from(INVALID);
    }
    let failed = results
        .iter()
        .any(|r| r.outcome.is_failure() && !known(&r.name))
        || judgement.as_ref().is_some_and(|j| !j.problems.is_empty());
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check(paths: Vec<PathBuf>) -> ExitCode {
    let exist = all_exist(&paths);
    let loaded = load(paths);
    println!(
        "checked {} file(s): {} scenario(s) valid, {} problem(s)",
        loaded.files,
        loaded.scenarios.len(),
        loaded.diagnostics.len()
    );
    if input_ok(&loaded, exist) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(INVALID)
    }
}

fn list(a: SelectArgs) -> ExitCode {
    let exist = all_exist(&a.paths);
    let loaded = load(a.paths.clone());
    let (runners, filter) = match select(&a, &runners::Settings::default()) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(INVALID);
        }
    };
    let infos: Vec<_> = runners.iter().map(|r| r.info.clone()).collect();
    let mut out = std::io::stdout().lock();
    let name_of = |t: &crate::plan::PlannedTrial| {
        crate::exec::trial_name(
            &loaded.scenarios[t.scenario].id,
            &runners[t.runner].name,
            t.version,
        )
    };
    let mut trials = plan(&loaded.scenarios, &infos, filter);
    if let Some(p) = a.partition {
        trials = p.select(trials, name_of);
    }
    for t in trials {
        let name = name_of(&t);
        let _ = match t.skip {
            Some(why) => writeln!(out, "{name}  (skip: {why})"),
            None => writeln!(out, "{name}"),
        };
    }
    if input_ok(&loaded, exist) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(INVALID)
    }
}

fn functions(name: Option<&str>) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match name {
        None => {
            for f in FUNCTIONS {
                let _ = writeln!(
                    out,
                    "{:<34} {:<8} since {:<10} spec {}",
                    f.name,
                    format!("{:?}", f.form).to_lowercase(),
                    f.since,
                    f.section
                );
            }
            ExitCode::SUCCESS
        }
        Some(n) => match jetconform_interface::Function::by_name(n) {
            Some(f) => {
                let i = f.info();
                let _ = writeln!(
                    out,
                    "{} (spec {}), exported since {} ({:?})",
                    i.name, i.section, i.since, i.since_source
                );
                for p in i.params {
                    let _ = writeln!(out, "  {:<32} {:?}  default: {:?}", p.name, p.ty, p.default);
                }
                ExitCode::SUCCESS
            }
            None => {
                let best = FUNCTIONS
                    .iter()
                    .min_by_key(|f| strsim::levenshtein(f.name, n))
                    .map(|f| f.name);
                eprintln!(
                    "error: unknown function `{n}`{}",
                    best.map(|b| format!("; did you mean {b}?"))
                        .unwrap_or_default()
                );
                ExitCode::from(INVALID)
            }
        },
    }
}

fn serve(spec: &str) -> ExitCode {
    let entry = match runners::build_served(spec) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(INVALID);
        }
    };
    let options = jetconform_process::ServeOptions {
        process_global_state: runners::keeps_process_state(spec),
        functions: None,
        faults: Default::default(),
    };
    ExitCode::from(jetconform_process::serve_stdio(
        entry.runner.as_ref(),
        &options,
    ))
}

fn coverage(paths: Vec<PathBuf>) -> ExitCode {
    let exist = all_exist(&paths);
    let loaded = load(paths);
    let (text, missing) = crate::coverage::report(&loaded.scenarios);
    print!("{text}");
    if !input_ok(&loaded, exist) {
        ExitCode::from(INVALID)
    } else if missing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
