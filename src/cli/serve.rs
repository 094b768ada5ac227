//! `jetconform serve --runner SPEC`: a runner over the process protocol on stdin/stdout.

use super::exit::invalid;
use crate::runners::RunnerSpec;
use std::process::ExitCode;

pub(super) fn serve(spec: &RunnerSpec) -> ExitCode {
    let entry = match spec.build_served() {
        Ok(e) => e,
        Err(e) => return invalid(e),
    };
    let options = jetconform_process::ServeOptions {
        process_global_state: spec.keeps_process_state(),
        functions: None,
        faults: Default::default(),
    };
    ExitCode::from(jetconform_process::serve_stdio(
        entry.runner.as_ref(),
        &options,
    ))
}
