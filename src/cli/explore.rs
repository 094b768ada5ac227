//! `jetconform explore`: generated sequences on two runners in lockstep; each difference
//! shrunk and written as a scenario. Exit 0 when no difference was found, 1 when one was,
//! 2 on bad input.

use super::common::{default_paths, show_diagnostics};
use super::exit::{invalid, Exit};
use crate::explore::generator::{GenOptions, GROUPS};
use crate::explore::lockstep::{Pair, Side};
use crate::explore::{self, Budget, Options, Report};
use crate::output::sayln;
use crate::runners::{self, RunnerEntry, RunnerSpec};
use clap::ValueEnum;
use jetconform_interface::WinVersion;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub(super) struct ExploreArgs {
    /// The two runners: A (whose results become the expectations), then B.
    #[arg(long = "runner", value_name = "SPEC", value_parser = RunnerSpec::parse_arg, num_args = 1, required = true)]
    runners: Vec<RunnerSpec>,
    /// The version runners that emulate several run as (a runner of one version, like
    /// `mock@xp` or a real esent.dll, runs as its own). Default: win10.
    #[arg(long, value_name = "VER")]
    version: Option<String>,
    /// Seed of the generator: the same seed gives the same sequences.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Explore for this long (`60s`, `2m`, `500ms`). Default: 60s, unless --sequences.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with = "sequences")]
    time: Option<Duration>,
    /// Explore this many sequences.
    #[arg(long, value_name = "N")]
    sequences: Option<u64>,
    /// Calls per sequence after the setup, at most.
    #[arg(long, value_name = "K", default_value_t = 12)]
    max_steps: usize,
    /// Probability that a call is a deliberate misuse (wrong state, bad handle, bad grbit,
    /// NULL, short buffer, odd path).
    #[arg(long, value_name = "P", default_value_t = 0.2)]
    misuse: f64,
    /// Probability that a sequence starts from the legacy single-instance setup (JetInit
    /// without an instance), whose backup calls are mostly the legacy forms.
    #[arg(long, value_name = "P", default_value_t = 0.15)]
    legacy: f64,
    /// Probability that a sequence first sets JET_paramDatabasePageSize (2 to 32 KiB).
    #[arg(long, value_name = "P", default_value_t = 0.15)]
    page_size: f64,
    /// Weight of a group of calls (begin, attach, open, read, close, loginfo, truncate, end,
    /// stop, lifecycle, backup, restore, term (during a backup), incremental (after a
    /// truncating full backup); default 3 for begin, open, read and incremental, 2 for close
    /// and loginfo, 1 for the others); repeatable: `--weight read=5`.
    #[arg(long = "weight", value_name = "GROUP=W", value_parser = parse_weight)]
    weights: Vec<(String, u32)>,
    /// Candidates the shrinker may try per difference.
    #[arg(long, value_name = "N", default_value_t = 300)]
    shrink_budget: usize,
    /// Where found scenarios are written.
    #[arg(long, value_name = "DIR", default_value = "found")]
    out: PathBuf,
    /// Scenarios whose documented version differences are not written again (default:
    /// cases/ when it exists).
    #[arg(long, value_name = "PATH")]
    corpus: Vec<PathBuf>,
    /// Worker threads, 1 to 1024 (default: the number of cores), each running sequences on
    /// both runners; the same seed finds the same differences on any number.
    #[arg(long, value_name = "N", value_parser = super::run::parse_jobs)]
    jobs: Option<usize>,
    /// Seconds a `process:` runner gets to answer one call.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    call_timeout: f64,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Copy, Clone, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (num, mul) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (t, 1.0)
    };
    match num.parse::<f64>() {
        Ok(x) if x > 0.0 && x.is_finite() && x * mul <= 1e7 => Ok(Duration::from_secs_f64(x * mul)),
        _ => Err(format!("`{text}` is not a duration (60s, 2m, 500ms)")),
    }
}

fn parse_weight(text: &str) -> Result<(String, u32), String> {
    let (g, w) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: expected GROUP=WEIGHT"))?;
    if !GROUPS.contains(&g) {
        return Err(format!(
            "unknown group `{g}`; groups: {}",
            GROUPS.join(", ")
        ));
    }
    let w = w
        .parse::<u32>()
        .map_err(|_| format!("`{w}` is not a weight (a whole number)"))?;
    Ok((g.to_string(), w))
}

