//! `JET_PFNSTATUS` callbacks (spec 1.2): one trampoline records every invocation of the
//! innermost call that passed a callback, and makes the scenario's `nested` call from inside
//! the first invocation (how the corpus provokes `JET_errRestoreInProgress` during a restore,
//! spec 13). The engine always passes `sesid = JET_sesidNil` and ignores the return value.
//!
//! State lives in a thread-local stack, since the trampoline is a plain C function pointer:
//! the engine calls it on the calling thread, during the call that passed it.

use crate::abi::{JetApiPtr, JetSnprog};
use crate::caller::Caller;
use jetconform_interface::{Call, CallbackEvent, Observation};
use std::cell::RefCell;
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// `JET_sntFail`: its `pv` is not a `JET_SNPROG`.
const SNT_FAIL: u32 = 3;

struct Recording {
    events: Vec<CallbackEvent>,
    nested: Option<Call>,
    nested_observation: Option<Observation>,
    caller: Arc<Caller>,
}

thread_local! {
    static STACK: RefCell<Vec<Recording>> = const { RefCell::new(Vec::new()) };
}

/// What a callback saw during one call.
pub struct Recorded {
    pub events: Vec<CallbackEvent>,
    pub nested: Option<Observation>,
}

/// Records callback invocations while it lives; `finish` returns them.
pub struct Guard {
    depth: usize,
}

impl Guard {
    pub fn begin(nested: Option<Call>, caller: Arc<Caller>) -> Guard {
        STACK.with(|s| {
            let mut s = s.borrow_mut();
            s.push(Recording {
                events: Vec::new(),
                nested,
                nested_observation: None,
                caller,
            });
            Guard { depth: s.len() }
        })
    }

    pub fn finish(self) -> Recorded {
        let r = STACK.with(|s| {
            let mut s = s.borrow_mut();
            s.truncate(self.depth);
            s.pop()
        });
        std::mem::forget(self);
        match r {
            Some(r) => Recorded {
                events: r.events,
                nested: r.nested_observation,
            },
            None => Recorded {
                events: Vec::new(),
                nested: None,
            },
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let depth = self.depth;
        STACK.with(|s| s.borrow_mut().truncate(depth.saturating_sub(1)));
    }
}

/// The `JET_PFNSTATUS` passed for every scenario callback.
///
/// # Safety
/// Called by the engine as `JET_PFNSTATUS` (spec 1.2): `pv` is NULL or a `JET_SNPROG*`.
pub unsafe extern "system" fn trampoline(
    _sesid: JetApiPtr,
    snp: u32,
    snt: u32,
    pv: *mut c_void,
) -> i32 {
    let prog = if pv.is_null() || snt == SNT_FAIL {
        None
    } else {
        // SAFETY: for progress, begin and complete notifications the engine passes a
        // `JET_SNPROG*` (spec 1.2), valid during the callback; read unaligned to be safe.
        Some(unsafe { std::ptr::read_unaligned(pv as *const JetSnprog) })
    };
    let event = CallbackEvent {
        snp,
        snt,
        done: prog.map(|p| p.cunit_done),
        total: prog.map(|p| p.cunit_total),
    };
    // A panic must not unwind into the engine's C frames.
    let _ = catch_unwind(AssertUnwindSafe(|| record(event)));
    0
}

fn record(event: CallbackEvent) {
    let todo = STACK.with(|s| {
        let mut s = s.borrow_mut();
        let depth = s.len();
        let top = s.last_mut()?;
        top.events.push(event);
        if top.events.len() == 1 {
            top.nested
                .take()
                .map(|n| (depth, n, Arc::clone(&top.caller)))
        } else {
            None
        }
    });
    // The nested call runs with no borrow held: it may push a recording of its own.
    if let Some((depth, call, caller)) = todo {
        let observation = caller.call(&call);
        STACK.with(|s| {
            if let Some(r) = s.borrow_mut().get_mut(depth - 1) {
                r.nested_observation = Some(observation);
            }
        });
    }
}
