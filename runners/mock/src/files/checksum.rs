//! Block checksum: a word-at-a-time multiplicative hash, fast enough that verifying every
//! page while streaming costs little next to the read itself (the task asks for near
//! page-cache speed). It detects any change of a byte; it is not cryptographic.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Checksum of `data` seeded with `seed` (the page number, so a page copied to the wrong
/// place fails too).
pub fn checksum(seed: u64, data: &[u8]) -> u64 {
    let mut h = seed ^ (data.len() as u64).wrapping_mul(K);
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ b as u64).wrapping_mul(K).rotate_left(29);
    }
    h ^ (h >> 32)
}

/// Writes the checksum of `block[..len-8]` into its last 8 bytes.
pub fn seal(seed: u64, block: &mut [u8]) {
    let n = block.len();
    if n < 8 {
        return;
    }
    let c = checksum(seed, &block[..n - 8]);
    block[n - 8..].copy_from_slice(&c.to_le_bytes());
}

/// Whether the last 8 bytes of `block` hold the checksum of the rest.
pub fn verify(seed: u64, block: &[u8]) -> bool {
    let n = block.len();
    if n < 8 {
        return false;
    }
    let mut w = [0u8; 8];
    w.copy_from_slice(&block[n - 8..]);
    checksum(seed, &block[..n - 8]) == u64::from_le_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_byte_change_is_detected() {
        let mut b = vec![7u8; 4096];
        seal(3, &mut b);
        assert!(verify(3, &b));
        assert!(!verify(4, &b));
        b[100] ^= 1;
        assert!(!verify(3, &b));
    }
}
