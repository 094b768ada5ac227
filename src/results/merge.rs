//! `jetconform merge`: several results files (machines, versions, partitions) into one.
//! The same trial twice is fine when both say the same thing; otherwise it is a conflict.

use super::{ResultsFile, Trial, FORMAT, VERSION};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
#[error("{} conflicting trial(s):\n{}", .0.len(), .0.join("\n"))]
pub struct MergeError(pub Vec<String>);

/// Merges files given as (label, file); the label names the file in conflict messages.
pub fn merge(files: &[(String, ResultsFile)]) -> Result<ResultsFile, MergeError> {
    let mut runs = Vec::new();
    let mut trials: BTreeMap<String, (String, Trial)> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for (label, f) in files {
        for r in &f.runs {
            if !runs.contains(r) {
                runs.push(r.clone());
            }
        }
        for t in &f.trials {
            match trials.get(&t.name) {
                None => {
                    trials.insert(t.name.clone(), (label.clone(), t.clone()));
                }
                Some((first, old)) => {
                    if let Some(what) = difference(old, t) {
                        conflicts.push(format!("  {}: {what} ({first} vs {label})", t.name));
                    }
                }
            }
        }
    }
    if !conflicts.is_empty() {
        return Err(MergeError(conflicts));
    }
    Ok(ResultsFile {
        format: FORMAT.into(),
        version: VERSION,
        runs,
        trials: trials.into_values().map(|(_, t)| t).collect(),
    })
}

/// How two records of one trial disagree (durations aside), if they do.
fn difference(a: &Trial, b: &Trial) -> Option<String> {
    if a.outcome != b.outcome {
        return Some(format!(
            "outcome {} vs {}",
            a.outcome.as_str(),
            b.outcome.as_str()
        ));
    }
    if a.steps.len() != b.steps.len() {
        return Some(format!("{} steps vs {}", a.steps.len(), b.steps.len()));
    }
    for (x, y) in a.steps.iter().zip(&b.steps) {
        if x.observed != y.observed || x.verdict != y.verdict {
            return Some(format!(
                "{} observed {} vs {}",
                x.label(),
                x.observed_text(),
                y.observed_text()
            ));
        }
    }
    None
}
