//! What the log says about data, and how the engine keeps pages and log in step.
//!
//! * A database's data lives in its pages (`files::data`); the engine works on a copy in
//!   memory and writes it back ("flush") when the checkpoint moves past it: at a log roll, a
//!   clean termination, a detach, and when a backup opens the database (so the stream holds
//!   the data). What is written is the committed state: changes of open transactions are
//!   left out.
//! * Every committed change is logged as one `Redo` record per database and transaction
//!   (payload: this JSON document), and table creation and new columns as soon as they are
//!   made. ESENT logs updates as they happen and undoes the uncommitted ones at the end of
//!   recovery; the mock logs a transaction when it commits, so an uncommitted transaction
//!   leaves nothing to redo. Recovery gives the same data either way.
//! * `CreateDb` and `Attach` records carry the database's path, signature and page size, so
//!   recovery can re-create a database the logs created (`recovery.rs`).

use crate::engine::Engine;
use crate::files::data::{self, Column, DbData, Lsn, Values};
use crate::files::log::RecordKind;
use jetconform_interface::ErrorCode;
use serde::{Deserialize, Serialize};

/// The payload of `CreateDb` and `Attach` records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbRecord {
    pub path: String,
    pub db: u64,
    pub page_size: u32,
}

impl DbRecord {
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
    pub fn decode(b: &[u8]) -> Option<DbRecord> {
        serde_json::from_slice(b).ok()
    }
}

/// One change to a database's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedoOp {
    CreateTable {
        table: String,
    },
    AddColumn {
        table: String,
        column: Column,
    },
    Insert {
        table: String,
        key: u64,
        values: Values,
    },
    Replace {
        table: String,
        key: u64,
        values: Values,
    },
    Delete {
        table: String,
        key: u64,
    },
}

/// The payload of a `Redo` record: changes to the database with signature `db`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redo {
    pub db: u64,
    pub path: String,
    pub ops: Vec<RedoOp>,
}

impl Redo {
    pub fn decode(b: &[u8]) -> Option<Redo> {
        serde_json::from_slice(b).ok()
    }
}

/// Applies one change (again, harmlessly, if it is already there).
pub fn apply(d: &mut DbData, op: &RedoOp) {
    match op {
        RedoOp::CreateTable { table } => {
            d.tables.entry(table.clone()).or_default();
        }
        RedoOp::AddColumn { table, column } => {
            let t = d.tables.entry(table.clone()).or_default();
            if t.column(column.columnid).is_none() {
                t.columns.push(column.clone());
            }
        }
        RedoOp::Insert { table, key, values } | RedoOp::Replace { table, key, values } => {
            let t = d.tables.entry(table.clone()).or_default();
            t.records.insert(*key, values.clone());
            t.next_key = t.next_key.max(key + 1);
        }
        RedoOp::Delete { table, key } => {
            if let Some(t) = d.tables.get_mut(table) {
                t.records.remove(key);
            }
        }
    }
}

/// A change of an open transaction, with what undoes it.
#[derive(Clone, Debug)]
pub struct Change {
    /// The transaction level that made it.
    pub level: u32,
    pub inst: u64,
    pub dbid: u32,
    pub op: RedoOp,
    /// The record before the change (`None`: it did not exist).
    pub before: Option<Values>,
}

fn undo(d: &mut DbData, c: &Change) {
    let (table, key) = match &c.op {
        RedoOp::Insert { table, key, .. }
        | RedoOp::Replace { table, key, .. }
        | RedoOp::Delete { table, key } => (table, *key),
        _ => return,
    };
    if let Some(t) = d.tables.get_mut(table) {
        match &c.before {
            Some(v) => {
                t.records.insert(key, v.clone());
            }
            None => {
                t.records.remove(&key);
            }
        }
    }
}

impl Engine {
    /// The data of database `dbid` of instance `idx`, loaded from its pages on first use.
    pub(crate) fn db_data(&mut self, idx: usize, dbid: u32) -> Result<&mut DbData, ErrorCode> {
        let d = self.instances[idx]
            .dbs
            .iter_mut()
            .find(|d| d.dbid == dbid)
            .ok_or(ErrorCode::JET_errInvalidDatabaseId)?;
        if d.data.is_none() {
            let loaded = data::read(&d.path).map_err(|_| ErrorCode::JET_errDatabaseCorrupted)?;
            d.last_lsn = loaded.applied;
            d.data = Some(Box::new(loaded));
        }
        Ok(d.data.as_deref_mut().expect("loaded above"))
    }

