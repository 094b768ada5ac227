//! Block checksum: the mock's model of a page checksum (not ESENT's algorithm). Every page
//! streamed through JetReadFileInstance is verified with it, so it has to cost little next to
//! the page-cache copy of the read itself. It is not cryptographic.
//!
//! The block is cut into 64-byte steps of eight little-endian 64-bit words (the last step
//! zero-padded); word `i` of every step goes to lane `i`. Each lane keeps a Fletcher pair,
//! `a += w; b += a` (mod 2^64): `a` is the lane's sum and `b` weighs each word by its distance
//! from the end. Four 32-bit lanes keep a second pair, `c += t; d += c`, over the top 16 bits
//! `t` of the words (words 0 and 2, 1 and 3, 4 and 6, 5 and 7 of a step share one). Then the
//! sums, the length and the seed are folded into 64 bits with 128-bit multiplies.
//!
//! Why it is fast: a step is only additions, independent across lanes and one deep along
//! each, so nothing waits on a multiplier (the previous design chained a multiply per word in
//! each of four lanes) and they run as wide vector additions. With AVX2 (detected at run
//! time) a step is eight instructions: two 32-byte loads, four 64-bit adds, a shuffle and a
//! shift that bring the top 16 bits of the words down into 32-bit lanes, and two 32-bit adds.
//! Other x86-64 CPUs do the same with SSE2 in twice as many, and other targets in plain Rust;
//! all compute the same sums. The fold costs a dozen multiplies per block, whatever its size.
//!
//! What it detects: a change of one byte, or a swap of two different words, always changes
//! the sums. A byte changes one word by some `e != 0`, so that lane's `a` changes. A swap
//! across lanes changes both lanes' `a`. Within a lane, `a` stays and `b` changes by
//! `delta * s` (`s` the distance in steps, `delta` the words' difference), which vanishes
//! mod 2^64 only if the words differ in no bit below `64 - trailing_zeros(s)`: for blocks under
//! 8 MiB (`s < 2^17`), only in their top 16 bits. Those then differ by some `0 < |delta'| <
//! 2^16` with at most 15 trailing zeros, and `d` changes by `delta' * s`, not 0 mod 2^32 (a
//! plain 64-bit Fletcher sum misses, say, 0 and 1 << 63 swapped two steps apart). The fold
//! then gives different sums the same 64 bits only by a coincidence of its multiply-mix, as for
//! any 64-bit checksum. The seed (the page number, so a page copied to the wrong place fails)
//! enters last, through a bijection: one block under two seeds always has two checksums.

/// Bytes per step: eight 64-bit lanes.
const STEP: usize = 64;
const LANES: usize = STEP / 8;

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Per-lane keys for the fold (hex digits of pi), so that lanes do not commute.
const KEYS: [u64; 2 * LANES + 4] = [
    0x243F_6A88_85A3_08D3,
    0x1319_8A2E_0370_7344,
    0xA409_3822_299F_31D0,
    0x082E_FA98_EC4E_6C89,
    0x4528_21E6_38D0_1377,
    0xBE54_66CF_34E9_0C6C,
    0xC0AC_29B7_C97C_50DD,
    0x3F84_D5B5_B547_0917,
    0x9216_D5D9_8979_FB1B,
    0xD131_0BA6_98DF_B5AC,
    0x2FFD_72DB_D01A_DFB7,
    0xB8E1_AFED_6A26_7E96,
    0xBA7C_9045_F12C_7F99,
    0x24A1_9947_B391_6CF7,
    0x0801_F2E2_858E_FC16,
    0x6369_20D8_7157_1C39,
    0x1574_E690_A458_FEA3,
    0xF493_3D7E_0D95_748F,
    0x728E_B658_718B_CD58,
    0x8215_4AEE_7B54_A41D,
];

/// The running sums (see the module comment).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Lanes {
    a: [u64; LANES],
    b: [u64; LANES],
    c: [u32; 4],
    d: [u32; 4],
}

