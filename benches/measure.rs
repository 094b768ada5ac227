//! Measuring tools shared by the sections: child processes with their peak memory, repeated
//! timings, and the binaries the benchmarks run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a finished child cost.
pub struct ChildCost {
    pub wall: Duration,
    /// Peak resident memory (`ru_maxrss`) of the child alone.
    pub peak_kib: u64,
    pub stdout: String,
    pub success: bool,
}

/// Runs `cmd` to the end, with its stdout captured and its stderr passed through, and
/// reaps it with `wait4` to read its own peak resident memory.
// `Child::wait` cannot give the rusage; `wait4` below reaps the child instead.
#[allow(clippy::zombie_processes)]
pub fn run_child(cmd: &mut Command) -> ChildCost {
    use std::io::Read;
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| fail(&format!("cannot start {cmd:?}: {e}")));
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut stdout);
    }
    let (status, peak_kib) = wait4(child.id() as libc::pid_t);
    ChildCost {
        wall: started.elapsed(),
        peak_kib,
        stdout,
        success: status == Some(0),
    }
}

/// Exit code (None for a signal) and peak RSS in KiB of the child `pid`.
fn wait4(pid: libc::pid_t) -> (Option<i32>, u64) {
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for the child we spawned and own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if r != pid {
        fail(&format!(
            "wait4 failed: {}",
            std::io::Error::last_os_error()
        ));
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // Linux reports ru_maxrss in KiB.
    (code, usage.ru_maxrss.max(0) as u64)
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

pub fn best(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NAN, f64::max)
}

/// Stops the benchmark with a message: a figure that cannot be measured is not printed as
/// if it had been.
pub fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}

/// The target directory's profile folder this bench was built into (`target/release`).
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().or_fail("own path");
    // target/release/deps/benchmarks-HASH -> target/release
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| fail("the bench is not in a target directory"))
}

/// The release `jetconform` binary and the mock library, built first when this runs under
/// cargo (so that one `cargo bench` measures the current sources).
pub struct Binaries {
    pub jetconform: PathBuf,
    pub mock_library: PathBuf,
}

pub fn binaries() -> Binaries {
    let dir = profile_dir();
    if let Some(cargo) = std::env::var_os("CARGO") {
        let status = Command::new(cargo)
            .args(["build", "--release", "--quiet", "-p", "jetconform", "-p"])
            .arg("jetconform-mock-dll")
            .current_dir(workspace_root())
            .status()
            .unwrap_or_else(|e| fail(&format!("cannot run cargo: {e}")));
        if !status.success() {
            fail("cargo build --release -p jetconform -p jetconform-mock-dll failed");
        }
    }
    let lib = format!(
        "{}esent{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let b = Binaries {
        jetconform: dir.join(format!("jetconform{}", std::env::consts::EXE_SUFFIX)),
        mock_library: dir.join(lib),
    };
    for p in [&b.jetconform, &b.mock_library] {
        if !p.exists() {
            fail(&format!(
                "{} is not built: run `cargo build --release -p jetconform -p jetconform-mock-dll`",
                p.display()
            ));
        }
    }
    b
}

/// The workspace root: the corpus (`cases/`) lives there.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| fail("the bench package is not inside the workspace"))
}

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// `result.or_fail("what was being done")`: the value, or the benchmark stops saying why.
pub trait OrFail<T> {
    fn or_fail(self, what: &str) -> T;
}

impl<T, E: std::fmt::Display> OrFail<T> for Result<T, E> {
    fn or_fail(self, what: &str) -> T {
        self.unwrap_or_else(|e| fail(&format!("{what}: {e}")))
    }
}
