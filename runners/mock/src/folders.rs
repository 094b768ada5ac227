//! The folder verbs (docs/scenario-format.md, "Harness verbs"): `delete_dir`, `rename_dir`,
//! `list_dir`, `dir_exists`, on the sandbox's real files through
//! `jetconform_interface::confine`, which keeps them inside the sandbox. The engine adds what
//! it holds open (attached databases, the current log, a file in a backup slot, a
//! `lock_file` lock): a folder holding one is neither deleted nor renamed (-1032).

use crate::engine::Engine;
use jetconform_interface::confine::{self, inside, Escape};
use jetconform_interface::Observation;
use std::path::{Path, PathBuf};

impl Engine {
    /// The path to act on, checked against the sandbox.
    pub(crate) fn guarded(&self, text: &str, allow_root: bool) -> Result<PathBuf, Escape> {
        inside(&self.root, &self.resolve(text), allow_root)
    }

    fn busy_file(&self, p: &Path) -> bool {
        self.is_locked(p) || self.in_use(p)
    }

    /// `delete_dir`: a folder and everything in it.
    pub fn verb_delete_dir(&mut self, path: &str) -> Observation {
        confine::delete_dir(&self.root, &self.resolve(path), &|p| self.busy_file(p))
    }

    /// `rename_dir`: a folder to a new name that does not exist yet.
    pub fn verb_rename_dir(&mut self, from: &str, to: &str) -> Observation {
        let (f, t) = (self.resolve(from), self.resolve(to));
        confine::rename_dir(&self.root, &f, &t, &|p| self.busy_file(p))
    }

    /// `list_dir`: the entries of a folder, as full paths in name order.
    pub fn verb_list_dir(&mut self, path: &str) -> Observation {
        confine::list_dir(&self.root, &self.resolve(path))
    }

    /// `dir_exists`: `exists` is 1 for a folder, 0 otherwise.
    pub fn verb_dir_exists(&mut self, path: &str) -> Observation {
        confine::dir_exists(&self.root, &self.resolve(path))
    }
}
