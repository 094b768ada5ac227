//! One runner process seen from jetconform: the handshake, then requests answered one at a
//! time, each under the watchdog. Anything unexpected (death, silence, a line that is not
//! the awaited answer) becomes a `RunnerError` and leaves the connection unusable: the
//! process is killed rather than trusted to be in step again.
//!
//! The runner is a child process spoken to over its pipes, or an agent on another machine
//! spoken to over a TCP connection (`tcp.rs`): each connection is served by a fresh process
//! there, so closing the connection ends it as killing the child does here.

use crate::child::RunnerProcess;
use crate::descendants::Marks;
use crate::exit;
use crate::pipe::PipeReader;
use crate::spawn;
use crate::stderr::StderrTail;
use crate::text::{shown, why};
use crate::watchdog::Watchdog;
use jetconform_interface::protocol::{
    Hello, Request, RequestBody, Response, ResponseBody, PROTOCOL_VERSION,
};
use jetconform_interface::{Call, Observation, RunnerError, ScenarioStart};
use serde::Serialize;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ExitStatus;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest line accepted from a runner; past it the runner is considered broken (and
/// jetconform's memory is not at its mercy).
const MAX_LINE: u64 = 16 << 20;
/// How long a runner whose stdout closed gets to finish exiting before it is called hung.
const EXIT_GRACE: Duration = Duration::from_secs(2);
/// How long a crashed runner's stderr gets to deliver its last words.
const STDERR_GRACE: Duration = Duration::from_millis(300);

/// Where a runner is: a command to start here, or a TCP service (`tcp:HOST:PORT`).
#[derive(Clone, Debug)]
pub enum Target {
    Command(Vec<String>),
    Tcp(crate::tcp::Address),
}

/// The other end of a connection.
enum Peer {
    Process {
        process: Arc<Mutex<RunnerProcess>>,
        stderr: StderrTail,
    },
    Socket {
        /// A handle for closing it (the reader and writer are clones).
        stream: TcpStream,
        /// `HOST:PORT`, for messages.
        address: String,
    },
}

/// The runner's answers: a pipe read with a deadline, or a socket.
enum Source {
    Pipe(PipeReader),
    Socket(TcpStream),
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Source::Pipe(p) => p.read(buf),
            Source::Socket(s) => s.read(buf),
        }
    }
}

pub struct Connection {
    peer: Peer,
    input: Box<dyn Write + Send>,
    output: BufReader<Source>,
    watchdog: Watchdog,
    hello: Hello,
    next_id: u64,
    /// Reused for every message, so a call allocates no buffers of its own.
    line: String,
    out: Vec<u8>,
    /// The process was shut down or killed and reaped.
    done: bool,
    /// The sandbox of the scenario being served: removed here when the runner dies before
    /// it could remove it.
    sandbox: Option<String>,
}

/// What a request is, for messages: `call 5 (JetStopBackupInstance)`.
struct What<'a> {
    id: u64,
    kind: &'a str,
    detail: &'a str,
}

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.detail.is_empty() {
            write!(f, "request {} ({})", self.id, self.kind)
        } else {
            write!(f, "request {} ({} {})", self.id, self.kind, self.detail)
        }
    }
}

/// A call request serialized from a borrowed `Call` (no clone per call); the same JSON as
/// `Request { id, body: RequestBody::Call { call } }`.
#[derive(Serialize)]
struct CallOut<'a> {
    id: u64,
    #[serde(rename = "type")]
    kind: &'static str,
    call: &'a Call,
}

impl Connection {
    /// Starts the process, or connects and authenticates, and reads the runner's hello.
    ///
    /// A runner that fails before its hello has touched no scenario, and such failures pass:
    /// a process that Wine could not start under load ("Application could not be started"
    /// on its stdout), a listener that refused a correct token, a connection dropped by a
    /// real network. So a failed start is tried once more, a quarter second later, and the
    /// second answer stands; a runner that is really broken is reported as before. A hello
    /// that did not come in time is not tried again (that would double the wait).
    pub fn open(target: &Target, timeout: Duration) -> Result<Connection, RunnerError> {
        Connection::open_in(target, timeout, &Marks::new())
    }

