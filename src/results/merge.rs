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

/// Why `merge_files` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum MergeFilesError {
    #[error(transparent)]
    Load(#[from] super::LoadError),
    #[error(transparent)]
    Merge(#[from] MergeError),
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// Reads every file, merges them and writes the result to `output`; the merged file is
/// returned. Nothing is written when a file cannot be read or two files disagree.
pub fn merge_files(
    paths: &[std::path::PathBuf],
    output: &std::path::Path,
) -> Result<ResultsFile, MergeFilesError> {
    let mut files = Vec::new();
    for p in paths {
        files.push((p.display().to_string(), super::load(p)?));
    }
    let merged = merge(&files)?;
    merged
        .write(output)
        .map_err(|source| MergeFilesError::Write {
            path: output.to_path_buf(),
            source,
        })?;
    Ok(merged)
}
