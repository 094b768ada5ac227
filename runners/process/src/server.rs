//! The runner side of the protocol: serves any in-process `Runner` on a pair of streams
//! (`jetconform serve` uses stdin/stdout). Every line read gets exactly one answer; a line
//! that is not a valid request gets an `error` answer naming what was received, never a
//! panic. A panic inside the served runner is answered as a crash, after which the server
//! stops (the runner's state can no longer be trusted).

use crate::faults::{self, Fault, Faults};
use crate::text::{shown, why};
use jetconform_interface::functions::FUNCTIONS;
use jetconform_interface::protocol::{Hello, Request, RequestBody, Response, ResponseBody};
use jetconform_interface::{Execution, Runner, RunnerError, RunnerInfo, WinVersion};
use std::io::{self, BufRead, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Requests longer than this are answered with an error (and skipped), not buffered.
const MAX_REQUEST: u64 = 16 << 20;

pub struct ServeOptions {
    /// Sent in the hello (see `Hello::process_global_state`).
    pub process_global_state: bool,
    /// Sent in the hello; `None`: every function some version the runner runs exports.
    pub functions: Option<Vec<String>>,
    /// For tests only (`faults`); empty in `jetconform serve`.
    pub faults: Faults,
}

/// Why serving stopped.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ServeEnd {
    /// A `shutdown` request.
    Shutdown,
    /// The input ended.
    EndOfInput,
    /// The served runner panicked; the answer said so.
    Panicked,
    /// A fault (`--close-at`, tests only) closed the output instead of answering.
    Closed,
}

impl ServeEnd {
    /// The exit status a serving process ends with.
    pub fn exit_code(self) -> u8 {
        match self {
            ServeEnd::Shutdown | ServeEnd::EndOfInput => 0,
            ServeEnd::Panicked => 101,
            ServeEnd::Closed => 0,
        }
    }
}

/// Every non-verb function of the catalogue that one of the runner's versions exports.
pub fn default_functions(info: &RunnerInfo) -> Vec<String> {
    let newest = info.versions.iter().last().unwrap_or(WinVersion::Win11);
    FUNCTIONS
        .iter()
        .filter(|f| !f.is_verb() && f.since <= newest)
        .map(|f| f.name.to_string())
        .collect()
}

struct Active {
    exec: Box<dyn Execution>,
    faulty: bool,
    calls: u32,
}

