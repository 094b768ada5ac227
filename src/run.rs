//! Executes planned trials on a pool of worker threads; results come back in plan order.

use crate::exec::{not_run, run_trial, TrialResult};
use crate::plan::PlannedTrial;
use crate::runners::RunnerEntry;
use crate::scenario::model::Scenario;
use crate::verdict::Outcome;
use rayon::prelude::*;

pub fn execute(
    trials: &[PlannedTrial],
    scenarios: &[Scenario],
    runners: &[RunnerEntry],
    jobs: usize,
    on_done: &(dyn Fn(&TrialResult) + Sync),
) -> Vec<TrialResult> {
    let one = |t: &PlannedTrial| {
        let s = &scenarios[t.scenario];
        let r = &runners[t.runner];
        let result = match &t.skip {
            Some(why) => not_run(s, &r.name, t.version, Outcome::Skip, why.clone()),
            None => run_trial(s, r.runner.as_ref(), &r.name, t.version),
        };
        on_done(&result);
        result
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
