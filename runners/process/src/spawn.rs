//! Starting a runner process: the command line of a `process:` spec split into words, pipes
//! on stdin/stdout/stderr, and a process group of its own so that killing it also kills what
//! it started (an `ssh`, a shell's children).

use std::io::{self, Read};
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};

/// Why a command line could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("unterminated {0} quote")]
    Unterminated(&'static str),
    #[error("a backslash ends the command")]
    TrailingBackslash,
    #[error("no command given")]
    Empty,
}

/// Splits a command line into words the way a POSIX shell does, without expansions:
/// blanks separate words; `'...'` is literal; in `"..."` a backslash escapes `"`, `\`, `$`
/// and `` ` `` only; elsewhere a backslash escapes any character. So Windows paths need
/// quotes: `'C:\tools\agent.exe'`.
pub fn split_words(line: &str) -> Result<Vec<String>, SplitError> {
    let mut words = Vec::new();
    let mut word = String::new();
    // A word exists as soon as anything was written for it, even `''` (an empty argument).
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(SplitError::Unterminated("single")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(SplitError::Unterminated("double")),
                        },
                        Some(c) => word.push(c),
                        None => return Err(SplitError::Unterminated("double")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err(SplitError::TrailingBackslash),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if words.is_empty() {
        return Err(SplitError::Empty);
    }
    Ok(words)
}

/// A started runner process with its three pipes.
pub struct Spawned {
    pub child: Child,
    pub stdin: ChildStdin,
    pub stdout: ChildStdout,
    pub stderr: StderrTail,
}

pub fn spawn(argv: &[String]) -> io::Result<Spawned> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no command"))?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
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
        child,
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

/// Kills the runner and everything in its process group. Must be called before the child is
/// reaped (its pid, hence its group id, stays reserved until then).
pub fn kill(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) has no memory-safety preconditions; -pid names the group the child
        // leads (process_group(0) above).
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
}

/// The last bytes a runner wrote to its stderr, kept for crash reports. A thread drains the
/// pipe so that a chatty runner never blocks on a full pipe.
#[derive(Clone)]
pub struct StderrTail {
    shared: Arc<(Mutex<TailState>, Condvar)>,
}

#[derive(Default)]
struct TailState {
    bytes: Vec<u8>,
    closed: bool,
}

/// Bytes kept; the report shows the last lines of these.
const TAIL_BYTES: usize = 4096;

impl StderrTail {
    fn collect(mut stderr: ChildStderr) -> StderrTail {
        let tail = StderrTail {
            shared: Arc::new((Mutex::new(TailState::default()), Condvar::new())),
        };
        let shared = tail.shared.clone();
        let spawned = std::thread::Builder::new()
            .name("runner-stderr".into())
            .spawn(move || {
                let mut buf = [0u8; 4096];
                loop {
                    let n = match stderr.read(&mut buf) {
                        Ok(0) | Err(_) => 0,
                        Ok(n) => n,
                    };
                    let Ok(mut st) = shared.0.lock() else { return };
                    if n == 0 {
                        st.closed = true;
                        shared.1.notify_all();
                        return;
                    }
                    st.bytes.extend_from_slice(&buf[..n]);
                    if st.bytes.len() > 2 * TAIL_BYTES {
                        let cut = st.bytes.len() - TAIL_BYTES;
                        st.bytes.drain(..cut);
                    }
                }
            });
        if spawned.is_err() {
            // No thread: nobody will drain it, so say it is closed rather than wait for it.
            if let Ok(mut st) = tail.shared.0.lock() {
                st.closed = true;
            }
        }
        tail
    }

    /// The last lines written, waiting up to `wait` for the runner to close its stderr (a
    /// crashed runner's last words arrive just after its stdout closes).
    pub fn last_lines(&self, wait: std::time::Duration) -> String {
        let (lock, cv) = &*self.shared;
        let Ok(guard) = lock.lock() else {
            return String::new();
        };
        let guard = match cv.wait_timeout_while(guard, wait, |st| !st.closed) {
            Ok((g, _)) => g,
            Err(_) => return String::new(),
        };
        let start = guard.bytes.len().saturating_sub(TAIL_BYTES);
        let text = String::from_utf8_lossy(&guard.bytes[start..]);
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.is_empty())
            .collect();
        let last = &lines[lines.len().saturating_sub(8)..];
        crate::text::truncate(&last.join(" | "), 600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(line: &str) -> Vec<String> {
        split_words(line).unwrap()
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            s("jetconform serve --runner mock"),
            ["jetconform", "serve", "--runner", "mock"]
        );
        assert_eq!(
            s("  ssh   winbox  'C:\\jc\\jetconform.exe' serve "),
            ["ssh", "winbox", "C:\\jc\\jetconform.exe", "serve"]
        );
        assert_eq!(
            s(r#"a "b c" d\ e '' "x\"y\z""#),
            ["a", "b c", "d e", "", "x\"y\\z"]
        );
        assert_eq!(s("a'b'\"c\"d"), ["abcd"]);
        assert_eq!(
            s(r#"ssh winbox "C:\jc\jetconform.exe" serve"#),
            ["ssh", "winbox", "C:\\jc\\jetconform.exe", "serve"]
        );
        assert_eq!(s(r"C:\jc\x.exe"), ["C:jcx.exe"]);
        assert_eq!(split_words("a 'b"), Err(SplitError::Unterminated("single")));
        assert_eq!(
            split_words("a \"b"),
            Err(SplitError::Unterminated("double"))
        );
        assert_eq!(split_words("a \\"), Err(SplitError::TrailingBackslash));
        assert_eq!(split_words("   "), Err(SplitError::Empty));
    }
}
