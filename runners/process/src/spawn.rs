//! Starting a runner process: pipes on stdin/stdout/stderr, a process group of its own so
//! that killing it also kills what it started (an `ssh`, a shell's children), and a mark in
//! its environment for what leaves the group (`descendants.rs`).

use crate::child::RunnerProcess;
use crate::descendants;
use crate::stderr::StderrTail;
use std::io;
#[cfg(target_os = "linux")]
use std::process::Child;
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
#[cfg(target_os = "linux")]
use std::sync::Mutex;

/// A started runner process with its three pipes.
pub struct Spawned {
    pub process: RunnerProcess,
    pub stdin: ChildStdin,
    pub stdout: ChildStdout,
    pub stderr: StderrTail,
}

/// Starts `argv`, its environment carrying `mark`.
pub fn spawn(argv: &[String], mark: &str) -> io::Result<Spawned> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no command"))?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env(descendants::ENV, descendants::env_value(mark));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own group: the watchdog kills the group, so a runner started through a shell or
        // a wrapper leaves no process behind that holds the pipes open.
        cmd.process_group(0);
    }
    #[cfg(target_os = "linux")]
    let mut child = {
        die_with_parent(&mut cmd);
        spawn_from_spawner(cmd)?
    };
    #[cfg(not(target_os = "linux"))]
    let mut child = cmd.spawn()?;
    let missing = || io::Error::other("a pipe of the child is missing");
    let stdin = child.stdin.take().ok_or_else(missing)?;
    let stdout = child.stdout.take().ok_or_else(missing)?;
    let stderr = StderrTail::collect(child.stderr.take().ok_or_else(missing)?);
    Ok(Spawned {
        process: RunnerProcess::new(child, mark.to_string()),
        stdin,
        stdout,
        stderr,
    })
}

/// In its own group the runner no longer gets the terminal's Ctrl-C; so that a hung runner
/// does not outlive an interrupted jetconform, Linux kills it when its parent goes. Strictly,
/// when the *thread* that started it ends: hence `spawn_from_spawner`.
#[cfg(target_os = "linux")]
fn die_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id();
    // SAFETY: the closure runs between fork and exec and calls only async-signal-safe
    // functions (prctl, getppid, _exit); it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(io::Error::last_os_error());
            }
            // The parent may have died before the prctl: then nobody would ever kill us.
            if libc::getppid() as u32 != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
}

/// Starts `cmd` on a thread that lives as long as the process. The parent-death signal fires
/// when the starting thread ends, and a runner process outlives the trial thread that first
/// needed it (`--isolate run` hands idle processes from thread to thread).
#[cfg(target_os = "linux")]
fn spawn_from_spawner(mut cmd: Command) -> io::Result<Child> {
    use std::sync::mpsc;
    use std::sync::OnceLock;
    type Job = (Command, mpsc::Sender<io::Result<Child>>);
    static SPAWNER: OnceLock<Option<Mutex<mpsc::Sender<Job>>>> = OnceLock::new();
    let spawner = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("runner-spawner".into())
            .spawn(move || {
                // The sender lives in a static: this loop, and the thread, end with the process.
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
            });
        thread.ok().map(|_| Mutex::new(tx))
    });
    let Some(spawner) = spawner else {
        // No thread to be had: start it here, with the caveat above.
        return cmd.spawn();
    };
    let (reply, answer) = mpsc::channel();
    let sent = spawner
        .lock()
        .map_err(|_| io::Error::other("the spawner's lock is poisoned"))?
        .send((cmd, reply));
    if sent.is_err() {
        return Err(io::Error::other("the spawner thread is gone"));
    }
    answer
        .recv()
        .map_err(|_| io::Error::other("the spawner thread is gone"))?
}
