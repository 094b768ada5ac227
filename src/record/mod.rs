//! `jetconform record --from RESULTS`: observed results become expectations in the scenario
//! files, with provenance `observed:<machine>`. Only where the file says something else for
//! that version: the coarser key stays where it still explains the result, and a per-version
//! entry is added (taken out of a range or `default`) where it does not.
//!
//! Reading expectations is the loader's job (`scenario/`); this module only decides what to
//! write (`plan.rs`) and rewrites the TOML with `toml_edit` so comments and layout survive
//! (`rewrite.rs`).

mod plan;
mod rewrite;

pub use plan::{plan, Edit, Plan};
pub use rewrite::{rewrite, RewriteError};

use crate::results::ResultsFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What `apply` did.
#[derive(Debug, Default)]
pub struct Recorded {
    /// Trials and steps not recorded, with the reason.
    pub skipped: Vec<String>,
    /// Observations recorded in place of an `any_of` or `success` form they fall outside of
    /// (for that version only; the form stays for the others).
    pub replaced: Vec<String>,
    /// Every file with something to record, in path order.
    pub files: Vec<FileRecord>,
}

/// One scenario file's record: its new text's diff (dry run), written, or why not.
#[derive(Debug)]
pub struct FileRecord {
    pub path: PathBuf,
    pub result: Result<Change, FileError>,
}

#[derive(Debug)]
pub enum Change {
    /// A dry run: the unified diff of what would be written.
    Diff(String),
    Written,
}

/// Why one file was not recorded into (the others still are).
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Rewrite { path: PathBuf, source: RewriteError },
    #[error("{}: {message}", path.display())]
    Write { path: PathBuf, message: String },
}

impl Recorded {
    /// Files whose text changed (or would change; a write that failed counts).
    pub fn changed(&self) -> usize {
        self.files
            .iter()
            .filter(|f| matches!(f.result, Ok(_) | Err(FileError::Write { .. })))
            .count()
    }
    pub fn failed(&self) -> bool {
        self.files.iter().any(|f| f.result.is_err())
    }
}

/// Records the observed results of `file` into the scenario files it names (with
/// `dry_run`, only says what would change). Err when the results cannot be recorded at all.
pub fn apply(file: &ResultsFile, machine: Option<&str>, dry_run: bool) -> Result<Recorded, String> {
    let p = plan(file, machine)?;
    let replaced = p
        .edits
        .iter()
        .filter_map(|e| {
            let form = e.replaces.as_ref()?;
            Some(format!(
                "{}:{}: observed {} on {}, outside `{form}`: recorded as {}'s expectation",
                e.file.display(),
                e.line,
                e.code,
                e.version,
                e.version
            ))
        })
        .collect();
    let mut by_file: BTreeMap<PathBuf, Vec<Edit>> = BTreeMap::new();
    for e in p.edits {
        by_file.entry(e.file.clone()).or_default().push(e);
    }
    let mut recorded = Recorded {
        skipped: p.skipped,
        replaced,
        files: Vec::new(),
    };
    for (path, edits) in by_file {
        let result = record_file(&path, &edits, dry_run);
        if let Ok(None) = result {
            continue;
        }
        recorded.files.push(FileRecord {
            result: result.map(|c| c.unwrap_or(Change::Written)),
            path,
        });
    }
    Ok(recorded)
}

/// `Ok(None)` when the file would not change.
fn record_file(path: &Path, edits: &[Edit], dry_run: bool) -> Result<Option<Change>, FileError> {
    let old = std::fs::read_to_string(path).map_err(|source| FileError::Read {
        path: path.into(),
        source,
    })?;
    let new = rewrite(&old, edits).map_err(|source| FileError::Rewrite {
        path: path.into(),
        source,
    })?;
    if new == old {
        return Ok(None);
    }
    if dry_run {
        let name = path.display().to_string();
        let diff = similar::TextDiff::from_lines(&old, &new)
            .unified_diff()
            .context_radius(3)
            .header(&name, &name)
            .to_string();
        return Ok(Some(Change::Diff(diff)));
    }
    write_checked(path, &old, &new).map_err(|message| FileError::Write {
        path: path.into(),
        message,
    })?;
    Ok(Some(Change::Written))
}

/// Writes the new text, then loads the file again: a rewrite the loader refuses is undone.
fn write_checked(path: &Path, old: &str, new: &str) -> Result<(), String> {
    crate::atomic::write(path, new).map_err(|e| format!("cannot write: {e}"))?;
    let loaded = crate::scenario::load(&[path.to_path_buf()]);
    if let Some(d) = loaded.diagnostics.first() {
        let _ = crate::atomic::write(path, old);
        return Err(format!(
            "the rewritten file did not load, left unchanged:\n{}",
            crate::scenario::render(d, false)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
