//! Tables and cursors: JetCreateTable, JetOpenTable, JetCloseTable, JetAddColumn.
//!
//! A `JET_TABLEID` is a cursor on one table of one database, owned by a session. Tables and
//! columns are created at once and logged at once (ESENT makes them inside the caller's
//! transaction; the mock does not undo them on rollback). Column ids follow ESENT's ranges:
//! fixed-size columns from 1, variable-size (`Binary`, `Text`) from 128, long values
//! (`LongBinary`, `LongText`) and `JET_bitColumnTagged` columns from 256 (ESENT's
//! `fidFixedLeast`, `fidVarLeast`, `fidTaggedLeast`; inferred from the documented
//! fixed/variable/tagged split, the exact numbers are not documented).

use crate::engine::Engine;
use crate::files::data::{Column, Values};
use crate::redo::RedoOp;
use jetconform_interface::ErrorCode;

type E = ErrorCode;

/// First tableid; later ones step by 0x10. It shares the high half of the sessions (the C
/// library restores it on x86 as for a `JET_SESID`), the low half starting at 0x8000_0000.
pub const FIRST_TABLEID: u64 = 0x0000_5E55_8000_0010;

/// `JET_coltypBit` ... `JET_coltypLongText` (esent.h), and their fixed sizes (0: variable).
const COLTYPES: &[(u32, u32)] = &[
    (1, 1),
    (2, 1),
    (3, 2),
    (4, 4),
    (5, 8),
    (6, 4),
    (7, 8),
    (8, 8),
    (9, 0),
    (10, 0),
    (11, 0),
    (12, 0),
];
/// `JET_bitColumnFixed`, `JET_bitColumnTagged` (esent.h).
const COLUMN_FIXED: u32 = 0x1;
const COLUMN_TAGGED: u32 = 0x2;

/// A column definition as `JET_COLUMNDEF` passes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnDef {
    pub coltyp: u32,
    pub cb_max: u32,
    pub grbit: u32,
}

/// An update in progress on a cursor (JetPrepareUpdate .. JetUpdate).
#[derive(Clone, Debug)]
pub struct Update {
    /// The record replaced (`None`: an insert).
    pub key: Option<u64>,
    pub values: Values,
}

/// A `JET_TABLEID`.
#[derive(Clone, Debug)]
pub struct Cursor {
    pub sesid: u64,
    pub inst: u64,
    pub dbid: u32,
    pub table: String,
    /// The current record's key.
    pub pos: Option<u64>,
    pub update: Option<Update>,
}

impl Engine {
    /// The session's instance, entered (so -1029, -1329 ... as for every call).
    pub(crate) fn data_enter(&self, sesid: u64) -> Result<usize, ErrorCode> {
        let idx = self.session_instance(sesid)?;
        self.api_enter(idx)?;
        Ok(idx)
    }

    /// The cursor `tableid` of `sesid` (-1310 for any other value, inferred: ESENT validates
    /// the tableid against the session's cursors).
    pub(crate) fn cursor(&self, sesid: u64, tableid: u64) -> Result<(usize, Cursor), ErrorCode> {
        let idx = self.data_enter(sesid)?;
        match self.cursors.get(&tableid) {
            Some(c) if c.sesid == sesid => Ok((idx, c.clone())),
            _ => Err(E::JET_errInvalidTableId),
        }
    }

    fn new_cursor(&mut self, sesid: u64, idx: usize, dbid: u32, table: String) -> u64 {
        let t = self.next_tableid;
        self.next_tableid += 0x10;
        let inst = self.instances[idx].handle;
        self.cursors.insert(
            t,
            Cursor {
                sesid,
                inst,
                dbid,
                table,
                pos: None,
                update: None,
            },
        );
        t
    }

    fn check_dbid(&self, idx: usize, dbid: u32) -> Result<(), ErrorCode> {
        if self.instances[idx].dbs.iter().any(|d| d.dbid == dbid) {
            Ok(())
        } else {
            Err(E::JET_errInvalidDatabaseId)
        }
    }

    /// `JetCreateTable`: a new empty table, opened; an existing name → -1303
    /// `JET_errTableDuplicate` (documented for the call). `lPages` and `lDensity` are space
    /// hints the mock ignores.
    pub fn create_table(
        &mut self,
        sesid: u64,
        dbid: u32,
        name: Option<&str>,
    ) -> Result<u64, ErrorCode> {
        let idx = self.data_enter(sesid)?;
        self.check_dbid(idx, dbid)?;
        let name = match name {
            Some(n) if !n.is_empty() && n.len() <= 64 => n.to_string(),
            _ => return Err(E::JET_errInvalidName),
        };
        if self.db_data(idx, dbid)?.table_key(&name).is_some() {
            return Err(E::JET_errTableDuplicate);
        }
        let op = RedoOp::CreateTable {
            table: name.clone(),
        };
        crate::redo::apply(self.db_data(idx, dbid)?, &op);
        self.mark_dirty(idx, dbid);
        self.log_redo(idx, dbid, vec![op])?;
        Ok(self.new_cursor(sesid, idx, dbid, name))
    }

