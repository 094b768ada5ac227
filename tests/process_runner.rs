//! Runners in another process (`process:COMMAND`, docs/protocol.md).
//!
//! * The corpus through `process:jetconform serve --runner mock` must give the in-process
//!   mock's verdicts exactly: per trial the outcome, per step the observed result.
//! * A runner that crashes, aborts, exits, hangs or talks nonsense at a chosen call must cost
//!   exactly the trials it was serving, reported as `crashed`, `timeout` or `error` with the
//!   detail, while `jetconform run` carries on and reports every other trial as the mock does.
//!
//! The misbehaving runner is this test binary itself: started with `JETCONFORM_TEST_RUNNER`
//! set, it serves the mock with the faults its arguments name (`faults::USAGE`). So the tests
//! need no binary of another package.

use jetconform::exec::run_trial;
use jetconform::plan::{plan, VersionFilter};
use jetconform::results::Trial as TrialRecord;
use jetconform::runners::{build, build_with, RunnerEntry, Settings};
use jetconform::scenario::{self, model::Scenario};
use jetconform_interface::CallResult;
use jetconform_process::faults::Faults;
use jetconform_process::{serve_stdio, Isolation, ServeOptions};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Duration;

const AS_RUNNER: &str = "JETCONFORM_TEST_RUNNER";
const JETCONFORM: &str = env!("CARGO_BIN_EXE_jetconform");

fn main() -> ExitCode {
    if std::env::var_os(AS_RUNNER).is_some() {
        return serve_mock_with_faults();
    }
    let args = Arguments::from_args();
    let mut tests = vec![
        Trial::test(
            "corpus_verdicts_match_the_in_process_mock",
            corpus_verdicts_match,
        ),
        Trial::test("segfault_costs_only_its_trials", || {
            fault_run("segfault", "--crash-at 2", &[])
        }),
        Trial::test("abort_costs_only_its_trials", || {
            fault_run("abort", "--abort-at 1", &[])
        }),
        Trial::test("exit_costs_only_its_trials", || {
            fault_run("exit", "--exit-at 2 --exit-code 42", &[])
        }),
        Trial::test("exit_with_scenario_isolation", || {
            fault_run(
                "exit",
                "--exit-at 1 --exit-code 3",
                &["--isolate", "scenario"],
            )
        }),
        Trial::test("hang_is_a_timeout", || {
            fault_run(
                "hang",
                "--hang-at 2 --version win10",
                &["--call-timeout", "2"],
            )
        }),
        Trial::test("garbage_is_an_error", || {
            fault_run("garbage", "--garbage-at 2", &[])
        }),
        Trial::test("closed_stdout_is_an_error", || {
            fault_run("close", "--close-at 1 --version win10", &[])
        }),
        Trial::test("wrong_id_is_an_error", || {
            fault_run("wrong-id", "--wrong-id-at 1", &[])
        }),
        Trial::test(
            "bad_protocol_version_stops_the_run_before_it_starts",
            bad_version,
        ),
    ];
    #[cfg(target_os = "linux")]
    tests.push(Trial::test(
        "hung_runners_die_with_jetconform",
        hung_runners_die_with_jetconform,
    ));
    libtest_mimic::run(&args, tests).exit_code()
}

fn serve_mock_with_faults() -> ExitCode {
    let faults = match Faults::parse(std::env::args().skip(1)) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mock = jetconform_mock::MockRunner::new();
    let options = ServeOptions {
        process_global_state: false,
        functions: None,
        faults,
    };
    ExitCode::from(serve_stdio(&mock, &options))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What must be equal between runners: the outcome, and per step the verdict's kind and the
/// observed result (outputs may hold sandbox paths, which differ).
#[derive(Debug)]
struct Verdicts {
    outcome: String,
    steps: Vec<(u32, String, Option<CallResult>)>,
    /// Shown when they differ, not compared (it may name sandbox paths).
    reason: Option<String>,
}

impl PartialEq for Verdicts {
    fn eq(&self, other: &Verdicts) -> bool {
        self.outcome == other.outcome && self.steps == other.steps
    }
}

fn verdicts(r: &TrialRecord) -> Verdicts {
    Verdicts {
        outcome: r.outcome.as_str().to_string(),
        reason: r.reason.clone(),
        steps: r
            .steps
            .iter()
            .map(|s| {
                (
                    s.step,
                    s.verdict.as_str().to_string(),
                    s.observed.as_ref().map(|o| o.result.clone()),
                )
            })
            .collect(),
    }
}

/// Runs the kept trials on `entry`, on a few threads: the trials mostly wait (on the mock's
/// files, on pipes), so this keeps the test short even on two cores.
fn run_all(
    scenarios: &[Scenario],
    entry: &RunnerEntry,
    keep: impl Fn(usize) -> bool,
) -> BTreeMap<String, Verdicts> {
    const THREADS: usize = 4;
    let infos = vec![entry.info.clone()];
    let trials: Vec<_> = plan(scenarios, &infos, VersionFilter::Applicable)
        .into_iter()
        .enumerate()
        .filter(|(i, t)| keep(*i) && t.skip.is_none())
        .map(|(_, t)| t)
        .collect();
    let chunk = trials.len().div_ceil(THREADS).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = trials
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|t| {
                            let s = &scenarios[t.scenario];
                            let r = run_trial(s, entry.runner.as_ref(), "runner", t.version);
                            (r.name.clone(), verdicts(&r))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    })
}