    /// Writes the committed state of database number `d` of instance `idx` to its pages.
    pub(crate) fn flush_db(&mut self, idx: usize, d: usize) -> Result<(), ErrorCode> {
        let inst = self.instances[idx].handle;
        let adb = &self.instances[idx].dbs[d];
        if !adb.dirty {
            return Ok(());
        }
        let Some(current) = adb.data.as_deref() else {
            return Ok(());
        };
        let mut committed = current.clone();
        let open: Vec<&Change> = self
            .trx_changes
            .values()
            .flatten()
            .filter(|c| c.inst == inst && c.dbid == adb.dbid)
            .collect();
        for c in open.into_iter().rev() {
            undo(&mut committed, c);
        }
        committed.applied = adb.last_lsn;
        data::write(&adb.path, &committed).map_err(|_| ErrorCode::JET_errDiskIO)?;
        self.instances[idx].dbs[d].dirty = false;
        Ok(())
    }

    /// Logs changes of database `dbid` as one committed `Redo` record (unlogged databases
    /// log nothing) and records its position.
    pub(crate) fn log_redo(
        &mut self,
        idx: usize,
        dbid: u32,
        ops: Vec<RedoOp>,
    ) -> Result<(), ErrorCode> {
        let Some(d) = self.instances[idx].dbs.iter().position(|d| d.dbid == dbid) else {
            return Ok(());
        };
        let adb = &self.instances[idx].dbs[d];
        if adb.unlogged || ops.is_empty() {
            return Ok(());
        }
        let redo = Redo {
            db: adb.signature,
            path: adb.path.to_string_lossy().into_owned(),
            ops,
        };
        let payload = serde_json::to_vec(&redo).map_err(|_| ErrorCode::JET_errLogWriteFail)?;
        let lsn = self.log_append_payload(idx, RecordKind::Redo, dbid, &payload)?;
        let gen = self.instances[idx].log.current_gen;
        let adb = &mut self.instances[idx].dbs[d];
        adb.last_lsn = lsn;
        // The header names the newest generation the database depends on (spec 10.4).
        if let Ok(mut h) = crate::files::db::read_header(&adb.path) {
            h.gen_max_committed = gen;
            h.gen_max_required = gen;
            let _ = crate::files::db::write_header(&adb.path, &h);
        }
        Ok(())
    }

    /// Records a change made by `sesid`: inside a transaction it waits for the commit,
    /// outside one it commits at once (ESENT wraps such an update in a transaction of its
    /// own).
    pub(crate) fn record_change(
        &mut self,
        sesid: u64,
        idx: usize,
        dbid: u32,
        op: RedoOp,
        before: Option<Values>,
    ) -> Result<(), ErrorCode> {
        if let Some(d) = self.instances[idx].dbs.iter_mut().find(|d| d.dbid == dbid) {
            d.dirty = true;
        }
        let level = self.transaction_level(sesid);
        if level == 0 {
            return self.log_redo(idx, dbid, vec![op]);
        }
        let inst = self.instances[idx].handle;
        self.trx_changes.entry(sesid).or_default().push(Change {
            level,
            inst,
            dbid,
            op,
            before,
        });
        Ok(())
    }

    /// A level of `sesid` ends: `to` is the level left open. A commit to level 0 logs the
    /// transaction; a rollback undoes the changes of the levels that end.
    pub(crate) fn settle_changes(&mut self, sesid: u64, to: u32, commit: bool) {
        let mut changes = self.trx_changes.remove(&sesid).unwrap_or_default();
        if !commit {
            let (undone, kept): (Vec<Change>, Vec<Change>) =
                changes.into_iter().partition(|c| c.level > to);
            for c in undone.iter().rev() {
                let idx = self.index_of(c.inst);
                if let Some(idx) = idx {
                    if let Ok(d) = self.db_data(idx, c.dbid) {
                        undo(d, c);
                    }
                }
            }
            changes = kept;
        } else if to == 0 {
            let mut by_db: Vec<((u64, u32), Vec<RedoOp>)> = Vec::new();
            for c in changes.drain(..) {
                match by_db.iter_mut().find(|(k, _)| *k == (c.inst, c.dbid)) {
                    Some((_, ops)) => ops.push(c.op),
                    None => by_db.push(((c.inst, c.dbid), vec![c.op])),
                }
            }
            for ((inst, dbid), ops) in by_db {
                if let Some(idx) = self.index_of(inst) {
                    let _ = self.log_redo(idx, dbid, ops);
                }
            }
        } else {
            for c in changes.iter_mut().filter(|c| c.level > to) {
                c.level = to;
            }
        }
        if !changes.is_empty() {
            self.trx_changes.insert(sesid, changes);
        }
    }
}

/// The redo position of a record.
pub fn lsn_after(a: Lsn, b: Lsn) -> bool {
    a > b
}
