//! `jetconform run`: plan, execute, print in the chosen format, and exit 0, 1 or 2.

use super::common::{load, select, SelectArgs};
use super::exit::{invalid, Exit};
use crate::output::github::GithubSink;
use crate::output::human::{self, HumanSink};
use crate::output::json::JsonSink;
use crate::output::junit::JunitSink;
use crate::output::progress::Progress;
use crate::output::results_file::ResultsFileSink;
use crate::output::Sink;
use crate::runners;
use crate::session::{RunOptions, Session};
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub(super) struct RunArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// The output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Worker threads, 1 to 1024 (default: the number of cores); never more than trials.
    #[arg(long, value_name = "N", value_parser = parse_jobs)]
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
    /// The token of `tcp:` runners (default: the JETCONFORM_RUNNER_TOKEN environment
    /// variable, which other users cannot see as they can see a command line).
    #[arg(long, value_name = "TOKEN")]
    runner_token: Option<String>,
    /// Also write every trial, with every step's observation, to this results file (JSON,
    /// docs/results.schema.json).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Known divergences (TOML or JSON, from `jetconform baseline`): matching failures do not
    /// fail the run; other results and unexpected passes do.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// The most a trial may write (`save_to` appends, `write_file`): the step that passes it
    /// fails and the trial stops copying. Bytes, or with a unit: `512MiB`, `2GiB`.
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse_size)]
    max_write: u64,
}

/// The most workers `--jobs` may ask for: far beyond any machine's cores, and below where
/// threads and runner processes would exhaust it.
pub(crate) const MAX_JOBS: usize = 1024;

pub(super) fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.parse::<u64>() {
        Ok(n) if (1..=MAX_JOBS as u64).contains(&n) => Ok(n as usize),
        _ => Err(format!(
            "`{text}` is not a number of workers from 1 to {MAX_JOBS}"
        )),
    }
}

/// `65536`, `64KiB`, `512MiB`, `2GiB` (also `K`, `M`, `G`, `KB`, `MB`, `GB` as powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => {
            return Err(format!(
                "`{text}` is not a size: a number of bytes, or with KiB, MiB, GiB"
            ))
        }
    };
    number
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("`{text}` is not a positive size that fits in 64 bits"))
}

fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s.is_finite() && s <= 1e9 => Ok(std::time::Duration::from_secs_f64(s)),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}

#[derive(Copy, Clone, ValueEnum)]
enum Format {
    /// For a person: failures in full, grouped by scenario with their versions, one line per
    /// scenario with unknown results, and a summary line.
    Human,
    /// One JSON document: counts per outcome and every trial with the steps that did not
    /// pass.
    Json,
    /// JUnit XML for CI test reports: a testsuite per runner, a testcase per trial, unknown
    /// trials skipped.
    Junit,
    /// GitHub Actions: an error annotation per failing step at its line, and a job summary in
    /// $GITHUB_STEP_SUMMARY.
    Github,
}

