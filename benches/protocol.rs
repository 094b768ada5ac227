//! What the process protocol costs (docs/protocol.md), measured in one run:
//!
//! 1. calls per second through `process:jetconform serve --runner mock`, one
//!    `JetStopBackupInstance` on an instance at a time, each answer awaited before the next;
//! 2. the same number of round trips of the same message sizes over a raw pipe to a trivial
//!    echo child (this binary, re-run as one): the ceiling any line protocol over a pipe has;
//! 3. the cost of one trial (start, one call, end) with one process for the run and with a
//!    process per scenario, and where the latter's extra time goes.

use crate::measure::{best, fail, OrFail};
use crate::table::Table;
use jetconform_interface::{Arg, Call, Function, Observation, Runner, ScenarioStart, WinVersion};
use jetconform_process::{Isolation, Options, ProcessRunner};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SECTION: &str = "protocol";
pub const ECHO: &str = "JETCONFORM_BENCH_ECHO";
const ROUNDS: usize = 3;

fn options(isolate: Isolation) -> Options {
    Options {
        isolate: Some(isolate),
        call_timeout: Duration::from_secs(30),
        token: None,
    }
}

fn start() -> ScenarioStart {
    ScenarioStart {
        scenario: "bench/protocol".into(),
        version: WinVersion::Win10,
    }
}

pub fn protocol(table: &mut Table, jetconform: &Path, quick: bool) {
    let calls: u32 = if quick { 5_000 } else { 20_000 };
    let command = format!("'{}' serve --runner mock", jetconform.display());
    let runner = ProcessRunner::new("process:bench", &command, &options(Isolation::Run))
        .unwrap_or_else(|e| fail(&format!("cannot start `{command}`: {e}")));

    // 1. Through the protocol.
    let mut exec = runner.start(&start()).or_fail("runner");
    let create = Call {
        function: Function::JetCreateInstance,
        args: vec![Arg::Out(true), Arg::Str(None)],
    };
    let created = exec.call(&create).or_fail("runner");
    let instance = match created.outputs.get("pinstance") {
        Some(jetconform_interface::OutValue::Handle(h)) => *h,
        other => fail(&format!("JetCreateInstance gave no instance: {other:?}")),
    };
    let call = Call {
        function: Function::JetStopBackupInstance,
        args: vec![Arg::Handle(instance)],
    };
    let first = exec.call(&call).or_fail("runner");
    let (request_len, response_len) = (request_line_len(&call), response_line_len(&first));
    let mut protocol_rates = Vec::new();
    let mut raw_rates = Vec::new();
    // Rounds alternate the two, so that both see the same machine load.
    for _ in 0..ROUNDS {
        let t = Instant::now();
        for _ in 0..calls {
            exec.call(&call).or_fail("runner");
        }
        protocol_rates.push(f64::from(calls) / t.elapsed().as_secs_f64());
        raw_rates.push(raw_pipe(request_len, response_len, calls));
    }
    exec.finish().or_fail("runner");
    let (p, r) = (best(&protocol_rates), best(&raw_rates));
    table.target(
        SECTION,
        format!(
            "calls/s through the protocol vs raw pipe round trips, {request_len} B request, {response_len} B answer (best of {ROUNDS} x {calls})"
        ),
        format!("{p:.0} ({:.1} µs) vs {r:.0} ({:.1} µs): {:.2}x", 1e6 / p, 1e6 / r, p / r),
        "≥ 0.5x",
        p / r >= 0.5,
    );

    // 2. Per-trial cost of each isolation.
    let per_run = trial_cost(&runner, if quick { 100 } else { 500 });
    let scenario_runner =
        ProcessRunner::new("process:bench", &command, &options(Isolation::Scenario))
            .or_fail("runner");
    let n = if quick { 30 } else { 100 };
    let per_scenario = trial_cost(&scenario_runner, n);
    let (open, close) = process_phases(&command, n);
    table.context(
        SECTION,
        "one trial (start, a call, end): `--isolate run` vs `--isolate scenario`",
        format!("{:.2} ms vs {:.2} ms", per_run * 1e3, per_scenario * 1e3),
    );
    table.context(
        SECTION,
        "what a process per scenario adds per trial: spawn and hello; shutdown and exit",
        format!(
            "{:.2} ms: {:.2} ms; {:.2} ms",
            (per_scenario - per_run) * 1e3,
            open * 1e3,
            close * 1e3
        ),
    );
}