    /// As `open`, the process marked as one of `marks` (its descendants are killed with it,
    /// `descendants.rs`).
    pub fn open_in(
        target: &Target,
        timeout: Duration,
        marks: &Marks,
    ) -> Result<Connection, RunnerError> {
        let once = || match target {
            _ if crate::interrupt::interrupted() => Err(interrupted()),
            Target::Command(argv) => Connection::spawn(argv, timeout, &marks.next()),
            Target::Tcp(address) => Connection::connect(address, timeout),
        };
        once().or_else(|e| match e {
            RunnerError::Timeout { .. } => Err(e),
            _ => {
                std::thread::sleep(Duration::from_millis(250));
                once()
            }
        })
    }

    fn spawn(argv: &[String], timeout: Duration, mark: &str) -> Result<Connection, RunnerError> {
        let program = argv.first().map(String::as_str).unwrap_or("");
        let s = spawn::spawn(argv, mark).map_err(|e| RunnerError::Start {
            message: format!("cannot run `{program}`: {e}"),
        })?;
        let process = Arc::new(Mutex::new(s.process));
        if !crate::interrupt::register(&process) {
            // Dropping the last handle kills it.
            return Err(interrupted());
        }
        let victim = process.clone();
        // At the deadline the group and the marked descendants die, whatever the runner
        // itself is doing (exited already or not); the read stops waiting on its own.
        let watchdog = Watchdog::start(timeout, move || {
            if let Ok(mut p) = victim.lock() {
                p.kill();
            }
        })
        .map_err(watchdog_error)?;
        let output = Source::Pipe(PipeReader::new(s.stdout, process.clone()));
        let peer = Peer::Process {
            process,
            stderr: s.stderr,
        };
        Connection::greet(peer, Box::new(s.stdin), output, watchdog)
    }

    fn connect(
        address: &crate::tcp::Address,
        timeout: Duration,
    ) -> Result<Connection, RunnerError> {
        let stream = crate::tcp::connect(address, timeout)?;
        let clone = |s: &TcpStream| {
            s.try_clone().map_err(|e| RunnerError::Start {
                message: format!("{}: {e}", address.shown()),
            })
        };
        let victim = clone(&stream)?;
        // Closing the connection ends the agent's process for it and wakes the reader.
        let watchdog = Watchdog::start(timeout, move || {
            let _ = victim.shutdown(std::net::Shutdown::Both);
        })
        .map_err(watchdog_error)?;
        let (reader, writer) = (clone(&stream)?, clone(&stream)?);
        let peer = Peer::Socket {
            stream,
            address: address.shown(),
        };
        Connection::greet(peer, Box::new(writer), Source::Socket(reader), watchdog)
    }

    fn greet(
        peer: Peer,
        input: Box<dyn Write + Send>,
        output: Source,
        watchdog: Watchdog,
    ) -> Result<Connection, RunnerError> {
        let mut conn = Connection {
            peer,
            input,
            output: BufReader::with_capacity(64 << 10, output),
            watchdog,
            // Replaced by the runner's own just below.
            hello: Hello::new(placeholder_info(), vec![], true),
            next_id: 1,
            line: String::new(),
            out: Vec::with_capacity(1024),
            done: false,
            sandbox: None,
        };
        conn.hello = conn.read_hello()?;
        Ok(conn)
    }

    pub fn hello(&self) -> &Hello {
        &self.hello
    }

    pub fn start(&mut self, start: &ScenarioStart) -> Result<String, RunnerError> {
        let id = self.take_id();
        let what = What {
            id,
            kind: "start",
            detail: &start.scenario,
        };
        let req = Request {
            id,
            body: RequestBody::Start(start.clone()),
        };
        match self.exchange(&req, &what, "start of scenario")? {
            ResponseBody::Started { sandbox } => {
                if let Peer::Process { .. } = self.peer {
                    self.sandbox = Some(sandbox.clone());
                }
                Ok(sandbox)
            }
            other => Err(self.unexpected(&what, "started", &other)),
        }
    }

    pub fn call(&mut self, call: &Call) -> Result<Observation, RunnerError> {
        let id = self.take_id();
        let what = What {
            id,
            kind: "call",
            detail: call.function.name(),
        };
        let req = CallOut {
            id,
            kind: "call",
            call,
        };
        match self.exchange(&req, &what, call.function.name())? {
            ResponseBody::Observation { observation } => Ok(observation),
            other => Err(self.unexpected(&what, "observation", &other)),
        }
    }

