//! A run session: the planned trials of some scenarios on some runners, executed on a pool
//! of worker threads (on the calling thread itself for one job). Each finished trial goes
//! over a channel to the calling thread, which hands it to every sink (after the baseline's judgement, when there is one). The CLI's
//! `run`, `report`, `diff`, the corpus test and the benches all run trials through here.

use crate::baseline::{Baseline, Judgement, RunJudge};
use crate::exec::{not_run, run_trial_with, trial_name, Limits, StepDetail};
use crate::output::sink::{Collect, RunEnd, Sink, SinkError, TrialEvent};
use crate::output::Summary;
use crate::partition::Partition;
use crate::plan::{plan, PlannedTrial, VersionFilter};
use crate::results::Trial;
use crate::runners::RunnerEntry;
use crate::scenario::model::Scenario;
use crate::verdict::Outcome;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Scenarios x runners x versions, planned (and sliced by a partition).
pub struct Session<'a> {
    pub scenarios: &'a [Scenario],
    pub runners: Vec<RunnerEntry>,
    pub trials: Vec<PlannedTrial>,
    /// What each trial may copy and write (`--max-write`).
    pub limits: Limits,
}

/// How a session executes.
pub struct RunOptions<'a> {
    /// Worker threads.
    pub jobs: usize,
    pub baseline: Option<&'a Baseline>,
    /// When the run started, for the seconds the outputs print.
    pub started: Instant,
}

impl RunOptions<'_> {
    /// One worker per core, no baseline.
    pub fn default_jobs() -> usize {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    }
}

/// What a run came to, beside what its sinks wrote.
pub struct RunSummary {
    pub summary: Summary,
    /// The baseline's judgement, when the run had a baseline.
    pub judgement: Option<Judgement>,
    /// Some trial failed and the baseline does not know it, or the baseline disagrees.
    pub failed: bool,
    /// Sinks that could not write their output.
    pub sink_errors: Vec<SinkError>,
    /// The signal that interrupted the run (`crate::interrupt`): the outputs hold the trials
    /// finished before it.
    pub interrupted: Option<i32>,
}

impl<'a> Session<'a> {
    /// Plans every trial of `scenarios` on `runners` for the versions `filter` asks for;
    /// with a partition, only its slice.
    pub fn plan(
        scenarios: &'a [Scenario],
        runners: Vec<RunnerEntry>,
        filter: VersionFilter,
        partition: Option<Partition>,
    ) -> Session<'a> {
        let infos: Vec<_> = runners.iter().map(|r| r.info.clone()).collect();
        let mut session = Session {
            scenarios,
            runners,
            trials: plan(scenarios, &infos, filter),
            limits: Limits::default(),
        };
        if let Some(p) = partition {
            let trials = std::mem::take(&mut session.trials);
            session.trials = p.select(trials, |t| session.trial_name(t));
        }
        session
    }

    /// `scenario[runner@version]`.
    pub fn trial_name(&self, t: &PlannedTrial) -> String {
        trial_name(
            &self.scenarios[t.scenario].id,
            &self.runners[t.runner].name,
            t.version,
        )
    }

    /// Runs one planned trial (a planned skip is not run), recording every step.
    pub fn run_one(&self, t: &PlannedTrial) -> Trial {
        self.run_with(t, StepDetail::Every)
    }

    fn run_with(&self, t: &PlannedTrial, detail: StepDetail) -> Trial {
        let s = &self.scenarios[t.scenario];
        let r = &self.runners[t.runner];
        match &t.skip {
            Some(why) => not_run(s, &r.name, t.version, Outcome::Skip, why.clone()),
            None => run_trial_with(
                s,
                r.runner.as_ref(),
                &r.name,
                t.version,
                self.limits,
                detail,
            ),
        }
    }

    /// Runs every trial on `x.jobs` workers and hands each to every sink, in that order,
    /// on this thread; then ends every sink.
    pub fn execute(&self, x: &RunOptions, sinks: &mut [&mut dyn Sink]) -> RunSummary {
        let mut judge = x.baseline.map(RunJudge::new);
        let mut outcomes = Vec::with_capacity(self.trials.len());
        let mut failed = false;
        let keepers: Vec<usize> = (0..sinks.len())
            .filter(|&i| sinks[i].keeps_whole())
            .collect();
        let detail = match sinks.iter().any(|s| s.reads_passing_steps()) {
            true => StepDetail::Every,
            false => StepDetail::NotPassing,
        };
        self.each_trial(x.jobs, detail, |index, trial| {
            let known = judge.as_mut().is_some_and(|j| j.trial(index, &trial));
            failed |= trial.outcome.is_failure() && !known;
            outcomes.push((trial.outcome, known));
            let event = TrialEvent {
                index,
                trial: &trial,
                known,
            };
            for s in sinks.iter_mut() {
                s.trial(&event);
            }
            if let Some((&last, others)) = keepers.split_last() {
                for &k in others {
                    sinks[k].keep(index, trial.clone());
                }
                sinks[last].keep(index, trial);
            }
        });
        let ran = outcomes.len();
        let summary = match x.baseline {
            Some(_) => Summary::with_baseline(outcomes),
            None => Summary::of_outcomes(outcomes.into_iter().map(|(o, _)| o)),
        };
        let judgement = judge.map(RunJudge::finish);
        failed |= judgement.as_ref().is_some_and(|j| !j.problems.is_empty());
        let interrupted = crate::interrupt::received();
        let why = interrupted.map(|s| {
            format!(
                "interrupted by {}: {ran} of {} planned trials ran",
                crate::interrupt::name(s),
                self.trials.len()
            )
        });
        let end = RunEnd {
            summary: &summary,
            seconds: x.started.elapsed().as_secs_f64(),
            baseline: judgement.as_ref(),
            interrupted: why.as_deref(),
        };
        let sink_errors = sinks.iter_mut().filter_map(|s| s.end(&end).err()).collect();
        RunSummary {
            summary,
            judgement,
            failed,
            sink_errors,
            interrupted,
        }
    }

    /// Every trial whole, in plan order.
    pub fn collect(&self, jobs: usize) -> Vec<Trial> {
        let mut all = Collect::default();
        self.execute(
            &RunOptions {
                jobs,
                baseline: None,
                started: Instant::now(),
            },
            &mut [&mut all],
        );
        all.into_trials()
    }

    /// Runs the trials on `jobs` workers, which take them in plan order; `done` gets each
    /// (with its index in the plan) on this thread as it ends. After a signal
    /// (`crate::interrupt`) no trial starts, and trials that end are dropped: their runners
    /// were killed under them.
    fn each_trial(&self, jobs: usize, detail: StepDetail, mut done: impl FnMut(usize, Trial)) {
        let workers = worker_count(jobs, self.trials.len());
        if workers == 1 {
            // One job runs on this thread: handing each trial over to it would cost a thread
            // wake-up per trial (about a tenth of a no-op step's cost, in the bench).
            for (i, t) in self.trials.iter().enumerate() {
                if crate::interrupt::received().is_some() {
                    break;
                }
                let trial = self.run_with(t, detail);
                if crate::interrupt::received().is_none() {
                    done(i, trial);
                }
            }
            return;
        }
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            // Bounded: workers wait rather than pile finished trials up when the sinks are
            // slower than they are.
            let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Trial)>(workers * 2);
            for _ in 0..workers {
                let tx = tx.clone();
                let next = &next;
                scope.spawn(move || loop {
                    if crate::interrupt::received().is_some() {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(t) = self.trials.get(i) else { break };
                    if tx.send((i, self.run_with(t, detail))).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            for (i, trial) in rx {
                if crate::interrupt::received().is_none() {
                    done(i, trial);
                }
            }
        });
    }
}