/// Lane `j` of `c` and `d` takes the top 16 bits of words `TOP_PAIRS[j]` and `TOP_PAIRS[j] + 2`
/// of each step: the order in which a shuffle picks the high halves of two vectors' words.
const TOP_PAIRS: [usize; 4] = [0, 1, 4, 5];

impl Lanes {
    /// The sums over `data`, zero-padded to a whole number of steps.
    fn of(data: &[u8]) -> Lanes {
        #[cfg(target_arch = "x86_64")]
        {
            if data.len() >= 4 * STEP && std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2, checked just above.
                return unsafe { x86::of_avx2(data) };
            }
            // SAFETY: every x86-64 CPU has SSE2.
            unsafe { x86::of_sse2(data) }
        }
        #[cfg(not(target_arch = "x86_64"))]
        Lanes::of_portable(data)
    }

    /// In plain Rust: the reference, and the code for other targets than x86-64.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn of_portable(data: &[u8]) -> Lanes {
        let mut lanes = Lanes::default();
        let mut steps = data.chunks_exact(STEP);
        for step in &mut steps {
            lanes.step(step.try_into().expect("whole step"));
        }
        if let Some(last) = padded(steps.remainder()) {
            lanes.step(&last);
        }
        lanes
    }

    fn step(&mut self, step: &[u8; STEP]) {
        let w: [u64; LANES] =
            std::array::from_fn(|i| u64::from_le_bytes(step[8 * i..][..8].try_into().unwrap()));
        for ((a, b), w) in self.a.iter_mut().zip(&mut self.b).zip(w) {
            *a = a.wrapping_add(w);
            *b = b.wrapping_add(*a);
        }
        let top = |i: usize| (w[i] >> 48) as u32;
        for (j, &i) in TOP_PAIRS.iter().enumerate() {
            self.c[j] = self.c[j].wrapping_add(top(i) + top(i + 2));
            self.d[j] = self.d[j].wrapping_add(self.c[j]);
        }
    }

    fn fold(&self, seed: u64, len: usize) -> u64 {
        let mum = |x: u64, y: u64| {
            let p = u128::from(x) * u128::from(y);
            (p as u64) ^ ((p >> 64) as u64)
        };
        let mut h = (len as u64).wrapping_mul(K);
        for i in 0..LANES {
            h = h.wrapping_add(mum(self.a[i] ^ KEYS[2 * i], self.b[i] ^ KEYS[2 * i + 1]));
        }
        let cd = |j: usize| u64::from(self.c[j]) | u64::from(self.d[j]) << 32;
        h = h.wrapping_add(mum(cd(0) ^ KEYS[16], cd(1) ^ KEYS[17]));
        h = h.wrapping_add(mum(cd(2) ^ KEYS[18], cd(3) ^ KEYS[19]));
        // Murmur3's finaliser, a bijection.
        h ^= seed.wrapping_mul(K);
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 33;
        h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        h ^ (h >> 33)
    }
}

/// The last, partial step zero-padded; `None` if there is none.
fn padded(rest: &[u8]) -> Option<[u8; STEP]> {
    (!rest.is_empty()).then(|| {
        let mut last = [0u8; STEP];
        last[..rest.len()].copy_from_slice(rest);
        last
    })
}

