//! The last bytes a runner wrote to its stderr, kept for crash and protocol-error reports.

use std::io::Read;
use std::process::ChildStderr;
use std::sync::{Arc, Condvar, Mutex};

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
    /// Starts draining `stderr` on a thread of its own.
    pub fn collect(mut stderr: ChildStderr) -> StderrTail {
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
