//! `process:COMMAND`: a `Runner` whose executions happen in runner processes spoken to over
//! the protocol. A process serves one scenario at a time; with `Isolation::Scenario` each
//! scenario gets a fresh one, with `Isolation::Run` idle processes are reused (one per worker
//! thread at most) and a process that crashed, hung or broke the protocol is replaced by a
//! fresh one for the next trial.

use crate::client::{Connection, Target};
use crate::descendants::Marks;
use crate::words::split_words;
use jetconform_interface::protocol::Hello;
use jetconform_interface::{
    Call, Execution, Observation, Runner, RunnerError, RunnerInfo, ScenarioStart,
};
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long runner processes live.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Isolation {
    /// A fresh process for every scenario: nothing a scenario did to process-global state
    /// (ESENT's run mode, spec 4.1) can leak into the next.
    Scenario,
    /// Processes live for the whole run and serve scenario after scenario.
    Run,
}

impl FromStr for Isolation {
    type Err = String;
    fn from_str(s: &str) -> Result<Isolation, String> {
        match s {
            "scenario" => Ok(Isolation::Scenario),
            "run" => Ok(Isolation::Run),
            _ => Err(format!("unknown isolation `{s}`; use `scenario` or `run`")),
        }
    }
}

impl fmt::Display for Isolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Isolation::Scenario => "scenario",
            Isolation::Run => "run",
        })
    }
}

/// Settings of out-of-process runners.
#[derive(Clone, Debug)]
pub struct Options {
    /// `None`: `Scenario` when the runner says it keeps process-global state (or does not
    /// say), `Run` when it says it keeps none.
    pub isolate: Option<Isolation>,
    /// The time a runner gets to answer one request (the handshake included).
    pub call_timeout: Duration,
    /// The token of `tcp:` runners; `None`: from `JETCONFORM_RUNNER_TOKEN`.
    pub token: Option<String>,
}

/// The default `--call-timeout`.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(30);

impl Default for Options {
    fn default() -> Options {
        Options {
            isolate: None,
            call_timeout: DEFAULT_CALL_TIMEOUT,
            token: None,
        }
    }
}

pub struct ProcessRunner {
    shared: Arc<Shared>,
    info: RunnerInfo,
    hello: Hello,
}

struct Shared {
    target: Target,
    timeout: Duration,
    isolation: Isolation,
    /// Processes that said hello and serve no scenario now.
    idle: Mutex<Vec<Connection>>,
    /// Carried by every process this runner starts and by their descendants.
    marks: Marks,
}

impl ProcessRunner {
    /// Starts one process to learn who the runner is (it then serves the first scenario).
    /// `name` is the spec as written (`process:...`), `command` the command line after it.
    pub fn new(name: &str, command: &str, options: &Options) -> Result<ProcessRunner, RunnerError> {
        let argv = split_words(command).map_err(|e| RunnerError::Start {
            message: format!("`{command}`: {e}"),
        })?;
        ProcessRunner::open(name, Target::Command(argv), options)
    }

    /// `tcp:HOST:PORT`: an agent's TCP service; every scenario gets a connection of its own,
    /// served by a fresh process there (so isolation is always `scenario`).
    pub fn tcp(name: &str, address: &str, options: &Options) -> Result<ProcessRunner, RunnerError> {
        let start = |message| RunnerError::Start { message };
        let token = crate::tcp::token(options.token.as_deref()).map_err(start)?;
        let address = crate::tcp::Address::parse(address, token).map_err(start)?;
        let options = Options {
            isolate: Some(Isolation::Scenario),
            ..options.clone()
        };
        ProcessRunner::open(name, Target::Tcp(address), &options)
    }

    fn open(name: &str, target: Target, options: &Options) -> Result<ProcessRunner, RunnerError> {
        let marks = Marks::new();
        let first =
            Connection::open_in(&target, options.call_timeout, &marks).map_err(|e| match e {
                RunnerError::Start { .. } => e,
                other => RunnerError::Start {
                    message: other.to_string(),
                },
            })?;
        let hello = first.hello().clone();
        let isolation = options.isolate.unwrap_or(if hello.process_global_state {
            Isolation::Scenario
        } else {
            Isolation::Run
        });
        let mut info = hello.runner.clone();
        let served = std::mem::replace(&mut info.name, name.to_string());
        let place = match &target {
            Target::Command(_) => "in another process".to_string(),
            Target::Tcp(a) => format!("at {}", a.shown()),
        };
        info.machine.description = Some(match info.machine.description.take() {
            Some(d) => format!("{d} (runner `{served}` {place})"),
            None => format!("runner `{served}` {place}"),
        });
        let shared = Shared {
            target,
            timeout: options.call_timeout,
            isolation,
            idle: Mutex::new(vec![first]),
            marks,
        };
        Ok(ProcessRunner {
            shared: Arc::new(shared),
            info,
            hello,
        })
    }

    pub fn isolation(&self) -> Isolation {
        self.shared.isolation
    }

    /// The runner's hello, as its first process sent it.
    pub fn hello(&self) -> &Hello {
        &self.hello
    }
}

impl Runner for ProcessRunner {
    fn info(&self) -> RunnerInfo {
        self.info.clone()
    }

    fn start(&self, start: &ScenarioStart) -> Result<Box<dyn Execution>, RunnerError> {
        let idle = self.shared.idle.lock().ok().and_then(|mut v| v.pop());
        let mut conn = match idle {
            Some(c) => c,
            None => {
                Connection::open_in(&self.shared.target, self.shared.timeout, &self.shared.marks)?
            }
        };
        // On error the connection is dropped, which kills the process.
        let sandbox = conn.start(start)?;
        Ok(Box::new(ProcessExecution {
            conn: Some(conn),
            sandbox,
            shared: self.shared.clone(),
        }))
    }
}

struct ProcessExecution {
    /// `None` once the process failed: the error was reported by the call that saw it.
    conn: Option<Connection>,
    sandbox: String,
    shared: Arc<Shared>,
}

impl Execution for ProcessExecution {
    fn sandbox(&self) -> &str {
        &self.sandbox
    }

    fn call(&mut self, call: &Call) -> Result<Observation, RunnerError> {
        let Some(conn) = self.conn.as_mut() else {
            return Err(RunnerError::Other {
                message: "the runner process of this scenario is gone".into(),
            });
        };
        conn.call(call).inspect_err(|_| self.conn = None)
    }

    fn finish(mut self: Box<Self>) -> Result<(), RunnerError> {
        let Some(mut conn) = self.conn.take() else {
            return Ok(());
        };
        conn.end()?;
        match self.shared.isolation {
            Isolation::Run => {
                if let Ok(mut idle) = self.shared.idle.lock() {
                    idle.push(conn);
                }
                Ok(())
            }
            Isolation::Scenario => conn.shutdown(),
        }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Ok(idle) = self.idle.get_mut() {
            for conn in idle.drain(..) {
                // At the end of the run nobody is left to hear of a failed shutdown; a runner
                // that does not go quietly is killed by the connection's drop.
                let _ = conn.shutdown();
            }
        }
        // Whatever its processes started and left behind (a daemon, a child that called
        // setsid) does not outlive the run.
        crate::descendants::kill_marked(self.marks.family());
    }
}
