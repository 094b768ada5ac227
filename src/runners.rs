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
}

fn suggestion(spec: &str) -> String {
    let kinds = ["mock"];
    match kinds.iter().find(|k| strsim::levenshtein(k, spec) <= 2) {
        Some(k) => format!("; did you mean `{k}`?"),
        None => format!("; known runners: {}", kinds.join(", ")),
    }
}

pub fn build(spec: &str) -> Result<RunnerEntry, SpecError> {
    let runner: Arc<dyn Runner> = match spec {
        "mock" => Arc::new(jetconform_mock::MockRunner::new()),
        _ => return Err(SpecError::Unknown { spec: spec.to_string() }),
    };
    let info = runner.info();
    Ok(RunnerEntry { name: spec.to_string(), runner, info })
}
