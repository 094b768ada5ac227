//! `jetconform diff` on the command line: where the trials come from (a results file or a
//! live run of one runner) and which comparison the arguments ask for.

use crate::commands::{bad, load_results, DiffArgs, DiffFormat};
use crate::plan::VersionFilter;
use crate::results::{self, Trial};
use crate::session::{RunOptions, Session};
use jetconform_interface::{VersionSet, WinVersion};
use std::path::PathBuf;
use std::process::ExitCode;

/// A source of trials for one runner: a results file or a live run.
enum Source {
    File(PathBuf),
    Live(String),
}

impl Source {
    fn label(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Live(s) => s.clone(),
        }
    }
    fn trials(&self, paths: &[PathBuf], versions: VersionSet) -> Result<Vec<Trial>, ExitCode> {
        match self {
            Source::File(p) => {
                let f = load_results(p)?;
                let runners: std::collections::BTreeSet<&str> =
                    f.trials.iter().map(|t| t.runner.as_str()).collect();
                if runners.len() > 1 {
                    return Err(bad(format!(
                        "{} holds trials of several runners ({}); a diff compares one runner per results file",
                        p.display(),
                        runners.into_iter().collect::<Vec<_>>().join(", ")
                    )));
                }
                Ok(f.trials)
            }
            Source::Live(spec) => live(paths, spec, versions),
        }
    }
}

/// Runs the scenarios under `paths` on one runner for these versions.
pub(crate) fn live(
    paths: &[PathBuf],
    spec: &str,
    versions: VersionSet,
) -> Result<Vec<Trial>, ExitCode> {
    let loaded = crate::cli::load(paths.to_vec());
    if !loaded.diagnostics.is_empty() {
        return Err(bad(
            "the scenarios have problems (see above); fix them first",
        ));
    }
    let entry = crate::runners::build(spec).map_err(bad)?;
    let session = Session::plan(
        &loaded.scenarios,
        vec![entry],
        VersionFilter::Only(versions),
        None,
    );
    Ok(session.collect(RunOptions::default_jobs()))
}

fn parse_versions(text: &str) -> Result<VersionSet, ExitCode> {
    let mut set = VersionSet::EMPTY;
    for part in text.split(',') {
        set = set.union(VersionSet::parse(part).map_err(|e| {
            bad(format!(
                "{e}; versions are {} (ranges like xp.., or all)",
                WinVersion::ALL.map(|v| v.id()).join(", ")
            ))
        })?);
    }
    Ok(set)
}

/// `jetconform diff`: exit 0 when nothing differs, 1 when something does, 2 on bad input.
pub fn run(a: DiffArgs) -> ExitCode {
    match compare_sources(a) {
        Ok(code) => code,
        Err(code) => code,
    }
}

fn compare_sources(a: DiffArgs) -> Result<ExitCode, ExitCode> {
    let mut sources: Vec<Source> = a.results.iter().cloned().map(Source::File).collect();
    for r in &a.runners {
        sources.push(match r.strip_prefix("results:") {
            Some(p) => Source::File(PathBuf::from(p)),
            None => Source::Live(r.clone()),
        });
    }
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from("cases")]
    } else {
        a.paths.clone()
    };
    for p in &paths {
        if !p.exists() && sources.iter().any(|s| matches!(s, Source::Live(_))) {
            return Err(bad(format!("{} does not exist", p.display())));
        }
    }
    let (columns, rows, full_call) = match (&a.versions, &a.version) {
        (Some(_), Some(_)) => {
            return Err(bad(
                "give --versions (compare versions) or --version (compare two runners), not both",
            ))
        }
        (None, None) => {
            return Err(bad(
                "give --versions LIST to compare versions on one runner, or --version VER with two runners",
            ))
        }
        (Some(text), None) => {
            let set = parse_versions(text)?;
            if set.len() < 2 {
                return Err(bad("--versions needs at least two versions"));
            }
            if sources.len() > 1 {
                return Err(bad(
                    "--versions compares one runner: give one --runner or one --results",
                ));
            }
            let source = sources.pop().unwrap_or(Source::Live("mock".into()));
            let trials = source.trials(&paths, set)?;
            let versions: Vec<WinVersion> = set.iter().collect();
            let ran: Vec<&str> = versions
                .iter()
                .filter(|v| ran_on(&trials, **v))
                .map(|v| v.id())
                .collect();
            if ran.len() < 2 {
                return Err(bad(format!(
                    "{} has trials for {} of the versions asked: nothing to compare",
                    source.label(),
                    if ran.is_empty() {
                        "none".to_string()
                    } else {
                        format!("only {}", ran.join(", "))
                    }
                )));
            }
            let rows = crate::diff::by_version(&trials, &versions);
            (
                versions.iter().map(|v| v.id().to_string()).collect::<Vec<_>>(),
                rows,
                false,
            )
        }
        (None, Some(text)) => {
            let Some(version) = WinVersion::parse(text) else {
                return Err(bad(format!(
                    "unknown version `{text}`; versions are {}",
                    WinVersion::ALL.map(|v| v.id()).join(", ")
                )));
            };
            if sources.len() != 2 {
                return Err(bad(format!(
                    "comparing runners needs exactly two (--runner SPEC, --runner results:FILE or --results FILE); got {}",
                    sources.len()
                )));
            }
            let set = VersionSet::single(version);
            let x = sources[0].trials(&paths, set)?;
            let y = sources[1].trials(&paths, set)?;
            for (source, trials) in [(&sources[0], &x), (&sources[1], &y)] {
                if !ran_on(trials, version) {
                    return Err(bad(format!(
                        "{} has no trial on {version}: nothing to compare",
                        source.label()
                    )));
                }
            }
            let rows = crate::diff::by_runner(&x, &y, version);
            (vec![sources[0].label(), sources[1].label()], rows, true)
        }
    };
    if rows.is_empty() {
        crate::output::sayln!("no differences");
        return Ok(ExitCode::SUCCESS);
    }
    let table = match a.format {
        DiffFormat::Text => crate::diff::render(&columns, &rows, full_call),
        DiffFormat::Markdown => crate::diff::render_markdown(&columns, &rows, full_call),
    };
    crate::output::say!("{table}");
    crate::output::sayln!("{} step(s) differ", rows.len());
    Ok(ExitCode::from(1))
}

/// Whether any trial ran (was not skipped) on this version.
fn ran_on(trials: &[Trial], v: WinVersion) -> bool {
    trials
        .iter()
        .any(|t| t.version == v && t.outcome != results::Outcome::Skip)
}
