//! Which files are scenarios, and what each is called.

use std::path::{Path, PathBuf};

/// Scenario files under `paths`: files as given, directories searched recursively for
/// `*.toml`, skipping `fixtures` folders. Paths that cannot be read are returned apart.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, std::io::Error)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files, &mut errors);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            errors.push((
                p.clone(),
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            ));
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, std::io::Error)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push((dir.to_path_buf(), e));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "fixtures") {
                walk(&p, files, errors);
            }
        } else if p.extension().is_some_and(|x| x == "toml") {
            files.push(p);
        }
    }
}

/// The corpus root of a file: the nearest ancestor folder holding a `fixtures/` folder,
/// else the file's own folder.
pub fn root_of(file: &Path) -> PathBuf {
    let parent = file.parent().unwrap_or(Path::new(""));
    parent
        .ancestors()
        .find(|d| d.join("fixtures").is_dir())
        .unwrap_or(parent)
        .to_path_buf()
}

/// The scenario id: the path under the corpus root without `.toml`, `/`-separated.
pub fn id_of(file: &Path) -> String {
    let root = root_of(file);
    let rel = file.strip_prefix(&root).unwrap_or(file).with_extension("");
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
