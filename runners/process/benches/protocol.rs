//! What the process protocol costs, measured in one run:
//!
//! 1. calls per second through the protocol (`process:jetconform serve --runner mock`, one
//!    `JetStopBackupInstance` on an instance at a time, answer awaited before the next);
//! 2. the same number of round trips of the same message sizes over a raw pipe to a trivial
//!    echo child (this binary, re-run as one), the ceiling any pipe protocol can reach;
//! 3. the cost of one trial (start, one call, end) with a process per scenario and with one
//!    process for the run.
//!
//! `cargo build --release -p jetconform && cargo bench -p jetconform-process --bench protocol`
//! (the runner command defaults to the `jetconform` next to this bench's target directory;
//! `JETCONFORM_BENCH_RUNNER='COMMAND'` chooses another).

use jetconform_interface::{Arg, Call, Function, Runner, ScenarioStart, WinVersion};
use jetconform_process::{Isolation, Options, ProcessRunner};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ECHO: &str = "JETCONFORM_BENCH_ECHO";
const CALLS: u32 = 20_000;
const ROUNDS: usize = 3;

fn main() {
    if let Ok(size) = std::env::var(ECHO) {
        echo(size.parse().unwrap_or(64));
        return;
    }
    let command = runner_command();
    println!("runner: {command}");
    let options = |isolate| Options {
        isolate: Some(isolate),
        call_timeout: Duration::from_secs(30),
    };
    let runner = match ProcessRunner::new("process:bench", &command, &options(Isolation::Run)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runner: {e}");
            std::process::exit(2);
        }
    };

    // 1. Through the protocol.
    let start = ScenarioStart {
        scenario: "bench/stop-backup".into(),
        version: WinVersion::Win10,
    };
    let mut exec = runner.start(&start).expect("scenario starts");
    let create = Call {
        function: Function::JetCreateInstance,
        args: vec![Arg::Out(true), Arg::Str(None)],
    };
    let created = exec.call(&create).expect("JetCreateInstance answers");
    let instance = match created.outputs.get("pinstance") {
        Some(jetconform_interface::OutValue::Handle(h)) => *h,
        _ => 0x10000,
    };
    let call = Call {
        function: Function::JetStopBackupInstance,
        args: vec![Arg::Handle(instance)],
    };
    let first = exec.call(&call).expect("JetStopBackupInstance answers");
    let request_len = request_line_len(&call);
    let response_len = response_line_len(&first);
    let mut protocol_rates = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        for _ in 0..CALLS {
            exec.call(&call).expect("JetStopBackupInstance answers");
        }
        protocol_rates.push(f64::from(CALLS) / t.elapsed().as_secs_f64());
    }
    exec.finish().expect("scenario ends");

    // 2. Raw pipe, same sizes.
    let raw_rates: Vec<f64> = (0..ROUNDS)
        .map(|_| raw_pipe(request_len, response_len))
        .collect();

    // 3. Per-trial cost.
    let per_run = trial_cost(&runner, 500);
    let scenario_runner =
        ProcessRunner::new("process:bench", &command, &options(Isolation::Scenario))
            .expect("the runner starts");
    let per_scenario = trial_cost(&scenario_runner, 100);

    let phases = process_phases(&command, 100);

    let best = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
    let (p, r) = (best(&protocol_rates), best(&raw_rates));
    println!();
    println!("messages: request {request_len} bytes, response {response_len} bytes (with newline)");
    println!("| measure | result |");
    println!("|---|---|");
    println!(
        "| calls/s through the protocol (best of {ROUNDS} x {CALLS}) | {p:.0} ({:.1} us/call) |",
        1e6 / p
    );
    println!("| round trips/s over a raw pipe, same sizes (best of {ROUNDS} x {CALLS}) | {r:.0} ({:.1} us/trip) |", 1e6 / r);
    println!("| protocol / raw pipe | {:.2}x |", p / r);
    println!(
        "| one trial, one process for the run (`--isolate run`) | {:.3} ms |",
        per_run * 1e3
    );
    println!(
        "| one trial, a process per scenario (`--isolate scenario`) | {:.3} ms |",
        per_scenario * 1e3
    );
    println!(
        "| cost of a process per scenario, per trial | {:.3} ms |",
        (per_scenario - per_run) * 1e3
    );
    for (name, seconds) in phases {
        println!("| - of which {name} | {:.3} ms |", seconds * 1e3);
    }
}

