//! `jetconform serve --runner SPEC`: a runner over the process protocol on stdin/stdout.

use super::exit::invalid;
use crate::runners::RunnerSpec;
use jetconform_interface::EngineBuild;
use std::process::ExitCode;

pub(super) fn serve(spec: &RunnerSpec, profile: Option<EngineBuild>) -> ExitCode {
    let entry = match spec.build_served(profile) {
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
