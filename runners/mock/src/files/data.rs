//! The data of a database (tables, columns, records) in its data pages.
//!
//! This is the mock's own format, not ESENT's B-tree page format: the whole content of a
//! database is one JSON document ([`DbData`]) cut into the data pages in order. A data page
//! (see `db.rs`) keeps its first 16 bytes (pgno, payload length, database signature); bytes
//! 16 .. 16 + length hold the page's share of the document, the rest keeps the fill
//! pattern, and the page checksum covers it all. Page 1 holds the start of the document, and
//! a page whose length is 0 holds none of it. A document that outgrows the data pages grows
//! the file (pgnoLast in the header follows), so a backup stream, which copies the pages,
//! carries the records.
//!
//! `applied` is the log position ([`Lsn`]) of the last logged change the pages include: redo
//! (crash recovery, restore) applies only the changes logged after it.

use super::checksum::seal;
use super::db::{self, page_offset, DbHeader, HeaderError};
use super::{get_u32, put_u32};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// Bytes at the start of a data page that are not the document.
const PAGE_HEAD: usize = 16;
/// The checksum at the end of every page.
const PAGE_TAIL: usize = 8;

/// A position in the log stream: generation and record index within it.
pub type Lsn = (u32, u32);

/// One column of a table (`JET_COLUMNDEF` as far as the mock keeps it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub columnid: u32,
    pub coltyp: u32,
    pub cb_max: u32,
    pub grbit: u32,
}

/// Column values of one record, by columnid (a column without a value is NULL).
pub type Values = BTreeMap<u32, Vec<u8>>;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Records in insertion order (the table has no primary index: ESENT then orders records
    /// by an implicit, increasing key).
    pub records: BTreeMap<u64, Values>,
    /// The implicit key of the next inserted record.
    pub next_key: u64,
}

impl Table {
    pub fn column(&self, columnid: u32) -> Option<&Column> {
        self.columns.iter().find(|c| c.columnid == columnid)
    }
}

/// Everything a database holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbData {
    pub tables: BTreeMap<String, Table>,
    pub applied: Lsn,
}

impl DbData {
    /// The table of that name (names compare without case, as ESENT's do).
    pub fn table_key(&self, name: &str) -> Option<String> {
        self.tables
            .keys()
            .find(|k| k.eq_ignore_ascii_case(name))
            .cloned()
    }
}

fn bad(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

fn header(path: &Path) -> io::Result<DbHeader> {
    db::read_header(path).map_err(|e| match e {
        HeaderError::Io(e) => e,
        _ => bad("not a database"),
    })
}

/// Reads the document from the data pages (an empty database when none was written).
pub fn read(path: &Path) -> io::Result<DbData> {
    let hdr = header(path)?;
    let ps = hdr.page_size as usize;
    let mut f = std::fs::File::open(path)?;
    let mut doc = Vec::new();
    let mut page = vec![0u8; ps];
    for pgno in 1..=hdr.pgno_last {
        super::read_exact_at(&mut f, &mut page, page_offset(pgno, hdr.page_size))?;
        let n = get_u32(&page, 4) as usize;
        if n == 0 || n > ps - PAGE_HEAD - PAGE_TAIL {
            break;
        }
        doc.extend_from_slice(&page[PAGE_HEAD..PAGE_HEAD + n]);
    }
    if doc.is_empty() {
        return Ok(DbData::default());
    }
    serde_json::from_slice(&doc).map_err(bad)
}

/// Writes the document into the data pages, growing the file when it needs more pages.
pub fn write(path: &Path, data: &DbData) -> io::Result<()> {
    let mut hdr = header(path)?;
    let ps = hdr.page_size as usize;
    let doc = serde_json::to_vec(data).map_err(bad)?;
    let room = ps - PAGE_HEAD - PAGE_TAIL;
    let needed = doc.len().div_ceil(room) as u32;
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)?;
    if needed > hdr.pgno_last {
        hdr.pgno_last = needed;
        db::write_header(path, &hdr)?;
    }
    let mut chunks = doc.chunks(room);
    let mut page = vec![0u8; ps];
    for pgno in 1..=hdr.pgno_last {
        db::make_data_page(pgno, hdr.db_signature, &mut page);
        // Pages past the document keep the pattern of a new database, with length 0.
        let chunk = chunks.next().unwrap_or(&[]);
        put_u32(&mut page, 4, chunk.len() as u32);
        page[PAGE_HEAD..PAGE_HEAD + chunk.len()].copy_from_slice(chunk);
        seal(pgno as u64, &mut page);
        super::write_all_at(&mut f, &page, page_offset(pgno, hdr.page_size))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_growth() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.edb");
        let hdr = DbHeader {
            page_size: 4096,
            pgno_last: 2,
            db_signature: 5,
            ..Default::default()
        };
        db::create(&p, &hdr).unwrap();
        assert_eq!(read(&p).unwrap(), DbData::default());
        let mut data = DbData::default();
        let mut t = Table::default();
        for k in 0..400u64 {
            t.records.insert(k, Values::from([(1, vec![7u8; 40])]));
        }
        data.tables.insert("T".into(), t);
        data.applied = (3, 9);
        write(&p, &data).unwrap();
        assert_eq!(read(&p).unwrap(), data);
        let grown = db::read_header(&p).unwrap().pgno_last;
        assert!(grown > 2, "{grown}");
        // Every data page is still a sound page (backups verify them, spec 10.6).
        let bytes = std::fs::read(&p).unwrap();
        for pgno in 1..=grown {
            let at = page_offset(pgno, 4096) as usize;
            assert!(db::verify_data_page(pgno, &bytes[at..at + 4096]));
        }
    }
}
