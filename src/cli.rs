//! The command line: a contract users script against. Exit status 0 when every trial
//! passed (or was unknown/skipped), 1 when any failed, 2 when input was invalid or a runner
//! could not start.

mod listen;
mod run;

use crate::plan::{plan, VersionFilter};
use crate::runners::{self, RunnerEntry};
use crate::scenario::{self, Loaded};
use clap::{Parser, Subcommand};
use jetconform_interface::{functions::FUNCTIONS, EngineBuild, VersionSet};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
    Run(run::RunArgs),
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
    /// `--runner 'process:jetconform serve --runner SPEC'` (locally, or over ssh); or, with
    /// `--listen`, on TCP for `--runner tcp:HOST:PORT`, a fresh process per connection.
    Serve {
        /// The runner to serve.
        #[arg(long, value_name = "SPEC", default_value = "mock")]
        runner: String,
        /// The engine build it runs when not esent.dll (see `run --profile`).
        #[arg(long, value_name = "NAME", value_parser = parse_profile)]
        profile: Option<EngineBuild>,
        #[command(flatten)]
        listen: listen::ListenArgs,
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
    /// The engine build of `mock` and `ffi:PATH` runners when it is not esent.dll: `ese-oss`,
    /// the open-source ese.dll in retail (inferred from a library named ese.dll or libese.so).
    #[arg(long, value_name = "NAME", value_parser = parse_profile)]
    pub(crate) profile: Option<EngineBuild>,
}

fn parse_profile(text: &str) -> Result<EngineBuild, String> {
    EngineBuild::parse(text).ok_or_else(|| {
        let known: Vec<String> = EngineBuild::ALL
            .iter()
            .map(|b| format!("`{}` ({})", b.name(), b.description()))
            .collect();
        format!("unknown profile; known: {}", known.join(", "))
    })
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(a) => run::run(a),
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
        Command::Serve {
            runner,
            profile,
            listen,
        } if listen.listen.is_some() => listen::listen(&runner, profile, listen),
        Command::Serve {
            runner, profile, ..
        } => serve(&runner, profile),
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
        let mut entry =
            runners::build_for(s, settings, a.profile).map_err(|e| format!("error: {e}"))?;
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

fn serve(spec: &str, profile: Option<EngineBuild>) -> ExitCode {
    let entry = match runners::build_served(spec, profile) {
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
