//! The mock's log file format and log file names.
//!
//! A log generation is a file of 4096-byte blocks:
//!
//! ```text
//! block 0   header: magic `JCMOCKLG`, generation, base name (3 bytes), log stream
//!           signature, creation stamp of this generation, creation stamp of the previous
//!           generation (0 for the first), JET_paramLogFileSize (KiB); checksum seed
//!           `0x4C47_0000_0000_0000 | gen`
//! block n   segment n-1: segment index, record count, generation, then up to 127 records
//!           of 32 bytes; checksum seed `gen << 32 | n`
//! ```
//!
//! `JET_paramLogFileSize` is honoured logically, not by preallocation: every record stands
//! for [`LOGICAL_RECORD_KIB`] KiB of log, and a generation is full (the log rolls) once its
//! records reach the configured size less the header. The file on disk only holds the
//! blocks actually written, so trials stay fast and small.

use super::checksum::{seal, verify};
use super::{get_u32, get_u64, put_u32, put_u64};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

pub const LOG_MAGIC: &[u8; 8] = b"JCMOCKLG";
pub const BLOCK: usize = 4096;
pub const RECORD: usize = 32;
const SEG_HEADER: usize = 16;
pub const RECORDS_PER_SEGMENT: usize = (BLOCK - SEG_HEADER - 8) / RECORD;
/// Logical size of one record: a small commit in ESENT logs about this much.
pub const LOGICAL_RECORD_KIB: u32 = 1;

/// Records per generation for a `JET_paramLogFileSize` of `size_kib`.
pub fn capacity(size_kib: u32) -> u32 {
    (size_kib.saturating_sub(4) / LOGICAL_RECORD_KIB).max(1)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogHeader {
    pub gen: u32,
    pub base: String,
    pub signature: u64,
    pub created: u64,
    pub prev_created: u64,
    pub size_kib: u32,
}

fn header_seed(gen: u32) -> u64 {
    0x4C47_0000_0000_0000 | gen as u64
}
fn segment_seed(gen: u32, block: u64) -> u64 {
    ((gen as u64) << 32) | block
}

impl LogHeader {
    pub fn encode(&self) -> Vec<u8> {
        let mut b = vec![0u8; BLOCK];
        b[0..8].copy_from_slice(LOG_MAGIC);
        put_u32(&mut b, 8, self.gen);
        let base = self.base.as_bytes();
        let n = base.len().min(3);
        b[12..12 + n].copy_from_slice(&base[..n]);
        put_u64(&mut b, 16, self.signature);
        put_u64(&mut b, 24, self.created);
        put_u64(&mut b, 32, self.prev_created);
        put_u32(&mut b, 40, self.size_kib);
        seal(header_seed(self.gen), &mut b);
        b
    }
    pub fn decode(b: &[u8]) -> Option<LogHeader> {
        if b.len() != BLOCK || &b[0..8] != LOG_MAGIC {
            return None;
        }
        let gen = get_u32(b, 8);
        if !verify(header_seed(gen), b) {
            return None;
        }
        let base = String::from_utf8_lossy(&b[12..15])
            .trim_end_matches('\0')
            .to_string();
        Some(LogHeader {
            gen,
            base,
            signature: get_u64(b, 16),
            created: get_u64(b, 24),
            prev_created: get_u64(b, 32),
            size_kib: get_u32(b, 40),
        })
    }
}

/// What a log record stands for (spec 10.5; `Commit` is `log_traffic`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum RecordKind {
    Init = 1,
    Term = 2,
    Commit = 3,
    CreateDb = 4,
    Attach = 5,
    Detach = 6,
    BackupBegin = 7,
    BackupPrepare = 8,
    BackupTruncate = 9,
    BackupAbort = 10,
    BackupStop = 11,
    /// Committed changes to a database's data: the payload is a JSON `Redo` (`redo.rs`).
    Redo = 12,
    /// A slot that carries 31 more bytes of the payload of the record before it.
    Payload = 13,
}

