//! Runner specs on the command line (`mock`, later `ffi:PATH`, `process:COMMAND`) and the
//! runners they build.

use jetconform_interface::{Runner, RunnerInfo};
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
    Start { spec: String, error: jetconform_interface::RunnerError },
}

/// Settings of the runners that use them: `process:` runners' isolation and call timeout.
pub type Settings = jetconform_process::Options;

/// Whether the runner a spec names keeps state across scenarios in its process, for the
/// hello of `jetconform serve`. The mock gives every execution its own engine.
pub fn keeps_process_state(spec: &str) -> bool {
    spec != "mock"
}

fn suggestion(spec: &str) -> String {
    let kinds = ["mock", "process:COMMAND"];
    match kinds.iter().find(|k| strsim::levenshtein(k, spec) <= 2) {
        Some(k) => format!("; did you mean `{k}`?"),
        None => format!("; known runners: {}", kinds.join(", ")),
    }
}

pub fn build(spec: &str) -> Result<RunnerEntry, SpecError> {
    build_with(spec, &Settings::default())
}

pub fn build_with(spec: &str, settings: &Settings) -> Result<RunnerEntry, SpecError> {
    let runner: Arc<dyn Runner> = match spec {
        "mock" => Arc::new(jetconform_mock::MockRunner::new()),
        // `process:COMMAND ARGS`: a runner in another process (docs/protocol.md).
        _ if spec.starts_with("process:") => {
            let command = &spec["process:".len()..];
            let runner = jetconform_process::ProcessRunner::new(spec, command, settings)
                .map_err(|error| SpecError::Start { spec: spec.to_string(), error })?;
            Arc::new(runner)
        }
        _ => return Err(SpecError::Unknown { spec: spec.to_string() }),
    };
    let info = runner.info();
    Ok(RunnerEntry { name: spec.to_string(), runner, info })
}
