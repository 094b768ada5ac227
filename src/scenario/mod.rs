//! Scenario files: discovery, loading, validation and diagnostics
//! (docs/scenario-format.md is the format; `model` is what the rest of the harness gets).

pub mod diagnostic;
pub mod model;
pub mod raw;

mod args;
mod bindings;
mod checks;
mod corpus;
mod expect;
pub use expect::suggest_version;
mod fixture;
mod header;
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

use diagnostic::Diagnostic;
use std::path::PathBuf;

pub use corpus::{id_of, root_of};
pub use render::render;
pub use resolve::load_text;
pub use schema::json_schema;

/// The outcome of loading scenario files: every scenario that is valid, and every problem
/// found in the others.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Sorted by id.
    pub scenarios: Vec<model::Scenario>,
    /// Sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Scenario files examined.
    pub files: usize,
}

/// Loads every scenario under `paths` (files, or folders searched recursively for `*.toml`
/// outside `fixtures` folders). Each file is checked on its own: a file with any diagnostic
/// yields no scenario, and does not keep the others from loading.
/// Whether an existing `path` holds a scenario file (is one, or is a folder with a `*.toml`
/// outside `fixtures` folders).
pub fn has_scenario_files(path: &std::path::Path) -> bool {
    !corpus::discover(&[path.to_path_buf()]).0.is_empty()
}

pub fn load(paths: &[PathBuf]) -> Loaded {
    let (files, errors) = corpus::discover(paths);
    let mut loaded = Loaded {
        files: files.len(),
        ..Loaded::default()
    };
    for (path, e) in errors {
        loaded.diagnostics.push(Diagnostic {
            file: path.clone(),
            line: 1,
            col: 1,
            span: 0..0,
            message: format!("cannot read {}: {e}", path.display()),
            label: "unreadable".into(),
            help: None,
        });
    }
    for file in files {
        let (scenario, diags) = resolve::load_file(&file, corpus::id_of(&file));
        loaded.scenarios.extend(scenario);
        loaded.diagnostics.extend(diags);
    }
    loaded.scenarios.sort_by(|a, b| a.id.cmp(&b.id));
    // A broken fixture is reported once, not once per scenario using it.
    loaded.diagnostics.sort_by(|a, b| {
        (&a.file, a.span.start, &a.message).cmp(&(&b.file, b.span.start, &b.message))
    });
    loaded.diagnostics.dedup();
    loaded
}

#[cfg(test)]
mod tests;