/// `Lanes::of_portable` in vector instructions.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{padded, Lanes, STEP};
    use std::arch::x86_64::*;

    /// Two 256-bit vectors per step.
    #[target_feature(enable = "avx2")]
    pub(super) fn of_avx2(data: &[u8]) -> Lanes {
        let zero = _mm256_setzero_si256();
        let (mut a0, mut a1, mut b0, mut b1) = (zero, zero, zero, zero);
        // c and d per word, in the shuffle's order [0, 1, 4, 5 | 2, 3, 6, 7]; the two halves
        // are added at the end.
        let (mut c, mut d) = (zero, zero);
        let mut add = |w0: __m256i, w1: __m256i| {
            a0 = _mm256_add_epi64(a0, w0);
            a1 = _mm256_add_epi64(a1, w1);
            b0 = _mm256_add_epi64(b0, a0);
            b1 = _mm256_add_epi64(b1, a1);
            let high = _mm256_shuffle_ps::<0xDD>(_mm256_castsi256_ps(w0), _mm256_castsi256_ps(w1));
            c = _mm256_add_epi32(c, _mm256_srli_epi32::<16>(_mm256_castps_si256(high)));
            d = _mm256_add_epi32(d, c);
        };
        let mut steps = data.chunks_exact(STEP);
        for step in &mut steps {
            let p = step.as_ptr().cast::<__m256i>();
            // SAFETY: `step` holds 64 bytes, two unaligned 32-byte loads.
            unsafe { add(_mm256_loadu_si256(p), _mm256_loadu_si256(p.add(1))) };
        }
        let rest = steps.remainder();
        if !rest.is_empty() && rest.len() % 8 == 0 {
            // Whole words, as in a page less its checksum: masked loads, zeros after them
            // (a copy to a padded buffer would stall the loads behind the copy's stores).
            let words = _mm256_set1_epi64x((rest.len() / 8) as i64);
            let m0 = _mm256_cmpgt_epi64(words, _mm256_set_epi64x(3, 2, 1, 0));
            let m1 = _mm256_cmpgt_epi64(words, _mm256_set_epi64x(7, 6, 5, 4));
            let p = rest.as_ptr().cast::<i64>();
            // SAFETY: a masked load reads only the words whose mask is set, here words of
            // `rest`.
            let w0 = unsafe { _mm256_maskload_epi64(p, m0) };
            let w1 = if rest.len() > 32 {
                // SAFETY: as above; `p.add(4)` is within `rest`, which has more than 4 words.
                unsafe { _mm256_maskload_epi64(p.add(4), m1) }
            } else {
                zero
            };
            add(w0, w1);
        } else if let Some(last) = padded(rest) {
            let p = last.as_ptr().cast::<__m256i>();
            // SAFETY: `last` holds 64 bytes.
            unsafe { add(_mm256_loadu_si256(p), _mm256_loadu_si256(p.add(1))) };
        }
        let halves =
            |v: __m256i| _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256::<1>(v));
        // SAFETY: integer vectors to integer arrays of the same size; any bits are valid.
        unsafe {
            let [a0, a1, b0, b1]: [[u64; 4]; 4] = std::mem::transmute([a0, a1, b0, b1]);
            Lanes {
                a: std::mem::transmute::<[[u64; 4]; 2], [u64; 8]>([a0, a1]),
                b: std::mem::transmute::<[[u64; 4]; 2], [u64; 8]>([b0, b1]),
                c: std::mem::transmute::<__m128i, [u32; 4]>(halves(c)),
                d: std::mem::transmute::<__m128i, [u32; 4]>(halves(d)),
            }
        }
    }

    /// Four 128-bit vectors per step. (The compiler does not vectorise the portable code
    /// itself reliably: with its 24 sums in general registers, they spill.)
    #[target_feature(enable = "sse2")]
    pub(super) fn of_sse2(data: &[u8]) -> Lanes {
        let zero = _mm_setzero_si128();
        let (mut a, mut b, mut c, mut d) = ([zero; 4], [zero; 4], zero, zero);
        let high = |x: __m128i, y: __m128i| {
            let h = _mm_shuffle_ps::<0xDD>(_mm_castsi128_ps(x), _mm_castsi128_ps(y));
            _mm_srli_epi32::<16>(_mm_castps_si128(h))
        };
        let mut add = |step: &[u8]| {
            let p = step.as_ptr().cast::<__m128i>();
            // SAFETY: `step` holds 64 bytes, four unaligned 16-byte loads.
            let w = unsafe { [0, 1, 2, 3].map(|i| _mm_loadu_si128(p.add(i))) };
            for ((a, b), &w) in a.iter_mut().zip(&mut b).zip(&w) {
                *a = _mm_add_epi64(*a, w);
                *b = _mm_add_epi64(*b, *a);
            }
            // Words [0, 1, 4, 5] + [2, 3, 6, 7].
            c = _mm_add_epi32(c, _mm_add_epi32(high(w[0], w[2]), high(w[1], w[3])));
            d = _mm_add_epi32(d, c);
        };
        let mut steps = data.chunks_exact(STEP);
        for step in &mut steps {
            add(step);
        }
        if let Some(last) = padded(steps.remainder()) {
            add(&last);
        }
        // SAFETY: integer vectors to integer arrays of the same size; any bits are valid.
        unsafe {
            Lanes {
                a: std::mem::transmute::<[__m128i; 4], [u64; 8]>(a),
                b: std::mem::transmute::<[__m128i; 4], [u64; 8]>(b),
                c: std::mem::transmute::<__m128i, [u32; 4]>(c),
                d: std::mem::transmute::<__m128i, [u32; 4]>(d),
            }
        }
    }
}

