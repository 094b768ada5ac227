//! Runs one trial: drives a runner through a scenario's steps one call at a time, binds
//! outputs, evaluates checks, and asks the verdict about each step.

use super::args::resolve_all;
use super::bindings::Bindings;
use super::checks::failures;
use super::display;
use super::paths::relativize;
use super::record::{ExpectedRecord, StepRecord, TrialResult};
use crate::scenario::model::{CallStep, ExpectedOutcome, ForEach, Scenario, Step, StepKind, Value};
use crate::verdict::{combine, judge, Outcome, StepVerdict};
use jetconform_interface::{
    Call, CallResult, Execution, Observation, OutValue, Runner, RunnerError, ScenarioStart,
    WinVersion,
};
use std::time::Instant;

pub fn trial_name(scenario: &str, runner: &str, version: WinVersion) -> String {
    format!("{scenario}[{runner}@{version}]")
}

/// Runs `scenario` on `runner` as `version`.
pub fn run_trial(
    scenario: &Scenario,
    runner: &dyn Runner,
    runner_name: &str,
    version: WinVersion,
) -> TrialResult {
    let started = Instant::now();
    let mut result = TrialResult {
        name: trial_name(&scenario.id, runner_name, version),
        scenario: scenario.id.clone(),
        file: scenario.file.display().to_string(),
        runner: runner_name.to_string(),
        version,
        outcome: Outcome::Pass,
        reason: None,
        steps: Vec::new(),
        duration_us: 0,
    };
    let start = ScenarioStart {
        scenario: scenario.id.clone(),
        version,
    };
    match runner.start(&start) {
        Err(e) => {
            result.outcome = runner_outcome(&e);
            result.reason = Some(e.to_string());
        }
        Ok(exec) => {
            let mut t = TrialRun {
                exec,
                version,
                overlay: crate::profile::Overlay::for_trial(
                    runner.info().profile.as_deref(),
                    scenario,
                ),
                bindings: Bindings::default(),
                records: Vec::new(),
            };
            let stop = t.steps(&scenario.steps, None);
            let finish = t.exec.finish();
            result.steps = t.records;
            result.outcome = combine(result.steps.iter().map(|s| s.verdict.outcome()));
            if let Some(e) = stop.err().or(finish.err()) {
                result.outcome = runner_outcome(&e);
                result.reason = Some(e.to_string());
            } else if result.outcome == Outcome::Error {
                result.reason = result.steps.iter().find_map(|s| match &s.verdict {
                    StepVerdict::Error(why) => Some(why.clone()),
                    _ => None,
                });
            }
        }
    }
    result.duration_us = started.elapsed().as_micros() as u64;
    result
}

/// A trial that cannot run on this runner (skip) or whose runner failed to start.
pub fn not_run(
    scenario: &Scenario,
    runner_name: &str,
    version: WinVersion,
    outcome: Outcome,
    reason: String,
) -> TrialResult {
    TrialResult {
        name: trial_name(&scenario.id, runner_name, version),
        scenario: scenario.id.clone(),
        file: scenario.file.display().to_string(),
        runner: runner_name.to_string(),
        version,
        outcome,
        reason: Some(reason),
        steps: Vec::new(),
        duration_us: 0,
    }
}

fn runner_outcome(e: &RunnerError) -> Outcome {
    match e {
        RunnerError::Crashed { .. } => Outcome::Crashed,
        RunnerError::Timeout { .. } => Outcome::Timeout,
        _ => Outcome::Error,
    }
}

struct TrialRun {
    exec: Box<dyn Execution>,
    version: WinVersion,
    /// Expectations of another engine build (`--profile`, spec 15.8).
    overlay: Option<crate::profile::Overlay>,
    bindings: Bindings,
    records: Vec<StepRecord>,
}

/// Why the trial stopped early: the runner failed, or a fixture step did not succeed.
enum Stop {
    Runner(RunnerError),
    Fixture,
}

