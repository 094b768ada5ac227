//! `jetconform list`: the trials a run would have (with `--partition`, a slice's).

use super::common::{load, select, SelectArgs};
use super::exit::Exit;
use crate::runners;
use crate::session::Session;
use std::io::Write;
use std::process::ExitCode;

pub(super) fn list(a: SelectArgs) -> ExitCode {
    let input = match load(a.paths.clone()) {
        Ok(input) => input,
        Err(code) => return code,
    };
    let selection = match select(&a, &runners::Settings::default()) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return Exit::Invalid.into();
        }
    };
    let session = Session::plan(
        &input.loaded.scenarios,
        selection.runners,
        selection.filter,
        a.partition,
    );
    let mut out = std::io::stdout().lock();
    for t in &session.trials {
        let name = session.trial_name(t);
        let _ = match &t.skip {
            Some(why) => writeln!(out, "{name}  (skip: {why})"),
            None => writeln!(out, "{name}"),
        };
    }
    if input.ok() && selection.not_started == 0 {
        Exit::Success.into()
    } else {
        Exit::Invalid.into()
    }
}