fn corpus_verdicts_match() -> Result<(), Failed> {
    let loaded = scenario::load(&[root().join("cases")]);
    let mock = build("mock").map_err(|e| e.to_string())?;
    let reference = run_all(&loaded.scenarios, &mock, |_| true);
    if reference.is_empty() {
        return Err("the corpus has no trials".into());
    }
    let spec = format!("process:'{JETCONFORM}' serve --runner mock");
    // Every trial through long-lived processes, then every eighth through a process of its own.
    for (isolate, every) in [(Isolation::Run, 1), (Isolation::Scenario, 8)] {
        let settings = Settings {
            isolate: Some(isolate),
            // Short enough that a runner hanging in many trials fails the test in reasonable time.
            call_timeout: Duration::from_secs(10),
            token: None,
        };
        let process = build_with(&spec, &settings).map_err(|e| e.to_string())?;
        let got = run_all(&loaded.scenarios, &process, |i| i % every == 0);
        if got.len() * every < reference.len() {
            return Err(format!("{isolate}: only {} trials ran", got.len()).into());
        }
        for (name, v) in &got {
            if reference.get(name) != Some(v) {
                let mock = reference.get(name);
                return Err(format!(
                    "{name} (isolate {isolate}):\n  mock:    {mock:?}\n  process: {v:?}\n  \
                     why: mock {:?}, process {:?}",
                    mock.and_then(|m| m.reason.as_deref()),
                    v.reason
                )
                .into());
            }
        }
    }
    Ok(())
}

/// The scenario the faults are aimed at, and the corpus part the CLI runs.
const TARGET: &str = "end-external-backup/abort";
const PART: &str = "cases/end-external-backup";