fn request_line_len(call: &Call) -> usize {
    let req = jetconform_interface::protocol::Request {
        id: 1_000_000,
        body: jetconform_interface::protocol::RequestBody::Call { call: call.clone() },
    };
    serde_json::to_string(&req)
        .map(|s| s.len() + 1)
        .unwrap_or(64)
}

fn response_line_len(obs: &Observation) -> usize {
    let resp = jetconform_interface::protocol::Response::new(
        Some(1_000_000),
        jetconform_interface::protocol::ResponseBody::Observation {
            observation: obs.clone(),
        },
    );
    serde_json::to_string(&resp)
        .map(|s| s.len() + 1)
        .unwrap_or(64)
}

/// The echo child: answers every line with a line of `size` bytes.
pub fn echo(size: &str) {
    let size: usize = size.parse().unwrap_or(64);
    let mut answer = vec![b'x'; size.saturating_sub(1)];
    answer.push(b'\n');
    let mut input = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    let mut line = String::new();
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        if out.write_all(&answer).and_then(|_| out.flush()).is_err() {
            return;
        }
    }
}

/// Round trips per second to the echo child: write a request line, read the answer line.
fn raw_pipe(request_len: usize, response_len: usize, calls: u32) -> f64 {
    let exe = std::env::current_exe().or_fail("runner");
    let mut child = Command::new(exe)
        .env(ECHO, response_len.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| fail(&format!("the echo child: {e}")));
    let (Some(mut to), Some(from)) = (child.stdin.take(), child.stdout.take()) else {
        fail("the echo child has no pipes");
    };
    let mut from = BufReader::new(from);
    let mut request = vec![b'r'; request_len.saturating_sub(1)];
    request.push(b'\n');
    let mut line = String::new();
    let mut trip = |line: &mut String| {
        line.clear();
        let ok = to.write_all(&request).and_then(|_| to.flush()).is_ok()
            && from.read_line(line).is_ok_and(|n| n > 0);
        if !ok {
            fail("the echo child stopped answering");
        }
    };
    trip(&mut line);
    let t = Instant::now();
    for _ in 0..calls {
        trip(&mut line);
    }
    let rate = f64::from(calls) / t.elapsed().as_secs_f64();
    drop(to);
    let _ = from.read_to_end(&mut Vec::new());
    let _ = child.wait();
    rate
}

/// Seconds per trial: start, one JetCreateInstance, end.
fn trial_cost(runner: &ProcessRunner, trials: u32) -> f64 {
    let create = Call {
        function: Function::JetCreateInstance,
        args: vec![Arg::Out(true), Arg::Str(None)],
    };
    let once = || {
        let mut exec = runner.start(&start()).or_fail("runner");
        exec.call(&create).or_fail("runner");
        exec.finish().or_fail("runner");
    };
    once();
    let t = Instant::now();
    for _ in 0..trials {
        once();
    }
    t.elapsed().as_secs_f64() / f64::from(trials)
}

/// Where a process per scenario spends its extra time: seconds to spawn and get the hello,
/// and to shut down and exit, averaged over `n`.
fn process_phases(command: &str, n: u32) -> (f64, f64) {
    use jetconform_process::client::{Connection, Target};
    let argv = jetconform_process::words::split_words(command)
        .unwrap_or_else(|e| fail(&format!("{command}: {e}")));
    let argv = Target::Command(argv);
    let (mut open, mut close) = (0.0, 0.0);
    for _ in 0..n {
        let t = Instant::now();
        let mut c = Connection::open(&argv, Duration::from_secs(30)).or_fail("runner");
        open += t.elapsed().as_secs_f64();
        c.start(&start()).or_fail("runner");
        c.end().or_fail("runner");
        let t = Instant::now();
        c.shutdown().or_fail("runner");
        close += t.elapsed().as_secs_f64();
    }
    (open / f64::from(n), close / f64::from(n))
}
