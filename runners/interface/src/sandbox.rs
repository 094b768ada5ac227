//! Trial sandboxes: where they go, how they are named, and removing those whose owner is gone.
//!
//! A sandbox is a folder `jetconform-<kind>-<pid>-<random>` (`jetconform-mock-4242-a1B2c3`),
//! `<pid>` being the process that created it and removes it when the trial ends. A process
//! that dies first (a crashed library, a runner killed at its timeout, a jetconform killed
//! with SIGKILL) leaves it behind; the pid in the name tells anyone afterwards that its owner
//! is gone ([`remove_if_orphaned`], [`remove_stale`]).
//!
//! They go under `$JETCONFORM_SANDBOX_DIR` when set, else `/dev/shm` where it is a writable
//! folder (memory: creating and removing files on a journaling disk file system would
//! dominate a run), else the system's temporary folder ([`base`]).

use std::path::{Path, PathBuf};

/// Overrides the folder that holds trial sandboxes.
pub const ENV: &str = "JETCONFORM_SANDBOX_DIR";

const PREFIX: &str = "jetconform-";

/// `$JETCONFORM_SANDBOX_DIR` if set; else `/dev/shm` where it is a writable folder (Linux);
/// else `None`: the system's temporary folder.
pub fn base() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    // Never on Windows: under Wine, `/dev/shm` names the host's folder, where a Linux
    // jetconform would take a Windows process id in a sandbox's name for one of its own, find
    // it dead and remove the sandbox of a running trial.
    if !cfg!(unix) {
        return None;
    }
    // Probed once per process: a sandbox is made for every trial.
    static SHM: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let shm = PathBuf::from("/dev/shm");
    let writable = *SHM.get_or_init(|| {
        shm.is_dir()
            && tempfile::Builder::new()
                .prefix(".jetconform-probe")
                .tempfile_in(&shm)
                .is_ok()
    });
    writable.then_some(shm)
}

/// The folder sandboxes go to: [`base`], or the system's temporary folder.
pub fn folder() -> PathBuf {
    base().unwrap_or_else(std::env::temp_dir)
}

/// A new sandbox `jetconform-<kind>-<pid>-<random>` under `dir` (`None`: [`folder`]),
/// removed when the value is dropped.
pub fn create(kind: &str, dir: Option<&Path>) -> std::io::Result<tempfile::TempDir> {
    let prefix = format!("{PREFIX}{kind}-{}-", std::process::id());
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix);
    match dir {
        Some(d) => b.tempdir_in(d),
        None => b.tempdir_in(folder()),
    }
}

/// The pid in a sandbox's name (`jetconform-mock-4242-a1B2c3` -> 4242).
pub fn owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?;
    let (_kind, rest) = rest.split_once('-')?;
    let (pid, random) = rest.split_once('-')?;
    if random.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Removes `path` if it is a sandbox whose owner has exited. True when it was removed.
pub fn remove_if_orphaned(path: &Path) -> bool {
    let Some(pid) = path.file_name().and_then(|n| n.to_str()).and_then(owner) else {
        return false;
    };
    if pid == std::process::id() || alive(pid) != Some(false) || !path.is_dir() {
        return false;
    }
    std::fs::remove_dir_all(path).is_ok()
}

/// Removes the sandboxes under `dir` whose owner has exited; how many.
pub fn remove_stale(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(PREFIX))
        })
        .filter(|e| remove_if_orphaned(&e.path()))
        .count()
}

/// Whether process `pid` is alive: `None` where this cannot be told (then nothing is
/// removed). A zombie has exited.
pub fn alive(pid: u32) -> Option<bool> {
    if cfg!(target_os = "linux") {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            // `pid (comm) S ...`: the state follows the last parenthesis.
            Ok(stat) => Some(
                !stat
                    .rsplit_once(") ")
                    .is_some_and(|(_, rest)| rest.starts_with(['Z', 'X'])),
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(false),
            Err(_) => None,
        }
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_from_names() {
        assert_eq!(owner("jetconform-mock-4242-a1B2c3"), Some(4242));
        assert_eq!(owner("jetconform-ffi-7-x"), Some(7));
        assert_eq!(
            owner("jetconform-mock-a1B2c3"),
            None,
            "the old names carry no pid"
        );
        assert_eq!(owner("jetconform-mock-42-"), None);
        assert_eq!(owner("other-mock-42-x"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn removes_only_sandboxes_of_dead_owners() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!("jetconform-mock-{dead}-abc"));
        let ours = create("mock", Some(dir.path())).unwrap();
        let other = dir.path().join("jetconform-mock-xyz");
        for d in [&stale, &other] {
            std::fs::create_dir_all(d.join("logs")).unwrap();
        }
        assert_eq!(remove_stale(dir.path()), 1);
        assert!(!stale.exists());
        assert!(ours.path().is_dir() && other.is_dir());
    }
}