impl RecordKind {
    fn from_u8(b: u8) -> Option<RecordKind> {
        use RecordKind::*;
        [
            Init,
            Term,
            Commit,
            CreateDb,
            Attach,
            Detach,
            BackupBegin,
            BackupPrepare,
            BackupTruncate,
            BackupAbort,
            BackupStop,
            Redo,
            Payload,
        ]
        .into_iter()
        .find(|k| *k as u8 == b)
    }
}

/// Payload bytes one `Payload` slot carries.
pub const PAYLOAD_PER_SLOT: usize = RECORD - 1;

/// A record with its payload, as read back for redo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadRecord {
    pub kind: RecordKind,
    pub dbid: u32,
    /// Index of the record's first slot in its generation.
    pub index: u32,
    pub payload: Vec<u8>,
}

/// The slots of a record with a payload: the record (payload length at byte 24), then
/// `Payload` slots of 31 bytes each (kind byte, then the bytes).
pub fn slots(kind: RecordKind, dbid: u32, stamp: u64, payload: &[u8]) -> Vec<[u8; RECORD]> {
    let mut first = [0u8; RECORD];
    Record { kind, dbid, stamp }.put(&mut first);
    put_u32(&mut first, 24, payload.len() as u32);
    let mut out = vec![first];
    for chunk in payload.chunks(PAYLOAD_PER_SLOT) {
        let mut s = [0u8; RECORD];
        s[0] = RecordKind::Payload as u8;
        s[1..1 + chunk.len()].copy_from_slice(chunk);
        out.push(s);
    }
    out
}

/// Every record of a generation with its payload, in order (what redo replays).
pub fn read_records(path: &Path) -> io::Result<Vec<ReadRecord>> {
    let data = std::fs::read(path)?;
    let mut raw: Vec<&[u8]> = Vec::new();
    for b in data.chunks(BLOCK).skip(1) {
        if b.len() < BLOCK {
            break;
        }
        let n = (get_u32(b, 4) as usize).min(RECORDS_PER_SEGMENT);
        raw.extend((0..n).map(|j| &b[SEG_HEADER + j * RECORD..SEG_HEADER + (j + 1) * RECORD]));
    }
    let mut out: Vec<ReadRecord> = Vec::new();
    let mut want = 0usize;
    for (i, s) in raw.iter().enumerate() {
        let Some(kind) = RecordKind::from_u8(s[0]) else {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "unknown record"));
        };
        if kind == RecordKind::Payload {
            if let Some(last) = out.last_mut() {
                let take = want.min(PAYLOAD_PER_SLOT);
                last.payload.extend_from_slice(&s[1..1 + take]);
                want -= take;
            }
            continue;
        }
        want = get_u32(s, 24) as usize;
        out.push(ReadRecord {
            kind,
            dbid: get_u32(s, 4),
            index: i as u32,
            payload: Vec::new(),
        });
    }
    Ok(out)
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub kind: RecordKind,
    pub dbid: u32,
    pub stamp: u64,
}

impl Record {
    fn put(&self, b: &mut [u8]) {
        b[0] = self.kind as u8;
        put_u32(b, 4, self.dbid);
        put_u64(b, 8, self.stamp);
        put_u64(b, 16, 0x5245_434F_5244_0000 ^ self.stamp);
    }
}

/// Writes a new generation holding only its header.
pub fn create(path: &Path, hdr: &LogHeader) -> io::Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    f.write_all(&hdr.encode())
}

pub fn read_header(path: &Path) -> io::Result<Option<LogHeader>> {
    let mut f = File::open(path)?;
    // Blocks on the stack: a 4 KiB heap request makes the allocator consolidate its free
    // lists, which showed in profiles of short trials.
    let mut b = [0u8; BLOCK];
    if f.read_exact(&mut b).is_err() {
        return Ok(None);
    }
    Ok(LogHeader::decode(&b))
}