    pub fn end(&mut self) -> Result<(), RunnerError> {
        let id = self.take_id();
        let what = What {
            id,
            kind: "end",
            detail: "",
        };
        match self.exchange(
            &Request {
                id,
                body: RequestBody::End,
            },
            &what,
            "end of scenario",
        )? {
            ResponseBody::Ended => {
                // The runner removed it.
                self.sandbox = None;
                Ok(())
            }
            other => Err(self.unexpected(&what, "ended", &other)),
        }
    }

    /// Asks the runner to exit and waits for it. A runner that dies on the way out (an
    /// engine that crashes while unloading) is reported: that is a finding too.
    pub fn shutdown(mut self) -> Result<(), RunnerError> {
        let id = self.take_id();
        let what = What {
            id,
            kind: "shutdown",
            detail: "",
        };
        match self.exchange(
            &Request {
                id,
                body: RequestBody::Shutdown,
            },
            &what,
            "shutdown",
        )? {
            ResponseBody::Bye => {}
            other => return Err(self.unexpected(&what, "bye", &other)),
        }
        if let Peer::Socket { .. } = self.peer {
            // The agent's process for this connection exits and the agent closes the
            // connection; whatever happens to it now is the agent's to report.
            self.kill();
            return Ok(());
        }
        // Its answer given, the runner exits; it is not awaited for longer than a call.
        let Some(status) = self.wait_exit(self.watchdog.timeout()) else {
            self.kill();
            return Err(RunnerError::Timeout {
                seconds: self.watchdog.timeout().as_secs_f64(),
                during: Some("shutdown (answered bye, did not exit)".into()),
            });
        };
        self.reap();
        if status.success() {
            Ok(())
        } else {
            Err(RunnerError::Crashed {
                detail: self.crash_detail(status),
                during: Some("shutdown".into()),
            })
        }
    }

    fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn read_hello(&mut self) -> Result<Hello, RunnerError> {
        let what = What {
            id: 0,
            kind: "hello",
            detail: "",
        };
        self.receive(&what, "handshake")?;
        // A TCP agent that refuses the token (or whose process for us died before it said
        // hello) answers with an error instead.
        if let Ok(Response {
            id: None,
            body: ResponseBody::Error { error },
        }) = serde_json::from_str::<Response>(&self.line)
        {
            self.kill();
            return Err(match error {
                RunnerError::Protocol { message } => RunnerError::Start {
                    message: format!("{}: {message}", self.peer_name()),
                },
                RunnerError::Crashed { detail, .. } => RunnerError::Crashed {
                    detail,
                    during: Some("handshake".into()),
                },
                other => other,
            });
        }
        let value: serde_json::Value = serde_json::from_str(&self.line).map_err(|e| {
            self.broken(format!(
                "the runner's first line is not JSON ({}): received {}",
                why(&e),
                shown(&self.line)
            ))
        })?;
        if value.get("type").and_then(|t| t.as_str()) != Some("hello") {
            return Err(self.broken(format!(
                "the runner's first line is not a hello: received {}",
                shown(&self.line)
            )));
        }
        match value.get("protocol").and_then(|p| p.as_u64()) {
            Some(v) if v == u64::from(PROTOCOL_VERSION) => {}
            Some(v) => {
                return Err(self.broken(format!(
                    "the runner speaks protocol version {v}; this jetconform speaks version {PROTOCOL_VERSION}"
                )))
            }
            None => return Err(self.broken(format!("the runner's hello has no protocol version: received {}", shown(&self.line)))),
        }
        serde_json::from_value(value).map_err(|e| {
            self.broken(format!(
                "malformed hello ({}): received {}",
                why(&e),
                shown(&self.line)
            ))
        })
    }

