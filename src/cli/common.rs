//! What several subcommands share: scenario paths, loading with the diagnostics shown on
//! stderr, and the runners and versions a run selects.

use super::exit::Exit;
use crate::plan::VersionFilter;
use crate::runners::{self, RunnerEntry, RunnerSpec, SpecError};
use crate::scenario::{self, Loaded};
use jetconform_interface::{EngineBuild, VersionSet};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct SelectArgs {
    /// Scenario files or folders (default: cases/).
    pub(crate) paths: Vec<PathBuf>,
    /// Runner to use; repeat for several (default: mock). Forms: mock, mock@VERSION, esent,
    /// ffi:PATH, process:COMMAND, tcp:HOST:PORT (see --help).
    #[arg(
        long = "runner",
        value_name = "SPEC",
        value_parser = RunnerSpec::parse_arg,
        long_help = crate::runners::FORMS_HELP
    )]
    pub(crate) runners: Vec<RunnerSpec>,
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

/// For clap's `value_parser`: an engine build by name (spec 15.8).
pub(crate) fn parse_profile(text: &str) -> Result<EngineBuild, String> {
    EngineBuild::parse(text).ok_or_else(|| {
        let known: Vec<String> = EngineBuild::ALL
            .iter()
            .map(|b| format!("`{}` ({})", b.name(), b.description()))
            .collect();
        format!("unknown profile; known: {}", known.join(", "))
    })
}

pub(crate) fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("cases")]
    } else {
        paths
    }
}

/// Diagnostics of one file shown in full; the rest are counted on one line.
pub(crate) const SHOWN_PER_FILE: usize = 20;

/// Prints diagnostics on stderr (in colour on a terminal without `NO_COLOR`): errors and
/// warnings in file order, each file read once, the first [`SHOWN_PER_FILE`] of a file in
/// full and the others counted (`... and 7,980 more errors in FILE`).
pub(crate) fn show_diagnostics(diagnostics: &[scenario::diagnostic::Diagnostic]) {
    show_all(diagnostics, &[]);
}

/// [`show_diagnostics`] of errors and warnings together.
pub(crate) fn show_all(
    errors: &[scenario::diagnostic::Diagnostic],
    warnings: &[scenario::diagnostic::Diagnostic],
) {
    use std::io::Write;
    let color = crate::output::human::colors(&std::io::stderr());
    let mut all: Vec<&scenario::diagnostic::Diagnostic> = errors.iter().chain(warnings).collect();
    all.sort_by(|a, b| (&a.file, a.span.start).cmp(&(&b.file, b.span.start)));
    let mut out = std::io::BufWriter::new(std::io::stderr().lock());
    for file in all.chunk_by(|a, b| a.file == b.file) {
        // Never a FIFO or device (a diagnostic may be about one): reading would block.
        let text = std::fs::metadata(&file[0].file)
            .is_ok_and(|m| m.is_file())
            .then(|| std::fs::read_to_string(&file[0].file).ok())
            .flatten();
        for d in file.iter().take(SHOWN_PER_FILE) {
            let _ = writeln!(out, "{}", scenario::render_in(d, text.as_deref(), color));
        }
        let rest = &file[file.len().min(SHOWN_PER_FILE)..];
        if !rest.is_empty() {
            let warnings = rest.iter().filter(|d| d.is_warning()).count();
            let errors = rest.len() - warnings;
            let mut parts = Vec::new();
            if errors > 0 {
                parts.push(count_of(errors, "more error", "more errors"));
            }
            if warnings > 0 {
                parts.push(count_of(warnings, "more warning", "more warnings"));
            }
            let _ = writeln!(
                out,
                "... and {} in {}\n",
                parts.join(" and "),
                file[0].file.display()
            );
        }
    }
    let _ = out.flush();
}

/// `1 warning`, `7,980 more errors`: a count with thousands separators and its noun.
pub(crate) fn count_of(n: usize, one: &str, many: &str) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped} {}", if n == 1 { one } else { many })
}