/// Number of records already in a generation (the record count of its last segment).
pub fn count_records(path: &Path) -> io::Result<u32> {
    let len = std::fs::metadata(path)?.len();
    let blocks = len / BLOCK as u64;
    if blocks <= 1 {
        return Ok(0);
    }
    let mut f = File::open(path)?;
    let mut b = [0u8; BLOCK];
    super::read_exact_at(&mut f, &mut b, (blocks - 1) * BLOCK as u64)?;
    Ok(((blocks - 2) * RECORDS_PER_SEGMENT as u64) as u32 + get_u32(&b, 4))
}

/// Appends `records` to generation `gen` that already holds `existing` records.
pub fn append(path: &Path, gen: u32, existing: u32, records: &[Record]) -> io::Result<()> {
    let slots: Vec<[u8; RECORD]> = records
        .iter()
        .map(|r| {
            let mut s = [0u8; RECORD];
            r.put(&mut s);
            s
        })
        .collect();
    append_slots(path, gen, existing, &slots)
}

/// Appends raw record slots (see `slots`) to generation `gen`.
pub fn append_slots(
    path: &Path,
    gen: u32,
    existing: u32,
    records: &[[u8; RECORD]],
) -> io::Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let mut f = OpenOptions::new().read(true).write(true).open(path)?;
    let mut n = existing as usize;
    let mut i = 0;
    while i < records.len() {
        let seg = n / RECORDS_PER_SEGMENT;
        let slot = n % RECORDS_PER_SEGMENT;
        let block = seg as u64 + 1;
        let at = block * BLOCK as u64;
        let mut b = [0u8; BLOCK];
        if slot > 0 {
            super::read_exact_at(&mut f, &mut b, at)?;
        }
        let take = (RECORDS_PER_SEGMENT - slot).min(records.len() - i);
        for (j, r) in records[i..i + take].iter().enumerate() {
            let o = SEG_HEADER + (slot + j) * RECORD;
            b[o..o + RECORD].copy_from_slice(r);
        }
        put_u32(&mut b, 0, seg as u32);
        put_u32(&mut b, 4, (slot + take) as u32);
        put_u32(&mut b, 8, gen);
        seal(segment_seed(gen, block), &mut b);
        super::write_all_at(&mut f, &b, at)?;
        n += take;
        i += take;
    }
    Ok(())
}

/// Verifies the blocks of `data`, which was read from offset `offset` of generation `gen`
/// (block-aligned). Returns false on the first bad block.
pub fn verify_blocks(gen: u32, offset: u64, data: &[u8]) -> bool {
    for (i, b) in data.chunks(BLOCK).enumerate() {
        let block = offset / BLOCK as u64 + i as u64;
        if b.len() < BLOCK {
            return false;
        }
        let ok = if block == 0 {
            LogHeader::decode(b).map(|h| h.gen == gen).unwrap_or(false)
        } else {
            verify(segment_seed(gen, block), b)
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Damages bytes of a log file at `offset` (8 bytes, XOR).
pub fn corrupt(path: &Path, offset: u64) -> io::Result<()> {
    let mut f = OpenOptions::new().read(true).write(true).open(path)?;
    let len = f.metadata()?.len();
    if offset >= len {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "offset beyond the end",
        ));
    }
    super::flip(&mut f, offset, (len - offset).min(8) as usize, 0x5A)
}

/// How log, checkpoint and reserve files are named (spec 10.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogNames {
    pub base: String,
    /// `log` with `JET_bitESE98FileNames`, else `jtx`.
    pub ext: &'static str,
    /// `chk` or `jcp`.
    pub chk_ext: &'static str,
    /// `JET_bitEightDotThreeSoftCompat`: 5 digits as long as possible.
    pub five_digits: bool,
}

