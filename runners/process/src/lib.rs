//! Out-of-process runners: jetconform and a runner in another process (a crashing or hanging
//! implementation, a Windows machine over ssh, an agent in C) speak the JSON-lines protocol
//! of `jetconform_interface::protocol` (docs/protocol.md) over the runner's stdin and stdout.
//!
//! * [`ProcessRunner`] (`process:COMMAND`) is the client: a `Runner` whose scenarios run in
//!   runner processes, under a per-call watchdog, so that a runner that dies, hangs or
//!   talks nonsense costs one trial, never the run.
//! * [`server::serve`] (`jetconform serve`) serves any in-process `Runner` on stdio.

pub mod child;
pub mod client;
pub mod descendants;
pub mod exit;
pub mod faults;
pub mod interrupt;
pub mod listen;
mod pipe;
pub mod runner;
pub mod server;
pub mod spawn;
pub mod stderr;
pub mod stdio;
pub mod tcp;
pub mod testing;
mod text;
pub mod watchdog;
pub mod words;

pub use runner::{Isolation, Options, ProcessRunner, DEFAULT_CALL_TIMEOUT};
pub use server::{serve, ServeEnd, ServeOptions};

/// Serves `runner` on this process's stdin and stdout (`jetconform serve`); returns the exit
/// status to end with.
pub fn serve_stdio(runner: &dyn jetconform_interface::Runner, options: &ServeOptions) -> u8 {
    let output = stdio::protocol_stdout();
    let input = std::io::stdin().lock();
    match serve(runner, input, output, options) {
        // Only a test fault closes the output early; the point is to stay alive without it.
        Ok(ServeEnd::Closed) => faults::die(faults::Fault::Hang),
        Ok(end) => end.exit_code(),
        // Our stdout is gone: jetconform went away. Nothing to tell anyone.
        Err(_) => 1,
    }
}
