//! Turns a runner process's exit status into words: the exit code, the signal that killed
//! it, or the Windows exception (an NTSTATUS) that ended it.
//!
//! A Windows process that dies of an unhandled exception exits with the exception code as
//! its exit code (0xC0000005 for an access violation), so the code alone tells a crash from
//! an ordinary exit. Seen through ssh from another system only its low 8 bits survive; a
//! runner that wants the whole code known reports it itself (an `error` answer of kind
//! `crashed`, docs/protocol.md).

use std::process::ExitStatus;

/// `exited with status 3`, `killed by signal 11 (SIGSEGV, core dumped)`,
/// `exception 0xC0000005 (STATUS_ACCESS_VIOLATION)`.
pub fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return describe_signal(sig, status.core_dumped());
        }
    }
    match status.code() {
        Some(code) => describe_code(code),
        None => format!("ended with {status}"),
    }
}

/// Describes an exit code, decoding NTSTATUS error and warning codes (severity bits set).
pub fn describe_code(code: i32) -> String {
    let bits = code as u32;
    // Severity 0b11 (error) or 0b10 (warning, e.g. STATUS_BREAKPOINT): an exception, not a
    // status a program would choose.
    if bits >= 0x8000_0000 {
        return match ntstatus_name(bits) {
            Some(name) => format!("exception 0x{bits:08X} ({name})"),
            None => format!("exception 0x{bits:08X}"),
        };
    }
    format!("exited with status {code}")
}

/// The NTSTATUS codes a crashing process ends with in practice.
pub fn ntstatus_name(code: u32) -> Option<&'static str> {
    Some(match code {
        0x8000_0002 => "STATUS_DATATYPE_MISALIGNMENT",
        0x8000_0003 => "STATUS_BREAKPOINT",
        0x8000_0004 => "STATUS_SINGLE_STEP",
        0xC000_0005 => "STATUS_ACCESS_VIOLATION",
        0xC000_0006 => "STATUS_IN_PAGE_ERROR",
        0xC000_0008 => "STATUS_INVALID_HANDLE",
        0xC000_0017 => "STATUS_NO_MEMORY",
        0xC000_001D => "STATUS_ILLEGAL_INSTRUCTION",
        0xC000_0025 => "STATUS_NONCONTINUABLE_EXCEPTION",
        0xC000_008C => "STATUS_ARRAY_BOUNDS_EXCEEDED",
        0xC000_008E => "STATUS_FLOAT_DIVIDE_BY_ZERO",
        0xC000_0094 => "STATUS_INTEGER_DIVIDE_BY_ZERO",
        0xC000_0095 => "STATUS_INTEGER_OVERFLOW",
        0xC000_0096 => "STATUS_PRIVILEGED_INSTRUCTION",
        0xC000_00FD => "STATUS_STACK_OVERFLOW",
        0xC000_0135 => "STATUS_DLL_NOT_FOUND",
        0xC000_0139 => "STATUS_ENTRYPOINT_NOT_FOUND",
        0xC000_013A => "STATUS_CONTROL_C_EXIT",
        0xC000_0142 => "STATUS_DLL_INIT_FAILED",
        0xC000_0374 => "STATUS_HEAP_CORRUPTION",
        0xC000_0409 => "STATUS_STACK_BUFFER_OVERRUN",
        0xC000_0417 => "STATUS_INVALID_CRUNTIME_PARAMETER",
        0xC000_041D => "STATUS_FATAL_USER_CALLBACK_EXCEPTION",
        0xC000_0420 => "STATUS_ASSERTION_FAILURE",
        0xE06D_7363 => "C++ exception",
        _ => return None,
    })
}

/// `killed by signal 11 (SIGSEGV)`.
#[cfg(unix)]
pub fn describe_signal(sig: i32, core_dumped: bool) -> String {
    let core = if core_dumped { ", core dumped" } else { "" };
    match signal_name(sig) {
        Some(name) => format!("killed by signal {sig} ({name}{core})"),
        None if core_dumped => format!("killed by signal {sig} (core dumped)"),
        None => format!("killed by signal {sig}"),
    }
}

#[cfg(unix)]
fn signal_name(sig: i32) -> Option<&'static str> {
    // Numbers differ between Unix systems, so match on libc's constants, not literals.
    Some(match sig {
        libc::SIGHUP => "SIGHUP",
        libc::SIGINT => "SIGINT",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGILL => "SIGILL",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGUSR1 => "SIGUSR1",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGUSR2 => "SIGUSR2",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGALRM => "SIGALRM",
        libc::SIGTERM => "SIGTERM",
        libc::SIGSYS => "SIGSYS",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(describe_code(0), "exited with status 0");
        assert_eq!(describe_code(3), "exited with status 3");
        assert_eq!(
            describe_code(0xC000_0005_u32 as i32),
            "exception 0xC0000005 (STATUS_ACCESS_VIOLATION)"
        );
        assert_eq!(
            describe_code(0xC000_0409_u32 as i32),
            "exception 0xC0000409 (STATUS_STACK_BUFFER_OVERRUN)"
        );
        assert_eq!(
            describe_code(0x8000_0003_u32 as i32),
            "exception 0x80000003 (STATUS_BREAKPOINT)"
        );
        assert_eq!(
            describe_code(0xC0DE_0001_u32 as i32),
            "exception 0xC0DE0001"
        );
    }

    #[cfg(unix)]
    #[test]
    fn signals() {
        assert_eq!(
            describe_signal(libc::SIGSEGV, false),
            format!("killed by signal {} (SIGSEGV)", libc::SIGSEGV)
        );
        assert_eq!(
            describe_signal(libc::SIGABRT, true),
            format!("killed by signal {} (SIGABRT, core dumped)", libc::SIGABRT)
        );
        assert_eq!(describe_signal(77, false), "killed by signal 77");
    }

    #[cfg(unix)]
    #[test]
    fn real_statuses() {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            describe(ExitStatus::from_raw(3 << 8)),
            "exited with status 3"
        );
        assert_eq!(
            describe(ExitStatus::from_raw(libc::SIGKILL)),
            format!("killed by signal {} (SIGKILL)", libc::SIGKILL)
        );
    }
}
