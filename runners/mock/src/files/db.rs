//! The mock's database file format.
//!
//! A database file is a sequence of pages of `page_size` bytes (`JET_paramDatabasePageSize`
//! at creation, recorded in the header):
//!
//! ```text
//! page 0          header (layout below), checksum seed 0
//! page 1          shadow copy of the header
//! page 2 + n      data page n+1 (pgno 1 ... pgnoLast), checksum seed = pgno
//! ```
//!
//! Every page ends with an 8-byte checksum of the rest of the page (`checksum.rs`). A data
//! page holds `pgno` (u32), 4 zero bytes, the database signature (u64) and a fill pattern.
//! The header holds, little-endian: magic `JCMOCKDB`, page size, pgnoLast, database and log
//! signatures, flags (recovery off, clean shutdown), min/max required and max committed log
//! generations, and the backup records `bkinfoFullPrev`, `IncPrev`, `DiffPrev`, `CopyPrev`,
//! `FullCur` (genLow u32, genHigh u32, mark u64 each; spec 10.4), and at offset 256 the
//! path the database was created or attached at (u32 length, UTF-8).
//!
//! The backup stream of a database (spec 10.3) is: header snapshot twice, data pages 1 ...
//! pgnoLast, and a trailer page (magic `JCMTRAIL`, signatures, bkinfo, generations, page size,
//! pgnoLast; checksum seed `u64::MAX`).

use super::checksum::{seal, verify};
use super::{get_u32, get_u64, put_u32, put_u64};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

pub const DB_MAGIC: &[u8; 8] = b"JCMOCKDB";

/// `<dbname>.pat`: the patch file of a database, its name with the extension replaced, where
/// the Windows 2000 profile keeps the trailer of a backup stream (spec 11.4; JetBackup,
/// streaming and restores read and write it).
pub fn patch_name(db: &Path) -> std::path::PathBuf {
    db.with_extension("pat")
}
pub const TRAILER_MAGIC: &[u8; 8] = b"JCMTRAIL";
/// Data pages of a new database (kept small: trials must be fast).
pub const INITIAL_DATA_PAGES: u32 = 16;
const TRAILER_SEED: u64 = u64::MAX;
/// Offset of the original path (u32 length + UTF-8) in the header page.
const PATH_AT: usize = 256;

/// One backup record of the header (spec 10.4).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct BkInfo {
    pub gen_low: u32,
    pub gen_high: u32,
    /// Logical time of the backup's Begin (the "mark").
    pub mark: u64,
}

