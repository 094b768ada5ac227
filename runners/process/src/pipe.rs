//! Reading a runner's stdout without trusting an end of file to come. Any descendant of
//! the runner that inherited its stdout (a forked child, a daemon after `setsid()`) keeps
//! the pipe open after the runner is gone. So a read waits for data with a deadline (the
//! call's timeout) and, every `SLICE`, looks whether the runner itself has exited: then what
//! it wrote is read and the output is over, whoever else holds the pipe. Elsewhere a read
//! blocks on the pipe, and the watchdog's kill at the deadline ends it.
#![cfg_attr(not(unix), allow(dead_code))]

use crate::child::RunnerProcess;
use std::io::{self, Read};
use std::process::ChildStdout;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often a read that waits looks whether the runner exited.
const SLICE: Duration = Duration::from_millis(100);

pub struct PipeReader {
    stdout: ChildStdout,
    process: Arc<Mutex<RunnerProcess>>,
    /// A read waiting past it fails with `TimedOut`.
    pub deadline: Option<Instant>,
}

impl PipeReader {
    pub fn new(stdout: ChildStdout, process: Arc<Mutex<RunnerProcess>>) -> PipeReader {
        PipeReader {
            stdout,
            process,
            deadline: None,
        }
    }

    /// Whether nobody holds the pipe's other end any more (the runner and all it started
    /// closed it or are gone).
    pub fn abandoned(&self) -> bool {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            matches!(wait(self.stdout.as_raw_fd(), Duration::ZERO), Ready::Hangup)
        }
        #[cfg(not(unix))]
        {
            true
        }
    }

    fn runner_exited(&self) -> bool {
        self.process.lock().map(|mut p| p.exited()).unwrap_or(true)
    }
}

impl Read for PipeReader {
    #[cfg(unix)]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::os::fd::AsRawFd;
        let fd = self.stdout.as_raw_fd();
        loop {
            let slice = match self.deadline {
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => left.min(SLICE),
                    _ => {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            "no answer before the deadline",
                        ))
                    }
                },
                None => SLICE,
            };
            match wait(fd, slice) {
                Ready::Data | Ready::Hangup => return self.stdout.read(buf),
                Ready::Interrupted => continue,
                Ready::Nothing => {
                    // Exited while we waited: anything it wrote is in the pipe by now.
                    if self.runner_exited() {
                        return match wait(fd, Duration::ZERO) {
                            Ready::Data | Ready::Hangup => self.stdout.read(buf),
                            _ => Ok(0),
                        };
                    }
                }
            }
        }
    }

    #[cfg(not(unix))]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Without poll(2) on a pipe, the watchdog's kill is what ends a read that waits.
        self.stdout.read(buf)
    }
}

#[cfg(unix)]
enum Ready {
    Data,
    Hangup,
    Nothing,
    Interrupted,
}

/// poll(2) on one descriptor for up to `within`.
#[cfg(unix)]
fn wait(fd: std::os::fd::RawFd, within: Duration) -> Ready {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // Rounded up: a wait of 0.4 ms must not become a busy loop of zero-length polls.
    let ms = within.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32;
    // SAFETY: one valid pollfd, on this stack, for the duration of the call.
    let r = unsafe { libc::poll(&mut p, 1, ms) };
    if r < 0 {
        return match io::Error::last_os_error().kind() {
            io::ErrorKind::Interrupted => Ready::Interrupted,
            // Let the read report it.
            _ => Ready::Hangup,
        };
    }
    if r == 0 {
        return Ready::Nothing;
    }
    if p.revents & libc::POLLIN != 0 {
        Ready::Data
    } else {
        // POLLHUP, POLLERR, POLLNVAL: a read returns at once (end of file or the error).
        Ready::Hangup
    }
}
