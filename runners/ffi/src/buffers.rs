//! Output buffers: page-aligned allocations (JetReadFile wants the OS page alignment, spec
//! 6.4), deliberate misalignment by `Buffer.offset`, a sentinel fill so that what the call
//! wrote can be told from what it left, and a guard area so that a `cb`/`cbMax` larger than
//! the scenario's buffer (a deliberate lie) lands in memory this runner owns.

/// The OS page size ESENT aligns to (spec 6.4 step 5).
pub const PAGE: usize = 4096;
/// Byte the buffer is filled with before the call.
pub const SENTINEL: u8 = 0xCD;

pub struct OutBuffer {
    storage: Vec<u8>,
    /// Index in `storage` of the pointer passed.
    start: usize,
    /// Bytes the scenario asked for.
    pub size: usize,
    /// Bytes allocated after `start` (at least `size`).
    capacity: usize,
}

impl OutBuffer {
    /// A buffer of `size` bytes at `offset` from a page boundary, with room for `cb_claimed`
    /// bytes (the size parameter passed with it) if that is larger.
    pub fn new(size: u32, offset: u32, cb_claimed: u32) -> OutBuffer {
        let size = size as usize;
        let capacity = size.max(cb_claimed as usize);
        let offset = offset as usize;
        let storage = vec![SENTINEL; capacity + offset + PAGE];
        let base = storage.as_ptr() as usize;
        let aligned = base.div_ceil(PAGE) * PAGE - base;
        OutBuffer {
            storage,
            start: aligned + offset,
            size,
            capacity,
        }
    }

    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.storage[self.start..].as_mut_ptr()
    }

    /// The scenario's `size` bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.size]
    }

    /// Whether the call wrote past the scenario's `size` (into the guard area).
    pub fn overran(&self) -> bool {
        self.storage[self.start + self.size..self.start + self.capacity]
            .iter()
            .any(|b| *b != SENTINEL)
    }

    /// Length of the written prefix: up to the last byte that is not the sentinel.
    pub fn written_len(&self) -> usize {
        self.bytes()
            .iter()
            .rposition(|b| *b != SENTINEL)
            .map(|i| i + 1)
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_and_offset() {
        let mut b = OutBuffer::new(100, 0, 0);
        assert_eq!(b.as_mut_ptr() as usize % PAGE, 0);
        let mut b = OutBuffer::new(100, 3, 0);
        assert_eq!(b.as_mut_ptr() as usize % PAGE, 3);
        assert_eq!(b.written_len(), 0);
    }

    #[test]
    fn written_prefix_and_overrun() {
        let mut b = OutBuffer::new(8, 0, 16);
        let p = b.as_mut_ptr();
        // SAFETY: 16 bytes were allocated after the pointer.
        unsafe {
            *p.add(2) = b'x';
            *p.add(12) = 0;
        }
        assert_eq!(b.written_len(), 3);
        assert!(b.overran());
    }
}