impl BkInfo {
    fn put(&self, b: &mut [u8], at: usize) {
        put_u32(b, at, self.gen_low);
        put_u32(b, at + 4, self.gen_high);
        put_u64(b, at + 8, self.mark);
    }
    fn get(b: &[u8], at: usize) -> BkInfo {
        BkInfo {
            gen_low: get_u32(b, at),
            gen_high: get_u32(b, at + 4),
            mark: get_u64(b, at + 8),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DbHeader {
    pub page_size: u32,
    pub pgno_last: u32,
    pub db_signature: u64,
    pub log_signature: u64,
    pub recovery_off: bool,
    pub clean: bool,
    pub gen_min_required: u32,
    pub gen_max_required: u32,
    pub gen_max_committed: u32,
    pub full_prev: BkInfo,
    pub inc_prev: BkInfo,
    pub diff_prev: BkInfo,
    pub copy_prev: BkInfo,
    pub full_cur: BkInfo,
    /// Where the database was created or last attached (what ESENT's logs record; restore
    /// puts the database back there).
    pub original_path: String,
}

/// Why a header could not be used.
#[derive(Debug)]
pub enum HeaderError {
    Io(io::Error),
    /// Too short or wrong magic: not a database.
    NotDb,
    /// Both header copies fail their checksum.
    Damaged,
}

impl DbHeader {
    pub fn encode(&self) -> Vec<u8> {
        let mut b = vec![0u8; self.page_size.max(512) as usize];
        b[0..8].copy_from_slice(DB_MAGIC);
        put_u32(&mut b, 8, self.page_size);
        put_u32(&mut b, 12, self.pgno_last);
        put_u64(&mut b, 16, self.db_signature);
        put_u64(&mut b, 24, self.log_signature);
        put_u32(
            &mut b,
            32,
            (self.recovery_off as u32) | ((self.clean as u32) << 1),
        );
        put_u32(&mut b, 36, self.gen_min_required);
        put_u32(&mut b, 40, self.gen_max_required);
        put_u32(&mut b, 44, self.gen_max_committed);
        self.full_prev.put(&mut b, 48);
        self.inc_prev.put(&mut b, 64);
        self.diff_prev.put(&mut b, 80);
        self.copy_prev.put(&mut b, 96);
        self.full_cur.put(&mut b, 112);
        let path = self.original_path.as_bytes();
        let room = b.len().saturating_sub(PATH_AT + 4 + 8);
        let n = path.len().min(room);
        put_u32(&mut b, PATH_AT, n as u32);
        b[PATH_AT + 4..PATH_AT + 4 + n].copy_from_slice(&path[..n]);
        seal(0, &mut b);
        b
    }

    /// Decodes one header page; `None` if the magic or checksum is wrong.
    pub fn decode(b: &[u8]) -> Result<DbHeader, HeaderError> {
        if b.len() < 512 || &b[0..8] != DB_MAGIC {
            return Err(HeaderError::NotDb);
        }
        let page_size = get_u32(b, 8);
        if page_size as usize != b.len() || !verify(0, b) {
            return Err(HeaderError::Damaged);
        }
        let flags = get_u32(b, 32);
        Ok(DbHeader {
            page_size,
            pgno_last: get_u32(b, 12),
            db_signature: get_u64(b, 16),
            log_signature: get_u64(b, 24),
            recovery_off: flags & 1 != 0,
            clean: flags & 2 != 0,
            gen_min_required: get_u32(b, 36),
            gen_max_required: get_u32(b, 40),
            gen_max_committed: get_u32(b, 44),
            full_prev: BkInfo::get(b, 48),
            inc_prev: BkInfo::get(b, 64),
            diff_prev: BkInfo::get(b, 80),
            copy_prev: BkInfo::get(b, 96),
            full_cur: BkInfo::get(b, 112),
            original_path: {
                let n = (get_u32(b, PATH_AT) as usize).min(b.len().saturating_sub(PATH_AT + 4 + 8));
                String::from_utf8_lossy(&b[PATH_AT + 4..PATH_AT + 4 + n]).into_owned()
            },
        })
    }
}

/// Fills a data page.
pub fn make_data_page(pgno: u32, db_signature: u64, page: &mut [u8]) {
    for (i, b) in page.iter_mut().enumerate() {
        *b = (pgno as usize).wrapping_mul(31).wrapping_add(i) as u8;
    }
    put_u32(page, 0, pgno);
    put_u32(page, 4, 0);
    put_u64(page, 8, db_signature);
    seal(pgno as u64, page);
}

/// Whether `page` is a sound data page `pgno`.
pub fn verify_data_page(pgno: u32, page: &[u8]) -> bool {
    page.len() >= 16 && get_u32(page, 0) == pgno && verify(pgno as u64, page)
}

/// Creates a new database file: header, shadow header, `pgno_last` data pages.
pub fn create(path: &Path, hdr: &DbHeader) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
    let h = hdr.encode();
    let ps = hdr.page_size as usize;
    // Written in runs of up to `RUN` pages, the two header copies in the first: a new
    // database (18 pages) is one write.
    const RUN: usize = 32;
    let mut chunk = Vec::with_capacity(ps * RUN);
    chunk.extend_from_slice(&h);
    chunk.extend_from_slice(&h);
    for pgno in 1..=hdr.pgno_last {
        let at = chunk.len();
        chunk.resize(at + ps, 0);
        make_data_page(pgno, hdr.db_signature, &mut chunk[at..]);
        if chunk.len() >= ps * RUN {
            f.write_all(&chunk)?;
            chunk.clear();
        }
    }
    f.write_all(&chunk)?;
    Ok(())
}

/// Reads the header (the shadow copy if the first is damaged).
pub fn read_header(path: &Path) -> Result<DbHeader, HeaderError> {
    let mut f = File::open(path).map_err(HeaderError::Io)?;
    let mut probe = vec![0u8; 256];
    if f.read_exact(&mut probe).is_err() || &probe[0..8] != DB_MAGIC {
        return Err(HeaderError::NotDb);
    }
    let page_size = get_u32(&probe, 8) as usize;
    if !(512..=65536).contains(&page_size) {
        return Err(HeaderError::Damaged);
    }
    // The rest of both header pages, read on from the probe (no seek back).
    let mut two = vec![0u8; page_size * 2];
    two[..probe.len()].copy_from_slice(&probe);
    if f.read_exact(&mut two[probe.len()..]).is_err() {
        return Err(HeaderError::Damaged);
    }
    DbHeader::decode(&two[..page_size]).or_else(|_| DbHeader::decode(&two[page_size..]))
}

/// Rewrites both header copies.
pub fn write_header(path: &Path, hdr: &DbHeader) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).open(path)?;
    let mut h = hdr.encode();
    h.extend_from_within(..);
    f.write_all(&h)
}

