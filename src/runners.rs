//! Runner specs on the command line (`mock`, later `ffi:PATH`, `process:COMMAND`) and the
//! runners they build.

use jetconform_interface::{EngineBuild, Runner, RunnerInfo};
use std::sync::Arc;

/// A runner ready for a run: its spec as the user wrote it, and what it says of itself.
pub struct RunnerEntry {
    pub name: String,
    pub runner: Arc<dyn Runner>,
    pub info: RunnerInfo,
}

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("unknown runner `{spec}`{}", suggestion(.spec))]
    Unknown { spec: String },
    /// An out-of-process runner that could not be started or did not say hello properly.
    #[error("runner `{spec}`: {error}")]
    Start {
        spec: String,
        error: jetconform_interface::RunnerError,
    },
    /// A runner that cannot run here (`esent` off Windows) or whose library cannot be loaded.
    #[error("runner `{spec}`: {why}")]
    Unavailable { spec: String, why: String },
}

/// Settings of the runners that use them: `process:` runners' isolation and call timeout.
pub type Settings = jetconform_process::Options;

/// Whether the runner a spec names keeps state across scenarios in its process, for the
/// hello of `jetconform serve`. The mock gives every execution its own engine.
pub fn keeps_process_state(spec: &str) -> bool {
    spec != "mock"
}

fn suggestion(spec: &str) -> String {
    let kinds = [
        "mock",
        "esent",
        "ffi:PATH",
        "process:COMMAND",
        "tcp:HOST:PORT",
    ];
    match kinds.iter().find(|k| strsim::levenshtein(k, spec) <= 2) {
        Some(k) => format!("; did you mean `{k}`?"),
        None => format!("; known runners: {}", kinds.join(", ")),
    }
}

pub fn build(spec: &str) -> Result<RunnerEntry, SpecError> {
    build_with(spec, &Settings::default())
}

pub fn build_with(spec: &str, settings: &Settings) -> Result<RunnerEntry, SpecError> {
    build_for(spec, settings, None)
}

/// As `build_with`, for an engine build other than `esent.dll` (`--profile`, spec 15.8): the
/// mock models it, an `ffi:` library is told it is one. A `process:` runner says its build
/// in its hello instead.
pub fn build_for(
    spec: &str,
    settings: &Settings,
    build: Option<EngineBuild>,
) -> Result<RunnerEntry, SpecError> {
    if let (Some(b), true) = (build, spec.starts_with("process:") || spec == "esent") {
        return Err(SpecError::Unavailable {
            spec: spec.to_string(),
            why: format!(
                "profile `{}` applies to `mock` and `ffi:PATH`; a `process:` runner names its \
                 engine build itself, and `esent` is the system's esent.dll",
                b.name()
            ),
        });
    }
    let runner: Arc<dyn Runner> = match spec {
        "mock" => Arc::new(
            match crate::sandbox::base() {
                Some(dir) => jetconform_mock::MockRunner::in_dir(dir),
                None => jetconform_mock::MockRunner::new(),
            }
            .with_build(build),
        ),
        // `process:COMMAND ARGS`: a runner in another process (docs/protocol.md).
        // `esent` and `ffi:PATH`: ESENT's state is process-global (spec 4.1), so `run` gets
        // them through the process runner, a fresh `jetconform serve` per scenario (a crash
        // in the library then costs one trial).
        _ if is_ffi(spec) => ffi_in_processes(spec, settings, build)?,
        _ if spec.starts_with("process:") => {
            let command = &spec["process:".len()..];
            let runner = jetconform_process::ProcessRunner::new(spec, command, settings).map_err(
                |error| SpecError::Start {
                    spec: spec.to_string(),
                    error,
                },
            )?;
            Arc::new(runner)
        }
        // `tcp:HOST:PORT`: an agent's TCP service (`agent.exe --listen`, `jetconform serve
        // --listen`), a connection per scenario.
        _ if spec.starts_with("tcp:") => {
            let runner =
                jetconform_process::ProcessRunner::tcp(spec, &spec["tcp:".len()..], settings)
                    .map_err(|error| SpecError::Start {
                        spec: spec.to_string(),
                        error,
                    })?;
            Arc::new(runner)
        }
        _ => {
            return Err(SpecError::Unknown {
                spec: spec.to_string(),
            })
        }
    };
    let info = runner.info();
    Ok(RunnerEntry {
        name: spec.to_string(),
        runner,
        info,
    })
}

/// `esent` or `ffi:PATH`.
fn is_ffi(spec: &str) -> bool {
    spec == "esent" || spec.starts_with("ffi:")
}

/// Quotes a word for `process:` command lines (split like a POSIX shell, without expansion).
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

fn ffi_in_processes(
    spec: &str,
    settings: &Settings,
    build: Option<EngineBuild>,
) -> Result<Arc<dyn Runner>, SpecError> {
    if spec == "esent" && !cfg!(windows) {
        return Err(SpecError::Unavailable {
            spec: spec.to_string(),
            why: jetconform_ffi::machine::NOT_WINDOWS.to_string(),
        });
    }
    let exe = std::env::current_exe().map_err(|e| SpecError::Unavailable {
        spec: spec.to_string(),
        why: format!("cannot find jetconform's own executable: {e}"),
    })?;
    let mut command = format!(
        "{} serve --runner {}",
        quote(&exe.to_string_lossy()),
        quote(spec)
    );
    if let Some(b) = build {
        command.push_str(&format!(" --profile {}", b.name()));
    }
    let options = Settings {
        isolate: Some(jetconform_process::Isolation::Scenario),
        ..settings.clone()
    };
    let runner =
        jetconform_process::ProcessRunner::new(spec, &command, &options).map_err(|error| {
            SpecError::Start {
                spec: spec.to_string(),
                error,
            }
        })?;
    Ok(Arc::new(runner))
}

/// The runner `jetconform serve --runner SPEC` serves: `esent` and `ffi:PATH` in this very
/// process (the process runner on the other side gives each scenario a fresh one).
pub fn build_served(spec: &str, build: Option<EngineBuild>) -> Result<RunnerEntry, SpecError> {
    if !is_ffi(spec) {
        return build_for(spec, &Settings::default(), build);
    }
    let runner = jetconform_ffi::FfiRunner::from_spec_with(spec, build).map_err(|why| {
        SpecError::Unavailable {
            spec: spec.to_string(),
            why,
        }
    })?;
    let info = runner.info();
    Ok(RunnerEntry {
        name: spec.to_string(),
        runner: Arc::new(runner),
        info,
    })
}

/// With `--version` given, the real engine is judged against the versions asked for, not
/// only the one matching this machine's Windows.
pub fn accept_any_version(entry: &mut RunnerEntry) {
    if entry.name == "esent" {
        entry.info.versions = jetconform_interface::VersionSet::ALL;
    }
}