impl TrialRun {
    /// Runs steps in order; Err only when the runner itself failed.
    fn steps(&mut self, steps: &[Step], item: Option<&str>) -> Result<(), RunnerError> {
        for step in steps {
            match self.step(step, item) {
                Ok(()) => {}
                Err(Stop::Fixture) => return Ok(()),
                Err(Stop::Runner(e)) => return Err(e),
            }
        }
        Ok(())
    }

    fn step(&mut self, step: &Step, item: Option<&str>) -> Result<(), Stop> {
        match &step.kind {
            StepKind::Call(c) => self.call_step(step, c, item),
            StepKind::ForEach(f) => self.for_each(step, f),
        }
    }

    fn for_each(&mut self, _step: &Step, f: &ForEach) -> Result<(), Stop> {
        let items = match self.bindings.get(&f.list) {
            Ok(Value::List(items)) => items.clone(),
            Ok(other) => {
                return self.error_without_call(
                    _step,
                    None,
                    format!("${} holds {other:?}, not a list", f.list),
                );
            }
            Err(why) => return self.error_without_call(_step, None, why),
        };
        for it in items {
            self.bindings.set(&f.item, Value::Text(it.clone()));
            let shown = relativize(self.exec.sandbox(), &it);
            for s in &f.body {
                self.step(s, Some(&shown))?;
            }
        }
        Ok(())
    }

    fn error_without_call(
        &mut self,
        step: &Step,
        c: Option<&CallStep>,
        why: String,
    ) -> Result<(), Stop> {
        let function = c
            .map(|c| c.function)
            .unwrap_or(jetconform_interface::Function::fault);
        self.records.push(StepRecord {
            step: step.number,
            fixture: step.fixture.clone(),
            file: step.location.file.display().to_string(),
            line: step.location.line,
            col: step.location.col,
            function,
            call: c
                .map(|c| c.function.name().to_string())
                .unwrap_or_else(|| "for_each".into()),
            item: None,
            iterations: 0,
            expected: c.and_then(|c| self.expected_record(c)),
            observed: None,
            verdict: StepVerdict::Error(why),
        });
        if step.fixture.is_some() {
            Err(Stop::Fixture)
        } else {
            Ok(())
        }
    }

    fn call_step(&mut self, step: &Step, c: &CallStep, item: Option<&str>) -> Result<(), Stop> {
        let args = match resolve_all(&c.args, &self.bindings) {
            Ok(a) => a,
            Err(why) => {
                self.unbind(c, &why);
                return self.error_without_call(step, Some(c), why);
            }
        };
        let call = Call {
            function: c.function,
            args,
        };
        let shown_call = display::call(&call, Some(&c.args));
        let Some(expected) = self.expectation(c) else {
            return self.error_without_call(
                step,
                Some(c),
                format!("no expectation for {}", self.version),
            );
        };
        let max = c.repeat.as_ref().map(|r| r.max).unwrap_or(1);
        let mut sums: Vec<i64> = vec![0; c.repeat.as_ref().map(|r| r.sum.len()).unwrap_or(0)];
        let mut iterations = 0u32;
        let (obs, verdict) = loop {
            iterations += 1;
            let obs = self.exec.call(&call).map_err(|e| {
                let during = Some(format!("step {} ({})", step.number, call.function));
                Stop::Runner(match e {
                    RunnerError::Crashed { detail, .. } => RunnerError::Crashed { detail, during },
                    RunnerError::Timeout { seconds, .. } => {
                        RunnerError::Timeout { seconds, during }
                    }
                    other => other,
                })
            })?;
            let check_fail = failures(&c.checks, &obs, &self.bindings, self.exec.sandbox());
            let verdict = judge(&expected, &obs, &check_fail, step.fixture.is_some());
            let Some(rep) = &c.repeat else {
                break (obs, verdict);
            };
            for (i, (out, _)) in rep.sum.iter().enumerate() {
                sums[i] += number(obs.outputs.get(out)).unwrap_or(0);
            }
            let done = rep
                .until
                .iter()
                .all(|(out, want)| number(obs.outputs.get(out)) == Some(*want));
            if !matches!(verdict, StepVerdict::Pass | StepVerdict::Unknown) || done {
                break (obs, verdict);
            }
            if iterations >= max {
                let why = format!("repeat: the until condition did not hold after {max} calls");
                break (obs, StepVerdict::Fail(why));
            }
        };
        if let Some(rep) = &c.repeat {
            for ((_, name), total) in rep.sum.iter().zip(&sums) {
                self.bindings.set(name, Value::U32(*total as u32));
            }
        }
        self.bind_outputs(c, &obs);
        let in_fixture = step.fixture.is_some();
        let failed = !matches!(verdict, StepVerdict::Pass | StepVerdict::Unknown);
        self.records.push(StepRecord {
            step: step.number,
            fixture: step.fixture.clone(),
            file: step.location.file.display().to_string(),
            line: step.location.line,
            col: step.location.col,
            function: c.function,
            call: shown_call,
            item: item.map(str::to_string),
            iterations,
            expected: self.expected_record(c),
            observed: Some(obs),
            verdict,
        });
        if in_fixture && failed {
            return Err(Stop::Fixture);
        }
        Ok(())
    }

