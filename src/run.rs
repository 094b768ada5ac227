//! Executes planned trials on a pool of worker threads; results come back in plan order.

use crate::exec::{not_run, run_trial, TrialResult};
use crate::plan::PlannedTrial;
use crate::runners::RunnerEntry;
use crate::scenario::model::Scenario;
use crate::verdict::Outcome;
use rayon::prelude::*;

/// Every trial's full result, for callers that want all of them.
pub fn execute(
    trials: &[PlannedTrial],
    scenarios: &[Scenario],
    runners: &[RunnerEntry],
    jobs: usize,
    on_done: &(dyn Fn(&TrialResult) + Sync),
) -> Vec<TrialResult> {
    execute_map(trials, scenarios, runners, jobs, |r| {
        on_done(&r);
        r
    })
}

/// Like `execute`, but each trial's result goes through `keep` on its worker as soon as the
/// trial ends, and only what `keep` returns is kept. A full result holds every step's call
/// and observation; a large run that keeps them all until the end runs out of memory, while
/// its outputs mostly need a few bytes per trial.
pub fn execute_map<T, F>(
    trials: &[PlannedTrial],
    scenarios: &[Scenario],
    runners: &[RunnerEntry],
    jobs: usize,
    keep: F,
) -> Vec<T>
where
    T: Send,
    F: Fn(TrialResult) -> T + Sync,
{
    let one = |t: &PlannedTrial| {
        let s = &scenarios[t.scenario];
        let r = &runners[t.runner];
        let result = match &t.skip {
            Some(why) => not_run(s, &r.name, t.version, Outcome::Skip, why.clone()),
            None => run_trial(s, r.runner.as_ref(), &r.name, t.version),
        };
        keep(result)
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
    {
        Ok(pool) => pool.install(|| trials.par_iter().map(one).collect()),
        // A pool that cannot be built (thread limits) still lets the run finish, serially.
        Err(_) => trials.iter().map(one).collect(),
    }
}