/// File offset of data page `pgno`.
pub fn page_offset(pgno: u32, page_size: u32) -> u64 {
    (pgno as u64 + 1) * page_size as u64
}

/// The trailer page of a backup stream (spec 10.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trailer {
    pub db_signature: u64,
    pub log_signature: u64,
    pub bkinfo: BkInfo,
    pub gen_min_required: u32,
    pub gen_max_required: u32,
    pub gen_max_committed: u32,
    pub page_size: u32,
    pub pgno_last: u32,
}

impl Trailer {
    pub fn encode(&self) -> Vec<u8> {
        let mut b = vec![0u8; self.page_size as usize];
        b[0..8].copy_from_slice(TRAILER_MAGIC);
        put_u64(&mut b, 8, self.db_signature);
        put_u64(&mut b, 16, self.log_signature);
        self.bkinfo.put(&mut b, 24);
        put_u32(&mut b, 40, self.gen_min_required);
        put_u32(&mut b, 44, self.gen_max_required);
        put_u32(&mut b, 48, self.gen_max_committed);
        put_u32(&mut b, 52, self.page_size);
        put_u32(&mut b, 56, self.pgno_last);
        seal(TRAILER_SEED, &mut b);
        b
    }
    pub fn decode(b: &[u8]) -> Option<Trailer> {
        if b.len() < 64 || &b[0..8] != TRAILER_MAGIC || !verify(TRAILER_SEED, b) {
            return None;
        }
        Some(Trailer {
            db_signature: get_u64(b, 8),
            log_signature: get_u64(b, 16),
            bkinfo: BkInfo::get(b, 24),
            gen_min_required: get_u32(b, 40),
            gen_max_required: get_u32(b, 44),
            gen_max_committed: get_u32(b, 48),
            page_size: get_u32(b, 52),
            pgno_last: get_u32(b, 56),
        })
    }
}

/// Damages data page `pgno` on disk (flips bytes in its middle) so its checksum fails.
pub fn corrupt_page(path: &Path, pgno: u32) -> io::Result<()> {
    let hdr = read_header(path).map_err(|e| match e {
        HeaderError::Io(e) => e,
        _ => io::Error::new(io::ErrorKind::InvalidData, "not a database"),
    })?;
    if pgno == 0 || pgno > hdr.pgno_last {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "page out of range",
        ));
    }
    let mut f = OpenOptions::new().read(true).write(true).open(path)?;
    let at = page_offset(pgno, hdr.page_size) + hdr.page_size as u64 / 2;
    super::flip(&mut f, at, 8, 0xA5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_read_and_corrupt() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.edb");
        let hdr = DbHeader {
            page_size: 4096,
            pgno_last: 4,
            db_signature: 9,
            ..Default::default()
        };
        create(&p, &hdr).unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().len(), 6 * 4096);
        assert_eq!(read_header(&p).unwrap(), hdr);
        let mut page = vec![0u8; 4096];
        let mut f = File::open(&p).unwrap();
        super::super::read_exact_at(&mut f, &mut page, page_offset(2, 4096)).unwrap();
        assert!(verify_data_page(2, &page));
        corrupt_page(&p, 2).unwrap();
        super::super::read_exact_at(&mut f, &mut page, page_offset(2, 4096)).unwrap();
        assert!(!verify_data_page(2, &page));
    }

    #[test]
    fn a_new_database_is_two_headers_then_its_data_pages() {
        let d = tempfile::tempdir().unwrap();
        // More pages than one write's run: the layout holds across the runs.
        for pages in [16, 40] {
            let p = d.path().join(format!("{pages}.edb"));
            let hdr = DbHeader {
                page_size: 2048,
                pgno_last: pages,
                db_signature: 7,
                ..Default::default()
            };
            create(&p, &hdr).unwrap();
            let mut want = hdr.encode();
            want.extend_from_slice(&hdr.encode());
            let mut page = vec![0u8; 2048];
            for pgno in 1..=pages {
                make_data_page(pgno, 7, &mut page);
                want.extend_from_slice(&page);
            }
            assert!(std::fs::read(&p).unwrap() == want, "{pages} pages");
        }
    }
}