    fn bind_outputs(&mut self, c: &CallStep, obs: &Observation) {
        for (out, name) in &c.bind {
            match obs.outputs.get(out).and_then(value_of) {
                Some(v) => self.bindings.set(name, v),
                None => {
                    let why = match (&obs.result, obs.outputs.get(out)) {
                        (CallResult::Returned(code), Some(OutValue::Unwritten)) => {
                            format!("{} returned {code} and did not write {out}", c.function)
                        }
                        (r, _) => format!("{} did not report {out} ({r:?})", c.function),
                    };
                    self.bindings.set_missing(name, why);
                }
            }
        }
    }

    fn unbind(&mut self, c: &CallStep, why: &str) {
        for (_, name) in &c.bind {
            self.bindings
                .set_missing(name, format!("{} was not called: {why}", c.function));
        }
    }
}

fn value_of(v: &OutValue) -> Option<Value> {
    Some(match v {
        OutValue::Handle(h) => Value::Handle(*h),
        OutValue::U32(x) => Value::U32(*x),
        OutValue::I32(x) => Value::I32(*x),
        OutValue::Bytes(n) => Value::U32(*n as u32),
        OutValue::Strings { items, .. } => Value::List(items.clone()),
        OutValue::LogInfo(li) => Value::LogInfo(li.clone()),
        _ => return None,
    })
}

fn number(v: Option<&OutValue>) -> Option<i64> {
    match v? {
        OutValue::Handle(h) => Some(*h as i64),
        OutValue::U32(x) => Some(*x as i64),
        OutValue::I32(x) => Some(*x as i64),
        OutValue::Bytes(x) => Some(*x as i64),
        _ => None,
    }
}

impl TrialRun {
    /// The step's expectation for this trial's version, through the build overlay.
    fn expectation<'a>(
        &self,
        c: &'a CallStep,
    ) -> Option<std::borrow::Cow<'a, crate::scenario::model::Expected>> {
        let e = c.expect.for_version(self.version)?;
        Some(match &self.overlay {
            Some(o) => o.apply(e),
            None => std::borrow::Cow::Borrowed(e),
        })
    }

    fn expected_record(&self, c: &CallStep) -> Option<ExpectedRecord> {
        expected_record(self.expectation(c)?.as_ref())
    }
}

fn expected_record(e: &crate::scenario::model::Expected) -> Option<ExpectedRecord> {
    let (outcome, code) = match &e.outcome {
        ExpectedOutcome::Code(code) => (code.to_string(), Some(code.0)),
        ExpectedOutcome::Unknown => ("unknown".to_string(), None),
        ExpectedOutcome::NotExported => ("not_exported".to_string(), None),
    };
    Some(ExpectedRecord {
        outcome,
        code,
        provenance: e.provenance.clone(),
        note: e.note.clone(),
        line: e.location.line,
    })
}
