//! `jetconform explore`: differential testing of two runners with generated call sequences.
//! generate (from the state model, `generator`) -> run on both runners in lockstep
//! (`lockstep`, through the executor of `run`, on worker threads: `pool`) -> compare (`compare`) -> shrink (`shrink`)
//! -> reproduce on a fresh run -> write a scenario (`write`). Differences are counted once
//! per signature (function, model state, code pair); those the corpus already documents
//! between the two versions are counted, not written.

pub mod compare;
pub mod forms;
pub mod generator;
pub mod lockstep;
pub mod plans;
pub mod pool;
pub mod sequence;
pub mod setups;
pub mod shrink;
pub mod write;

use crate::scenario::model::{ExpectedOutcome, Scenario, Step, StepKind};
use compare::Kind;
use generator::{GenOptions, Sequence};
use jetconform_interface::WinVersion;
use lockstep::Pair;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use write::{Expectations, Header};

/// When exploration stops.
#[derive(Copy, Clone, Debug)]
pub enum Budget {
    Time(Duration),
    Sequences(u64),
}

pub struct Options {
    pub seed: u64,
    pub budget: Budget,
    pub generator: GenOptions,
    /// Where found scenarios are written; `None` writes nothing.
    pub out: Option<PathBuf>,
    /// Candidates the shrinker may try per difference.
    pub shrink_budget: usize,
    /// Differences the corpus documents: (function, code pair) -> scenario id.
    pub known: BTreeMap<(String, String), String>,
    /// The command line for `run`, with `FILE` where the found file goes.
    pub reproduce: String,
    /// Worker threads running sequences (`pool`).
    pub jobs: usize,
}

/// One distinct difference.
#[derive(Clone, Debug)]
pub struct Found {
    /// `function | state | code pair`.
    pub signature: String,
    pub function: String,
    pub state: String,
    pub kind: Kind,
    /// The sequence (of this seed) that showed it first.
    pub index: u64,
    /// Steps of the generated sequence up to the difference, and after shrinking.
    pub original_len: usize,
    pub shrunk_len: usize,
    /// Sequences that showed it.
    pub count: u64,
    /// Seconds from the start to the first sequence that showed it.
    pub first_seconds: f64,
    /// The corpus scenario that documents it (then nothing is written).
    pub explained_by: Option<String>,
    /// The file written.
    pub file: Option<PathBuf>,
    /// The shrunk sequence showed the same difference again on a fresh run.
    pub reproduced: bool,
    /// Why it was not written (a problem, not a choice).
    pub problem: Option<String>,
}

/// What an exploration came to.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub sequences: u64,
    /// Calls made by the explored sequences, both runners together.
    pub steps: u64,
    /// Trials run while shrinking and reproducing (two per candidate).
    pub shrink_runs: u64,
    pub seconds: f64,
    pub found: Vec<Found>,
    /// Generated sequences that did not load (a generator bug, reported, not hidden).
    pub invalid: Vec<String>,
}

impl Report {
    /// Distinct differences by function and code pair (model state aside).
    pub fn distinct_pairs(&self) -> usize {
        let mut s: Vec<(String, String)> = self
            .found
            .iter()
            .map(|f| (f.function.clone(), f.kind.class()))
            .collect();
        s.sort();
        s.dedup();
        s.len()
    }
}

/// Progress after each sequence.
pub struct Progress<'a> {
    pub report: &'a Report,
    pub elapsed: Duration,
}

/// Explores until the budget is spent.
pub fn explore(pair: &Pair, o: &Options, mut progress: impl FnMut(&Progress)) -> Report {
    let started = Instant::now();
    let mut report = Report::default();
    pool::run_in_order(pair, o, started, |ran| {
        if matches!(o.budget, Budget::Time(t) if started.elapsed() >= t) {
            return false;
        }
        let pool::Ran {
            index,
            sequence: seq,
            run,
        } = ran;
        let run = match run {
            None => return true,
            Some(Ok(r)) => r,
            Some(Err(e)) => {
                report.invalid.push(format!("sequence {index}: {e}"));
                return true;
            }
        };
        report.sequences += 1;
        report.steps += run.steps as u64;
        if let Some(d) = run.difference.clone() {
            let state = match seq.steps.get(d.index) {
                _ if d.kind.is_availability() => "any".to_string(),
                Some(s) => s.state.clone(),
                None => String::new(),
            };
            let signature = format!("{} | {} | {}", d.function, state, d.kind.class());
            if let Some(f) = report.found.iter_mut().find(|f| f.signature == signature) {
                f.count += 1;
            } else {
                let first_seconds = started.elapsed().as_secs_f64();
                let explained_by = o.known.get(&(d.function.clone(), d.kind.class())).cloned();
                let mut found = Found {
                    signature: signature.clone(),
                    function: d.function.clone(),
                    state,
                    kind: d.kind.clone(),
                    index,
                    original_len: d.index + 1,
                    shrunk_len: d.index + 1,
                    count: 1,
                    first_seconds,
                    explained_by,
                    file: None,
                    reproduced: false,
                    problem: None,
                };
                if found.explained_by.is_none() {
                    settle(pair, o, seq, run, &d, &mut found, &mut report);
                }
                report.found.push(found);
            }
        }
        report.seconds = started.elapsed().as_secs_f64();
        progress(&Progress {
            report: &report,
            elapsed: started.elapsed(),
        });
        true
    });
    report.seconds = started.elapsed().as_secs_f64();
    report
}

