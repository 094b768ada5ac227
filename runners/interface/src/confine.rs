//! Keeping harness verbs inside a trial's sandbox: the folder verbs (`delete_dir`,
//! `rename_dir`, `list_dir`, `dir_exists`, `make_dir`) act only on paths under the sandbox
//! folder, never on the folder itself when they would remove or move it, and never through a
//! symbolic link or junction (which could lead out of it). Scenarios cannot write `..` or
//! absolute paths (the loader refuses them), but a verb may get back a name a runner listed
//! (`"$item"`), and a file system may hold links: runners check the path they are about to
//! touch with [`inside`]. The folder verbs themselves, on real files, are here too
//! ([`delete_dir`], [`rename_dir`], [`list_dir`], [`dir_exists`], [`make_dir`]), so every
//! runner that acts on real files answers them alike: a path that leaves the sandbox gets
//! -1003 with a note and nothing is touched; a folder holding a file the runner says is
//! `busy` (open in the engine, locked) is neither deleted nor renamed (-1032, as Windows
//! refuses), checked before anything changes.

use crate::{ErrorCode, Observation, OutValue};
use std::path::{Component, Path, PathBuf};

type E = ErrorCode;

/// Why a path was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Escape {
    #[error("{0} is not inside the sandbox")]
    Outside(String),
    #[error("{0} is the sandbox folder itself")]
    Root(String),
    #[error("{0} goes through a symbolic link or junction ({1})")]
    Link(String, String),
}

/// The path to act on, checked: lexically under `root` (after `.` and `..` are resolved),
/// not `root` itself unless `allow_root`, and with no component below `root` that is a
/// symbolic link (on Windows, junctions too). Components that do not exist yet are fine
/// (`make_dir` creates them).
pub fn inside(root: &Path, path: &Path, allow_root: bool) -> Result<PathBuf, Escape> {
    let shown = || path.display().to_string();
    let root = lexical(root);
    let full = lexical(&root.join(path));
    let Ok(rest) = full.strip_prefix(&root) else {
        return Err(Escape::Outside(shown()));
    };
    if rest.as_os_str().is_empty() && !allow_root {
        return Err(Escape::Root(shown()));
    }
    let mut at = root.clone();
    for c in rest.components() {
        at.push(c);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(Escape::Link(shown(), at.display().to_string()))
            }
            Ok(_) => {}
            // Not there (yet): nothing below it can be a link either.
            Err(_) => break,
        }
    }
    Ok(full)
}

/// `.` and `..` resolved without touching the file system (`..` above the start stays, so
/// the prefix test fails for it).
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn refused(why: impl std::fmt::Display) -> Observation {
    let mut o = Observation::returned(E::JET_errInvalidParameter);
    o.notes.push(format!("refused: {why}"));
    o
}

fn io(e: &std::io::Error) -> Observation {
    // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: a file held open keeps its folder.
    if cfg!(windows) && matches!(e.raw_os_error(), Some(32 | 33)) {
        return Observation::returned(E::JET_errFileAccessDenied);
    }
    Observation::returned(match e.kind() {
        std::io::ErrorKind::NotFound => E::JET_errFileNotFound,
        std::io::ErrorKind::PermissionDenied => E::JET_errFileAccessDenied,
        _ => E::JET_errDiskIO,
    })
}

fn ok() -> Observation {
    Observation::returned(E::JET_errSuccess)
}

fn done(r: std::io::Result<()>) -> Observation {
    r.map_or_else(|e| io(&e), |_| ok())
}

/// Every file below `dir` (links are not followed: `read_dir` lists them as themselves).
fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        match e.file_type() {
            Ok(t) if t.is_dir() => files_below(&e.path(), out),
            _ => out.push(e.path()),
        }
    }
}

/// The checked path of an existing folder, or the observation refusing it (-1811 when
/// nothing is there, -1003 for a file).
fn folder(root: &Path, path: &Path, allow_root: bool) -> Result<PathBuf, Observation> {
    let p = inside(root, path, allow_root).map_err(refused)?;
    match std::fs::symlink_metadata(&p) {
        Err(e) => Err(io(&e)),
        Ok(m) if !m.is_dir() => Err(refused(format!("{} is not a folder", path.display()))),
        Ok(_) => Ok(p),
    }
}