/// `jetconform run --format json` over PART; the parsed document and the exit status.
fn cli_run(runner: &str, extra: &[&str]) -> Result<(Value, Option<i32>, String), Failed> {
    let out = Command::new(JETCONFORM)
        .current_dir(root())
        .env(AS_RUNNER, "1")
        .args(["run", PART, "--format", "json", "--runner", runner])
        .args(extra)
        .output()
        .map_err(|e| format!("cannot run jetconform: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    Ok((doc, out.status.code(), stderr))
}

/// scenario@version -> (outcome, reason) of a `--format json` document.
fn outcomes(doc: &Value) -> BTreeMap<String, (String, String)> {
    let mut map = BTreeMap::new();
    for r in doc["results"].as_array().into_iter().flatten() {
        let key = format!(
            "{}@{}",
            r["scenario"].as_str().unwrap_or(""),
            r["version"].as_str().unwrap_or("")
        );
        let reason = r["reason"].as_str().unwrap_or("").to_string();
        map.insert(
            key,
            (r["outcome"].as_str().unwrap_or("").to_string(), reason),
        );
    }
    map
}

/// The in-process mock's outcomes over PART, computed once for all the fault tests.
fn reference() -> Result<&'static BTreeMap<String, (String, String)>, Failed> {
    static REFERENCE: std::sync::OnceLock<BTreeMap<String, (String, String)>> =
        std::sync::OnceLock::new();
    if let Some(r) = REFERENCE.get() {
        return Ok(r);
    }
    let (doc, _, stderr) = cli_run("mock", &[])?;
    let map = outcomes(&doc);
    if map.is_empty() {
        return Err(format!("the mock ran no trial of {PART}; stderr: {stderr}").into());
    }
    Ok(REFERENCE.get_or_init(|| map))
}

fn fault_run(kind: &str, faults: &str, extra: &[&str]) -> Result<(), Failed> {
    let reference = reference()?;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let runner = format!("process:'{}' {faults} --scenario {TARGET}", me.display());
    let mut args = vec!["--isolate", "run"];
    if extra.contains(&"--isolate") {
        args.clear();
    }
    args.extend_from_slice(extra);
    let (doc, status, stderr) = cli_run(&runner, &args)?;
    let got = outcomes(&doc);
    if got.len() != reference.len() || reference.is_empty() {
        return Err(format!(
            "{} trials reported, {} expected; stderr: {stderr}",
            got.len(),
            reference.len()
        )
        .into());
    }
    if status != Some(1) {
        return Err(format!("exit status {status:?}, expected 1; stderr: {stderr}").into());
    }
    let mut hit = 0;
    for (key, (outcome, reason)) in &got {
        let aimed = key.starts_with(&format!("{TARGET}@"))
            && (!faults.contains("--version win10") || key.ends_with("@win10"));
        if !aimed {
            if Some(outcome) != reference.get(key).map(|r| &r.0) {
                return Err(format!(
                    "{key}: {outcome} ({reason}), the mock gives {:?}",
                    reference.get(key)
                )
                .into());
            }
            continue;
        }
        hit += 1;
        let (want_outcome, want_reason): (&str, &[&str]) = match kind {
            "segfault" => (
                "crashed",
                &["runner crashed during step", "killed by signal", "SIGSEGV"],
            ),
            "abort" => ("crashed", &["runner crashed during step", "SIGABRT"]),
            "exit" if faults.contains("--exit-code 42") => (
                "crashed",
                &["runner crashed during step", "exited with status 42"],
            ),
            "exit" => (
                "crashed",
                &["runner crashed during step", "exited with status 3"],
            ),
            "hang" => ("timeout", &["runner did not answer within 2 s during step"]),
            "garbage" => (
                "error",
                &[
                    "malformed answer to request",
                    "received `this is not JSON {`",
                ],
            ),
            "wrong-id" => ("error", &["which was not asked"]),
            "close" => (
                "error",
                &["end of the runner's output (it closed its pipes but did not exit)"],
            ),
            _ => return Err(format!("unknown fault kind {kind}").into()),
        };
        if outcome != want_outcome || !want_reason.iter().all(|w| reason.contains(w)) {
            return Err(format!(
                "{key}: {outcome} ({reason}); expected {want_outcome} with {want_reason:?}"
            )
            .into());
        }
    }
    if hit == 0 {
        return Err(format!("no trial of {TARGET} ran").into());
    }
    Ok(())
}

fn bad_version() -> Result<(), Failed> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let runner = format!("process:'{}' --bad-version", me.display());
    let (_, status, stderr) = cli_run(&runner, &[])?;
    if status != Some(2)
        || !stderr
            .contains("the runner speaks protocol version 99; this jetconform speaks version 1")
    {
        return Err(format!("exit status {status:?}, stderr: {stderr}").into());
    }
    Ok(())
}

/// A hung runner must not outlive an interrupted (here: killed) jetconform.
#[cfg(target_os = "linux")]
fn hung_runners_die_with_jetconform() -> Result<(), Failed> {
    use std::time::Instant;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let runner = format!("process:'{}' --hang-at 1", me.display());
    let mut jc = Command::new(JETCONFORM)
        .current_dir(root())
        .env(AS_RUNNER, "1")
        .args([
            "run",
            PART,
            "--jobs",
            "1",
            "--call-timeout",
            "60",
            "--runner",
            &runner,
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run jetconform: {e}"))?;
    let children = |pid: u32| -> Vec<u32> {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return vec![];
        };
        tasks
            .flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
            .flat_map(|c| {
                c.split_whitespace()
                    .filter_map(|p| p.parse().ok())
                    .collect::<Vec<u32>>()
            })
            .collect()
    };
    // A zombie is dead: it only waits for whoever adopted it to reap it.
    let alive = |pid: u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| {
                !s.rsplit_once(") ")
                    .is_some_and(|(_, rest)| rest.starts_with('Z'))
            })
            .unwrap_or(false)
    };
    let started = Instant::now();
    let runner_pid = loop {
        if let Some(p) = children(jc.id()).first() {
            break *p;
        }
        if started.elapsed() > Duration::from_secs(10) {
            let _ = jc.kill();
            return Err("jetconform started no runner".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // Let it get stuck in its first call.
    std::thread::sleep(Duration::from_millis(500));
    let _ = jc.kill();
    let _ = jc.wait();
    let killed = Instant::now();
    while alive(runner_pid) {
        if killed.elapsed() > Duration::from_secs(5) {
            return Err(format!("runner {runner_pid} outlived jetconform").into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}
