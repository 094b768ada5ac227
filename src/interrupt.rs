//! Ctrl-C (SIGINT) and SIGTERM during a run: the first stops it cleanly (no new trial starts,
//! runner processes are killed with their descendants, sandboxes are removed, the results
//! gathered so far are written marked partial, and the run exits 130 or 143); a second one
//! ends the process at once.

use std::sync::atomic::{AtomicI32, Ordering};

static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// Starts listening for SIGINT and SIGTERM (once per process; a no-op off Unix).
pub fn install() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use signal_hook::consts::{SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("signals".into())
                .spawn(move || {
                    for sig in signals.forever() {
                        if RECEIVED
                            .compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst)
                            .is_err()
                        {
                            // Asked twice: no more waiting.
                            std::process::exit(128 + sig);
                        }
                        jetconform_process::interrupt::interrupt();
                    }
                });
        });
    }
}

/// The signal received, if any.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// `SIGINT`, `SIGTERM`.
pub fn name(signal: i32) -> String {
    match signal {
        2 => "SIGINT".into(),
        15 => "SIGTERM".into(),
        s => format!("signal {s}"),
    }
}

/// The exit status after `signal`: 128 + its number (130, 143), as a shell reports it.
pub fn exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(1)
}
