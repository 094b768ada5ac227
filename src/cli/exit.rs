//! The exit statuses users script against.

use std::process::ExitCode;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Every trial passed (or was unknown or skipped); nothing differs; nothing is stale.
    Success,
    /// A trial failed; something differs; a coverage row is missing; reports are stale.
    Failed,
    /// Invalid input, a runner that could not start, a file that could not be written.
    Invalid,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        match e {
            Exit::Success => ExitCode::SUCCESS,
            Exit::Failed => ExitCode::from(1),
            Exit::Invalid => ExitCode::from(2),
        }
    }
}

/// Prints `error: MSG` and gives the exit status of invalid input.
pub fn invalid(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    Exit::Invalid.into()
}
