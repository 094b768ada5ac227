//! Stopping every runner process at once (jetconform got SIGINT or SIGTERM): each live
//! runner is killed with its group and its marked descendants, so that the calls waiting on
//! them return at once, and no runner is started afterwards.

use crate::child::RunnerProcess;
use std::sync::{Arc, Mutex, Weak};

struct Live {
    interrupted: bool,
    processes: Vec<Weak<Mutex<RunnerProcess>>>,
}

static LIVE: Mutex<Live> = Mutex::new(Live {
    interrupted: false,
    processes: Vec::new(),
});

/// Records a started runner process, so that `interrupt` can kill it. False when the run was
/// interrupted already: the caller kills it instead of using it.
pub fn register(process: &Arc<Mutex<RunnerProcess>>) -> bool {
    let Ok(mut live) = LIVE.lock() else {
        return true;
    };
    if live.interrupted {
        return false;
    }
    live.processes.retain(|w| w.strong_count() > 0);
    live.processes.push(Arc::downgrade(process));
    true
}

/// Kills every runner process started so far, and refuses to start others.
pub fn interrupt() {
    let processes = match LIVE.lock() {
        Ok(mut live) => {
            live.interrupted = true;
            std::mem::take(&mut live.processes)
        }
        Err(_) => return,
    };
    for p in processes.iter().filter_map(Weak::upgrade) {
        if let Ok(mut p) = p.lock() {
            p.kill();
        }
    }
}

/// Whether `interrupt` was called.
pub fn interrupted() -> bool {
    LIVE.lock().map(|l| l.interrupted).unwrap_or(false)
}
