//! The command line: a contract users script against (`exit.rs`: 0 when every trial passed
//! or was unknown/skipped, 1 when any failed, 2 when input was invalid or a runner could not
//! start). One file per subcommand; each parses its arguments, calls the library and
//! prints. `common.rs` holds what they share: loading with diagnostics, picking runners.

mod baseline;
mod check;
mod common;
mod coverage;
mod diff;
mod exit;
mod explore;
mod functions;
mod list;
mod listen;
mod merge;
mod record;
mod report;
mod run;
mod serve;

use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

pub use exit::Exit;

#[derive(Parser)]
#[command(
    name = "jetconform",
    version,
    about = "Conformance harness for the ESENT external backup and restore API"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The largest buffer (size + offset) a scenario may ask for, e.g. 1GiB; larger ones are
    /// refused when scenarios are loaded. Default 256MiB, or JETCONFORM_MAX_BUFFER_SIZE.
    #[arg(long, global = true, value_name = "BYTES", value_parser = crate::scenario::limits::parse_size)]
    max_buffer_size: Option<u64>,
}

#[derive(Subcommand)]
enum Command {
    /// Run scenarios and judge every step.
    Run(run::RunArgs),
    /// Validate scenarios without running them.
    Check(check::CheckArgs),
    /// Print the trials a run would have.
    List(common::SelectArgs),
    /// Print the spec 13 coverage table (function x documented code); exit 1 when a row is
    /// missing.
    Coverage {
        /// Scenario files or folders (default: cases/).
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema of scenario files (docs/scenario.schema.json), or with
    /// `--fixture` of fixture files (docs/fixture.schema.json).
    Schema {
        /// The schema of fixture files (`fixtures/*.toml`).
        #[arg(long)]
        fixture: bool,
    },
    /// Print the function catalogue, or one function's parameters.
    Functions {
        /// A function name (e.g. JetOpenFileInstanceW).
        name: Option<String>,
    },
    /// Combine results files from several machines, versions or partitions into one.
    Merge(merge::MergeArgs),
    /// Steps whose result differs between versions (`--versions`) or runners (`--runner`
    /// twice); exit 0 when none, 1 when some.
    Diff(diff::DiffArgs),
    /// Generate call sequences, run them on two runners in lockstep, and write each
    /// difference, shrunk, as a scenario; exit 0 when none was found, 1 when some were.
    Explore(explore::ExploreArgs),
    /// Write a baseline (known divergences) from a results file.
    Baseline(baseline::BaselineArgs),
    /// Regenerate `reports/` (Markdown matrix, a page per function, an HTML page).
    Report(report::ReportArgs),
    /// Write observed results into the scenario files as expectations.
    Record(record::RecordArgs),
    /// Serve a runner over the process protocol on stdin/stdout (docs/protocol.md), for
    /// `--runner 'process:jetconform serve --runner SPEC'` (locally, or over ssh); or, with
    /// `--listen`, on TCP for `--runner tcp:HOST:PORT`, a fresh process per connection.
    /// Print a shell completion script: `jetconform completions bash >
    /// /etc/bash_completion.d/jetconform`, `jetconform completions zsh > _jetconform`,
    /// `jetconform completions fish > ~/.config/fish/completions/jetconform.fish`.
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    Serve {
        /// The runner to serve.
        #[arg(long, value_name = "SPEC", default_value = "mock", value_parser = crate::runners::RunnerSpec::parse_arg)]
        runner: crate::runners::RunnerSpec,
        /// The engine build it runs when not esent.dll (see `run --profile`).
        #[arg(long, value_name = "NAME", value_parser = common::parse_profile)]
        profile: Option<jetconform_interface::EngineBuild>,
        #[command(flatten)]
        listen: listen::ListenArgs,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    use crate::scenario::limits;
    match (
        cli.max_buffer_size,
        std::env::var(limits::MAX_BUFFER_SIZE_ENV),
    ) {
        (Some(n), _) => limits::set_max_buffer_size(n),
        (None, Ok(text)) => match limits::parse_size(&text) {
            Ok(n) => limits::set_max_buffer_size(n),
            Err(e) => return exit::invalid(format!("{}: {e}", limits::MAX_BUFFER_SIZE_ENV)),
        },
        (None, Err(_)) => {}
    }
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Check(a) => check::check(a),
        Command::List(a) => list::list(a),
        Command::Coverage { paths } => coverage::coverage(paths),
        Command::Schema { fixture } => {
            let schema = if fixture {
                crate::scenario::fixture_schema()
            } else {
                crate::scenario::json_schema()
            };
            crate::output::sayln!(
                "{}",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            );
            Exit::Success.into()
        }
        Command::Functions { name } => functions::functions(name.as_deref()),
        Command::Serve {
            runner,
            profile,
            listen,
        } if listen.listen.is_some() => listen::listen(&runner, profile, listen),
        Command::Serve {
            runner, profile, ..
        } => serve::serve(&runner, profile),
        Command::Merge(a) => merge::merge(a),
        Command::Diff(a) => diff::diff(a),
        Command::Explore(a) => explore::explore(a),
        Command::Baseline(a) => baseline::baseline(a),
        Command::Report(a) => report::report(a),
        Command::Record(a) => record::record(a),
        Command::Completions { shell } => {
            // Generated into memory: clap_complete panics when its writer fails (`| head`).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "jetconform", &mut script);
            crate::output::say!("{}", String::from_utf8_lossy(&script));
            Exit::Success.into()
        }
    }
}