/// Checksum of `data` seeded with `seed` (the page number, so a page copied to the wrong
/// place fails too).
pub fn checksum(seed: u64, data: &[u8]) -> u64 {
    Lanes::of(data).fold(seed, data.len())
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

    /// Deterministic pseudo-random bytes (xorshift64).
    fn bytes(n: usize, mut x: u64) -> Vec<u8> {
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

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

    #[test]
    fn every_byte_of_a_page_and_of_short_blocks_is_covered() {
        for (len, seed) in [(4096, 5), (4095, 6), (200, 7), (72, 8), (63, 9), (9, 10)] {
            for fill in [bytes(len, seed), vec![0; len], vec![0xFF; len]] {
                let mut b = fill;
                seal(seed, &mut b);
                assert!(verify(seed, &b));
                for at in 0..len - 8 {
                    for flip in [0x01, 0x80, 0xFF] {
                        b[at] ^= flip;
                        assert!(!verify(seed, &b), "len {len}: ^{flip:#x} at {at}");
                        b[at] ^= flip;
                    }
                }
            }
        }
    }

    #[test]
    fn swapped_words_are_detected() {
        let page = |fill: u64| {
            let mut b = bytes(4096, fill);
            seal(1, &mut b);
            b
        };
        let word = |b: &[u8], i: usize| u64::from_le_bytes(b[8 * i..8 * i + 8].try_into().unwrap());
        let put =
            |b: &mut [u8], i: usize, w: u64| b[8 * i..8 * i + 8].copy_from_slice(&w.to_le_bytes());
        // In words: 8 to 256 and 504 apart are 1 to 32 and 63 steps in the same lane; 1, 3, 9
        // and 17 apart, other lanes.
        let distances = [1, 8, 16, 32, 64, 128, 256, 8 * 63, 3, 9, 17];
        // Pairs that differ only in their top bits defeat a plain 64-bit Fletcher sum at even
        // distances: `b` changes by a multiple of 2^64.
        let pairs = [
            (0, 1 << 63),
            (0, 3 << 62),
            (0x1234, 0x1234 | 1 << 58),
            (0, 1 << 48),
            (0xFFFF_FFFF_0000_0001, 0),
            (1, 2),
        ];
        for (p, q) in pairs {
            for first in [0, 1, 5, 7, 100] {
                for s in distances {
                    let second = first + s;
                    if second >= 511 {
                        continue;
                    }
                    let mut b = page(3);
                    put(&mut b, first, p);
                    put(&mut b, second, q);
                    seal(1, &mut b);
                    let (x, y) = (word(&b, first), word(&b, second));
                    put(&mut b, first, y);
                    put(&mut b, second, x);
                    assert!(
                        !verify(1, &b),
                        "{p:#x} <-> {q:#x} at words {first}, {second}"
                    );
                }
            }
        }
        // Any two different words of a random page, swapped.
        let b = page(11);
        for (i, j) in [(0, 510), (3, 4), (8, 16), (17, 273), (500, 508)] {
            let mut c = b.clone();
            let (x, y) = (word(&c, i), word(&c, j));
            put(&mut c, i, y);
            put(&mut c, j, x);
            assert!(!verify(1, &c), "words {i}, {j}");
        }
    }

    #[test]
    fn seed_and_length_matter() {
        let data = bytes(4088, 2);
        let mut seen = std::collections::HashSet::new();
        for seed in 0..2000 {
            assert!(seen.insert(checksum(seed, &data)), "seed {seed}");
        }
        // Zero padding of the last step does not hide the length.
        let mut seen = std::collections::HashSet::new();
        for len in 0..=200 {
            assert!(seen.insert(checksum(0, &vec![0u8; len])), "length {len}");
        }
    }

    /// Pinned values: the checksum must not depend on the platform (little-endian words,
    /// wrapping arithmetic, the same sums with or without AVX2).
    #[test]
    fn known_values() {
        let data = bytes(4096, 1);
        let got = [
            checksum(0, b""),
            checksum(1, b"jetconform"),
            checksum(2, &data[..63]),
            checksum(3, &data[..4088]),
            checksum(u64::MAX, &data),
        ];
        let want = [
            0xA12A_6FE8_1CE5_830C,
            0xAC6B_71C0_58F8_568C,
            0xB2D4_590E_154C_BDF9,
            0x74EC_616B_9021_83CE,
            0x72B9_33B4_5F1E_804F,
        ];
        assert_eq!(got, want);
    }

    /// The vector paths compute the portable sums, whole steps or not, masked tail or padded.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn vector_sums_equal_the_portable_ones() {
        let avx2 = std::arch::is_x86_feature_detected!("avx2");
        if !avx2 {
            eprintln!("no AVX2 on this CPU: only SSE2 compared");
        }
        let lens = [
            0, 1, 8, 63, 64, 72, 96, 104, 127, 128, 255, 256, 319, 320, 4088, 4096, 65536,
        ];
        for (n, &len) in lens.iter().enumerate() {
            for data in [bytes(len, n as u64 + 1), vec![0xFF; len]] {
                let want = Lanes::of_portable(&data);
                // SAFETY: every x86-64 CPU has SSE2.
                assert_eq!(unsafe { x86::of_sse2(&data) }, want, "SSE2, {len} bytes");
                if avx2 {
                    // SAFETY: the CPU has AVX2, checked above.
                    assert_eq!(unsafe { x86::of_avx2(&data) }, want, "AVX2, {len} bytes");
                }
            }
        }
    }

    /// Throughput of `verify` on sealed 4 KiB pages, 256 MiB in all: a 1 MiB buffer of 256
    /// pages (the size of one streaming read) verified 256 times, best of 20 rounds. Timing
    /// only, so not run by default:
    /// `cargo test --release -p jetconform-mock checksum -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn checksum_throughput() {
        const PAGE: usize = 4096;
        let mut buf = bytes(1 << 20, 0x2545_F491_4F6C_DD1D);
        for (pgno, page) in buf.chunks_exact_mut(PAGE).enumerate() {
            seal(pgno as u64, page);
        }
        let mut best = f64::MAX;
        for _ in 0..20 {
            let start = std::time::Instant::now();
            for _ in 0..256 {
                for (pgno, page) in buf.chunks_exact(PAGE).enumerate() {
                    assert!(verify(std::hint::black_box(pgno as u64), page));
                }
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        let bytes = 256.0 * buf.len() as f64;
        println!(
            "checksum: 256 MiB of 4 KiB pages in {:.1} ms, {:.2} GB/s",
            best * 1e3,
            bytes / best / 1e9
        );
    }
}
