//! `jetconform serve --listen ADDR:PORT`: the TCP service of `tcp:` runners, each
//! authenticated connection served by a fresh `jetconform serve --runner SPEC` (or, for
//! `process:COMMAND`, by COMMAND itself).

use super::exit::{invalid, Exit};
use crate::output::sayln;
use crate::runners::RunnerSpec;
use jetconform_interface::EngineBuild;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct ListenArgs {
    /// Serve on TCP instead of stdio: `ADDR:PORT`, or a port alone for loopback
    /// (127.0.0.1). Port 0 picks a free one (printed on start).
    #[arg(long, value_name = "ADDR:PORT")]
    pub(super) listen: Option<String>,
    /// The token clients must send first (default: the JETCONFORM_RUNNER_TOKEN environment
    /// variable, which other users cannot see as they can see a command line).
    #[arg(long, value_name = "TOKEN", requires = "listen")]
    token: Option<String>,
}

pub(super) fn listen(spec: &RunnerSpec, profile: Option<EngineBuild>, a: ListenArgs) -> ExitCode {
    let Some(address) = a.listen else {
        return Exit::Invalid.into();
    };
    if a.token.is_some() {
        eprintln!("warning: a token on the command line is visible to other users of this machine (ps); prefer JETCONFORM_RUNNER_TOKEN");
    }
    let token = match jetconform_process::tcp::token(a.token.as_deref()) {
        Ok(t) => t,
        Err(_) => {
            return invalid(format!(
                "serving on TCP needs a token: set {} (or give --token)",
                jetconform_process::tcp::TOKEN_VAR
            ))
        }
    };
    let command = match command_for(spec, profile) {
        Ok(c) => c,
        Err(e) => return invalid(e),
    };
    let listener = match jetconform_process::listen::bind(&address) {
        Ok(l) => l,
        Err(e) => return invalid(format!("cannot listen on {address}: {e}")),
    };
    // On stdout, flushed: a script that asked for port 0 reads the port from this line.
    sayln!(
        "jetconform serve: {}",
        jetconform_process::listen::listening_message(&listener)
    );
    let options = jetconform_process::listen::ListenOptions {
        token,
        command,
        log: true,
    };
    match jetconform_process::listen::serve_tcp(listener, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            Exit::Failed.into()
        }
    }
}

/// The command serving one connection: COMMAND for `process:COMMAND`, else this jetconform
/// serving SPEC (and `--profile`) on stdio (checked here first, so that a spec that cannot
/// work fails now).
fn command_for(spec: &RunnerSpec, profile: Option<EngineBuild>) -> Result<Vec<String>, String> {
    if let RunnerSpec::Process(command) = spec {
        return jetconform_process::words::split_words(command)
            .map_err(|e| format!("`{command}`: {e}"));
    }
    spec.build_served(profile).map_err(|e| e.to_string())?;
    let exe = std::env::current_exe()
        .map_err(|e| format!("cannot find jetconform's own executable: {e}"))?;
    let mut command = vec![
        exe.to_string_lossy().into_owned(),
        "serve".into(),
        "--runner".into(),
        spec.to_string(),
    ];
    if let Some(p) = profile {
        command.extend(["--profile".into(), p.name().into()]);
    }
    Ok(command)
}