impl LogNames {
    pub fn new(base: &str, legacy_file_names: u32) -> LogNames {
        let ese98 = legacy_file_names & 1 != 0;
        LogNames {
            base: base.to_string(),
            ext: if ese98 { "log" } else { "jtx" },
            chk_ext: if ese98 { "chk" } else { "jcp" },
            five_digits: legacy_file_names & 2 != 0,
        }
    }
    pub fn current(&self) -> String {
        format!("{}.{}", self.base, self.ext)
    }
    pub fn archived(&self, gen: u32) -> String {
        if self.five_digits && gen <= 0xFFFFF {
            format!("{}{:05X}.{}", self.base, gen, self.ext)
        } else {
            format!("{}{:08X}.{}", self.base, gen, self.ext)
        }
    }
    pub fn checkpoint(&self) -> String {
        format!("{}.{}", self.base, self.chk_ext)
    }
    /// The generation of an archived log name: `<base>` + exactly 5 or 8 hex digits + ext
    /// (spec 6.3 step 9). `None` for anything else, `edb.log` included.
    pub fn parse(&self, file_name: &str) -> Option<u32> {
        let stem = file_name
            .strip_suffix(&format!(".{}", self.ext))
            .or_else(|| {
                let (s, e) = file_name.rsplit_once('.')?;
                e.eq_ignore_ascii_case(self.ext).then_some(s)
            })?;
        if stem.len() < self.base.len() || !stem[..self.base.len()].eq_ignore_ascii_case(&self.base)
        {
            return None;
        }
        let digits = &stem[self.base.len()..];
        if (digits.len() != 5 && digits.len() != 8)
            || !digits.chars().all(|c| c.is_ascii_hexdigit())
        {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    }
    /// Whether `file_name` has the log extension.
    pub fn has_log_ext(&self, file_name: &str) -> bool {
        file_name
            .rsplit_once('.')
            .map(|(_, e)| e.eq_ignore_ascii_case(self.ext))
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new log file of generation `gen` in a fresh folder, with its header.
    fn new_log(gen: u32) -> (tempfile::TempDir, std::path::PathBuf, LogHeader) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("edb.log");
        let h = LogHeader {
            gen,
            base: "edb".into(),
            signature: 1,
            created: 2,
            prev_created: 0,
            size_kib: 128,
        };
        create(&p, &h).unwrap();
        (d, p, h)
    }

    fn commit(stamp: u64) -> Record {
        Record {
            kind: RecordKind::Commit,
            dbid: 1,
            stamp,
        }
    }

    #[test]
    fn names_round_trip() {
        let n = LogNames::new("edb", 3);
        assert_eq!(n.archived(1), "edb00001.log");
        assert_eq!(n.archived(0x100000), "edb00100000.log");
        assert_eq!(n.parse("edb0000A.log"), Some(10));
        assert_eq!(n.parse("edb.log"), None);
        assert_eq!(n.parse("edb001.log"), None);
        assert_eq!(LogNames::new("edb", 0).archived(2), "edb00000002.jtx");
    }

    #[test]
    fn append_count_verify_corrupt() {
        let (_d, p, h) = new_log(3);
        let recs: Vec<Record> = (0..200).map(commit).collect();
        append(&p, 3, 0, &recs[..100]).unwrap();
        append(&p, 3, 100, &recs[100..]).unwrap();
        assert_eq!(count_records(&p).unwrap(), 200);
        let data = std::fs::read(&p).unwrap();
        assert!(verify_blocks(3, 0, &data));
        corrupt(&p, 5000).unwrap();
        let data = std::fs::read(&p).unwrap();
        assert!(!verify_blocks(3, 0, &data));
        assert_eq!(read_header(&p).unwrap().unwrap(), h);
    }

    #[test]
    fn payload_records_read_back() {
        let (_d, p, _) = new_log(2);
        append(&p, 2, 0, &[commit(5)]).unwrap();
        let big: Vec<u8> = (0..200u8).collect();
        let s = slots(RecordKind::Redo, 1, 6, &big);
        append_slots(&p, 2, 1, &s).unwrap();
        let got = read_records(&p).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].index, 1);
        assert_eq!(got[1].payload, big);
    }
}
