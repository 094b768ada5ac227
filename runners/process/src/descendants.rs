//! Every process a runner started, wherever it went. A runner's process group holds what it
//! starts, unless a descendant leaves the group (`setsid()`, a daemon): then killing the
//! group misses it, and a descendant that kept the runner's stdout keeps jetconform waiting
//! for an end of file that never comes. So each runner process is started with a mark in its
//! environment (`JETCONFORM_DESCENDANT_OF`), which its descendants inherit through any
//! fork, setsid or exec that keeps the environment; `kill_marked` finds and kills every
//! process carrying a mark (Linux: /proc/PID/environ). Elsewhere it finds nothing and only
//! the process group is killed.

/// The environment variable holding the marks of the runners a process descends from,
/// separated by spaces (a runner started by a served jetconform carries both marks).
pub const ENV: &str = "JETCONFORM_DESCENDANT_OF";

/// The marks of one `ProcessRunner`: `jc<pid>r<n>c`, followed for each process it starts by
/// that process's number and a dot (`jc4242r1c7.`). A mark never occurs inside another:
/// `jc4242r1c` is no part of `jc4242r12c3.` and `jc4242r1c7.` no part of `jc4242r1c71.`.
#[derive(Debug)]
pub struct Marks {
    prefix: String,
    next: std::sync::atomic::AtomicU64,
}

impl Marks {
    /// A family of marks of its own.
    pub fn new() -> Marks {
        use std::sync::atomic::{AtomicU64, Ordering};
        static RUNNERS: AtomicU64 = AtomicU64::new(1);
        let n = RUNNERS.fetch_add(1, Ordering::Relaxed);
        Marks {
            prefix: format!("jc{}r{n}c", std::process::id()),
            next: std::sync::atomic::AtomicU64::new(1),
        }
    }

    /// The mark of the next process.
    pub fn next(&self) -> String {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{}{n}.", self.prefix)
    }

    /// What every process of this family carries.
    pub fn family(&self) -> &str {
        &self.prefix
    }
}

impl Default for Marks {
    fn default() -> Marks {
        Marks::new()
    }
}

/// The value of `ENV` for a process marked `mark`: the marks this process carries, and it.
pub fn env_value(mark: &str) -> String {
    match std::env::var(ENV) {
        Ok(ours) if !ours.is_empty() => format!("{ours} {mark}"),
        _ => mark.to_string(),
    }
}

/// Kills every other process whose environment carries `mark`, until none is left (a few
/// rounds: one may fork while the others die). Returns how many were killed.
pub fn kill_marked(mark: &str) -> usize {
    let mut total = 0;
    for _ in 0..8 {
        let n = imp::kill_round(mark);
        total += n;
        if n == 0 {
            break;
        }
    }
    total
}

/// Whether an environment block (`KEY=VALUE` entries separated by NULs) carries `mark`.
fn carries(environ: &[u8], mark: &str) -> bool {
    let key = format!("{ENV}=");
    environ
        .split(|b| *b == 0)
        .filter_map(|entry| entry.strip_prefix(key.as_bytes()))
        .any(|value| value.windows(mark.len()).any(|w| w == mark.as_bytes()))
}

#[cfg(target_os = "linux")]
mod imp {
    use super::carries;

    pub fn kill_round(mark: &str) -> usize {
        let me = std::process::id();
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return 0;
        };
        let mut killed = 0;
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<i32>().ok())
            else {
                continue;
            };
            if pid as u32 == me {
                continue;
            }
            if kill_if_marked(pid, mark) {
                killed += 1;
            }
        }
        killed
    }

    /// Opens the process first (a pidfd), then reads its environment: the signal goes to
    /// the process that was read, never to another that got its pid meanwhile.
    fn kill_if_marked(pid: i32, mark: &str) -> bool {
        // SAFETY: pidfd_open takes a pid and flags; it returns a new descriptor or -1.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) } as i32;
        let marked = std::fs::read(format!("/proc/{pid}/environ"))
            .map(|env| carries(&env, mark))
            .unwrap_or(false);
        let sent = if !marked {
            false
        } else if fd >= 0 {
            // SAFETY: `fd` is the pidfd opened above; no siginfo is passed.
            unsafe {
                libc::syscall(
                    libc::SYS_pidfd_send_signal,
                    fd,
                    libc::SIGKILL,
                    std::ptr::null::<libc::siginfo_t>(),
                    0,
                ) == 0
            }
        } else {
            // A kernel without pidfds (before 5.3).
            // SAFETY: kill(2) has no memory-safety preconditions.
            unsafe { libc::kill(pid, libc::SIGKILL) == 0 }
        };
        if fd >= 0 {
            // SAFETY: closes the descriptor opened above, owned here alone.
            unsafe {
                libc::close(fd);
            }
        }
        sent
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    pub fn kill_round(mark: &str) -> usize {
        let _ = (mark, super::carries);
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_never_part_of_one_another() {
        let env = b"A=1\0JETCONFORM_DESCENDANT_OF=jc9r1c7. jc42r12c3.\0B=jc42r1c\0";
        assert!(carries(env, "jc42r12c"));
        assert!(carries(env, "jc42r12c3."));
        assert!(carries(env, "jc9r1c"));
        assert!(!carries(env, "jc42r1c"), "only in another variable");
        assert!(!carries(env, "jc42r12c31."));
        assert!(!carries(env, "jc9r1c71."));
        let m = Marks::new();
        let a = m.next();
        assert!(a.starts_with(m.family()) && a.ends_with('.'));
        assert_ne!(a, m.next());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn kills_a_marked_process_that_left_its_group() {
        use std::os::unix::process::CommandExt;
        let marks = Marks::new();
        let mark = marks.next();
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .env(ENV, env_value(&mark))
            .process_group(0)
            .spawn()
            .expect("sleep starts");
        // Its environment is readable once it has exec'd.
        let started = std::time::Instant::now();
        while kill_marked(marks.family()) == 0 {
            assert!(
                started.elapsed().as_secs() < 10,
                "never found the marked process"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let status = child.wait().expect("reaped");
        assert!(!status.success());
        assert_eq!(kill_marked(marks.family()), 0);
    }
}
