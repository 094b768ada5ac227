//! A started runner process and everything it started. Its process group and its mark
//! (`descendants.rs`) are killed together; it is reaped only after its group was killed, so
//! that its pid, which names the group, stays reserved until then.

use crate::descendants;
use std::process::{Child, ExitStatus};

pub struct RunnerProcess {
    child: Child,
    /// Carried in the environment of the process and of everything it starts.
    mark: String,
    /// Set once reaped.
    status: Option<ExitStatus>,
}

impl RunnerProcess {
    pub fn new(child: Child, mark: String) -> RunnerProcess {
        RunnerProcess {
            child,
            mark,
            status: None,
        }
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    pub fn mark(&self) -> &str {
        &self.mark
    }

    /// Whether the process has exited (reaped or not). Does not reap it.
    pub fn exited(&mut self) -> bool {
        if self.status.is_some() {
            return true;
        }
        #[cfg(target_os = "linux")]
        {
            peek_exited(self.child.id())
        }
        #[cfg(not(target_os = "linux"))]
        {
            match self.child.try_wait() {
                Ok(Some(s)) => {
                    self.status = Some(s);
                    true
                }
                Ok(None) => false,
                Err(_) => true,
            }
        }
    }

    /// Kills the process, its whole group (whether the process itself still lives or not),
    /// and every process carrying its mark.
    pub fn kill(&mut self) {
        self.kill_group();
        descendants::kill_marked(&self.mark);
    }

    /// Kills what is left of its group, then waits for it: its exit status.
    pub fn reap(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.kill_group();
            self.status = self.child.wait().ok();
        }
        self.status
    }

    /// Kills every process carrying its mark (those that left its group included).
    pub fn sweep(&self) {
        descendants::kill_marked(&self.mark);
    }

    fn kill_group(&mut self) {
        if self.status.is_some() {
            // Reaped: the group id may name another group by now.
            return;
        }
        #[cfg(unix)]
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) has no memory-safety preconditions; -pid names the group the
            // child leads (spawn.rs), reserved while the child is not reaped.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
    }
}

/// waitid with WNOWAIT: the child's state, leaving it to be reaped later.
#[cfg(target_os = "linux")]
fn peek_exited(pid: u32) -> bool {
    let pid: libc::id_t = pid;
    // SAFETY: waitid writes one siginfo_t, which lives on this stack; WNOHANG makes it
    // return at once.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let r = libc::waitid(
            libc::P_PID,
            pid,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        );
        // 0 with si_pid 0: still running; an error (ECHILD): nothing left to wait for.
        r != 0 || info.si_pid() != 0
    }
}

impl Drop for RunnerProcess {
    fn drop(&mut self) {
        if self.status.is_none() {
            self.kill();
            self.reap();
        }
    }
}
