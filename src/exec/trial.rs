//! Runs one trial: drives a runner through a scenario's steps one call at a time, binds
//! outputs, evaluates checks, and asks the verdict about each step.

use super::args::resolve_into;
use super::bindings::Bindings;
use super::caps::{self, Budget, Limits};
use super::display;
use crate::results::{Expected, Step as StepRecord, StepOutcome, Trial};
use crate::sandbox::relativize;
use crate::scenario::model::{CallStep, ExpectedOutcome, ForEach, Scenario, Step, StepKind, Value};
use crate::verdict::{combine, judge_step, Failure, Next, Outcome, StepVerdict, Tally};
use jetconform_interface::{
    Call, CallResult, Execution, Observation, OutValue, Runner, RunnerError, ScenarioStart,
    WinVersion,
};
use std::time::Instant;

pub fn trial_name(scenario: &str, runner: &str, version: WinVersion) -> String {
    format!("{scenario}[{runner}@{version}]")
}

/// What a trial's record holds of the steps that passed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum StepDetail {
    /// Everything: the call as text and the expectation, as for any step.
    Every,
    /// No call text, no file name (both empty) and no expectation: for runs whose outputs
    /// show only the steps that did not pass, where making them was two thirds of the cost
    /// of running a step. The rest (step number, fixture, line and column, function,
    /// iterations, observation, verdict) is kept.
    NotPassing,
}

/// Runs `scenario` on `runner` as `version`, with the default limits, recording every step.
pub fn run_trial(
    scenario: &Scenario,
    runner: &dyn Runner,
    runner_name: &str,
    version: WinVersion,
) -> Trial {
    run_trial_with(
        scenario,
        runner,
        runner_name,
        version,
        Limits::default(),
        StepDetail::Every,
    )
}

