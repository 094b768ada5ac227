//! The client against real processes: `jetconform-test-runner` serves a trivial runner and
//! misbehaves on request. Each failure must come back as the right `RunnerError`, with the
//! detail a person needs, and the runner must stay usable for the next scenario.

use jetconform_interface::{Arg, Call, Function, Runner, RunnerError, ScenarioStart, WinVersion};
use jetconform_process::{Isolation, Options, ProcessRunner};
use std::time::{Duration, Instant};

const RUNNER: &str = env!("CARGO_BIN_EXE_jetconform-test-runner");

fn runner(
    faults: &str,
    isolate: Isolation,
    timeout: Duration,
) -> Result<ProcessRunner, RunnerError> {
    let command = format!("'{RUNNER}' {faults}");
    ProcessRunner::new(
        "process:test",
        &command,
        &Options {
            isolate: Some(isolate),
            call_timeout: timeout,
            token: None,
        },
    )
}

fn ok_runner(faults: &str, isolate: Isolation) -> ProcessRunner {
    runner(faults, isolate, Duration::from_secs(10)).expect("the test runner starts")
}

fn start(scenario: &str) -> ScenarioStart {
    ScenarioStart {
        scenario: scenario.into(),
        version: WinVersion::Win10,
    }
}

fn stop_backup() -> Call {
    Call {
        function: Function::JetStopBackupInstance,
        args: vec![Arg::Handle(0x10000)],
    }
}

fn create_instance() -> Call {
    Call {
        function: Function::JetCreateInstance,
        args: vec![Arg::Out(true), Arg::Str(None)],
    }
}

/// Runs `calls` calls in one scenario; the first error, or Ok after finish.
fn scenario(r: &ProcessRunner, id: &str, calls: u32) -> Result<(), RunnerError> {
    let mut exec = r.start(&start(id))?;
    for _ in 0..calls {
        exec.call(&stop_backup())?;
    }
    exec.finish()
}

#[test]
fn serves_calls_in_both_isolation_modes() {
    for isolate in [Isolation::Scenario, Isolation::Run] {
        let r = ok_runner("", isolate);
        assert_eq!(r.info().name, "process:test");
        assert_eq!(r.hello().runner.name, "trivial");
        assert!(!r.hello().process_global_state);
        for round in 0..3 {
            let mut exec = r.start(&start("a/b")).unwrap();
            assert_eq!(exec.sandbox(), "/sandbox/a/b/win10");
            let obs = exec.call(&create_instance()).unwrap();
            assert_eq!(
                obs.code(),
                Some(jetconform_interface::ErrorCode(0)),
                "{isolate} round {round}"
            );
            assert!(obs.outputs.contains_key("pinstance"));
            exec.finish().unwrap();
        }
    }
}

#[test]
fn default_isolation_follows_the_hello() {
    let r =
        ProcessRunner::new("process:test", &format!("'{RUNNER}'"), &Options::default()).unwrap();
    // The trivial runner says it keeps no process-global state.
    assert_eq!(r.isolation(), Isolation::Run);
}

