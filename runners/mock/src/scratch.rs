//! The byte buffer an engine reads backup streams into (ReadFile through `dispatch`, and
//! JetBackup's internal copy loop), reused from one trial to the next on the same thread.
//!
//! A trial makes a fresh engine, and each engine used to allocate its buffer zero-filled:
//! for a 1 MiB read that is 1 MiB of zeros written before the first byte is read, and
//! JetBackup did it for every file it copied. A buffer's bytes beyond what a read delivered
//! are never looked at (outputs and `save_to` take the `cbActual` bytes read), so a buffer
//! left over from an earlier engine serves as well as a zeroed one. This is a cache of
//! memory, not engine state: nothing ESENT keeps per process lives here.

use std::cell::RefCell;

/// Buffers up to this size go back to the thread's pool when their engine is dropped;
/// larger ones (a scenario's 256 MiB read) are freed, so memory stays bounded.
const KEEP: usize = 8 << 20;

thread_local! {
    /// The buffer the last engine dropped on this thread left behind.
    static POOL: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// An engine's buffer: grows on demand; handed to the thread's pool when dropped.
#[derive(Debug, Default)]
pub struct Scratch(Vec<u8>);

impl Scratch {
    /// A buffer of at least `len` bytes whose contents are unspecified.
    pub fn at_least(&mut self, len: usize) -> &mut [u8] {
        if self.0.len() < len {
            let pooled = POOL.with(|p| std::mem::take(&mut *p.borrow_mut()));
            self.0 = if pooled.len() >= len {
                pooled
            } else {
                // Zeroed and fresh: the OS maps a large allocation's pages lazily, so a
                // huge buffer costs only what the reads deliver.
                vec![0u8; len]
            };
        }
        &mut self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.0);
        if buf.len() <= KEEP {
            POOL.with(|p| {
                let mut p = p.borrow_mut();
                // The larger of the two stays: it serves more reads without a new allocation.
                if buf.len() > p.len() {
                    *p = buf;
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_buffer_serves_the_next_engine_on_the_thread() {
        let mut a = Scratch::default();
        let ptr = a.at_least(1 << 20).as_ptr();
        drop(a);
        let mut b = Scratch::default();
        assert_eq!(
            b.at_least(4096).as_ptr(),
            ptr,
            "the pooled buffer is reused"
        );
        assert!(b.at_least(1 << 20).len() >= 1 << 20);
        // Larger than the pool's buffer: a new one.
        assert!(b.at_least(2 << 20).len() >= 2 << 20);
    }

    #[test]
    fn huge_buffers_are_not_kept() {
        let mut a = Scratch::default();
        a.at_least(KEEP + 1);
        drop(a);
        let kept = POOL.with(|p| p.borrow().len());
        assert!(kept <= KEEP);
    }
}
