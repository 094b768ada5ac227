//! Planning: which trials (scenario x runner x version) a run has, and which of them cannot
//! run (skip, with the reason).

use crate::scenario::model::Scenario;
use jetconform_interface::{RunnerInfo, VersionSet, WinVersion};

/// Which versions the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionFilter {
    /// Every version the scenario applies to (and the runner can run): no skips for versions.
    Applicable,
    /// Exactly these: versions a scenario does not apply to are planned as skips.
    Only(VersionSet),
}

#[derive(Clone, Debug)]
pub struct PlannedTrial {
    pub scenario: usize,
    pub runner: usize,
    pub version: WinVersion,
    /// `Some(reason)`: planned as a skip.
    pub skip: Option<String>,
}

pub fn plan(
    scenarios: &[Scenario],
    runners: &[RunnerInfo],
    filter: VersionFilter,
) -> Vec<PlannedTrial> {
    let mut out = Vec::new();
    for (si, s) in scenarios.iter().enumerate() {
        for (ri, r) in runners.iter().enumerate() {
            let wanted = match filter {
                VersionFilter::Applicable => s.versions.intersection(r.versions),
                VersionFilter::Only(set) => set.intersection(r.versions),
            };
            for version in wanted.iter() {
                out.push(PlannedTrial {
                    scenario: si,
                    runner: ri,
                    version,
                    skip: skip_reason(s, r, version),
                });
            }
        }
    }
    out
}

fn skip_reason(s: &Scenario, r: &RunnerInfo, v: WinVersion) -> Option<String> {
    if !s.versions.contains(v) {
        return Some(format!("the scenario applies to {} only", s.versions));
    }
    if s.requires_fault_hooks && !r.fault_hooks {
        return Some(format!(
            "needs fault hooks, which only a model has; runner {} has none",
            r.name
        ));
    }
    if let Some(at) = &s.reserved_names {
        if !r.reserved_names {
            return Some(format!(
                "passes a name Windows reserves on purpose (at {at}); runner {} does not keep such names inside its sandbox",
                r.name
            ));
        }
    }
    let missing: Vec<&str> = s
        .verbs
        .iter()
        .map(|f| f.name())
        .filter(|n| !r.verbs.iter().any(|have| have == n))
        .collect();
    if !missing.is_empty() {
        return Some(format!(
            "runner {} does not implement the harness verb(s) {}",
            r.name,
            missing.join(", ")
        ));
    }
    None
}

/// Items kept of some planned trials as they end (in any order), put back in plan order
/// at the end: what sinks and the baseline keep of a run.
pub struct Ordered<T>(Vec<(usize, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<T> Ordered<T> {
    pub fn push(&mut self, index: usize, item: T) {
        self.0.push((index, item));
    }
    /// The items in plan order (taken: the sink holds nothing more).
    pub fn take(&mut self) -> impl Iterator<Item = T> {
        let mut items = std::mem::take(&mut self.0);
        items.sort_by_key(|(i, _)| *i);
        items.into_iter().map(|(_, t)| t)
    }
}
