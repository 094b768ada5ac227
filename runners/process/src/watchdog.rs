//! The per-call watchdog: a thread that kills the runner when a call takes longer than the
//! time allowed. The caller blocks on the pipe as usual; the kill closes the pipe, the read
//! returns, and `disarm` tells the caller that it was the watchdog.
//!
//! Arming costs two uncontended lock operations and no wake-up: the thread never sleeps
//! longer than one timeout, so a deadline set now (now + timeout) can never be earlier than
//! its next wake-up. That keeps the watchdog off the hot path of fast calls.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Watchdog {
    shared: Arc<Shared>,
    timeout: Duration,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    fired: AtomicBool,
}

#[derive(Default)]
struct State {
    deadline: Option<Instant>,
    stop: bool,
}

impl Watchdog {
    /// Starts the thread; `kill` runs (on it) when an armed deadline passes.
    pub fn start(timeout: Duration, kill: impl Fn() + Send + 'static) -> std::io::Result<Watchdog> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            fired: AtomicBool::new(false),
        });
        let s = shared.clone();
        let thread = std::thread::Builder::new()
            .name("runner-watchdog".into())
            .spawn(move || watch(&s, timeout, kill))?;
        Ok(Watchdog {
            shared,
            timeout,
            thread: Some(thread),
        })
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Starts counting the time allowed for one answer.
    pub fn arm(&self) {
        if let Ok(mut st) = self.shared.state.lock() {
            st.deadline = Some(Instant::now() + self.timeout);
        }
    }

    /// Stops counting; true when the deadline had passed and the runner was killed.
    pub fn disarm(&self) -> bool {
        if let Ok(mut st) = self.shared.state.lock() {
            st.deadline = None;
        }
        self.fired()
    }

    pub fn fired(&self) -> bool {
        self.shared.fired.load(Ordering::SeqCst)
    }
}

fn watch(s: &Shared, period: Duration, kill: impl Fn()) {
    let Ok(mut st) = s.state.lock() else { return };
    loop {
        if st.stop {
            return;
        }
        let now = Instant::now();
        let wait = match st.deadline {
            Some(d) if now >= d => {
                st.deadline = None;
                s.fired.store(true, Ordering::SeqCst);
                drop(st);
                kill();
                st = match s.state.lock() {
                    Ok(g) => g,
                    Err(_) => return,
                };
                continue;
            }
            Some(d) => d - now,
            None => period,
        };
        st = match s.wake.wait_timeout(st, wait) {
            Ok((g, _)) => g,
            Err(_) => return,
        };
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Ok(mut st) = self.shared.state.lock() {
            st.stop = true;
        }
        self.shared.wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn fires_only_when_a_deadline_passes() {
        let kills = Arc::new(AtomicUsize::new(0));
        let k = kills.clone();
        let w = Watchdog::start(Duration::from_millis(100), move || {
            k.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
        // Quick calls, spread over more than one timeout: never fires.
        for _ in 0..15 {
            w.arm();
            std::thread::sleep(Duration::from_millis(10));
            assert!(!w.disarm());
        }
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(kills.load(Ordering::SeqCst), 0);
        w.arm();
        std::thread::sleep(Duration::from_millis(400));
        assert!(w.disarm());
        assert_eq!(kills.load(Ordering::SeqCst), 1);
    }
}