pub(super) fn run(a: RunArgs) -> ExitCode {
    let started = Instant::now();
    crate::interrupt::install();
    let baseline_file = match &a.baseline {
        None => None,
        Some(p) => match crate::baseline::load_checked(p) {
            Ok(b) => Some(b),
            Err(crate::baseline::BaselineError::Invalid {
                path,
                text,
                diagnostics,
            }) => {
                let color = crate::output::human::colors(&std::io::stderr());
                for d in &diagnostics {
                    eprintln!("{}", crate::scenario::render_in(d, Some(&text), color));
                }
                return invalid(format!(
                    "baseline {} is not valid: {}",
                    path.display(),
                    super::common::count_of(diagnostics.len(), "problem", "problems")
                ));
            }
            Err(e) => return invalid(e),
        },
    };
    let baseline = baseline_file.as_ref().map(|b| b.baseline.clone());
    let input = match load(a.select.paths.clone()) {
        Ok(input) => input,
        Err(code) => return code,
    };
    let loaded = &input.loaded;
    if a.runner_token.is_some() {
        eprintln!("warning: a token on the command line is visible to other users of this machine (ps); prefer JETCONFORM_RUNNER_TOKEN");
    }
    let settings = runners::Settings {
        isolate: a.isolate,
        call_timeout: a.call_timeout,
        token: a.runner_token.clone(),
    };
    let selection = match select(&a.select, &settings) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return Exit::Invalid.into();
        }
    };
    // Baseline entries naming no trial of the run (before partitioning: a slice does not
    // make the others' entries stale) are warnings, at their line in the baseline.
    let mut warnings = loaded.warnings.len();
    if let Some(b) = &baseline_file {
        let infos: Vec<_> = selection.runners.iter().map(|r| r.info.clone()).collect();
        let names: std::collections::HashSet<String> =
            crate::plan::plan(&loaded.scenarios, &infos, selection.filter)
                .iter()
                .map(|t| {
                    crate::exec::trial_name(
                        &loaded.scenarios[t.scenario].id,
                        &selection.runners[t.runner].name,
                        t.version,
                    )
                })
                .collect();
        let unmatched = b.unmatched(&names);
        let color = crate::output::human::colors(&std::io::stderr());
        for d in &unmatched {
            eprintln!("{}", crate::scenario::render_in(d, Some(&b.text), color));
        }
        warnings += unmatched.len();
    }
    let mut session = Session::plan(
        &loaded.scenarios,
        selection.runners,
        selection.filter,
        a.select.partition,
    );
    session.limits.max_write = a.max_write;
    // Colour only where stdout takes it, never with NO_COLOR (no-color.org).
    let style = human::Style::for_stdout();
    let progress = Progress::new(session.trials.len() as u64, a.quiet);
    let stdout = || Box::new(std::io::stdout().lock()) as Box<dyn std::io::Write>;
    let mut format: Box<dyn Sink> = match a.format {
        Format::Human => Box::new(HumanSink::new(
            stdout(),
            style,
            a.quiet,
            a.verbose,
            Some(&progress),
        )),
        Format::Json => Box::new(JsonSink::new(stdout())),
        Format::Junit => Box::new(JunitSink::new(stdout())),
        Format::Github => Box::new(GithubSink::new(stdout())),
    };
    let mut results = a.output.clone().map(|path| {
        let run = crate::results::RunRecord {
            command: crate::results::command_line(),
            jetconform: env!("CARGO_PKG_VERSION").into(),
            runners: session.runners.iter().map(|r| r.info.clone()).collect(),
            partition: a.select.partition.map(|p| p.to_string()),
            interrupted: None,
        };
        ResultsFileSink::new(path, run)
    });
    let mut bar = &progress;
    let mut sinks: Vec<&mut dyn Sink> = vec![&mut bar, format.as_mut()];
    if let Some(r) = results.as_mut() {
        sinks.push(r);
    }
    let execution = RunOptions {
        jobs: a.jobs.unwrap_or_else(RunOptions::default_jobs),
        baseline: baseline.as_ref(),
        started,
    };
    let ran = session.execute(&execution, &mut sinks);
    drop(sinks);
    drop(format);
    if let Some(r) = baseline.as_ref().and_then(|b| b.runner.as_deref()) {
        if !session.runners.iter().any(|e| e.name == r) {
            eprintln!(
                "warning: the baseline was taken from runner `{r}`, which is not in this run; its entries name that runner's trials"
            );
        }
    }
    if let Some(j) = &ran.judgement {
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
    if warnings > 0 {
        eprintln!(
            "{} (see above)",
            super::common::count_of(warnings, "warning", "warnings")
        );
    }
    if let Some(e) = ran.sink_errors.first() {
        return invalid(e);
    }
    if let Some(signal) = ran.interrupted {
        // The runners go with the session: their processes, descendants and sandboxes.
        drop(session);
        return ExitCode::from(crate::interrupt::exit_code(signal));
    }
    if !input.ok() {
        if !loaded.diagnostics.is_empty() {
            eprintln!(
                "error: {} problem(s) in the scenarios; the valid ones ran",
                loaded.diagnostics.len()
            );
        }
        return Exit::Invalid.into();
    }
    if selection.not_started > 0 {
        return Exit::Invalid.into();
    }
    if ran.failed {
        Exit::Failed.into()
    } else {
        Exit::Success.into()
    }
}