/// The runner command: `JETCONFORM_BENCH_RUNNER`, or the release `jetconform` beside this
/// bench's target directory serving the mock.
fn runner_command() -> String {
    if let Ok(c) = std::env::var("JETCONFORM_BENCH_RUNNER") {
        return c;
    }
    let exe = std::env::current_exe().expect("own path");
    // target/release/deps/protocol-HASH -> target/release/jetconform
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("a target directory");
    let jetconform = dir.join(format!("jetconform{}", std::env::consts::EXE_SUFFIX));
    if !jetconform.exists() {
        eprintln!(
            "{} is not built: run `cargo build --release -p jetconform` first",
            jetconform.display()
        );
        std::process::exit(2);
    }
    format!("'{}' serve --runner mock", jetconform.display())
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

fn response_line_len(obs: &jetconform_interface::Observation) -> usize {
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
fn echo(size: usize) {
    let mut answer = vec![b'x'; size.saturating_sub(1)];
    answer.push(b'\n');
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
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
fn raw_pipe(request_len: usize, response_len: usize) -> f64 {
    let exe = std::env::current_exe().expect("own path");
    let mut child = Command::new(exe)
        .env(ECHO, response_len.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the echo child starts");
    let mut to = child.stdin.take().expect("stdin");
    let mut from = BufReader::new(child.stdout.take().expect("stdout"));
    let mut request = vec![b'r'; request_len.saturating_sub(1)];
    request.push(b'\n');
    let mut line = String::new();
    let mut trip = |line: &mut String| {
        to.write_all(&request).expect("write");
        to.flush().expect("flush");
        line.clear();
        from.read_line(line).expect("read");
    };
    trip(&mut line);
    let t = Instant::now();
    for _ in 0..CALLS {
        trip(&mut line);
    }
    let rate = f64::from(CALLS) / t.elapsed().as_secs_f64();
    drop(to);
    let _ = from.read_to_end(&mut Vec::new());
    let _ = child.wait();
    rate
}

/// Seconds per trial: start, one JetCreateInstance, end.
fn trial_cost(runner: &ProcessRunner, trials: u32) -> f64 {
    let start = ScenarioStart {
        scenario: "bench/trial".into(),
        version: WinVersion::Win10,
    };
    let create = Call {
        function: Function::JetCreateInstance,
        args: vec![Arg::Out(true), Arg::Str(None)],
    };
    let once = || {
        let mut exec = runner.start(&start).expect("scenario starts");
        exec.call(&create).expect("call answers");
        exec.finish().expect("scenario ends");
    };
    once();
    let t = Instant::now();
    for _ in 0..trials {
        once();
    }
    t.elapsed().as_secs_f64() / f64::from(trials)
}

/// Where a process per scenario spends its time: seconds per phase, averaged.
fn process_phases(command: &str, n: u32) -> Vec<(&'static str, f64)> {
    use jetconform_process::client::Connection;
    let argv = jetconform_process::words::split_words(command).expect("a command");
    let start = ScenarioStart {
        scenario: "bench/trial".into(),
        version: WinVersion::Win10,
    };
    let (mut open, mut close) = (0.0, 0.0);
    for _ in 0..n {
        let t = Instant::now();
        let mut c = Connection::open(&argv, Duration::from_secs(30)).expect("the runner starts");
        open += t.elapsed().as_secs_f64();
        c.start(&start).expect("start");
        c.end().expect("end");
        let t = Instant::now();
        c.shutdown().expect("shutdown");
        close += t.elapsed().as_secs_f64();
    }
    vec![
        ("spawn and hello", open / f64::from(n)),
        ("shutdown and exit", close / f64::from(n)),
    ]
}
