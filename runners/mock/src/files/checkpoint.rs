//! The checkpoint file `<base>.chk` (spec 10.1): magic `JCMOCKCK`, checkpoint generation,
//! the record index recovery starts at within that generation, log stream signature, checksum (seed `0x43484B`). 64 bytes, optionally followed by the
//! attachment list a Windows 2000 profile keeps for JetInit's re-attach (spec 9, spec 11.4):
//! NUL-terminated UTF-8 paths.

use super::checksum::{seal, verify};
use super::{get_u32, get_u64, put_u32, put_u64};
use std::io;
use std::path::Path;

pub const CHK_MAGIC: &[u8; 8] = b"JCMOCKCK";
const SEED: u64 = 0x43484B;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub gen: u32,
    /// Record index within `gen` (0: its start).
    pub index: u32,
    pub signature: u64,
}

/// Why Begin could not read the checkpoint (spec 6.1 step 13).
#[derive(Debug, PartialEq, Eq)]
pub enum CheckpointError {
    NotFound,
    Corrupt,
    Locked,
}

pub fn write(path: &Path, c: &Checkpoint) -> io::Result<()> {
    let mut b = vec![0u8; 64];
    b[0..8].copy_from_slice(CHK_MAGIC);
    put_u32(&mut b, 8, c.gen);
    put_u32(&mut b, 12, c.index);
    put_u64(&mut b, 16, c.signature);
    seal(SEED, &mut b);
    std::fs::write(path, b)
}

pub fn read(path: &Path) -> Result<Checkpoint, CheckpointError> {
    use std::io::Read;
    // The first 64 bytes are the checkpoint; an attachment list after them is read by
    // `read_attachments`. One read of them, not the whole file and its size first.
    let mut b = [0u8; 64];
    match std::fs::File::open(path) {
        Ok(mut f) => {
            if f.read_exact(&mut b).is_err() {
                return Err(CheckpointError::Corrupt);
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(CheckpointError::NotFound),
        Err(_) => return Err(CheckpointError::Corrupt),
    }
    if &b[0..8] != CHK_MAGIC || !verify(SEED, &b) {
        return Err(CheckpointError::Corrupt);
    }
    Ok(Checkpoint {
        gen: get_u32(&b, 8),
        index: get_u32(&b, 12),
        signature: get_u64(&b, 16),
    })
}

/// Appends the attachment list (spec 9: W2K JetInit re-attaches the databases attached at the
/// last term) to an existing checkpoint file.
pub fn write_attachments(path: &Path, dbs: &[String]) -> io::Result<()> {
    let mut b = std::fs::read(path)?;
    b.truncate(64);
    for d in dbs {
        b.extend_from_slice(d.as_bytes());
        b.push(0);
    }
    std::fs::write(path, b)
}

/// The attachment list after a valid checkpoint (empty when there is none).
pub fn read_attachments(path: &Path) -> Vec<String> {
    match (read(path), std::fs::read(path)) {
        (Ok(_), Ok(b)) => b[64..]
            .split(|c| *c == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect(),
        _ => Vec::new(),
    }
}
