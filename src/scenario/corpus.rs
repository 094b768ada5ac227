//! Which files are scenarios, and what each is called.

use super::diagnostic::{Diagnostic, Severity};
use std::path::{Path, PathBuf};

/// What a walk of the scenario paths found.
#[derive(Default)]
pub struct Discovered {
    /// Scenario files, sorted, each file once (a file reached through several symbolic
    /// links is listed under the first path, in sorted order, that reaches it).
    pub files: Vec<PathBuf>,
    /// Folders that could not be read (errors); special files named `*.toml` and symbolic
    /// link loops, which are skipped (warnings).
    pub problems: Vec<Diagnostic>,
}

/// Scenario files under `paths`: files as given, directories searched recursively for
/// `*.toml`, skipping `fixtures` folders. Symbolic links are followed, loops are detected
/// (and skipped with a warning), and only regular files are scenarios: a FIFO, socket or
/// device named `*.toml` would block or never end, so it is skipped with a warning.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut found);
        } else if p.is_file() {
            found.files.push(p.clone());
        } else if p.exists() {
            found.problems.push(special_file(p));
        } else {
            found.problems.push(Diagnostic::file_level(
                p.clone(),
                Severity::Error,
                format!("cannot read {}: no such file or directory", p.display()),
                "unreadable",
                None,
            ));
        }
    }
    found.files.sort();
    found.files.dedup();
    // One file, one scenario: a second path to the same file (a symbolic link to a folder
    // of the corpus) would run it again under another name.
    let mut seen = std::collections::HashSet::new();
    found
        .files
        .retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    found
}

fn special_file(p: &Path) -> Diagnostic {
    let kind = kind_of(p);
    Diagnostic::file_level(
        p.to_path_buf(),
        Severity::Warning,
        format!("skipped {}: {kind}, not a regular file", p.display()),
        "not a regular file",
        Some("scenarios are regular files; reading this one could block forever".into()),
    )
}

/// What a path that is neither a file nor a folder is (after following links).
#[cfg_attr(not(unix), allow(unused_variables))]
fn kind_of(p: &Path) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if let Ok(m) = std::fs::metadata(p) {
            let t = m.file_type();
            if t.is_fifo() {
                return "a FIFO";
            }
            if t.is_socket() {
                return "a socket";
            }
            if t.is_char_device() || t.is_block_device() {
                return "a device";
            }
        }
    }
    "a special file"
}

fn walk(dir: &Path, found: &mut Discovered) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !(e.depth() > 0 && e.file_type().is_dir() && e.file_name() == "fixtures")
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                found.problems.push(match e.loop_ancestor() {
                    Some(ancestor) => Diagnostic::file_level(
                        path.clone(),
                        Severity::Warning,
                        format!(
                            "skipped {}: a symbolic link loop (it leads back to {})",
                            path.display(),
                            ancestor.display()
                        ),
                        "symbolic link loop",
                        Some("each scenario is read once; remove the link".into()),
                    ),
                    None => Diagnostic::file_level(
                        path.clone(),
                        Severity::Error,
                        format!(
                            "cannot read {}: {}",
                            path.display(),
                            e.io_error()
                                .map_or_else(|| e.to_string(), |io| io.to_string())
                        ),
                        "unreadable",
                        None,
                    ),
                });
                continue;
            }
        };
        let path = entry.path();
        let is_toml = path.extension().is_some_and(|x| x == "toml");
        if entry.file_type().is_file() {
            if is_toml {
                found.files.push(path.to_path_buf());
            }
        } else if !entry.file_type().is_dir() && is_toml {
            found.problems.push(special_file(path));
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
