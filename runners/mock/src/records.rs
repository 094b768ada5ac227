//! Records: JetPrepareUpdate, JetSetColumn, JetUpdate, JetRetrieveColumn, JetMove, JetDelete.
//!
//! A table without a primary index keeps its records in insertion order (ESENT gives them an
//! increasing implicit key); the cursor moves along that order. Codes are those esent.h and
//! the calls' documentation give: -1603 `JET_errNoCurrentRecord` without a current record,
//! -1609 `JET_errUpdateNotPrepared`, -1607 `JET_errAlreadyPrepared`, -1507
//! `JET_errColumnNotFound`, -1017 `JET_errRecordDeleted` for a record deleted under the
//! cursor, `JET_wrnColumnNull` (1004) and `JET_wrnBufferTruncated` (1006) on retrieval.

use crate::engine::Engine;
use crate::files::data::{Table, Values};
use crate::redo::RedoOp;
use crate::tables::Update;
use jetconform_interface::ErrorCode;

type E = ErrorCode;

/// `JET_prep*` (esent.h).
pub const PREP_INSERT: u32 = 0;
pub const PREP_REPLACE_NO_LOCK: u32 = 1;
pub const PREP_REPLACE: u32 = 2;
pub const PREP_CANCEL: u32 = 3;
pub const PREP_INSERT_COPY: u32 = 5;
/// `JET_bitSetAppendLV`, `JET_bitSetZeroLength`, `JET_bitRetrieveCopy` (esent.h).
const SET_APPEND_LV: u32 = 0x1;
const SET_ZERO_LENGTH: u32 = 0x20;
const RETRIEVE_COPY: u32 = 0x1;
/// `JET_MoveFirst`, `JET_MoveLast` (esent.h).
pub const MOVE_FIRST: i32 = i32::MIN;
pub const MOVE_LAST: i32 = i32::MAX;

/// What JetRetrieveColumn hands back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Retrieved {
    /// Bytes copied into the caller's buffer.
    pub data: Vec<u8>,
    /// The value's whole size (`*pcbActual`).
    pub actual: u32,
}

impl Engine {
    fn table_of(&mut self, idx: usize, dbid: u32, table: &str) -> Result<Table, ErrorCode> {
        Ok(self
            .db_data(idx, dbid)?
            .tables
            .get(table)
            .cloned()
            .unwrap_or_default())
    }

    fn set_update(&mut self, tableid: u64, u: Option<Update>) {
        if let Some(c) = self.cursors.get_mut(&tableid) {
            c.update = u;
        }
    }

    /// `JetPrepareUpdate`.
    pub fn prepare_update(&mut self, sesid: u64, tableid: u64, prep: u32) -> ErrorCode {
        let (idx, c) = match self.cursor(sesid, tableid) {
            Ok(x) => x,
            Err(e) => return e,
        };
        if prep == PREP_CANCEL {
            if c.update.is_none() {
                return E::JET_errUpdateNotPrepared;
            }
            self.set_update(tableid, None);
            return E::JET_errSuccess;
        }
        if c.update.is_some() {
            return E::JET_errAlreadyPrepared;
        }
        let t = match self.table_of(idx, c.dbid, &c.table) {
            Ok(t) => t,
            Err(e) => return e,
        };
        let current = c.pos.and_then(|k| t.records.get(&k).cloned());
        let u = match prep {
            PREP_INSERT => Update {
                key: None,
                values: Values::new(),
            },
            PREP_INSERT_COPY | PREP_REPLACE | PREP_REPLACE_NO_LOCK => {
                let Some(values) = current else {
                    return E::JET_errNoCurrentRecord;
                };
                Update {
                    key: (prep != PREP_INSERT_COPY).then_some(c.pos).flatten(),
                    values,
                }
            }
            _ => return E::JET_errInvalidParameter,
        };
        self.set_update(tableid, Some(u));
        E::JET_errSuccess
    }

    /// `JetSetColumn`: into the prepared update's copy of the record. No data (NULL or 0
    /// bytes) makes the column NULL, unless `JET_bitSetZeroLength`.
    pub fn set_column(
        &mut self,
        sesid: u64,
        tableid: u64,
        columnid: u32,
        data: Option<&[u8]>,
        grbit: u32,
    ) -> ErrorCode {
        let (idx, c) = match self.cursor(sesid, tableid) {
            Ok(x) => x,
            Err(e) => return e,
        };
        let Some(mut u) = c.update else {
            return E::JET_errUpdateNotPrepared;
        };
        match self.table_of(idx, c.dbid, &c.table) {
            Ok(t) if t.column(columnid).is_some() => {}
            Ok(_) => return E::JET_errColumnNotFound,
            Err(e) => return e,
        }
        let bytes = data.unwrap_or(&[]);
        if grbit & SET_APPEND_LV != 0 {
            u.values
                .entry(columnid)
                .or_default()
                .extend_from_slice(bytes);
        } else if bytes.is_empty() && grbit & SET_ZERO_LENGTH == 0 {
            u.values.remove(&columnid);
        } else {
            u.values.insert(columnid, bytes.to_vec());
        }
        self.set_update(tableid, Some(u));
        E::JET_errSuccess
    }