fn holds_busy(dir: &Path, busy: &dyn Fn(&Path) -> bool) -> bool {
    let mut files = Vec::new();
    files_below(dir, &mut files);
    files.iter().any(|f| busy(f))
}

/// `make_dir`: the folder and its missing parents.
pub fn make_dir(root: &Path, path: &Path) -> Observation {
    match inside(root, path, true) {
        Ok(p) => done(std::fs::create_dir_all(p)),
        Err(e) => refused(e),
    }
}

/// `delete_dir`: a folder and everything in it (links inside are removed, not followed).
pub fn delete_dir(root: &Path, path: &Path, busy: &dyn Fn(&Path) -> bool) -> Observation {
    let p = match folder(root, path, false) {
        Ok(p) => p,
        Err(o) => return o,
    };
    if holds_busy(&p, busy) {
        return Observation::returned(E::JET_errFileAccessDenied);
    }
    done(std::fs::remove_dir_all(p))
}

/// `rename_dir`: a folder to a new name, whose parent must exist (-1811) and which must not
/// exist yet (-1003: Windows' MoveFile replaces no folder, while a POSIX rename would).
pub fn rename_dir(
    root: &Path,
    from: &Path,
    to: &Path,
    busy: &dyn Fn(&Path) -> bool,
) -> Observation {
    let f = match folder(root, from, false) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let t = match inside(root, to, false) {
        Ok(p) => p,
        Err(e) => return refused(e),
    };
    if std::fs::symlink_metadata(&t).is_ok() {
        return refused(format!("{} exists already", to.display()));
    }
    if t.starts_with(&f) {
        return refused(format!("{} is inside {}", to.display(), from.display()));
    }
    if holds_busy(&f, busy) {
        return Observation::returned(E::JET_errFileAccessDenied);
    }
    done(std::fs::rename(f, t))
}

/// `list_dir`: `entries`, the files and folders directly in a folder, as full paths in the
/// byte order of their names (the harness shows them relative to the sandbox).
pub fn list_dir(root: &Path, path: &Path) -> Observation {
    let p = match folder(root, path, true) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let rd = match std::fs::read_dir(&p) {
        Ok(rd) => rd,
        Err(e) => return io(&e),
    };
    let mut names: Vec<String> = rd
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let items = names
        .iter()
        .map(|n| p.join(n).to_string_lossy().into_owned())
        .collect();
    ok().with_output(
        "entries",
        OutValue::Strings {
            items,
            terminated: true,
        },
    )
}