/// Shrinks a new difference, reproduces it on a fresh run and writes it.
fn settle(
    pair: &Pair,
    o: &Options,
    seq: Sequence,
    run: lockstep::Outcome,
    d: &compare::Difference,
    found: &mut Found,
    report: &mut Report,
) {
    let shrunk = shrink::shrink(pair, seq, run, d, o.shrink_budget);
    report.shrink_runs += 2 * shrunk.tries as u64;
    found.shrunk_len = shrunk.sequence.steps.len();
    // A fresh run of the shrunk sequence must show the same difference.
    let fresh = match pair.run(&shrunk.sequence) {
        Ok(r) => r,
        Err(e) => {
            found.problem = Some(format!("the shrunk sequence does not load: {e}"));
            return;
        }
    };
    report.shrink_runs += 2;
    let Some(fd) = fresh.difference.clone().filter(|fd| shrink::same(d, fd)) else {
        found.problem = Some("the shrunk sequence did not show the difference again".into());
        return;
    };
    found.reproduced = true;
    let Some(out) = &o.out else { return };
    let name = write::file_name(&fd.function, &found.state, &found.signature);
    let path = out.join(&name);
    let text = found_text(pair, o, &shrunk.sequence, &fresh, &fd, found, &path);
    if let Err(e) = lockstep::load(&text) {
        found.problem = Some(format!("the found scenario does not load: {e}"));
        return;
    }
    if let Err(e) = std::fs::create_dir_all(out).and_then(|_| crate::atomic::write(&path, text)) {
        found.problem = Some(format!("cannot write {}: {e}", path.display()));
        return;
    }
    found.file = Some(path);
}

fn found_text(
    pair: &Pair,
    o: &Options,
    seq: &Sequence,
    run: &lockstep::Outcome,
    d: &compare::Difference,
    found: &Found,
    path: &Path,
) -> String {
    let (na, nb) = (&pair.a.entry.name, &pair.b.entry.name);
    let (va, vb) = (pair.a.version, pair.b.version);
    let sa = write::source_of(&pair.a.entry, va);
    let sb = write::source_of(&pair.b.entry, vb);
    let ra = write::results_at(&run.a, d.index);
    let rb = write::results_at(&run.b, d.index);
    let what = match &d.kind {
        Kind::Code(..) => format!("returns {ra} on {na} ({va}) but {rb} on {nb} ({vb})"),
        Kind::Output { name, a, b } => {
            format!("returns {ra} on both, but {name} is {a} on {na} ({va}) and {b} on {nb} ({vb})")
        }
        Kind::Outcome(a, b) => format!("ends the trial as {a} on {na} and {b} on {nb}"),
    };
    let reproduce = o.reproduce.replace("FILE", &path.display().to_string());
    let title = format!("{} {what}", d.function);
    let description = format!(
        "Found by `jetconform explore`: {}{} (step {}, model state {}) {what}. The \
         expectations are {}'s results{}. Reproduce with `{reproduce}`.",
        match d.index {
            0 => "as the first call, ".to_string(),
            n => format!("after {n} step(s), "),
        },
        d.function,
        d.index + 1,
        found.state,
        na,
        match (&sa.note, va == vb) {
            (Some(n), _) => format!(" ({})", n.trim_start_matches("explore: from ")),
            (None, _) => String::new(),
        }
    );
    let header = Header {
        title,
        description,
        evidence: vec![format!(
            "jetconform explore --seed {} (sequence {}), {na} vs {nb}",
            o.seed, found.index
        )],
        reproduce,
        check: if va == vb {
            write::output_check(&run.a, d)
        } else {
            None
        },
    };
    let mut per_version = vec![(va, Some(&run.a), &sa)];
    if vb != va {
        per_version.push((vb, sb.model.then_some(&run.b), &sb));
    }
    write::render(seq, &Expectations::Found(per_version), Some(&header))
}

/// The differences between versions `a` and `b` the corpus documents: every call step
/// whose expectation differs between them, as (function, code pair) -> scenario id.
pub fn known_differences(
    scenarios: &[Scenario],
    a: WinVersion,
    b: WinVersion,
) -> BTreeMap<(String, String), String> {
    let mut known = BTreeMap::new();
    if a == b {
        return known;
    }
    fn walk(
        steps: &[Step],
        a: WinVersion,
        b: WinVersion,
        id: &str,
        known: &mut BTreeMap<(String, String), String>,
    ) {
        for s in steps {
            match &s.kind {
                StepKind::ForEach(f) => walk(&f.body, a, b, id, known),
                // Harness verbs act on the sandbox: their results are no ESENT behaviour.
                StepKind::Call(c) if c.function.info().is_verb() => {}
                StepKind::Call(c) => {
                    let name = |v: WinVersion| -> Option<String> {
                        match &c.expect.for_version(v)?.outcome {
                            ExpectedOutcome::Code(code) => Some(
                                code.name()
                                    .map(str::to_string)
                                    .unwrap_or_else(|| format!("JET_ERR({})", code.0)),
                            ),
                            ExpectedOutcome::NotExported => Some("not_exported".into()),
                            // No one code: the corpus does not pin this step's result down.
                            ExpectedOutcome::AnyOf(_)
                            | ExpectedOutcome::Success
                            | ExpectedOutcome::Any
                            | ExpectedOutcome::Unknown => None,
                        }
                    };
                    if let (Some(x), Some(y)) = (name(a), name(b)) {
                        if x != y {
                            let class = Kind::Code(x, y).class();
                            known
                                .entry((c.function.name().to_string(), class))
                                .or_insert_with(|| id.to_string());
                        }
                    }
                }
            }
        }
    }
    for s in scenarios {
        if s.versions.contains(a) && s.versions.contains(b) {
            walk(&s.steps, a, b, &s.id, &mut known);
        }
    }
    known
}
