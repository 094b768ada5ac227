//! The process-global engine (spec 4.1) and re-entry from status callbacks.
//!
//! A status callback (spec 1.2) runs while the engine is in the middle of a call; when it
//! calls back into the library (the corpus does, to provoke -506 during a restore), that
//! nested call must reach the same engine without waiting for the lock its own outer call
//! holds. The engine the callback was given is published in a thread-local for the duration
//! of the callback.

use jetconform_interface::{ErrorCode, WinVersion};
use jetconform_mock::Engine;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Mutex;

static ENGINE: Mutex<Option<Engine>> = Mutex::new(None);

thread_local! {
    static REENTRANT: Cell<*mut Engine> = const { Cell::new(std::ptr::null_mut()) };
}

/// The version named by `JETCONFORM_MOCK_VERSION` (default win11).
pub fn version() -> WinVersion {
    std::env::var(jetconform_ffi::VERSION_ENV)
        .ok()
        .and_then(|v| WinVersion::parse(v.trim()))
        .unwrap_or(WinVersion::Win11)
}

/// The profile named by `JETCONFORM_MOCK_VERSION` and `JETCONFORM_MOCK_PROFILE` (an engine
/// build other than esent.dll, spec 15.8, which fixes the release).
pub fn profile() -> jetconform_mock::Profile {
    let build = std::env::var(jetconform_ffi::PROFILE_ENV)
        .ok()
        .and_then(|p| jetconform_interface::EngineBuild::parse(p.trim()));
    match build {
        Some(b) => jetconform_mock::Profile::for_build(b),
        None => jetconform_mock::Profile::for_version(version()),
    }
}

/// `JET_errInternalError`: what a panic inside the model is answered with.
const INTERNAL: ErrorCode = ErrorCode(-107);

/// Runs `f` on the engine (created on first use), or on the engine of the callback this
/// thread is inside. A panic in the model becomes `JET_errInternalError`, never an unwind
/// into the caller's C frames.
pub fn with_engine(f: impl FnOnce(&mut Engine) -> ErrorCode) -> i32 {
    let r = catch_unwind(AssertUnwindSafe(|| {
        let p = REENTRANT.with(|r| r.get());
        if !p.is_null() {
            // SAFETY: `p` was published by `in_callback` from the `&mut Engine` the running
            // status callback received; the outer call does not touch the engine until the
            // callback returns, and `in_callback` clears `p` before that.
            return f(unsafe { &mut *p });
        }
        let mut guard = ENGINE.lock().unwrap_or_else(|e| e.into_inner());
        let engine = guard.get_or_insert_with(|| {
            let root = std::env::current_dir().unwrap_or_else(|_| ".".into());
            Engine::with_profile(profile(), &root)
        });
        f(engine)
    }));
    r.unwrap_or(INTERNAL).0
}

/// Whether the engine exists yet, and if so whether its release exports `f`.
pub fn exported(f: jetconform_interface::Function) -> bool {
    let p = REENTRANT.with(|r| r.get());
    if !p.is_null() {
        // SAFETY: as in `with_engine`.
        return unsafe { &*p }.profile.exports(f);
    }
    let guard = ENGINE.lock().unwrap_or_else(|e| e.into_inner());
    match guard.as_ref() {
        Some(e) => e.profile.exports(f),
        // Asked before the first call: answer for the release the engine will have.
        None => profile().exports(f),
    }
}

/// Runs `f` (which calls the caller's C callback) with `e` published for re-entry.
pub fn in_callback<R>(e: &mut Engine, f: impl FnOnce() -> R) -> R {
    struct Reset(*mut Engine);
    impl Drop for Reset {
        fn drop(&mut self) {
            let prev = self.0;
            REENTRANT.with(|r| r.set(prev));
        }
    }
    let prev = REENTRANT.with(|r| r.replace(e as *mut Engine));
    let _reset = Reset(prev);
    f()
}