/// Serves `runner` until `shutdown`, end of input or a panic. I/O errors on `output` end it
/// with the error (nobody is listening any more).
pub fn serve(
    runner: &dyn Runner,
    mut input: impl BufRead,
    mut output: impl Write,
    options: &ServeOptions,
) -> io::Result<ServeEnd> {
    let info = runner.info();
    let functions = options
        .functions
        .clone()
        .unwrap_or_else(|| default_functions(&info));
    let mut hello = Hello::new(info, functions, options.process_global_state);
    if options.faults.bad_version {
        hello.protocol = 99;
    }
    if options.faults.garbage_hello {
        writeln!(output, "Welcome to the runner!")?;
    }
    send(&mut output, &hello)?;

    let mut active: Option<Active> = None;
    let mut line = String::new();
    let end = loop {
        line.clear();
        match (&mut input).take(MAX_REQUEST).read_line(&mut line) {
            Ok(0) => break ServeEnd::EndOfInput,
            Ok(_) if !line.ends_with('\n') && line.len() as u64 >= MAX_REQUEST => {
                skip_rest_of_line(&mut input)?;
                let msg = format!(
                    "request longer than {MAX_REQUEST} bytes: received {}",
                    shown(&line)
                );
                send(
                    &mut output,
                    &Response::error(None, RunnerError::Protocol { message: msg }),
                )?;
                continue;
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                let msg = "request is not UTF-8".to_string();
                send(
                    &mut output,
                    &Response::error(None, RunnerError::Protocol { message: msg }),
                )?;
                continue;
            }
            Err(e) => return Err(e),
        }
        if line.trim().is_empty() {
            // Blank lines are no requests (a person typing a session by hand); nothing to answer.
            continue;
        }
        let request: Request = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => {
                let id = serde_json::from_str::<serde_json::Value>(&line)
                    .ok()
                    .and_then(|v| v.get("id")?.as_u64());
                let message = format!("malformed request ({}): received {}", why(&e), shown(&line));
                send(
                    &mut output,
                    &Response::error(id, RunnerError::Protocol { message }),
                )?;
                continue;
            }
        };
        let id = Some(request.id);
        let body = match request.body {
            RequestBody::Start(start) => {
                if active.is_some() {
                    protocol(format!(
                        "`start` of {}: a scenario is already started; send `end` first",
                        start.scenario
                    ))
                } else {
                    match catch_unwind(AssertUnwindSafe(|| runner.start(&start))) {
                        Ok(Ok(exec)) => {
                            let sandbox = exec.sandbox().to_string();
                            active = Some(Active {
                                exec,
                                faulty: options.faults.applies_to(&start),
                                calls: 0,
                            });
                            ResponseBody::Started { sandbox }
                        }
                        Ok(Err(e)) => ResponseBody::Error { error: e },
                        Err(panic) => {
                            send(
                                &mut output,
                                &Response::error(id, panicked(panic, "start of scenario")),
                            )?;
                            break ServeEnd::Panicked;
                        }
                    }
                }
            }
            RequestBody::Call { call } => match active.as_mut() {
                None => protocol(format!(
                    "`call` of {}: no scenario is started; send `start` first",
                    call.function
                )),
                Some(a) => {
                    a.calls = a.calls.saturating_add(1);
                    let fault = if a.faulty {
                        options.faults.at_call(a.calls)
                    } else {
                        None
                    };
                    match fault {
                        None | Some(Fault::Panic) => {}
                        Some(Fault::Print) => {
                            // Through the process's stdout, as a library's printf would be.
                            println!("stray output from the runner at call {}", a.calls);
                        }
                        Some(Fault::Garbage) => {
                            writeln!(output, "this is not JSON {{")?;
                            output.flush()?;
                            continue;
                        }
                        Some(Fault::WrongId) => {
                            let wrong = Some(request.id.wrapping_add(1000));
                            send(&mut output, &Response::new(wrong, ResponseBody::Ended))?;
                            continue;
                        }
                        Some(Fault::Close) => {
                            // Returning drops the output: the pipe closes, the process lives on.
                            return Ok(ServeEnd::Closed);
                        }
                        Some(f) => {
                            output.flush()?;
                            faults::die(f)
                        }
                    }
                    let outcome = catch_unwind(AssertUnwindSafe(|| {
                        if fault == Some(Fault::Panic) {
                            panic!("injected panic at call {}", a.calls);
                        }
                        a.exec.call(&call)
                    }));
                    match outcome {
                        Ok(Ok(observation)) => ResponseBody::Observation { observation },
                        Ok(Err(e)) => ResponseBody::Error { error: e },
                        Err(panic) => {
                            send(
                                &mut output,
                                &Response::error(id, panicked(panic, call.function.name())),
                            )?;
                            break ServeEnd::Panicked;
                        }
                    }
                }
            },
            RequestBody::End => match active.take() {
                None => protocol("`end`: no scenario is started".to_string()),
                Some(a) => match catch_unwind(AssertUnwindSafe(|| a.exec.finish())) {
                    Ok(Ok(())) => ResponseBody::Ended,
                    Ok(Err(e)) => ResponseBody::Error { error: e },
                    Err(panic) => {
                        send(
                            &mut output,
                            &Response::error(id, panicked(panic, "end of scenario")),
                        )?;
                        break ServeEnd::Panicked;
                    }
                },
            },
            RequestBody::Shutdown => {
                if let Some(a) = active.take() {
                    let _ = catch_unwind(AssertUnwindSafe(|| a.exec.finish()));
                }
                send(&mut output, &Response::new(id, ResponseBody::Bye))?;
                break ServeEnd::Shutdown;
            }
        };
        send(&mut output, &Response::new(id, body))?;
    };
    if let Some(a) = active.take() {
        // Input ended mid-scenario (jetconform went away): still tear the sandbox down.
        let _ = catch_unwind(AssertUnwindSafe(|| a.exec.finish()));
    }
    Ok(end)
}

fn protocol(message: String) -> ResponseBody {
    ResponseBody::Error {
        error: RunnerError::Protocol { message },
    }
}

fn panicked(panic: Box<dyn std::any::Any + Send>, during: &str) -> RunnerError {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into());
    RunnerError::Crashed {
        detail: format!("the runner panicked: {what}"),
        during: Some(during.to_string()),
    }
}

/// One message, one line, flushed: the other side waits for it.
fn send(output: &mut impl Write, message: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *output, message).map_err(io::Error::other)?;
    output.write_all(b"\n")?;
    output.flush()
}

fn skip_rest_of_line(input: &mut impl BufRead) -> io::Result<()> {
    let mut sink = Vec::new();
    loop {
        sink.clear();
        let n = input.take(MAX_REQUEST).read_until(b'\n', &mut sink)?;
        if n == 0 || sink.ends_with(b"\n") {
            return Ok(());
        }
    }
}