/// Workers for `jobs` asked and `trials` planned: never more than there are trials (a thread
/// each would only wait), and at least one.
fn worker_count(jobs: usize, trials: usize) -> usize {
    jobs.clamp(1, trials.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::output::sink::Collect;
    use crate::results::Step;

    #[test]
    fn never_more_workers_than_trials() {
        assert_eq!(worker_count(1024, 8), 8);
        assert_eq!(worker_count(4, 8), 4);
        assert_eq!(worker_count(4, 0), 1);
        assert_eq!(worker_count(0, 8), 1);
    }

    /// The mock refuses both calls: the first step passes, the second fails.
    const PASS_THEN_FAIL: &str = r#"
title = "A passing step, then a failing one"
description = "For what the record keeps of each."
evidence = ["spec 4.2"]
versions = "win10"
provenance = "source"

[[step]]
call = "JetBeginExternalBackup"
grbit = 0
expect = "JET_errInvalidParameter"

[[step]]
call = "JetBeginExternalBackup"
grbit = 0
expect = "JET_errSuccess"
"#;

    /// Sees every step, and says it reads only the ones that did not pass.
    #[derive(Default)]
    struct NotPassingOnly(Vec<Step>);

    impl Sink for NotPassingOnly {
        fn trial(&mut self, e: &TrialEvent) {
            self.0.extend(e.trial.steps.iter().cloned());
        }
        fn reads_passing_steps(&self) -> bool {
            false
        }
        fn end(&mut self, _: &RunEnd) -> Result<(), SinkError> {
            Ok(())
        }
    }

    /// The steps `NotPassingOnly` saw, with a `Collect` beside it or not.
    fn steps_seen(with_collect: bool) -> Vec<Step> {
        let path = std::path::Path::new("pass-then-fail.toml");
        let (scenario, diags) = crate::scenario::load_text(path, "p".into(), PASS_THEN_FAIL.into());
        assert!(diags.is_empty(), "{diags:?}");
        let scenarios = vec![scenario.expect("loads")];
        let runners = vec![crate::runners::build("mock").expect("mock")];
        let session = Session::plan(&scenarios, runners, VersionFilter::Applicable, None);
        let (mut seen, mut all) = (NotPassingOnly::default(), Collect::default());
        let options = RunOptions {
            jobs: 1,
            baseline: None,
            started: Instant::now(),
        };
        match with_collect {
            true => session.execute(&options, &mut [&mut seen, &mut all]),
            false => session.execute(&options, &mut [&mut seen]),
        };
        assert_eq!(seen.0.len(), 2);
        seen.0
    }

    #[test]
    fn passing_steps_are_recorded_without_text_when_no_sink_reads_them() {
        let steps = steps_seen(false);
        let (pass, fail) = (&steps[0], &steps[1]);
        assert_eq!(pass.verdict, crate::results::StepOutcome::Pass);
        assert_eq!(pass.call, "");
        assert_eq!(pass.expected, None);
        assert_eq!(pass.file, "");
        assert!(pass.observed.is_some(), "the observation stays");
        assert_eq!((pass.step, pass.line), (1, 9), "and where the step is");
        assert_eq!(fail.file, "pass-then-fail.toml");
        assert_eq!(fail.verdict, crate::results::StepOutcome::Fail);
        assert!(
            fail.call.starts_with("JetBeginExternalBackup("),
            "{}",
            fail.call
        );
        assert!(fail.expected.is_some());
    }

    #[test]
    fn passing_steps_keep_their_text_when_a_sink_reads_them() {
        let steps = steps_seen(true);
        assert!(steps[0].call.starts_with("JetBeginExternalBackup("));
        assert!(steps[0].expected.is_some());
        assert_eq!(steps[0].file, "pass-then-fail.toml");
    }
}
