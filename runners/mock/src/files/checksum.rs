//! Block checksum: a word-at-a-time multiplicative hash, fast enough that verifying every
//! page while streaming costs little next to the read itself (the task asks for near
//! page-cache speed). It detects any change of a byte; it is not cryptographic.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Checksum of `data` seeded with `seed` (the page number, so a page copied to the wrong
/// place fails too). Four independent lanes of 8-byte words keep the multiplier busy: one
/// serial chain cost a third of the page-cache read time when streaming (BENCHMARKS.md).
/// Every step of a lane is a bijection of its state, so any changed word changes its lane's
/// final state, and so the result.
pub fn checksum(seed: u64, data: &[u8]) -> u64 {
    let step = |h: u64, w: u64| (h ^ w).wrapping_mul(K).rotate_left(29);
    let word = |c: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        u64::from_le_bytes(w)
    };
    let len = (data.len() as u64).wrapping_mul(K);
    let mut lanes = [
        seed ^ len,
        seed.rotate_left(16) ^ K,
        seed.rotate_left(32) ^ len.rotate_left(7),
        seed.rotate_left(48) ^ !K,
    ];
    let mut blocks = data.chunks_exact(32);
    for b in &mut blocks {
        for (lane, c) in lanes.iter_mut().zip(b.chunks_exact(8)) {
            *lane = step(*lane, word(c));
        }
    }
    let mut h =
        lanes[0] ^ lanes[1].rotate_left(11) ^ lanes[2].rotate_left(23) ^ lanes[3].rotate_left(37);
    let mut words = blocks.remainder().chunks_exact(8);
    for c in &mut words {
        h = step(h, word(c));
    }
    for &b in words.remainder() {
        h = step(h, b as u64);
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
        b[100] ^= 1;
        // Every byte position, in every lane and in the tail.
        for at in (0..b.len() - 8).step_by(13) {
            b[at] ^= 0x80;
            assert!(!verify(3, &b), "change at {at} not detected");
            b[at] ^= 0x80;
        }
        let mut odd = vec![1u8; 45];
        seal(9, &mut odd);
        odd[40] ^= 1;
        assert!(!verify(9, &odd));
    }
}
