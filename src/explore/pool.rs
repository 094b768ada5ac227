//! Sequences run ahead on worker threads, as `run` runs trials: each worker generates the next
//! sequence of the seed, makes its plan (`plans`, whose steps the workers share), runs it on both
//! runners (`Pair::run_here`) and hands the outcome
//! back; the caller takes the outcomes in sequence order whatever order they finish in, so
//! that a seed explores the same sequences, finds the same differences and shrinks them in
//! the same order on any number of workers.

use super::generator::{self, Sequence};
use super::lockstep::Outcome;
use super::plans::Plans;
use super::{Budget, Options};
use crate::explore::lockstep::Pair;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// A generated sequence and its outcome (`None` for an empty sequence, which is not run).
/// When both runners agreed, the sequence's steps and the trials' steps have been freed
/// (`settled_here`): only the counts are left to read.
pub struct Ran {
    pub index: u64,
    pub sequence: Sequence,
    pub run: Option<Result<Outcome, String>>,
}

/// Outcomes per worker that may wait for `each`. One was too few on a loaded machine: a
/// worker that finished while this thread was not scheduled blocked on the channel and gave
/// up its turn on a core; the outcomes waiting are small (`settled_here`).
const AHEAD: usize = 16;

/// Frees the steps of a sequence without difference and of its trials here, on the worker
/// whose allocations they are: of such an outcome the caller reads the counts only, and the
/// caller is the one thread every outcome goes through (freeing them there, in another
/// thread's memory, was about two fifths of that thread's work in a profile, and made it wait
/// for the workers' allocator).
fn settled_here(ran: &mut Ran) {
    if let Some(Ok(o)) = &mut ran.run {
        if o.difference.is_none() {
            o.a.steps = Vec::new();
            o.b.steps = Vec::new();
            ran.sequence.steps = Vec::new();
        }
    }
}

/// Runs sequences 0, 1, 2, ... of `o.seed` on `o.jobs` workers until the budget is spent or
/// `each` returns false, and gives each to `each` in order on this thread. Workers run at most
/// `AHEAD` sequences each ahead of `each` (a bounded channel): while `each` shrinks a
/// difference, they wait rather than pile outcomes up.
pub fn run_in_order(pair: &Pair, o: &Options, started: Instant, mut each: impl FnMut(Ran) -> bool) {
    let jobs = o.jobs.max(1);
    let next = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let plans = Plans::new(pair.versions());
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Ran>(jobs * AHEAD);
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, stop, plans) = (&next, &stop, &plans);
            scope.spawn(move || loop {
                // A time budget stops new sequences; those started finish and are counted
                // only if `each` still wants them.
                let out_of_time = matches!(o.budget, Budget::Time(t) if started.elapsed() >= t);
                if stop.load(Ordering::Relaxed) || out_of_time {
                    break;
                }
                let index = next.fetch_add(1, Ordering::Relaxed);
                if matches!(o.budget, Budget::Sequences(n) if index >= n) {
                    break;
                }
                let sequence = generator::generate(o.seed, index, &o.generator);
                let run = (!sequence.steps.is_empty()).then(|| pair.run_here(&sequence, plans));
                let mut ran = Ran {
                    index,
                    sequence,
                    run,
                };
                settled_here(&mut ran);
                if tx.send(ran).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        // Outcomes that finished before an earlier one, by index.
        let mut waiting: BTreeMap<u64, Ran> = BTreeMap::new();
        let mut expected = 0u64;
        'receive: for ran in &rx {
            waiting.insert(ran.index, ran);
            while let Some(ran) = waiting.remove(&expected) {
                expected += 1;
                if !each(ran) {
                    break 'receive;
                }
            }
        }
        // Workers waiting to send get an error and end; those running a sequence end
        // after it.
        stop.store(true, Ordering::Relaxed);
        drop(rx);
    });
}
