//! The executable plan (`Scenario`) of a generated sequence without parsing TOML each time.
//! A sequence is rendered as a scenario and loaded like any file (`lockstep::load`), so that
//! it is validated exactly like a written one; but sequences share most of their steps (the
//! setups, and calls drawn from small sets of arguments), and parsing and resolving the
//! same step again and again was most of what exploring added to running the trials.
//!
//! So each step, once loaded as part of a sequence, is kept by its text and by where the
//! bindings it uses come from (the call and output that bound each, which fix their kinds);
//! a sequence whose every step is kept is assembled from them, each moved to its line, and
//! any other sequence is loaded whole, which keeps its new steps. The loader resolves a step
//! from its own text and the kinds of the bindings it uses alone, so an assembled plan is the
//! one loading would give (`plans_tests.rs` compares them).

use super::generator::Sequence;
use super::lockstep::load;
use super::write::{head, step_text, Expectations};
use crate::scenario::model::{Scenario, Step, StepKind};
use jetconform_interface::WinVersion;
use std::collections::HashMap;

/// Steps kept at most; past this the cache starts again (generated steps come from small
/// sets of values, so a long run stays far below it).
const MOST_KEPT: usize = 50_000;

/// Plans for the sequences of one pair of versions.
pub struct Plans {
    expectations: Expectations<'static>,
    head: String,
    /// A loaded sequence's scenario without its steps: what every plan shares.
    template: Option<Scenario>,
    /// Step key -> the step as loaded, and the lines of text before it there.
    kept: HashMap<String, (Step, usize)>,
    /// Plans assembled from kept steps, and sequences loaded whole.
    pub assembled: u64,
    pub loaded: u64,
}

impl Plans {
    /// Plans for scenarios written for `versions` (`Pair::versions`).
    pub fn new(versions: Vec<WinVersion>) -> Plans {
        let expectations = Expectations::Explore(versions);
        Plans {
            head: head(&expectations, None),
            expectations,
            template: None,
            kept: HashMap::new(),
            assembled: 0,
            loaded: 0,
        }
    }

    /// The plan of `seq`: as loading its rendered text would give it; its diagnostics when it
    /// does not load (a generator bug).
    pub fn plan(&mut self, seq: &Sequence) -> Result<Scenario, String> {
        let mut texts = Vec::with_capacity(seq.steps.len());
        let mut keys = Vec::with_capacity(seq.steps.len());
        // Binding -> the call and output that bound it last.
        let mut origin: HashMap<&str, String> = HashMap::new();
        for (i, s) in seq.steps.iter().enumerate() {
            let text = step_text(s, i, &self.expectations, None);
            let mut key = text.clone();
            for u in s.uses() {
                key.push('\0');
                key.push_str(&u);
                key.push('=');
                key.push_str(origin.get(u.as_str()).map_or("?", String::as_str));
            }
            for (out, name) in &s.bind {
                origin.insert(name, format!("{}.{out}", s.call));
            }
            texts.push(text);
            keys.push(key);
        }
        if let Some(template) = &self.template {
            if keys.iter().all(|k| self.kept.contains_key(k)) {
                self.assembled += 1;
                return Ok(self.assemble(template.clone(), &texts, &keys));
            }
        }
        self.loaded += 1;
        let mut text = self.head.clone();
        let mut before = Vec::with_capacity(texts.len());
        for t in &texts {
            before.push(lines(&text));
            text.push_str(t);
        }
        let scenario = load(&text)?;
        if scenario.steps.len() == keys.len() {
            if self.kept.len() + keys.len() > MOST_KEPT {
                self.kept.clear();
            }
            for ((key, step), at) in keys.into_iter().zip(&scenario.steps).zip(before) {
                self.kept.entry(key).or_insert_with(|| (step.clone(), at));
            }
            let mut template = scenario.clone();
            template.steps.clear();
            template.verbs.clear();
            self.template = Some(template);
        }
        Ok(scenario)
    }

    fn assemble(&self, mut scenario: Scenario, texts: &[String], keys: &[String]) -> Scenario {
        let mut at = lines(&self.head);
        for (i, key) in keys.iter().enumerate() {
            let (step, was_at) = &self.kept[key];
            let mut step = step.clone().shifted(at as i64 - *was_at as i64);
            step.number = i as u32 + 1;
            if let StepKind::Call(c) = &step.kind {
                let f = c.function;
                if f.info().is_verb() && !scenario.verbs.contains(&f) {
                    scenario.verbs.push(f);
                }
            }
            scenario.steps.push(step);
            at += lines(&texts[i]);
        }
        scenario
    }
}

fn lines(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count()
}

#[cfg(test)]
#[path = "plans_tests.rs"]
mod tests;