/// The scenarios of a command: every diagnostic printed to stderr, and one line for each path
/// that does not exist or holds no scenario. `paths_ok` is false after such a line; when no
/// path holds a scenario there is nothing to do, and `load` gives the exit status instead.
pub(crate) struct Input {
    pub(crate) loaded: Loaded,
    pub(crate) paths_ok: bool,
}

impl Input {
    /// Every path held scenarios and every scenario is valid.
    pub(crate) fn ok(&self) -> bool {
        self.loaded.diagnostics.is_empty() && self.paths_ok
    }
}

/// Loads the scenarios under `paths` (default `cases/`), printing each problem once; exit 2
/// when no path holds a scenario (a mistyped path must not turn a run green).
pub(crate) fn load(paths: Vec<PathBuf>) -> Result<Input, ExitCode> {
    load_each(paths, Some)
}

/// [`load`], handing each valid scenario to `keep` as it is loaded (see
/// `scenario::load_each`).
pub(crate) fn load_each(
    paths: Vec<PathBuf>,
    keep: impl FnMut(scenario::model::Scenario) -> Option<scenario::model::Scenario>,
) -> Result<Input, ExitCode> {
    let paths = default_paths(paths);
    let mut usable = Vec::new();
    let mut paths_ok = true;
    for p in paths {
        if !p.exists() {
            eprintln!("error: {}: no such file or directory", p.display());
            paths_ok = false;
        } else if !crate::scenario::has_scenario_files(&p) {
            eprintln!(
                "error: no scenarios in {} (no *.toml file outside fixtures folders)",
                p.display()
            );
            paths_ok = false;
        } else {
            usable.push(p);
        }
    }
    if usable.is_empty() {
        return Err(Exit::Invalid.into());
    }
    let loaded = scenario::load_each(&usable, keep);
    show_all(&loaded.diagnostics, &loaded.warnings);
    Ok(Input { loaded, paths_ok })
}

/// The runners (default: mock) and the version filter of a run.
pub(crate) fn select(a: &SelectArgs, settings: &runners::Settings) -> Result<Selection, String> {
    let specs = if a.runners.is_empty() {
        vec![RunnerSpec::Mock]
    } else {
        a.runners.clone()
    };
    let mut entries = Vec::new();
    let mut not_started = 0;
    for s in &specs {
        let mut entry = match s.build(settings, a.profile) {
            Ok(entry) => entry,
            // A runner that cannot start costs its own trials (errors), not the run: the
            // other runners' trials still run and are reported.
            Err(e @ (SpecError::Start { .. } | SpecError::Load { .. })) => {
                eprintln!("error: {e}");
                not_started += 1;
                runners::not_started(s, e.to_string())
            }
            Err(e) => return Err(format!("error: {e}")),
        };
        if a.version.is_some() {
            runners::accept_any_version(s, &mut entry);
        }
        entries.push(entry);
    }
    runners::distinct_names(&mut entries);
    let filter = match &a.version {
        None => VersionFilter::Applicable,
        Some(text) => {
            let mut set = VersionSet::EMPTY;
            for part in text.split(',') {
                let s = VersionSet::parse(part).map_err(|e| match e.reversed {
                    Some(_) => format!("error: {e}"),
                    None => format!(
                        "error: {e}; {}",
                        scenario::suggest_version(part.trim()).unwrap_or_default()
                    ),
                })?;
                set = set.union(s);
            }
            VersionFilter::Only(set)
        }
    };
    Ok(Selection {
        runners: entries,
        filter,
        not_started,
    })
}

/// The runners and versions of a run.
pub(crate) struct Selection {
    pub(crate) runners: Vec<RunnerEntry>,
    pub(crate) filter: VersionFilter,
    /// Runners that could not start (their trials are errors; the run exits 2).
    pub(crate) not_started: usize,
}