/// `dir_exists`: `exists` is 1 when the path names a folder, 0 otherwise (nothing there, or
/// a file).
pub fn dir_exists(root: &Path, path: &Path) -> Observation {
    match inside(root, path, true) {
        Ok(p) => ok().with_output("exists", OutValue::U32(p.is_dir() as u32)),
        Err(e) => refused(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_to_the_sandbox() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        assert_eq!(inside(root, Path::new("a/b"), false), Ok(root.join("a/b")));
        assert_eq!(
            inside(root, Path::new("new/deeper"), false),
            Ok(root.join("new/deeper"))
        );
        assert!(matches!(
            inside(root, Path::new("a/../.."), false),
            Err(Escape::Outside(_))
        ));
        assert!(matches!(
            inside(root, Path::new("/etc"), false),
            Err(Escape::Outside(_))
        ));
        assert!(matches!(
            inside(root, Path::new("."), false),
            Err(Escape::Root(_))
        ));
        assert!(matches!(
            inside(root, Path::new("a/.."), false),
            Err(Escape::Root(_))
        ));
        assert_eq!(inside(root, Path::new("."), true), Ok(root.to_path_buf()));
        // An absolute path inside (a name the runner listed) is fine.
        assert_eq!(inside(root, &root.join("a"), false), Ok(root.join("a")));
    }

    fn code(o: &Observation) -> i32 {
        o.code().map(|c| c.0).unwrap_or(0)
    }

    #[test]
    fn folder_verbs_on_real_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let never = |_: &Path| false;
        assert_eq!(code(&make_dir(root, Path::new("b/logs"))), 0);
        std::fs::write(root.join("b/logs/edb00001.log"), b"x").unwrap();
        std::fs::write(root.join("b/db.edb"), b"x").unwrap();
        let listed = list_dir(root, Path::new("b"));
        assert_eq!(
            listed.outputs.get("entries"),
            Some(&OutValue::Strings {
                items: vec![
                    root.join("b/db.edb").to_string_lossy().into_owned(),
                    root.join("b/logs").to_string_lossy().into_owned()
                ],
                terminated: true
            })
        );
        assert_eq!(code(&list_dir(root, Path::new("none"))), -1811);
        assert_eq!(code(&list_dir(root, Path::new("b/db.edb"))), -1003);
        let exists = |p: &str| {
            dir_exists(root, Path::new(p))
                .outputs
                .get("exists")
                .cloned()
        };
        assert_eq!(exists("b/logs"), Some(OutValue::U32(1)));
        assert_eq!(exists("b/db.edb"), Some(OutValue::U32(0)));
        assert_eq!(exists("none"), Some(OutValue::U32(0)));
        // Rename: not onto an existing name, not into itself, not the sandbox.
        std::fs::create_dir(root.join("c")).unwrap();
        assert_eq!(
            code(&rename_dir(root, Path::new("b"), Path::new("c"), &never)),
            -1003
        );
        assert_eq!(
            code(&rename_dir(root, Path::new("b"), Path::new("b/x"), &never)),
            -1003
        );
        assert_eq!(
            code(&rename_dir(root, Path::new("."), Path::new("d"), &never)),
            -1003
        );
        assert_eq!(
            code(&rename_dir(root, Path::new("b"), Path::new("d"), &never)),
            0
        );
        assert!(root.join("d/logs/edb00001.log").exists());
        // A folder holding a busy file stays.
        let busy = |p: &Path| p.ends_with("edb00001.log");
        assert_eq!(code(&delete_dir(root, Path::new("d"), &busy)), -1032);
        assert!(root.join("d/db.edb").exists());
        assert_eq!(code(&delete_dir(root, Path::new("d"), &never)), 0);
        assert!(!root.join("d").exists());
        assert_eq!(code(&delete_dir(root, Path::new("d"), &never)), -1811);
        let o = delete_dir(root, Path::new("."), &never);
        assert_eq!(code(&o), -1003);
        assert!(
            o.notes[0].contains("sandbox folder itself"),
            "{:?}",
            o.notes
        );
        assert!(root.exists());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_out() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
        let e = inside(dir.path(), Path::new("out/x"), false).unwrap_err();
        assert!(matches!(e, Escape::Link(..)), "{e}");
        let e = inside(dir.path(), Path::new("out"), false).unwrap_err();
        assert!(matches!(e, Escape::Link(..)), "{e}");
        // Nothing outside is deleted, listed or renamed through the link.
        std::fs::write(outside.path().join("keep"), b"x").unwrap();
        let never = |_: &Path| false;
        assert_eq!(
            code(&delete_dir(dir.path(), Path::new("out"), &never)),
            -1003
        );
        assert_eq!(code(&list_dir(dir.path(), Path::new("out"))), -1003);
        assert_eq!(
            code(&rename_dir(
                dir.path(),
                Path::new("out"),
                Path::new("o2"),
                &never
            )),
            -1003
        );
        assert!(outside.path().join("keep").exists());
        // A link inside a deleted folder goes; what it points at stays.
        std::fs::create_dir(dir.path().join("d")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("d/link")).unwrap();
        assert_eq!(code(&delete_dir(dir.path(), Path::new("d"), &never)), 0);
        assert!(outside.path().join("keep").exists());
    }
}
