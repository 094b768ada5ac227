//! Where the trials of a diff come from (a results file or a live run of one runner) and
//! which comparison a request asks for.

use crate::plan::VersionFilter;
use crate::results::{self, Outcome, Trial};
use crate::scenario::diagnostic::Diagnostic;
use crate::session::{RunOptions, Session};
use jetconform_interface::{VersionSet, WinVersion};
use std::path::PathBuf;

/// What to compare: versions on one runner, or two runners on one version.
#[derive(Clone, Debug, Default)]
pub struct DiffRequest {
    /// Scenario files or folders for live runs (empty: `cases/`).
    pub paths: Vec<PathBuf>,
    /// `--versions`: versions to compare on one runner.
    pub versions: Option<String>,
    /// Runner specs or `results:FILE`.
    pub runners: Vec<String>,
    /// Results files to read instead of running.
    pub results: Vec<PathBuf>,
    /// `--version`: the version two runners are compared on.
    pub version: Option<String>,
}

/// The differing steps, with one column per version or runner.
#[derive(Debug)]
pub struct Comparison {
    pub columns: Vec<String>,
    pub rows: Vec<super::Row>,
    /// Show the call with its arguments (runner comparisons).
    pub full_call: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The request or its inputs do not allow a comparison.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Results(#[from] results::LoadError),
    #[error(transparent)]
    Runner(#[from] crate::runners::SpecError),
    /// The scenarios of a live run do not load (the diagnostics are for the caller to show).
    #[error("the scenarios have problems (see above); fix them first")]
    Scenarios(Vec<Diagnostic>),
}

fn invalid(msg: impl Into<String>) -> DiffError {
    DiffError::Invalid(msg.into())
}

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
    fn trials(&self, paths: &[PathBuf], versions: VersionSet) -> Result<Vec<Trial>, DiffError> {
        match self {
            Source::File(p) => {
                let f = results::load(p)?;
                let runners: std::collections::BTreeSet<&str> =
                    f.trials.iter().map(|t| t.runner.as_str()).collect();
                if runners.len() > 1 {
                    return Err(invalid(format!(
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
fn live(paths: &[PathBuf], spec: &str, versions: VersionSet) -> Result<Vec<Trial>, DiffError> {
    let loaded = crate::scenario::load(paths);
    if !loaded.diagnostics.is_empty() {
        return Err(DiffError::Scenarios(loaded.diagnostics));
    }
    let entry = crate::runners::build(spec)?;
    let session = Session::plan(
        &loaded.scenarios,
        vec![entry],
        VersionFilter::Only(versions),
        None,
    );
    Ok(session.collect(RunOptions::default_jobs()))
}

fn parse_versions(text: &str) -> Result<VersionSet, DiffError> {
    let mut set = VersionSet::EMPTY;
    for part in text.split(',') {
        set = set.union(VersionSet::parse(part).map_err(|e| {
            invalid(format!(
                "{e}; versions are {} (ranges like xp.., or all)",
                WinVersion::ALL.map(|v| v.id()).join(", ")
            ))
        })?);
    }
    Ok(set)
}

/// Compares what the request asks for.
pub fn compare_sources(a: &DiffRequest) -> Result<Comparison, DiffError> {
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
            return Err(invalid(format!("{} does not exist", p.display())));
        }
    }
    match (&a.versions, &a.version) {
        (Some(_), Some(_)) => Err(invalid(
            "give --versions (compare versions) or --version (compare two runners), not both",
        )),
        (None, None) => Err(invalid(
            "give --versions LIST to compare versions on one runner, or --version VER with two runners",
        )),
        (Some(text), None) => {
            let set = parse_versions(text)?;
            if set.len() < 2 {
                return Err(invalid("--versions needs at least two versions"));
            }
            if sources.len() > 1 {
                return Err(invalid(
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
                return Err(invalid(format!(
                    "{} has trials for {} of the versions asked: nothing to compare",
                    source.label(),
                    if ran.is_empty() {
                        "none".to_string()
                    } else {
                        format!("only {}", ran.join(", "))
                    }
                )));
            }
            Ok(Comparison {
                rows: super::by_version(&trials, &versions),
                columns: versions.iter().map(|v| v.id().to_string()).collect(),
                full_call: false,
            })
        }
        (None, Some(text)) => {
            let Some(version) = WinVersion::parse(text) else {
                return Err(invalid(format!(
                    "unknown version `{text}`; versions are {}",
                    WinVersion::ALL.map(|v| v.id()).join(", ")
                )));
            };
            if sources.len() != 2 {
                return Err(invalid(format!(
                    "comparing runners needs exactly two (--runner SPEC, --runner results:FILE or --results FILE); got {}",
                    sources.len()
                )));
            }
            let set = VersionSet::single(version);
            let x = sources[0].trials(&paths, set)?;
            let y = sources[1].trials(&paths, set)?;
            for (source, trials) in [(&sources[0], &x), (&sources[1], &y)] {
                if !ran_on(trials, version) {
                    return Err(invalid(format!(
                        "{} has no trial on {version}: nothing to compare",
                        source.label()
                    )));
                }
            }
            Ok(Comparison {
                rows: super::by_runner(&x, &y, version),
                columns: vec![sources[0].label(), sources[1].label()],
                full_call: true,
            })
        }
    }
}

/// Whether any trial ran (was not skipped) on this version.
fn ran_on(trials: &[Trial], v: WinVersion) -> bool {
    trials
        .iter()
        .any(|t| t.version == v && t.outcome != Outcome::Skip)
}
