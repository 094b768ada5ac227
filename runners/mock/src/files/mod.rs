//! The mock's own on-disk formats (documented in the crate docs): databases made of pages
//! with per-page checksums, log generations made of checksummed segments, the checkpoint.

pub mod checkpoint;
pub mod checksum;
pub mod data;
pub mod db;
pub mod log;

/// Little-endian field helpers for the fixed layouts below.
pub(crate) fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}
pub(crate) fn put_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}
pub(crate) fn get_u32(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(a)
}
pub(crate) fn get_u64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// Reads `buf.len()` bytes at offset `at`: one positioned read on Unix (no seek before it).
pub(crate) fn read_exact_at(f: &mut std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(f, buf, at)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Read, Seek, SeekFrom};
        f.seek(SeekFrom::Start(at))?;
        f.read_exact(buf)
    }
}

/// Writes all of `buf` at offset `at`: one positioned write on Unix (no seek before it).
pub(crate) fn write_all_at(f: &mut std::fs::File, buf: &[u8], at: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(f, buf, at)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Seek, SeekFrom, Write};
        f.seek(SeekFrom::Start(at))?;
        f.write_all(buf)
    }
}

/// Flips `n` bytes at offset `at` (XOR with `mask`): the harness's damage to a file.
pub(crate) fn flip(f: &mut std::fs::File, at: u64, n: usize, mask: u8) -> std::io::Result<()> {
    let mut b = [0u8; 8];
    let b = &mut b[..n];
    read_exact_at(f, b, at)?;
    for x in b.iter_mut() {
        *x ^= mask;
    }
    write_all_at(f, b, at)
}