    /// Sends one request and returns the answer to it; an `error` answer comes back as the
    /// runner's error.
    fn exchange(
        &mut self,
        request: &impl Serialize,
        what: &What,
        during: &str,
    ) -> Result<ResponseBody, RunnerError> {
        if self.done {
            return Err(RunnerError::Other {
                message: format!("the runner process is gone; cannot send {what}"),
            });
        }
        self.out.clear();
        serde_json::to_writer(&mut self.out, request).map_err(|e| RunnerError::Other {
            message: format!("cannot encode {what}: {e}"),
        })?;
        self.out.push(b'\n');
        // One write per message; the pipe is unbuffered on our side, so no flush is pending.
        if self
            .input
            .write_all(&self.out)
            .and_then(|_| self.input.flush())
            .is_err()
        {
            // It no longer reads: it has exited, or is about to.
            return Err(self.died(what, during));
        }
        self.receive(what, during)?;
        let response: Response = serde_json::from_str(&self.line).map_err(|e| {
            self.broken(format!(
                "malformed answer to {what} ({}): received {}",
                why(&e),
                shown(&self.line)
            ))
        })?;
        match response.id {
            Some(id) if id == what.id => {}
            Some(id) => {
                return Err(self.broken(format!(
                "answer for request id {id}, which was not asked (waiting for {what}): received {}",
                shown(&self.line)
            )))
            }
            // A TCP agent reports that its process for us died, then closes the connection.
            None if matches!(
                response.body,
                ResponseBody::Error {
                    error: RunnerError::Crashed { .. }
                }
            ) =>
            {
                self.kill();
                let ResponseBody::Error {
                    error: RunnerError::Crashed { detail, during: d },
                } = response.body
                else {
                    unreachable!("matched just above")
                };
                return Err(RunnerError::Crashed {
                    detail,
                    during: d.or(Some(during.into())),
                });
            }
            None => {
                let said = match &response.body {
                    ResponseBody::Error { error } => error.to_string(),
                    _ => shown(&self.line),
                };
                return Err(self.broken(format!(
                    "answer without an id while waiting for {what}: {said}"
                )));
            }
        }
        match response.body {
            ResponseBody::Error { error } => {
                // Whatever the runner says, it is not trusted to be in step any more.
                self.kill();
                Err(match error {
                    RunnerError::Crashed { detail, during: d } => RunnerError::Crashed {
                        detail: format!("the runner reported: {detail}"),
                        during: d.or(Some(during.into())),
                    },
                    RunnerError::Protocol { message } => RunnerError::Protocol {
                        message: format!("the runner rejected {what}: {message}"),
                    },
                    other => other,
                })
            }
            body => Ok(body),
        }
    }

