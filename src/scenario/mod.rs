//! Scenario files: discovery, loading, validation and diagnostics
//! (docs/scenario-format.md is the format; `model` is what the rest of the harness gets).

pub mod diagnostic;
pub mod model;
pub mod raw;

mod args;
mod bindings;
mod checks;
mod chunks;
mod corpus;
mod expect;
pub use version_keys::suggest_version;
mod fixture;
mod header;
pub mod limits;
mod outputs;
mod paths;
mod render;
mod repeat;
mod resolve;
mod schema;
mod source;
mod steps;
mod suggest;
mod tree;
#[doc(hidden)]
pub use tree::events_only as toml_events_only;
mod version_keys;

use diagnostic::Diagnostic;
use std::path::PathBuf;

pub use corpus::{id_of, root_of};
pub use render::{render, render_in};
pub use resolve::load_text;
pub use schema::{fixture_schema, json_schema};
pub use suggest::{closest, did_you_mean};

/// The outcome of loading scenario files: every scenario that is valid, and every problem
/// found in the others.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Sorted by id.
    pub scenarios: Vec<model::Scenario>,
    /// Errors, sorted by file and position: each keeps its file from loading.
    pub diagnostics: Vec<Diagnostic>,
    /// Warnings, sorted by file and position: reported, but the files load.
    pub warnings: Vec<Diagnostic>,
    /// Scenario files examined.
    pub files: usize,
    /// Scenarios valid on their own but refused because another file has the same id
    /// (counted, since `load_each` may have handed them on before the second file came).
    pub refused: usize,
}

/// Whether an existing `path` holds a scenario file (is one, or is a folder with a `*.toml`
/// outside `fixtures` folders).
pub fn has_scenario_files(path: &std::path::Path) -> bool {
    !corpus::discover(&[path.to_path_buf()]).files.is_empty()
}

/// Loads every scenario under `paths` (files, or folders searched recursively for `*.toml`
/// outside `fixtures` folders). Each file is checked on its own: a file with any error
/// yields no scenario, and does not keep the others from loading. Two files with the same
/// scenario id (the same trial names) are both refused.
pub fn load(paths: &[PathBuf]) -> Loaded {
    load_each(paths, Some)
}

/// Like [`load`], but every valid scenario goes to `keep` as soon as it is loaded, and only
/// those it returns are kept: `check` keeps none, so that its memory is one file's at a
/// time.
pub fn load_each(
    paths: &[PathBuf],
    mut keep: impl FnMut(model::Scenario) -> Option<model::Scenario>,
) -> Loaded {
    let found = corpus::discover(paths);
    let mut loaded = Loaded {
        files: found.files.len(),
        ..Loaded::default()
    };
    let mut all = found.problems;
    // Scenario id -> the first file that has it, to refuse a second one.
    // Scenario id -> (the first file that has it, whether it loaded and is not yet refused).
    let mut ids: std::collections::HashMap<String, (PathBuf, bool)> =
        std::collections::HashMap::new();
    let mut refused_ids = std::collections::HashSet::new();
    for file in found.files {
        let id = corpus::id_of(&file);
        let (scenario, diags) = resolve::load_file(&file, id.clone());
        all.extend(diags);
        match ids.get_mut(&id) {
            Some((first, counted)) => {
                all.push(same_id(&file, first, &id));
                all.push(same_id(first, &file, &id));
                refused_ids.insert(id.clone());
                loaded.refused += usize::from(std::mem::take(counted));
                loaded.refused += usize::from(scenario.is_some());
            }
            None => {
                ids.insert(id, (file.clone(), scenario.is_some()));
            }
        }
        if let Some(s) = scenario.and_then(&mut keep) {
            loaded.scenarios.push(s);
        }
    }
    loaded.scenarios.retain(|s| !refused_ids.contains(&s.id));
    loaded.scenarios.sort_by(|a, b| a.id.cmp(&b.id));
    // A broken fixture is reported once, not once per scenario using it.
    all.sort_by(|a, b| {
        (&a.file, a.span.start, &a.message).cmp(&(&b.file, b.span.start, &b.message))
    });
    all.dedup();
    let (warnings, errors) = all.into_iter().partition(Diagnostic::is_warning);
    loaded.diagnostics = errors;
    loaded.warnings = warnings;
    loaded
}

/// Two files with one scenario id: they would run under the same trial names.
fn same_id(file: &std::path::Path, other: &std::path::Path, id: &str) -> Diagnostic {
    Diagnostic::file_level(
        file.to_path_buf(),
        diagnostic::Severity::Error,
        format!(
            "two scenarios named `{id}`: {} and {}",
            file.display(),
            other.display()
        ),
        "same scenario id",
        Some(format!(
            "trial names are the path under the corpus root; rename one, or check {} on its own",
            other.display()
        )),
    )
}

#[cfg(test)]
mod tests;
