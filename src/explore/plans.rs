//! The executable plan (`Scenario`) of a generated sequence without parsing TOML each time.
//! A sequence is rendered as a scenario and loaded like any file (`lockstep::load`), so that
//! it is validated exactly like a written one; but sequences share most of their steps (the
//! setups, and calls drawn from small sets of arguments), and parsing and resolving the
//! same steps again and again was most of what exploring added to running the trials.
//!
//! So each step, once loaded as part of a sequence, is kept with its call, arguments and
//! bindings and with where the bindings it uses come from (the call and output that bound
//! each, which fix their kinds); a sequence whose every step is kept is assembled from them,
//! each moved to its line, and any other sequence is loaded whole, which keeps its new
//! steps. The loader resolves a step from its own text and the kinds of the bindings it uses
//! alone, so an assembled plan is the one loading would give (`plans_tests.rs` compares
//! them). The workers of one exploration share the steps kept.

use super::generator::{GenStep, Sequence};
use super::lockstep::load;
use super::write::{head, step_text, Expectations};
use crate::scenario::model::{Scenario, Step, StepKind};
use jetconform_interface::WinVersion;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Steps kept at most; past this the cache starts again (generated steps come from small
/// sets of values, so a long run stays far below it).
const MOST_KEPT: usize = 50_000;

/// A step as loaded, and what it was loaded from.
struct Kept {
    call: String,
    args: Vec<(String, String)>,
    bind: Vec<(String, String)>,
    /// Per binding used, in the order used: the call and output that bound it.
    origins: Vec<(String, String)>,
    step: Step,
    /// Lines of text before the step where it was loaded, and its own lines.
    at: usize,
    lines: usize,
}

impl Kept {
    fn is(&self, s: &GenStep, origins: &[(&str, &str)]) -> bool {
        self.call == s.call
            && self.args == s.args
            && self.bind == s.bind
            && self.origins.len() == origins.len()
            && self
                .origins
                .iter()
                .zip(origins)
                .all(|(a, b)| a.0 == b.0 && a.1 == b.1)
    }
}

#[derive(Default)]
struct Cache {
    /// A loaded sequence's scenario without its steps: what every plan shares.
    template: Option<Scenario>,
    /// By `key`; steps whose keys collide share the list.
    kept: HashMap<u64, Vec<Arc<Kept>>>,
    count: usize,
}

/// Plans for the sequences of one pair of versions, shared by the workers.
pub struct Plans {
    expectations: Expectations<'static>,
    head: String,
    /// Read by every plan, written when a sequence is loaded whole: under a read lock the
    /// workers look their steps up at the same time, not one after the other.
    cache: RwLock<Cache>,
    assembled: AtomicU64,
    loaded: AtomicU64,
}

impl Plans {
    /// Plans for scenarios written for `versions` (`Pair::versions`).
    pub fn new(versions: Vec<WinVersion>) -> Plans {
        let expectations = Expectations::Explore(versions);
        Plans {
            head: head(&expectations, None),
            expectations,
            cache: RwLock::new(Cache::default()),
            assembled: AtomicU64::new(0),
            loaded: AtomicU64::new(0),
        }
    }

    /// Plans assembled from kept steps, and sequences loaded whole, so far.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.assembled.load(Ordering::Relaxed),
            self.loaded.load(Ordering::Relaxed),
        )
    }

    // A worker that panicked holding the lock left whole entries only.
    fn cache(&self) -> RwLockReadGuard<'_, Cache> {
        self.cache.read().unwrap_or_else(|e| e.into_inner())
    }
    fn cache_mut(&self) -> RwLockWriteGuard<'_, Cache> {
        self.cache.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The plan of `seq`: as loading its rendered text would give it; its diagnostics when it
    /// does not load (a generator bug).
    pub fn plan(&self, seq: &Sequence) -> Result<Scenario, String> {
        // Binding -> the call and output that bound it last.
        let mut bound: HashMap<&str, (&str, &str)> = HashMap::new();
        let mut origins = Vec::with_capacity(seq.steps.len());
        for s in &seq.steps {
            let o: Vec<(&str, &str)> = s
                .uses()
                .iter()
                .map(|u| bound.get(u.as_str()).copied().unwrap_or(("?", "?")))
                .collect();
            for (out, name) in &s.bind {
                bound.insert(name, (&s.call, out));
            }
            origins.push(o);
        }
        let keys: Vec<u64> = seq
            .steps
            .iter()
            .zip(&origins)
            .map(|(s, o)| key(s, o))
            .collect();
        let found = {
            let c = self.cache();
            let found: Option<Vec<Arc<Kept>>> = c.template.as_ref().and_then(|_| {
                let kept = &c.kept;
                seq.steps
                    .iter()
                    .zip(&origins)
                    .zip(&keys)
                    .map(|((s, o), k)| kept.get(k)?.iter().find(|e| e.is(s, o)).cloned())
                    .collect()
            });
            match found {
                Some(f) => {
                    self.assembled.fetch_add(1, Ordering::Relaxed);
                    c.template.clone().map(|t| (t, f))
                }
                None => {
                    self.loaded.fetch_add(1, Ordering::Relaxed);
                    None
                }
            }
        };
        if let Some((template, kept)) = found {
            return Ok(self.assemble(template, &kept));
        }
        self.load_and_keep(seq, &origins, &keys)
    }

    /// Loads `seq` whole and keeps its steps.
    fn load_and_keep(
        &self,
        seq: &Sequence,
        origins: &[Vec<(&str, &str)>],
        keys: &[u64],
    ) -> Result<Scenario, String> {
        let mut text = self.head.clone();
        let mut spans = Vec::with_capacity(seq.steps.len());
        for (i, s) in seq.steps.iter().enumerate() {
            let t = step_text(s, i, &self.expectations, None);
            spans.push((lines(&text), lines(&t)));
            text.push_str(&t);
        }
        let scenario = load(&text)?;
        if scenario.steps.len() != seq.steps.len() {
            return Ok(scenario);
        }
        let mut c = self.cache_mut();
        if c.count + seq.steps.len() > MOST_KEPT {
            c.kept.clear();
            c.count = 0;
        }
        for (i, s) in seq.steps.iter().enumerate() {
            let list = c.kept.entry(keys[i]).or_default();
            if list.iter().any(|e| e.is(s, &origins[i])) {
                continue;
            }
            list.push(Arc::new(Kept {
                call: s.call.clone(),
                args: s.args.clone(),
                bind: s.bind.clone(),
                origins: origins[i]
                    .iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect(),
                step: scenario.steps[i].clone(),
                at: spans[i].0,
                lines: spans[i].1,
            }));
            c.count += 1;
        }
        let mut template = scenario.clone();
        template.steps.clear();
        template.verbs.clear();
        c.template = Some(template);
        Ok(scenario)
    }

    /// The template with the kept steps, each moved to where it stands in this sequence.
    fn assemble(&self, mut scenario: Scenario, kept: &[Arc<Kept>]) -> Scenario {
        let mut at = lines(&self.head);
        scenario.steps.reserve(kept.len());
        for (i, k) in kept.iter().enumerate() {
            let mut step = k.step.clone().shifted(at as i64 - k.at as i64);
            step.number = i as u32 + 1;
            if let StepKind::Call(c) = &step.kind {
                let f = c.function;
                if f.info().is_verb() && !scenario.verbs.contains(&f) {
                    scenario.verbs.push(f);
                }
            }
            scenario.steps.push(step);
            at += k.lines;
        }
        scenario
    }
}

/// What a kept step is found by: its call, arguments and bindings, and the origins of the
/// bindings it uses (compared in full on a match: `Kept::is`).
fn key(s: &GenStep, origins: &[(&str, &str)]) -> u64 {
    let mut h = DefaultHasher::new();
    s.call.hash(&mut h);
    s.args.hash(&mut h);
    s.bind.hash(&mut h);
    origins.hash(&mut h);
    h.finish()
}

fn lines(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count()
}

#[cfg(test)]
#[path = "plans_tests.rs"]
mod tests;
