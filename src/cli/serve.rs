//! `jetconform serve --runner SPEC`: a runner over the process protocol on stdin/stdout.

use super::exit::invalid;
use crate::runners;
use std::process::ExitCode;

pub(super) fn serve(spec: &str) -> ExitCode {
    let entry = match runners::build_served(spec) {
        Ok(e) => e,
        Err(e) => return invalid(e),
    };
    let options = jetconform_process::ServeOptions {
        process_global_state: runners::keeps_process_state(spec),
        functions: None,
        faults: Default::default(),
    };
    ExitCode::from(jetconform_process::serve_stdio(
        entry.runner.as_ref(),
        &options,
    ))
}