    /// Reads one line into `self.line` under the watchdog, waiting on a pipe no longer than
    /// the deadline.
    fn receive(&mut self, what: &What, during: &str) -> Result<(), RunnerError> {
        self.line.clear();
        if let Source::Pipe(p) = self.output.get_mut() {
            p.deadline = Some(Instant::now() + self.watchdog.timeout());
        }
        self.watchdog.arm();
        let read = (&mut self.output).take(MAX_LINE).read_line(&mut self.line);
        let late = matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::TimedOut);
        if self.watchdog.disarm() || late {
            self.kill();
            let seconds = self.watchdog.timeout().as_secs_f64();
            return Err(RunnerError::Timeout {
                seconds,
                during: Some(during.to_string()),
            });
        }
        match read {
            Ok(0) => Err(self.died(what, during)),
            Ok(_) if !self.line.ends_with('\n') && self.line.len() as u64 >= MAX_LINE => Err(self
                .broken(format!(
                    "a line longer than {MAX_LINE} bytes while waiting for {what}: received {}",
                    shown(&self.line)
                ))),
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                Err(self.broken(format!("a line that is not UTF-8 while waiting for {what}")))
            }
            Err(_) => Err(self.died(what, during)),
        }
    }

    /// The runner's output ended: it crashed (exit status known) or closed its stdout and
    /// lingers (a protocol error; it is killed).
    fn died(&mut self, what: &What, during: &str) -> RunnerError {
        if let Peer::Socket { address, .. } = &self.peer {
            // Without the agent's word on how its process ended, all that is known is this.
            let detail = format!("{address} closed the connection without a word");
            self.kill();
            return RunnerError::Crashed {
                detail,
                during: Some(during.to_string()),
            };
        }
        if let Some(status) = self.wait_exit(EXIT_GRACE) {
            self.reap();
            return RunnerError::Crashed {
                detail: self.crash_detail(status),
                during: Some(during.to_string()),
            };
        }
        self.kill();
        RunnerError::Protocol { message: format!("end of the runner's output (it closed its pipes but did not exit) while waiting for {what}") }
    }

    fn crash_detail(&self, status: ExitStatus) -> String {
        let mut detail = exit::describe(status);
        let tail = self.stderr_tail();
        if !tail.is_empty() {
            detail.push_str("; stderr: ");
            detail.push_str(&tail);
        }
        detail
    }

    fn unexpected(&mut self, what: &What, wanted: &str, got: &ResponseBody) -> RunnerError {
        self.broken(format!(
            "expected `{wanted}` in answer to {what}, received `{}`: {}",
            got.kind(),
            shown(&self.line)
        ))
    }

    /// A protocol error: the runner is out of step and is killed.
    fn broken(&mut self, message: String) -> RunnerError {
        self.kill();
        let tail = self.stderr_tail();
        if tail.is_empty() {
            RunnerError::Protocol { message }
        } else {
            RunnerError::Protocol {
                message: format!("{message}; stderr: {tail}"),
            }
        }
    }

    /// The exit status once the process has exited, waiting up to `within`. Polls (a blocking
    /// wait would hold the child's lock against the watchdog), from 50 us up to 2 ms apart:
    /// a runner that was told to exit usually has within a millisecond.
    fn wait_exit(&self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        let mut pause = Duration::from_micros(50);
        loop {
            if let Some(status) = self.try_status() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(2));
        }
    }

    /// The exit status once the process has exited (then reaped, its group killed first).
    fn try_status(&self) -> Option<ExitStatus> {
        match &self.peer {
            Peer::Process { process, .. } => {
                let mut p = process.lock().ok()?;
                if p.exited() {
                    p.reap()
                } else {
                    None
                }
            }
            Peer::Socket { .. } => None,
        }
    }

    fn stderr_tail(&self) -> String {
        match &self.peer {
            Peer::Process { stderr, .. } => stderr.last_lines(STDERR_GRACE),
            Peer::Socket { .. } => String::new(),
        }
    }

    fn peer_name(&self) -> String {
        match &self.peer {
            Peer::Process { .. } => "the runner".into(),
            Peer::Socket { address, .. } => address.clone(),
        }
    }

    fn kill(&mut self) {
        match &self.peer {
            Peer::Process { process, .. } => {
                if let Ok(mut p) = process.lock() {
                    p.kill();
                }
            }
            Peer::Socket { stream, .. } => {
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        }
        self.reap();
    }

    /// Waits for the process (killing what is left of its group first), so that no zombie
    /// outlives its connection; kills whatever it started that still holds its output; and
    /// removes the sandbox it did not live to remove.
    fn reap(&mut self) {
        if let Peer::Process { process, .. } = &self.peer {
            if let Ok(mut p) = process.lock() {
                p.reap();
                if matches!(self.output.get_ref(), Source::Pipe(r) if !r.abandoned()) {
                    p.sweep();
                }
            }
            if let Some(s) = self.sandbox.take() {
                jetconform_interface::sandbox::remove_if_orphaned(std::path::Path::new(&s));
            }
        }
        self.done = true;
    }
}

fn interrupted() -> RunnerError {
    RunnerError::Other {
        message: "interrupted: no runner is started any more".into(),
    }
}

fn watchdog_error(e: std::io::Error) -> RunnerError {
    RunnerError::Start {
        message: format!("cannot start a watchdog thread: {e}"),
    }
}

fn placeholder_info() -> jetconform_interface::RunnerInfo {
    jetconform_interface::RunnerInfo {
        name: String::new(),
        versions: jetconform_interface::VersionSet::EMPTY,
        machine: Default::default(),
        verbs: vec![],
        fault_hooks: false,
        reserved_names: false,
        profile: None,
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if !self.done {
            self.kill();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jetconform_interface::{Arg, Function};

    #[test]
    fn borrowed_call_request_is_the_protocol_request() {
        let call = Call {
            function: Function::JetStopBackupInstance,
            args: vec![Arg::Handle(0x10000)],
        };
        let borrowed = serde_json::to_string(&CallOut {
            id: 7,
            kind: "call",
            call: &call,
        })
        .unwrap();
        let owned = serde_json::to_string(&Request {
            id: 7,
            body: RequestBody::Call { call },
        })
        .unwrap();
        assert_eq!(borrowed, owned);
    }
}