fn crashed(e: RunnerError) -> (String, Option<String>) {
    match e {
        RunnerError::Crashed { detail, during } => (detail, during),
        other => panic!("expected a crash, got {other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn a_segfault_is_a_crash_with_the_signal_and_the_call() {
    let r = ok_runner("--crash-at 2", Isolation::Run);
    let (detail, during) = crashed(scenario(&r, "a", 3).unwrap_err());
    assert!(
        detail.starts_with(&format!("killed by signal {} (SIGSEGV", libc::SIGSEGV)),
        "{detail}"
    );
    assert_eq!(during.as_deref(), Some("JetStopBackupInstance"));
    // The next trial gets a fresh process and works (until its own call 2).
    scenario(&r, "b", 1).unwrap();
}

#[cfg(unix)]
#[test]
fn an_abort_is_a_crash_with_sigabrt() {
    let r = ok_runner("--abort-at 1", Isolation::Scenario);
    let (detail, _) = crashed(scenario(&r, "a", 1).unwrap_err());
    assert!(detail.contains("(SIGABRT"), "{detail}");
}

#[test]
fn an_exit_is_a_crash_with_the_status() {
    let r = ok_runner("--exit-at 3 --exit-code 9", Isolation::Run);
    let (detail, during) = crashed(scenario(&r, "a", 5).unwrap_err());
    assert_eq!(detail, "exited with status 9");
    assert_eq!(during.as_deref(), Some("JetStopBackupInstance"));
    scenario(&r, "b", 2).unwrap();
}

#[test]
fn a_hang_is_a_timeout_and_the_runner_is_killed() {
    let r = runner("--hang-at 2", Isolation::Run, Duration::from_millis(500)).unwrap();
    let t = Instant::now();
    match scenario(&r, "a", 3).unwrap_err() {
        RunnerError::Timeout { seconds, during } => {
            assert_eq!(seconds, 0.5);
            assert_eq!(during.as_deref(), Some("JetStopBackupInstance"));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    scenario(&r, "b", 1).unwrap();
}

fn protocol(e: RunnerError) -> String {
    match e {
        RunnerError::Protocol { message } => message,
        other => panic!("expected a protocol error, got {other:?}"),
    }
}

#[test]
fn garbage_is_a_protocol_error_naming_what_was_received() {
    let r = ok_runner("--garbage-at 1", Isolation::Run);
    let m = protocol(scenario(&r, "a", 1).unwrap_err());
    assert!(
        m.starts_with("malformed answer to request 2 (call JetStopBackupInstance)"),
        "{m}"
    );
    assert!(m.contains("received `this is not JSON {`"), "{m}");
    // Only scenarios the faults name misbehave.
    let r = ok_runner("--garbage-at 1 --scenario a", Isolation::Run);
    scenario(&r, "b", 2).unwrap();
    scenario(&r, "a", 1).unwrap_err();
    scenario(&r, "c", 2).unwrap();
}

#[test]
fn an_answer_to_a_request_not_asked_is_a_protocol_error() {
    let r = ok_runner("--wrong-id-at 1", Isolation::Run);
    let m = protocol(scenario(&r, "a", 1).unwrap_err());
    assert!(m.starts_with("answer for request id 1002, which was not asked (waiting for request 2 (call JetStopBackupInstance))"), "{m}");
}

#[test]
fn a_panic_in_the_served_runner_is_reported_as_a_crash() {
    let r = ok_runner("--panic-at 2", Isolation::Run);
    let (detail, during) = crashed(scenario(&r, "a", 2).unwrap_err());
    assert_eq!(
        detail,
        "the runner reported: the runner panicked: injected panic at call 2"
    );
    assert_eq!(during.as_deref(), Some("JetStopBackupInstance"));
    scenario(&r, "b", 1).unwrap();
}

fn start_error(r: Result<ProcessRunner, RunnerError>) -> String {
    match r {
        Err(RunnerError::Start { message }) => message,
        Err(other) => panic!("expected a start error, got {other:?}"),
        Ok(_) => panic!("expected a start error, the runner started"),
    }
}

#[test]
fn handshake_failures_stop_the_runner_from_starting() {
    let m = start_error(runner(
        "--bad-version",
        Isolation::Run,
        Duration::from_secs(10),
    ));
    assert!(
        m.contains("the runner speaks protocol version 99; this jetconform speaks version 1"),
        "{m}"
    );
    let m = start_error(runner(
        "--garbage-hello",
        Isolation::Run,
        Duration::from_secs(10),
    ));
    assert!(
        m.contains("the runner's first line is not JSON")
            && m.contains("received `Welcome to the runner!`"),
        "{m}"
    );
    let m = start_error(runner(
        "--no-such-option",
        Isolation::Run,
        Duration::from_secs(10),
    ));
    assert!(
        m.contains("exited with status 2") && m.contains("unknown option `--no-such-option`"),
        "{m}"
    );
    let m = start_error(ProcessRunner::new(
        "process:x",
        "/nonexistent/runner --x",
        &Options::default(),
    ));
    assert!(m.starts_with("cannot run `/nonexistent/runner`"), "{m}");
    let m = start_error(ProcessRunner::new(
        "process:x",
        "'unterminated",
        &Options::default(),
    ));
    assert_eq!(m, "`'unterminated`: unterminated single quote");
}

#[test]
fn a_runner_that_says_nothing_times_out_at_the_handshake() {
    let t = Instant::now();
    let m = start_error(ProcessRunner::new(
        "process:x",
        "sleep 30",
        &Options {
            isolate: None,
            call_timeout: Duration::from_millis(300),
            token: None,
        },
    ));
    assert!(
        m.contains("did not answer within 0.3 s during handshake"),
        "{m}"
    );
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn stray_prints_of_the_served_runner_do_not_reach_the_protocol() {
    let r = ok_runner("--print-at 1 --print-at 2", Isolation::Run);
    scenario(&r, "a", 3).unwrap();
}

/// Linux kills a runner when the thread that started it ends (the parent-death signal that
/// stops hung runners outliving jetconform): processes must outlive the trial threads that
/// first needed them, since `--isolate run` hands idle processes from thread to thread.
#[test]
fn idle_processes_outlive_the_thread_that_started_them() {
    let r = ok_runner("", Isolation::Run);
    std::thread::scope(|s| {
        s.spawn(|| {
            // Two at once: the second needs a process of its own, started on this thread.
            let a = r.start(&start("a")).unwrap();
            let b = r.start(&start("b")).unwrap();
            a.finish().unwrap();
            b.finish().unwrap();
        });
    });
    std::thread::sleep(Duration::from_millis(200));
    let mut a = r.start(&start("c")).unwrap();
    let mut b = r.start(&start("d")).unwrap();
    a.call(&stop_backup()).unwrap();
    b.call(&stop_backup()).unwrap();
    a.finish().unwrap();
    b.finish().unwrap();
}

#[test]
fn a_runner_that_closes_its_stdout_and_lingers_is_a_protocol_error() {
    let r = ok_runner("--close-at 2", Isolation::Run);
    let t = Instant::now();
    let m = protocol(scenario(&r, "a", 2).unwrap_err());
    assert_eq!(
        m,
        "end of the runner's output (it closed its pipes but did not exit) while waiting for \
         request 3 (call JetStopBackupInstance)"
    );
    assert!(t.elapsed() < Duration::from_secs(5));
    scenario(&r, "b", 1).unwrap();
}
