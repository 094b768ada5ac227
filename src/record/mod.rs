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
use std::path::PathBuf;
use std::process::ExitCode;

pub fn command(file: &ResultsFile, machine: Option<&str>, dry_run: bool) -> ExitCode {
    let p = match plan(file, machine) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for note in &p.skipped {
        eprintln!("not recorded: {note}");
    }
    let mut by_file: BTreeMap<PathBuf, Vec<Edit>> = BTreeMap::new();
    for e in p.edits {
        by_file.entry(e.file.clone()).or_default().push(e);
    }
    let mut failed = false;
    let mut changed = 0;
    for (path, edits) in by_file {
        let old = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                failed = true;
                continue;
            }
        };
        let new = match rewrite(&old, &edits) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                failed = true;
                continue;
            }
        };
        if new == old {
            continue;
        }
        changed += 1;
        if dry_run {
            let name = path.display().to_string();
            crate::output::say!(
                "{}",
                similar::TextDiff::from_lines(&old, &new)
                    .unified_diff()
                    .context_radius(3)
                    .header(&name, &name)
            );
            continue;
        }
        if let Err(e) = write_checked(&path, &old, &new) {
            eprintln!("error: {}: {e}", path.display());
            failed = true;
        }
    }
    if !dry_run {
        crate::output::sayln!("recorded into {changed} file(s)");
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes the new text, then loads the file again: a rewrite the loader refuses is undone.
fn write_checked(path: &std::path::Path, old: &str, new: &str) -> Result<(), String> {
    std::fs::write(path, new).map_err(|e| format!("cannot write: {e}"))?;
    let loaded = crate::scenario::load(&[path.to_path_buf()]);
    if let Some(d) = loaded.diagnostics.first() {
        let _ = std::fs::write(path, old);
        return Err(format!(
            "the rewritten file did not load, left unchanged:\n{}",
            crate::scenario::render(d, false)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