    /// `JetUpdate`: the prepared record is inserted or replaced; the cursor stays where it
    /// was (ESENT's documented behaviour for inserts). Returns the bookmark's size.
    pub fn update(&mut self, sesid: u64, tableid: u64) -> Result<u32, ErrorCode> {
        let (idx, c) = self.cursor(sesid, tableid)?;
        let u = c.update.ok_or(E::JET_errUpdateNotPrepared)?;
        let t = self.table_of(idx, c.dbid, &c.table)?;
        let (op, before) = match u.key {
            None => (
                RedoOp::Insert {
                    table: c.table.clone(),
                    key: t.next_key,
                    values: u.values,
                },
                None,
            ),
            Some(k) => {
                let before = t.records.get(&k).cloned();
                if before.is_none() {
                    return Err(E::JET_errRecordDeleted);
                }
                (
                    RedoOp::Replace {
                        table: c.table.clone(),
                        key: k,
                        values: u.values,
                    },
                    before,
                )
            }
        };
        crate::redo::apply(self.db_data(idx, c.dbid)?, &op);
        self.set_update(tableid, None);
        self.record_change(sesid, idx, c.dbid, op, before)?;
        Ok(8)
    }

    /// `JetRetrieveColumn`: from the current record, or from the prepared update with
    /// `JET_bitRetrieveCopy`; `cb` is the buffer's size.
    pub fn retrieve_column(
        &mut self,
        sesid: u64,
        tableid: u64,
        columnid: u32,
        cb: u32,
        grbit: u32,
    ) -> Result<(ErrorCode, Retrieved), ErrorCode> {
        let (idx, c) = self.cursor(sesid, tableid)?;
        let t = self.table_of(idx, c.dbid, &c.table)?;
        if t.column(columnid).is_none() {
            return Err(E::JET_errColumnNotFound);
        }
        let values = match (&c.update, grbit & RETRIEVE_COPY != 0) {
            (Some(u), true) => u.values.clone(),
            _ => {
                let k = c.pos.ok_or(E::JET_errNoCurrentRecord)?;
                t.records.get(&k).cloned().ok_or(E::JET_errRecordDeleted)?
            }
        };
        let Some(v) = values.get(&columnid) else {
            return Ok((E::JET_wrnColumnNull, Retrieved::default()));
        };
        let n = v.len().min(cb as usize);
        let code = if n < v.len() {
            E::JET_wrnBufferTruncated
        } else {
            E::JET_errSuccess
        };
        Ok((
            code,
            Retrieved {
                data: v[..n].to_vec(),
                actual: v.len() as u32,
            },
        ))
    }

    /// `JetMove`: `JET_MoveFirst`, `JET_MoveLast`, or that many records on (back when
    /// negative); 0 checks that there is a current record. Moving cancels a prepared update.
    pub fn move_cursor(&mut self, sesid: u64, tableid: u64, rows: i32) -> ErrorCode {
        let (idx, c) = match self.cursor(sesid, tableid) {
            Ok(x) => x,
            Err(e) => return e,
        };
        let t = match self.table_of(idx, c.dbid, &c.table) {
            Ok(t) => t,
            Err(e) => return e,
        };
        let keys: Vec<u64> = t.records.keys().copied().collect();
        let target = match rows {
            MOVE_FIRST => keys.first().copied(),
            MOVE_LAST => keys.last().copied(),
            0 => c.pos.filter(|k| t.records.contains_key(k)),
            n if n > 0 => c
                .pos
                .and_then(|p| keys.iter().filter(|k| **k > p).nth(n as usize - 1).copied()),
            n => c.pos.and_then(|p| {
                keys.iter()
                    .rev()
                    .filter(|k| **k < p)
                    .nth(n.unsigned_abs() as usize - 1)
                    .copied()
            }),
        };
        if let Some(cur) = self.cursors.get_mut(&tableid) {
            cur.update = None;
            if rows != 0 {
                if let Some(k) = target {
                    cur.pos = Some(k);
                }
            }
        }
        match target {
            Some(_) => E::JET_errSuccess,
            None => E::JET_errNoCurrentRecord,
        }
    }

    /// `JetDelete`: the current record goes; the cursor stays on its place.
    pub fn delete_record(&mut self, sesid: u64, tableid: u64) -> ErrorCode {
        let r = (|| {
            let (idx, c) = self.cursor(sesid, tableid)?;
            let k = c.pos.ok_or(E::JET_errNoCurrentRecord)?;
            let t = self.table_of(idx, c.dbid, &c.table)?;
            let before = t.records.get(&k).cloned().ok_or(E::JET_errRecordDeleted)?;
            let op = RedoOp::Delete {
                table: c.table.clone(),
                key: k,
            };
            crate::redo::apply(self.db_data(idx, c.dbid)?, &op);
            self.record_change(sesid, idx, c.dbid, op, Some(before))
        })();
        r.err().unwrap_or(E::JET_errSuccess)
    }
}
