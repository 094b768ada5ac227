//! A runner for testing the process protocol itself: it serves a trivial in-process runner
//! (every call succeeds, handles count up) and misbehaves on request (`--crash-at N`,
//! `--hang-at N`, ... see `faults::USAGE`).

use jetconform_process::faults::{Faults, USAGE};
use jetconform_process::{serve_stdio, ServeOptions};
use std::process::ExitCode;

fn main() -> ExitCode {
    let faults = match Faults::parse(std::env::args().skip(1)) {
        Ok(f) => f,
        Err(e) => {
            // Usage first: a crash report shows the last lines of stderr.
            eprintln!("options:\n{USAGE}\njetconform-test-runner: {e}");
            return ExitCode::from(2);
        }
    };
    let runner = jetconform_process::testing::TrivialRunner;
    let options = ServeOptions {
        process_global_state: false,
        functions: None,
        faults,
    };
    ExitCode::from(serve_stdio(&runner, &options))
}
