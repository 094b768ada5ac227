//! Output buffers: page-aligned allocations (JetReadFile wants the OS page alignment, spec
//! 6.4), deliberate misalignment by `Buffer.offset`, a sentinel fill so that what the call
//! wrote can be told from what it left, room for a `cb`/`cbMax` larger than the scenario's
//! buffer (a deliberate lie) in memory this runner owns, and guard regions before and after:
//! after the call, any byte outside the `cb` bytes the call was given that is no longer the
//! sentinel is a write outside the buffer (`violations`), which fails the step.

/// The OS page size ESENT aligns to (spec 6.4 step 5).
pub const PAGE: usize = 4096;
/// Byte the buffer and its guards are filled with before the call.
pub const SENTINEL: u8 = 0xCD;
/// Sentinel bytes at least, before and after the region a call may write.
pub const GUARD: usize = PAGE;

pub struct OutBuffer {
    storage: Vec<u8>,
    /// Index in `storage` of the pointer passed.
    start: usize,
    /// Bytes the scenario asked for.
    pub size: usize,
    /// Bytes the call was told it may write (`cb`, `cbMax`); the scenario's size when the
    /// function takes no size.
    allowed: usize,
    /// Bytes allocated after `start` before the guard (at least `size` and `allowed`).
    capacity: usize,
}

impl OutBuffer {
    /// A buffer of `size` bytes at `offset` from a page boundary, for a call told it may
    /// write `cb_claimed` bytes (the size parameter passed with it), with room for those if
    /// they are more.
    pub fn new(size: u32, offset: u32, cb_claimed: Option<u32>) -> OutBuffer {
        let size = size as usize;
        let allowed = cb_claimed.map_or(size, |c| c as usize);
        let capacity = size.max(allowed);
        let offset = offset as usize;
        let storage = vec![SENTINEL; PAGE + GUARD + offset + capacity + GUARD];
        let base = storage.as_ptr() as usize;
        // The first page boundary with a whole guard before it.
        let aligned = (base + GUARD).div_ceil(PAGE) * PAGE - base;
        OutBuffer {
            storage,
            start: aligned + offset,
            size,
            allowed,
            capacity,
        }
    }

    /// Bytes the call was told it may write.
    pub fn allowed(&self) -> usize {
        self.allowed
    }

    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.storage[self.start..].as_mut_ptr()
    }

    /// The scenario's `size` bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.size]
    }

    /// Whether the call wrote past the scenario's `size` (into the room for a larger `cb`).
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

    /// The writes outside the `allowed` bytes from the pointer, before and after, for the
    /// parameter `name`: `wrote 16 bytes after the 65536 bytes pv was given (offsets
    /// +65536..+65551)`.
    pub fn violations(&self, name: &str) -> Vec<String> {
        let mut found = Vec::new();
        let before = &self.storage[..self.start];
        if let Some((n, first, last)) = changed(before) {
            let (from, to) = (self.start - first, self.start - last);
            found.push(format!(
                "wrote {n} byte(s) before {name} (offsets -{from}..-{to})"
            ));
        }
        let after_from = self.start + self.allowed;
        if let Some((n, first, last)) = changed(&self.storage[after_from..]) {
            let (from, to) = (self.allowed + first, self.allowed + last);
            found.push(format!(
                "wrote {n} byte(s) after the {} bytes {name} was given (offsets +{from}..+{to})",
                self.allowed
            ));
        }
        found
    }
}

/// In `region`: how many bytes are no longer the sentinel, the first and the last.
fn changed(region: &[u8]) -> Option<(usize, usize, usize)> {
    let first = region.iter().position(|b| *b != SENTINEL)?;
    let last = region.iter().rposition(|b| *b != SENTINEL)?;
    let n = region[first..=last]
        .iter()
        .filter(|b| **b != SENTINEL)
        .count();
    Some((n, first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_and_offset() {
        let mut b = OutBuffer::new(100, 0, None);
        assert_eq!(b.as_mut_ptr() as usize % PAGE, 0);
        let mut b = OutBuffer::new(100, 3, None);
        assert_eq!(b.as_mut_ptr() as usize % PAGE, 3);
        assert_eq!(b.written_len(), 0);
        assert!(b.violations("pv").is_empty());
    }

    #[test]
    fn written_prefix_and_overrun() {
        let mut b = OutBuffer::new(8, 0, Some(16));
        let p = b.as_mut_ptr();
        // SAFETY: 16 bytes were allocated after the pointer.
        unsafe {
            *p.add(2) = b'x';
            *p.add(12) = 0;
        }
        assert_eq!(b.written_len(), 3);
        assert!(b.overran());
        assert!(b.violations("szz").is_empty(), "within the cb it was given");
    }

    #[test]
    fn writes_outside_are_named_with_their_offsets() {
        let mut b = OutBuffer::new(64, 0, Some(32));
        let p = b.as_mut_ptr();
        // SAFETY: a whole guard lies before the pointer and after the 64 bytes.
        unsafe {
            std::ptr::write_bytes(p.sub(64), b'B', 8);
            std::ptr::write_bytes(p.add(32), b'A', 16);
        }
        assert_eq!(
            b.violations("pv"),
            [
                "wrote 8 byte(s) before pv (offsets -64..-57)",
                "wrote 16 byte(s) after the 32 bytes pv was given (offsets +32..+47)"
            ]
        );
    }
}
