//! What the fault tests share: faulty libraries built from tests/fakes/faulty.c, jetconform
//! run under a file-size limit and a deadline (a regression fails the test; it neither fills
//! the disk nor hangs the suite), and the processes a run left behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const JETCONFORM: &str = env!("CARGO_BIN_EXE_jetconform");

/// The binary under test: this build's, or `JETCONFORM_FAULTS_BIN` (to show that another
/// build, an older one, fails these tests).
pub fn binary() -> String {
    std::env::var("JETCONFORM_FAULTS_BIN").unwrap_or_else(|_| JETCONFORM.to_string())
}

/// One call, for runners that misbehave when it comes.
pub const BEGIN: &str = r#"
title = "Begin on a garbage instance"
description = "One call, for runners that misbehave when it comes."
evidence = ["spec 5.3"]
versions = "win10"
provenance = "documented"

[[step]]
call = "JetBeginExternalBackupInstance"
instance = 12345
grbit = 0
expect = "JET_errInvalidParameter"
"#;

/// The repository: the corpus and its fixtures.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The mock library with one fault of tests/fakes/faulty.c (`FORK_EXIT`, `ENDLESS`, ...),
/// built into `dir` (a C compiler is needed, as for the mutants of tests/explore.rs).
pub fn faulty_library(name: &str, dir: &Path) -> PathBuf {
    let library = super::common::mock_library();
    let lib_dir = library.parent().expect("the library has a folder");
    let lib_name = library
        .file_name()
        .and_then(|n| n.to_str())
        .expect("the library has a UTF-8 name");
    let out = dir.join(format!("libfaulty_{}.so", name.to_ascii_lowercase()));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let built = Command::new(&cc)
        .args(["-shared", "-fPIC", "-Wall", "-Werror"])
        .arg(format!("-DFAULTY_{name}"))
        .arg("-o")
        .arg(&out)
        .arg(root().join("tests/fakes/faulty.c"))
        .arg("-Wl,--no-as-needed")
        .arg(format!("-L{}", lib_dir.display()))
        .arg(format!("-l:{lib_name}"))
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .arg("-ldl")
        .status();
    assert!(
        built.is_ok_and(|s| s.success()),
        "cannot build faulty library {name} with `{cc}` (a C compiler is needed)"
    );
    out
}

/// Largest file jetconform and its runners may write in a fault test: 64 MiB (sh's `ulimit
/// -f` counts 512- or 1024-byte blocks; either way far below a full disk).
const FILE_LIMIT_BLOCKS: u32 = 65536;

/// Private folders for a run's sandboxes (`JETCONFORM_SANDBOX_DIR`) and temporary files
/// (`TMPDIR`), to see what it leaves in either.
pub struct Sandboxes {
    dir: tempfile::TempDir,
}

impl Sandboxes {
    pub fn new() -> Sandboxes {
        let dir = tempfile::tempdir().expect("temp dir");
        for d in ["shm", "tmp"] {
            std::fs::create_dir(dir.path().join(d)).expect("folder");
        }
        Sandboxes { dir }
    }
    /// Where sandboxes go (`JETCONFORM_SANDBOX_DIR`).
    pub fn shm(&self) -> PathBuf {
        self.dir.path().join("shm")
    }
    /// The temporary folder (`TMPDIR`).
    pub fn tmp(&self) -> PathBuf {
        self.dir.path().join("tmp")
    }
    /// What is in either: `shm/NAME`, `tmp/NAME`.
    pub fn left(&self) -> Vec<String> {
        let mut all = Vec::new();
        for d in ["shm", "tmp"] {
            all.extend(
                entries(&self.dir.path().join(d))
                    .into_iter()
                    .map(|n| format!("{d}/{n}")),
            );
        }
        all.sort();
        all
    }
}

/// A jetconform command under a file-size limit, in `dir`, its sandboxes and temporary files
/// in `sandboxes`, and `marker` in its environment (its descendants inherit it: `survivors`
/// finds them).
pub fn jetconform(args: &[&str], dir: &Path, sandboxes: &Sandboxes, marker: &str) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!(
            "ulimit -f {FILE_LIMIT_BLOCKS} && exec \"$0\" \"$@\""
        ))
        .arg(binary())
        .args(args)
        .current_dir(dir)
        .env_remove("CI")
        .env("JETCONFORM_SANDBOX_DIR", sandboxes.shm())
        .env("TMPDIR", sandboxes.tmp())
        .env("JETCONFORM_FAULT_TEST", marker)
        .stdin(Stdio::null());
    c
}

/// Runs `cmd`, killing it after `limit`: Err says it hung, with what it printed so far.
pub fn output_within(mut cmd: Command, limit: Duration) -> Result<Output, String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, err) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = cmd
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("jetconform starts");
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break Some(s);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |p: &Path| std::fs::read(p).unwrap_or_default();
    match status {
        Some(status) => Ok(Output {
            status,
            stdout: read(&out),
            stderr: read(&err),
        }),
        None => Err(format!(
            "still running after {limit:?}; stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&read(&out)),
            String::from_utf8_lossy(&read(&err))
        )),
    }
}

/// Live processes (zombies are dead) whose environment carries `marker`, waiting up to two
/// seconds for them to go; kills those that stay, so that a failing test leaves none.
pub fn survivors(marker: &str) -> Vec<String> {
    let needle = format!("JETCONFORM_FAULT_TEST={marker}");
    let find = || -> Vec<(u32, String)> {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return vec![];
        };
        dir.flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                std::fs::read(format!("/proc/{pid}/environ"))
                    .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == needle.as_bytes()))
            })
            .filter_map(|pid| {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                let (_, rest) = stat.rsplit_once(") ")?;
                (!rest.starts_with(['Z', 'X'])).then(|| (pid, stat.trim().to_string()))
            })
            .collect()
    };
    let started = Instant::now();
    loop {
        let left = find();
        if left.is_empty() {
            return vec![];
        }
        if started.elapsed() > Duration::from_secs(2) {
            for (pid, _) in &left {
                let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            }
            return left.into_iter().map(|(_, s)| s).collect();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The names in `dir` (sandboxes left behind).
pub fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A marker no other test uses.
pub fn marker(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{test}-{}-{nanos}", std::process::id())
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `jetconform run ARGS --output FILE` under the fault-test limits: the results file (Null
/// when none was written), and the run's output. Panics when the run hangs or leaves
/// processes or sandboxes behind.
pub fn run_results(args: &[&str], dir: &Path, test: &str) -> (serde_json::Value, Output) {
    let out = tempfile::tempdir().expect("temp dir");
    let results = out.path().join("results.json");
    let results_arg = results.display().to_string();
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--output", &results_arg]);
    let sandboxes = Sandboxes::new();
    let marker = marker(test);
    let o = output_within(
        jetconform(&all, dir, &sandboxes, &marker),
        Duration::from_secs(120),
    )
    .unwrap_or_else(|e| panic!("{test}: {e}"));
    assert_eq!(
        survivors(&marker),
        Vec::<String>::new(),
        "{test}: processes left"
    );
    assert_eq!(
        sandboxes.left(),
        Vec::<String>::new(),
        "{test}: sandboxes left"
    );
    let doc = std::fs::read(&results)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(serde_json::Value::Null);
    (doc, o)
}

/// The step records of the first trial of a results file whose function is `function`.
pub fn steps_of<'a>(doc: &'a serde_json::Value, function: &str) -> Vec<&'a serde_json::Value> {
    doc["trials"][0]["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["function"] == function)
        .collect()
}