/// Runs `scenario` on `runner` as `version`, within `limits`, recording passing steps with
/// `detail`.
pub fn run_trial_with(
    scenario: &Scenario,
    runner: &dyn Runner,
    runner_name: &str,
    version: WinVersion,
    limits: Limits,
    detail: StepDetail,
) -> Trial {
    let started = Instant::now();
    let mut result = Trial {
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
                records: Vec::with_capacity(scenario.steps.len()),
                budget: Budget::new(limits),
                detail,
                files: Vec::new(),
                spare_args: Vec::new(),
            };
            let stop = t.steps(&scenario.steps, None);
            let finish = t.exec.finish();
            result.steps = t.records;
            result.outcome = combine(result.steps.iter().map(|s| s.verdict.outcome()));
            if let Some(e) = stop.err().or(finish.err()) {
                result.outcome = runner_outcome(&e);
                result.reason = Some(e.to_string());
            } else if result.outcome == Outcome::Error {
                result.reason = result
                    .steps
                    .iter()
                    .find(|s| s.verdict == StepOutcome::Error)
                    .and_then(|s| s.reason.clone());
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
) -> Trial {
    Trial {
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
    /// What the trial copied and wrote, against its limits.
    budget: Budget,
    detail: StepDetail,
    /// Each step file's name as text, made once per trial rather than once per step.
    files: Vec<(std::sync::Arc<std::path::PathBuf>, String)>,
    /// The list the last call's arguments were in, kept for the next call's: one list per
    /// trial rather than one per step.
    spare_args: Vec<jetconform_interface::Arg>,
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
        self.record_without_call(step, c, StepVerdict::Error(Failure::NotRun(why)))
    }

    fn record_without_call(
        &mut self,
        step: &Step,
        c: Option<&CallStep>,
        verdict: StepVerdict,
    ) -> Result<(), Stop> {
        let function = c
            .map(|c| c.function)
            .unwrap_or(jetconform_interface::Function::fault);
        let call = c
            .map(|c| c.function.name().to_string())
            .unwrap_or_else(|| "for_each".into());
        let expected = c.and_then(|c| self.expected_record(c));
        let record = self.step_record(step, function, call, verdict, true);
        self.records.push(StepRecord { expected, ..record });
        if step.fixture.is_some() {
            Err(Stop::Fixture)
        } else {
            Ok(())
        }
    }

    fn call_step(&mut self, step: &Step, c: &CallStep, item: Option<&str>) -> Result<(), Stop> {
        let mut args = std::mem::take(&mut self.spare_args);
        match resolve_into(&c.args, &self.bindings, &mut args) {
            Ok(()) => {}
            Err(why) => {
                self.unbind(c, &why);
                return self.error_without_call(step, Some(c), why);
            }
        };
        let call = Call {
            function: c.function,
            args,
        };
        let Some(expected) = self.expectation(c) else {
            return self.error_without_call(
                step,
                Some(c),
                format!("no expectation for {}", self.version),
            );
        };
        let in_fixture = step.fixture.is_some();
        let failed = |f: Failure| match in_fixture {
            true => StepVerdict::Error(Failure::Fixture(Box::new(f))),
            false => StepVerdict::Fail(f),
        };
        if let Some(f) = self.budget.before(&call) {
            self.unbind(c, &f.to_string());
            return self.record_without_call(step, Some(c), failed(f));
        }
        let mut tally = Tally::new(c.repeat.as_ref());
        // Bytes the calls of this step delivered, for the limit on a repeat that copies.
        let mut copied = 0;
        let (obs, verdict) = loop {
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
            let sandbox = self.exec.sandbox();
            let verdict = judge_step(
                &expected,
                &c.checks,
                &obs,
                &self.bindings,
                sandbox,
                in_fixture,
            );
            let verdict = match caps::contract(&call, &obs) {
                Some(f) if verdict.is_ok() => failed(f),
                _ => verdict,
            };
            let capped = self.budget.after(&call, &obs, &mut copied);
            match (tally.after(verdict, &obs), capped) {
                (_, Some(f)) => break (obs, failed(f)),
                (Next::Again, None) => continue,
                (Next::Done(verdict), None) => break (obs, verdict),
            }
        };
        for (name, total) in tally.sums() {
            self.bindings.set(name, Value::U32(total as u32));
        }
        self.bind_outputs(c, &obs);
        let failed = !verdict.is_ok();
        let lean = self.detail == StepDetail::NotPassing && verdict == StepVerdict::Pass;
        let (shown_call, expected) = match lean {
            true => (String::new(), None),
            false => (display::call(&call, Some(&c.args)), self.expected_record(c)),
        };
        let record = self.step_record(step, c.function, shown_call, verdict, !lean);
        self.records.push(StepRecord {
            item: item.map(str::to_string),
            iterations: tally.iterations,
            expected,
            observed: Some(obs),
            ..record
        });
        self.spare_args = call.args;
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

impl TrialRun {
    /// The record of a step: where it is written, what was called and the verdict; no item,
    /// no call made, no expectation (the caller fills in what it has).
    fn step_record(
        &mut self,
        step: &Step,
        function: jetconform_interface::Function,
        call: String,
        verdict: StepVerdict,
        with_file: bool,
    ) -> StepRecord {
        let (verdict, reason) = verdict.into_parts();
        StepRecord {
            step: step.number,
            fixture: step.fixture.clone(),
            file: match with_file {
                true => self.file_text(&step.location.file),
                false => String::new(),
            },
            line: step.location.line,
            col: step.location.col,
            function: function.name().into(),
            call,
            item: None,
            iterations: 0,
            expected: None,
            observed: None,
            verdict,
            reason,
        }
    }

    /// `file` as text: a trial's steps come from one or two files (its own and a fixture).
    fn file_text(&mut self, file: &std::sync::Arc<std::path::PathBuf>) -> String {
        if let Some((_, text)) = self
            .files
            .iter()
            .find(|(f, _)| std::sync::Arc::ptr_eq(f, file))
        {
            return text.clone();
        }
        let text = file.display().to_string();
        self.files.push((file.clone(), text.clone()));
        text
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

    fn expected_record(&self, c: &CallStep) -> Option<Expected> {
        expected_record(self.expectation(c)?.as_ref())
    }
}

fn expected_record(e: &crate::scenario::model::Expected) -> Option<Expected> {
    let code = match &e.outcome {
        ExpectedOutcome::Code(code) => Some(code.0),
        _ => None,
    };
    let any_of = match &e.outcome {
        ExpectedOutcome::AnyOf(codes) => codes.iter().map(|c| c.0).collect(),
        _ => Vec::new(),
    };
    Some(Expected {
        outcome: e.outcome.to_string(),
        code,
        any_of,
        provenance: e.provenance.clone(),
        note: e.note.clone(),
        line: e.location.line,
    })
}
