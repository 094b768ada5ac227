//! The protocol's stdout, kept for the protocol alone: a served runner that prints (a C
//! library's `printf`, a stray `println!`) would otherwise corrupt the stream of answers.
//! On Unix the real stdout is duplicated for the protocol and file descriptor 1 is pointed
//! at stderr, so anything else printed lands there.

use std::io::{self, Write};

/// The writer answers go to.
pub fn protocol_stdout() -> Box<dyn Write> {
    #[cfg(unix)]
    if let Some(f) = take_stdout() {
        return Box::new(io::BufWriter::with_capacity(64 << 10, f));
    }
    Box::new(io::BufWriter::with_capacity(64 << 10, io::stdout()))
}

#[cfg(unix)]
fn take_stdout() -> Option<std::fs::File> {
    use std::os::fd::FromRawFd;
    // Anything already buffered for fd 1 belongs before the switch.
    let _ = io::stdout().flush();
    // SAFETY: fcntl/dup2 only manipulate this process's descriptor table; the new descriptor
    // is owned by the File alone.
    unsafe {
        // Close-on-exec: a process the served runner starts must not inherit the protocol's
        // pipe (it would keep it open after the server is gone).
        let fd = libc::fcntl(1, libc::F_DUPFD_CLOEXEC, 3);
        if fd < 0 {
            return None;
        }
        if libc::dup2(2, 1) < 0 {
            libc::close(fd);
            return None;
        }
        Some(std::fs::File::from_raw_fd(fd))
    }
}
