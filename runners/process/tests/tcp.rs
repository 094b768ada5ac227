//! `tcp:HOST:PORT` end to end on loopback: the service of `jetconform serve --listen`
//! (`listen::serve_tcp`) on an ephemeral port, serving `jetconform-test-runner`, which
//! misbehaves on request; the client must report each failure as it does for `process:`.

use jetconform_interface::{Arg, Call, Function, Runner, RunnerError, ScenarioStart, WinVersion};
use jetconform_process::listen::{self, ListenOptions};
use jetconform_process::{Isolation, Options, ProcessRunner};
use std::time::{Duration, Instant};

const RUNNER: &str = env!("CARGO_BIN_EXE_jetconform-test-runner");
const TOKEN: &str = "correct horse";

/// Starts a service for `jetconform-test-runner FAULTS` on 127.0.0.1:0; returns its port.
fn service(faults: &[&str]) -> u16 {
    let listener = listen::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut command = vec![RUNNER.to_string()];
    command.extend(faults.iter().map(|f| f.to_string()));
    let options = ListenOptions {
        token: TOKEN.into(),
        command,
        log: false,
    };
    std::thread::spawn(move || listen::serve_tcp(listener, options));
    port
}

fn options(token: &str, timeout: Duration) -> Options {
    Options {
        isolate: None,
        call_timeout: timeout,
        token: Some(token.into()),
    }
}

fn connect(port: u16, token: &str, timeout: Duration) -> Result<ProcessRunner, RunnerError> {
    let name = format!("tcp:127.0.0.1:{port}");
    ProcessRunner::tcp(&name, &name["tcp:".len()..], &options(token, timeout))
}

fn start() -> ScenarioStart {
    ScenarioStart {
        scenario: "a/b".into(),
        version: WinVersion::Win7,
    }
}

fn stop_backup() -> Call {
    Call {
        function: Function::JetStopBackupInstance,
        args: vec![Arg::Handle(0x10000)],
    }
}

fn scenario(r: &ProcessRunner, calls: u32) -> Result<(), RunnerError> {
    let mut exec = r.start(&start())?;
    for _ in 0..calls {
        exec.call(&stop_backup())?;
    }
    exec.finish()
}

#[test]
fn serves_scenarios_each_on_a_connection_of_its_own() {
    let port = service(&[]);
    let r = connect(port, TOKEN, Duration::from_secs(10)).unwrap();
    assert_eq!(r.isolation(), Isolation::Scenario);
    assert_eq!(r.hello().runner.name, "trivial");
    let info = r.info();
    assert_eq!(info.name, format!("tcp:127.0.0.1:{port}"));
    let description = info.machine.description.unwrap();
    assert!(
        description.contains(&format!("at 127.0.0.1:{port}")),
        "{description}"
    );
    for _ in 0..5 {
        scenario(&r, 3).unwrap();
    }
}

#[test]
fn a_crash_mid_scenario_is_the_trial_s_crash_and_the_next_scenario_runs() {
    let port = service(&["--crash-at", "2"]);
    let r = connect(port, TOKEN, Duration::from_secs(10)).unwrap();
    match scenario(&r, 3) {
        Err(RunnerError::Crashed { detail, during }) => {
            // The service says how its process died (SIGSEGV here; on Windows the exception).
            assert!(detail.contains("SIGSEGV"), "{detail}");
            assert_eq!(during.as_deref(), Some("JetStopBackupInstance"));
        }
        other => panic!("expected a crash, got {other:?}"),
    }
    // One call per scenario stays below the fault: a fresh process serves it.
    scenario(&r, 1).unwrap();
}

#[test]
fn a_connection_closed_without_a_word_is_a_crash() {
    // `--close-at`: the runner closes its output and lives on; the service ends it, and
    // the connection then closes.
    let port = service(&["--close-at", "1"]);
    let r = connect(port, TOKEN, Duration::from_secs(10)).unwrap();
    match scenario(&r, 1) {
        Err(RunnerError::Crashed { during, .. }) => {
            assert_eq!(during.as_deref(), Some("JetStopBackupInstance"))
        }
        other => panic!("expected a crash, got {other:?}"),
    }
}

#[test]
fn a_hang_is_a_timeout_and_the_runner_is_ended() {
    let port = service(&["--hang-at", "1"]);
    let r = connect(port, TOKEN, Duration::from_millis(500)).unwrap();
    let t = Instant::now();
    match scenario(&r, 1) {
        Err(RunnerError::Timeout { during, .. }) => {
            assert_eq!(during.as_deref(), Some("JetStopBackupInstance"))
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn a_garbled_answer_is_a_protocol_error() {
    let port = service(&["--garbage-at", "1"]);
    let r = connect(port, TOKEN, Duration::from_secs(10)).unwrap();
    assert!(matches!(scenario(&r, 1), Err(RunnerError::Protocol { .. })));
}

#[test]
fn a_wrong_token_is_refused_at_the_first_connection() {
    let port = service(&[]);
    match connect(port, "wrong", Duration::from_secs(10)) {
        Err(RunnerError::Start { message }) => {
            assert_eq!(message, format!("127.0.0.1:{port}: bad or missing token"))
        }
        other => panic!("expected a start error, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn a_refused_connection_says_so() {
    // A port just freed: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    match connect(port, TOKEN, Duration::from_secs(10)) {
        Err(RunnerError::Start { message }) => {
            assert!(message.contains("connection refused"), "{message}")
        }
        other => panic!("expected a start error, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn an_unresolvable_host_says_so() {
    let r = ProcessRunner::tcp(
        "tcp:no-such-host.invalid:7000",
        "no-such-host.invalid:7000",
        &options(TOKEN, Duration::from_secs(10)),
    );
    match r {
        Err(RunnerError::Start { message }) => {
            assert!(
                message.starts_with("cannot resolve host `no-such-host.invalid`"),
                "{message}"
            )
        }
        other => panic!("expected a start error, got {:?}", other.map(|_| ())),
    }
}