    /// `JetOpenTable`: a missing table → -1305 `JET_errObjectNotFound` (documented).
    pub fn open_table(
        &mut self,
        sesid: u64,
        dbid: u32,
        name: Option<&str>,
    ) -> Result<u64, ErrorCode> {
        let idx = self.data_enter(sesid)?;
        self.check_dbid(idx, dbid)?;
        let key = self
            .db_data(idx, dbid)?
            .table_key(name.unwrap_or(""))
            .ok_or(E::JET_errObjectNotFound)?;
        Ok(self.new_cursor(sesid, idx, dbid, key))
    }

    /// `JetCloseTable`: an update in progress is cancelled.
    pub fn close_table(&mut self, sesid: u64, tableid: u64) -> ErrorCode {
        match self.cursor(sesid, tableid) {
            Ok(_) => {
                self.cursors.remove(&tableid);
                E::JET_errSuccess
            }
            Err(e) => e,
        }
    }

    /// `JetAddColumn`: -1508 `JET_errColumnDuplicate` for a name in use, -1511
    /// `JET_errInvalidColumnType` for a coltyp outside esent.h's list (both documented).
    pub fn add_column(
        &mut self,
        sesid: u64,
        tableid: u64,
        name: Option<&str>,
        def: Option<&ColumnDef>,
    ) -> Result<u32, ErrorCode> {
        let (idx, c) = self.cursor(sesid, tableid)?;
        let def = def.ok_or(E::JET_errInvalidParameter)?;
        let name = match name {
            Some(n) if !n.is_empty() && n.len() <= 64 => n.to_string(),
            _ => return Err(E::JET_errInvalidName),
        };
        let fixed_size = COLTYPES
            .iter()
            .find(|(t, _)| *t == def.coltyp)
            .map(|(_, s)| *s)
            .ok_or(E::JET_errInvalidColumnType)?;
        let t = self
            .db_data(idx, c.dbid)?
            .tables
            .get(&c.table)
            .cloned()
            .unwrap_or_default();
        if t.columns.iter().any(|x| x.name.eq_ignore_ascii_case(&name)) {
            return Err(E::JET_errColumnDuplicate);
        }
        let tagged = def.grbit & COLUMN_TAGGED != 0 || def.coltyp >= 11;
        let least = if tagged {
            256
        } else if fixed_size > 0 || def.grbit & COLUMN_FIXED != 0 {
            1
        } else {
            128
        };
        let columnid = (least..)
            .find(|id| t.column(*id).is_none())
            .unwrap_or(least);
        let column = Column {
            name,
            columnid,
            coltyp: def.coltyp,
            cb_max: if fixed_size > 0 {
                fixed_size
            } else {
                def.cb_max
            },
            grbit: def.grbit,
        };
        let op = RedoOp::AddColumn {
            table: c.table.clone(),
            column,
        };
        crate::redo::apply(self.db_data(idx, c.dbid)?, &op);
        self.mark_dirty(idx, c.dbid);
        self.log_redo(idx, c.dbid, vec![op])?;
        Ok(columnid)
    }

    pub(crate) fn mark_dirty(&mut self, idx: usize, dbid: u32) {
        if let Some(d) = self.instances[idx].dbs.iter_mut().find(|d| d.dbid == dbid) {
            d.dirty = true;
        }
    }

    /// Cursors on a database that leaves the instance are closed.
    pub(crate) fn close_cursors_of(&mut self, idx: usize, dbid: u32) {
        let inst = self.instances[idx].handle;
        self.cursors
            .retain(|_, c| !(c.inst == inst && c.dbid == dbid));
    }

    /// An instance that stops loses its cursors and its sessions' open changes (a dirty stop
    /// is a crash: they were never committed).
    pub(crate) fn drop_cursors_of_instance(&mut self, idx: usize) {
        let inst = self.instances[idx].handle;
        self.cursors.retain(|_, c| c.inst != inst);
        let sessions: Vec<u64> = self
            .sessions
            .iter()
            .filter(|(_, h)| **h == inst)
            .map(|(s, _)| *s)
            .collect();
        for s in sessions {
            self.trx_changes.remove(&s);
            self.trx_levels.remove(&s);
        }
    }
}
