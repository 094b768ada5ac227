//! Wine's unimplemented exports (its own esent.dll is made of them) raise
//! `EXCEPTION_WINE_STUB` (0x80000100), which nothing can handle: the stub raises it again if
//! a handler returns. The stub that raises it has no Windows unwind information, so the
//! frame-based search that follows treats it as a leaf function and takes a stale word of
//! this thread's stack for its return address: the search then wanders through whatever
//! earlier calls left there. Depending on that, the process ends with the exception code as
//! its exit status (an unhandled exception), or the search faults over and over inside the
//! unwinder until the stack overflows and Wine ends the process with status 0, which the
//! harness could only report as a clean exit. So at this exception the process ends at once
//! with its code, before any search: what an unhandled exception ends with, whatever the
//! stack holds.

use windows_sys::Win32::System::Diagnostics::Debug::{
    AddVectoredExceptionHandler, EXCEPTION_CONTINUE_SEARCH, EXCEPTION_POINTERS,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, TerminateProcess};

/// Wine's code for a call to an export it does not implement.
pub const EXCEPTION_WINE_STUB: u32 = 0x8000_0100;

/// Installs the handler, once per process.
pub fn end_process_at_wine_stubs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: registers a function with the signature the API expects; it stays
        // registered for the life of the process.
        unsafe {
            AddVectoredExceptionHandler(1, Some(handler));
        }
    });
}

/// Vectored handlers run before any frame-based handler, hence before the unwinding above.
unsafe extern "system" fn handler(info: *mut EXCEPTION_POINTERS) -> i32 {
    // SAFETY: the system passes valid exception pointers (null-checked all the same).
    let code = unsafe {
        match info.as_ref().and_then(|i| i.ExceptionRecord.as_ref()) {
            Some(r) => r.ExceptionCode as u32,
            None => return EXCEPTION_CONTINUE_SEARCH,
        }
    };
    if ends_process(code) {
        // SAFETY: ends this process; nothing runs after it.
        unsafe {
            TerminateProcess(GetCurrentProcess(), code);
        }
    }
    EXCEPTION_CONTINUE_SEARCH
}

/// Whether an exception is one the process is ended at.
fn ends_process(code: u32) -> bool {
    code == EXCEPTION_WINE_STUB
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_wine_stub_exception_ends_the_process() {
        assert!(ends_process(EXCEPTION_WINE_STUB));
        // An access violation or a C++ exception is the library's to handle, or not.
        assert!(!ends_process(0xC000_0005));
        assert!(!ends_process(0xE06D_7363));
    }
}
