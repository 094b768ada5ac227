//! The `log_traffic` verb through the engine's own calls (spec 10.5: log records are what
//! backups copy and truncation removes): each commit inserts one 1 KiB record into a table of
//! its own in one transaction. These exports are not in the catalogue (they are not the
//! backup API), so they are resolved here; a library that lacks any of them does not get the
//! verb, and its scenarios are skipped with the reason.

use std::ffi::c_void;

type Sesid = usize;
type TableId = usize;

type BeginTransaction = unsafe extern "system" fn(Sesid) -> i32;
type CommitTransaction = unsafe extern "system" fn(Sesid, u32) -> i32;
type Rollback = unsafe extern "system" fn(Sesid, u32) -> i32;
type CreateTable = unsafe extern "system" fn(Sesid, u32, *const u8, u32, u32, *mut TableId) -> i32;
type AddColumn = unsafe extern "system" fn(
    Sesid,
    TableId,
    *const u8,
    *const ColumnDef,
    *const c_void,
    u32,
    *mut u32,
) -> i32;
type PrepareUpdate = unsafe extern "system" fn(Sesid, TableId, u32) -> i32;
type SetColumn =
    unsafe extern "system" fn(Sesid, TableId, u32, *const c_void, u32, u32, *mut c_void) -> i32;
type Update = unsafe extern "system" fn(Sesid, TableId, *mut c_void, u32, *mut u32) -> i32;
type CloseTable = unsafe extern "system" fn(Sesid, TableId) -> i32;

/// `JET_COLUMNDEF` (esent.h): 28 bytes.
#[repr(C)]
pub struct ColumnDef {
    cb_struct: u32,
    columnid: u32,
    coltyp: u32,
    w_country: u16,
    langid: u16,
    cp: u16,
    w_collate: u16,
    cb_max: u32,
    grbit: u32,
}
const _: () = assert!(std::mem::size_of::<ColumnDef>() == 28);

/// `JET_coltypLongBinary`.
const COLTYP_LONG_BINARY: u32 = 11;
/// `JET_prepInsert`.
const PREP_INSERT: u32 = 0;
/// `JET_bitRollbackAll`.
const ROLLBACK_ALL: u32 = 1;
/// Bytes per record: the size the mock lets one log record stand for.
const RECORD: usize = 1024;

pub struct Traffic {
    begin: BeginTransaction,
    commit: CommitTransaction,
    rollback: Rollback,
    create_table: CreateTable,
    add_column: AddColumn,
    prepare: PrepareUpdate,
    set_column: SetColumn,
    update: Update,
    close_table: CloseTable,
}

macro_rules! resolve {
    ($lib:expr, $name:literal, $t:ty) => {{
        // SAFETY: the export has esent.h's signature, which `$t` spells out.
        let f = unsafe { $lib.get::<$t>(concat!($name, "\0").as_bytes()) }.ok()?;
        *f
    }};
}

impl Traffic {
    pub fn resolve(lib: &libloading::Library) -> Option<Traffic> {
        Some(Traffic {
            begin: resolve!(lib, "JetBeginTransaction", BeginTransaction),
            commit: resolve!(lib, "JetCommitTransaction", CommitTransaction),
            rollback: resolve!(lib, "JetRollback", Rollback),
            create_table: resolve!(lib, "JetCreateTableA", CreateTable),
            add_column: resolve!(lib, "JetAddColumnA", AddColumn),
            prepare: resolve!(lib, "JetPrepareUpdate", PrepareUpdate),
            set_column: resolve!(lib, "JetSetColumn", SetColumn),
            update: resolve!(lib, "JetUpdate", Update),
            close_table: resolve!(lib, "JetCloseTable", CloseTable),
        })
    }

    /// `commits` committed insertions into a new table `name` of `dbid`; the first error
    /// code, or success.
    pub fn run(&self, sesid: u64, dbid: u32, commits: u32, name: &str) -> i32 {
        let s = sesid as usize;
        let mut table_name = name.as_bytes().to_vec();
        table_name.push(0);
        let column = b"data\0";
        let def = ColumnDef {
            cb_struct: std::mem::size_of::<ColumnDef>() as u32,
            columnid: 0,
            coltyp: COLTYP_LONG_BINARY,
            w_country: 0,
            langid: 0,
            cp: 0,
            w_collate: 0,
            cb_max: 0,
            grbit: 0,
        };
        let data = vec![0x5Au8; RECORD];
        let mut table: TableId = 0;
        let mut columnid = 0u32;
        // SAFETY (every call below): the signatures are esent.h's; every pointer points at
        // a local that outlives the call; `s`, `dbid` and `table` are the engine's handles.
        unsafe {
            let err = (self.create_table)(s, dbid, table_name.as_ptr(), 0, 100, &mut table);
            if err < 0 {
                return err;
            }
            let err = (self.add_column)(
                s,
                table,
                column.as_ptr(),
                &def,
                std::ptr::null(),
                0,
                &mut columnid,
            );
            if err < 0 {
                (self.close_table)(s, table);
                return err;
            }
            for _ in 0..commits {
                let err = self.one(s, table, columnid, &data);
                if err < 0 {
                    (self.close_table)(s, table);
                    return err;
                }
            }
            (self.close_table)(s, table)
        }
    }

    /// One transaction with one insertion.
    unsafe fn one(&self, s: Sesid, table: TableId, columnid: u32, data: &[u8]) -> i32 {
        // SAFETY: as in `run`.
        unsafe {
            let err = (self.begin)(s);
            if err < 0 {
                return err;
            }
            let mut err = (self.prepare)(s, table, PREP_INSERT);
            if err >= 0 {
                err = (self.set_column)(
                    s,
                    table,
                    columnid,
                    data.as_ptr().cast(),
                    data.len() as u32,
                    0,
                    std::ptr::null_mut(),
                );
            }
            if err >= 0 {
                err = (self.update)(s, table, std::ptr::null_mut(), 0, std::ptr::null_mut());
            }
            if err < 0 {
                (self.rollback)(s, ROLLBACK_ALL);
                return err;
            }
            (self.commit)(s, 0)
        }
    }
}