/// The version a runner runs as: its own when it has one, else the one asked for.
fn version_of(entry: &RunnerEntry, asked: WinVersion) -> Result<WinVersion, String> {
    if entry.info.versions.len() == 1 {
        return entry
            .info
            .versions
            .iter()
            .next()
            .ok_or_else(|| "no version".to_string());
    }
    if entry.info.versions.contains(asked) {
        Ok(asked)
    } else {
        Err(format!(
            "runner `{}` cannot run as {asked} (it runs {})",
            entry.name,
            entry.info.versions.describe()
        ))
    }
}

pub(super) fn explore(a: ExploreArgs) -> ExitCode {
    if a.runners.len() != 2 {
        return invalid(format!(
            "explore compares two runners: give --runner twice (got {})",
            a.runners.len()
        ));
    }
    for (flag, p) in [
        ("--misuse", a.misuse),
        ("--legacy", a.legacy),
        ("--page-size", a.page_size),
    ] {
        if !(0.0..=1.0).contains(&p) {
            return invalid(format!("{flag} {p} is not a probability"));
        }
    }
    if a.max_steps == 0 {
        return invalid("--max-steps must be at least 1");
    }
    let asked = match &a.version {
        None => WinVersion::Win10,
        Some(v) => match WinVersion::parse(v) {
            Some(v) => v,
            None => return invalid(format!("unknown version `{v}`")),
        },
    };
    let settings = runners::Settings {
        isolate: None,
        call_timeout: Duration::from_secs_f64(a.call_timeout.clamp(0.1, 1e6)),
        // `tcp:` runners take their token from JETCONFORM_RUNNER_TOKEN.
        token: None,
    };
    let mut sides = Vec::new();
    for spec in &a.runners {
        let mut entry = match spec.build(&settings, None) {
            Ok(e) => e,
            Err(e) => return invalid(e),
        };
        if a.version.is_some() {
            runners::accept_any_version(spec, &mut entry);
        }
        let version = match version_of(&entry, asked) {
            Ok(v) => v,
            Err(e) => return invalid(e),
        };
        sides.push(Side { entry, version });
    }
    let b = sides.pop();
    let a_side = sides.pop();
    let (Some(a_side), Some(b)) = (a_side, b) else {
        return invalid("two runners are needed");
    };
    let pair = Pair { a: a_side, b };
    let corpus = if a.corpus.is_empty() {
        let d = default_paths(Vec::new());
        d.into_iter().filter(|p| p.exists()).collect()
    } else {
        a.corpus.clone()
    };
    let known = if corpus.is_empty() {
        BTreeMap::new()
    } else {
        let loaded = crate::scenario::load(&corpus);
        if !loaded.diagnostics.is_empty() {
            show_diagnostics(&loaded.diagnostics);
            return invalid("the corpus has problems");
        }
        explore::known_differences(&loaded.scenarios, pair.a.version, pair.b.version)
    };
    let mut reproduce = format!(
        "jetconform run FILE --runner {} --runner {}",
        pair.a.entry.name, pair.b.entry.name
    );
    if pair.a.entry.info.versions.len() > 1 || pair.b.entry.info.versions.len() > 1 {
        reproduce.push_str(&format!(" --version {}", pair.a.version));
        if pair.b.version != pair.a.version {
            reproduce.push_str(&format!(",{}", pair.b.version));
        }
    }
    let budget = match (a.time, a.sequences) {
        (_, Some(n)) => Budget::Sequences(n),
        (Some(t), None) => Budget::Time(t),
        (None, None) => Budget::Time(Duration::from_secs(60)),
    };
    let options = Options {
        seed: a.seed,
        budget,
        generator: GenOptions {
            max_steps: a.max_steps,
            misuse: a.misuse,
            legacy: a.legacy,
            page_size: a.page_size,
            weights: {
                let mut w = crate::explore::generator::default_weights();
                w.extend(a.weights.iter().cloned());
                w
            },
            ..GenOptions::default()
        },
        out: Some(a.out.clone()),
        shrink_budget: a.shrink_budget,
        known,
        reproduce,
        jobs: a
            .jobs
            .unwrap_or_else(crate::session::RunOptions::default_jobs),
    };
    let bar = progress_bar(budget, matches!(a.format, Format::Human));
    let report = explore::explore(&pair, &options, |p| {
        if let Some(bar) = &bar {
            match budget {
                Budget::Time(_) => bar.set_position(p.elapsed.as_millis() as u64),
                Budget::Sequences(_) => bar.set_position(p.report.sequences),
            }
            let rate = p.report.sequences as f64 / p.elapsed.as_secs_f64().max(1e-9);
            bar.set_message(format!(
                "{} sequences, {rate:.0}/s, {} difference(s)",
                p.report.sequences,
                p.report.found.len()
            ));
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match a.format {
        Format::Human => print_human(&pair, &options, &report),
        Format::Json => print_json(&pair, &options, &report),
    }
    for e in report.invalid.iter().take(5) {
        eprintln!("warning: generated {e}");
    }
    if report.found.is_empty() {
        Exit::Success.into()
    } else {
        Exit::Failed.into()
    }
}

fn progress_bar(budget: Budget, human: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !human || !std::io::stderr().is_terminal() {
        return None;
    }
    let len = match budget {
        Budget::Time(t) => t.as_millis() as u64,
        Budget::Sequences(n) => n,
    };
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

fn print_human(pair: &Pair, o: &Options, r: &Report) {
    sayln!(
        "explore {}@{} vs {}@{}, seed {}: {} sequences, {} calls in {:.1}s ({:.0} sequences/s, {:.0} calls/s); {} shrink trials",
        pair.a.entry.name,
        pair.a.version,
        pair.b.entry.name,
        pair.b.version,
        o.seed,
        r.sequences,
        r.steps,
        r.seconds,
        r.sequences as f64 / r.seconds.max(1e-9),
        r.steps as f64 / r.seconds.max(1e-9),
        r.shrink_runs
    );
    if r.found.is_empty() {
        sayln!("no difference found");
        return;
    }
    sayln!(
        "{} difference(s) ({} distinct by function and code pair):",
        r.found.len(),
        r.distinct_pairs()
    );
    sayln!(
        "  {:<34} {:<16} {:<44} {:>5} {:>9} {:>7}  written",
        "function",
        "state",
        "A vs B",
        "seen",
        "steps",
        "first"
    );
    for f in &r.found {
        let written = match (&f.file, &f.explained_by, &f.problem) {
            (Some(p), _, _) => p.display().to_string(),
            (None, Some(id), _) => format!("documented by {id}"),
            (None, None, Some(why)) => format!("not written: {why}"),
            (None, None, None) => "-".into(),
        };
        sayln!(
            "  {:<34} {:<16} {:<44} {:>5} {:>4}->{:<3} {:>6.2}s  {written}",
            f.function,
            f.state,
            f.kind.describe(),
            f.count,
            f.original_len,
            f.shrunk_len,
            f.first_seconds
        );
    }
}

fn print_json(pair: &Pair, o: &Options, r: &Report) {
    let found: Vec<serde_json::Value> = r
        .found
        .iter()
        .map(|f| {
            serde_json::json!({
                "signature": f.signature,
                "function": f.function,
                "state": f.state,
                "difference": f.kind.describe(),
                "sequence": f.index,
                "count": f.count,
                "original_steps": f.original_len,
                "shrunk_steps": f.shrunk_len,
                "first_seconds": f.first_seconds,
                "reproduced": f.reproduced,
                "explained_by": f.explained_by,
                "file": f.file.as_ref().map(|p| p.display().to_string()),
                "problem": f.problem,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "runners": [
            { "name": pair.a.entry.name, "version": pair.a.version.id() },
            { "name": pair.b.entry.name, "version": pair.b.version.id() },
        ],
        "seed": o.seed,
        "sequences": r.sequences,
        "steps": r.steps,
        "shrink_trials": r.shrink_runs,
        "seconds": r.seconds,
        "distinct_pairs": r.distinct_pairs(),
        "found": found,
        "invalid": r.invalid,
    });
    sayln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
}
