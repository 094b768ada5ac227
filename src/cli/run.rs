//! `jetconform run`: plan, execute, print in the chosen format, and exit 0, 1 or 2.

mod kept;

use super::{all_exist, input_ok, load, select, SelectArgs, INVALID};
use crate::baseline::Judgement;
use crate::output::{human, json, Summary};
use crate::plan::plan;
use crate::runners;
use clap::ValueEnum;
use kept::{HumanNeeds, Kept, Needs};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub(super) struct RunArgs {
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

pub(super) fn run(a: RunArgs) -> ExitCode {
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
    if a.runner_token.is_some() {
        eprintln!("warning: a token on the command line is visible to other users of this machine (ps); prefer JETCONFORM_RUNNER_TOKEN");
    }
    let settings = runners::Settings {
        isolate: a.isolate,
        call_timeout: a.call_timeout,
        token: a.runner_token.clone(),
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
    let needs = Needs {
        human: human_out.then_some(HumanNeeds {
            style: &style,
            unknowns: !a.quiet && !verbose,
        }),
        json: matches!(a.format, Format::Json),
        record: matches!(a.format, Format::Junit | Format::Github) || a.output.is_some(),
        baseline: baseline.as_ref(),
    };
    let progress = crate::output::progress::Progress::new(trials.len() as u64, a.quiet);
    let mut kept = crate::run::execute_map(&trials, &loaded.scenarios, &runners, jobs, |r| {
        progress.done(&r.name);
        if human_out && verbose {
            progress.println(&human::line(&r, &style));
        }
        kept::keep(&needs, r)
    });
    progress.finish();
    let sum = Summary::of_outcomes(kept.iter().map(|k| k.outcome));
    let seconds = started.elapsed().as_secs_f64();
    let judgement = baseline.as_ref().map(|_| {
        let mut j = Judgement::default();
        for k in &mut kept {
            j.extend(std::mem::take(&mut k.judgement));
        }
        j
    });
    let known = |name: &str| judgement.as_ref().is_some_and(|j| j.known.contains(name));
    let file_trials: Vec<_> = kept
        .iter_mut()
        .filter_map(|k| k.record.take().map(|t| *t))
        .collect();
    let mut out = std::io::stdout().lock();
    match a.format {
        Format::Json => {
            let results = kept.iter_mut().filter_map(|k| k.json.take()).collect();
            let mut doc = json::document(results, &sum, seconds);
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
            // Annotations are for failures only: copying the others would be for nothing.
            let unknown: Vec<_> = file_trials
                .iter()
                .filter(|t| t.outcome.is_failure() && !known(&t.name))
                .cloned()
                .collect();
            let _ = write!(out, "{}", crate::output::github::annotations(&unknown));
        }
        Format::Human => print_human(&mut out, &kept, &known, a.quiet, verbose, &sum, seconds),
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
        let file = crate::results::ResultsFile::new(record, file_trials);
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
    let failed = kept
        .iter()
        .filter_map(|k| k.failing.as_deref())
        .any(|name| !known(name))
        || judgement.as_ref().is_some_and(|j| !j.problems.is_empty());
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Failures' details (or `KNOWN` lines), then the unknown steps, then the summary line.
fn print_human(
    out: &mut impl Write,
    kept: &[Kept],
    known: &dyn Fn(&str) -> bool,
    quiet: bool,
    verbose: bool,
    sum: &Summary,
    seconds: f64,
) {
    for k in kept {
        let Some(name) = &k.failing else { continue };
        if known(name) {
            if !quiet {
                let _ = writeln!(out, "KNOWN {name}  (matches the baseline)");
            }
        } else if let Some(text) = &k.text {
            let _ = write!(out, "{text}");
        }
    }
    if !quiet && !verbose {
        for k in kept
            .iter()
            .filter(|k| k.outcome == crate::verdict::Outcome::Unknown)
        {
            if let Some(text) = &k.text {
                let _ = write!(out, "{text}");
            }
        }
    }
    let _ = writeln!(out, "{}", human::summary(sum, seconds));
}
