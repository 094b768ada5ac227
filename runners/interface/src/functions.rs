//! The function catalogue: every export of the family (spec §6-§9) with its A/W forms, the
//! release that first exports it (spec §11.1), and its parameters in C order with their C
//! names; plus the harness verbs that act on the sandbox instead of calling ESENT.
//!
//! Scenarios name parameters by these C names; runners receive one `Arg` per parameter, in
//! this order.

use crate::grbits::GrbitGroup;
use crate::version::WinVersion;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// What a parameter is, as far as marshalling and scenario syntax are concerned.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// `JET_INSTANCE` by value.
    Instance,
    /// `JET_INSTANCE*` written by the call (JetCreateInstance).
    InstanceOut,
    /// `JET_INSTANCE*` read and written (JetInit, JetSetSystemParameter).
    InstanceInOut,
    /// `JET_SESID` by value.
    Sesid,
    /// `JET_SESID*` written by the call.
    SesidOut,
    /// `JET_TABLEID` (a cursor) by value.
    TableId,
    /// `JET_TABLEID*` written by the call.
    TableIdOut,
    /// `const JET_COLUMNDEF*`: scenarios give the column type (`JET_coltyp*`); runners pass
    /// a whole structure of that type (cbMax 0, grbit 0, code page 1252 for text).
    ColumnDef,
    /// `JET_DBID` by value.
    Dbid,
    /// `JET_DBID*` written by the call.
    DbidOut,
    /// `JET_HANDLE` (backup file handle) by value.
    FileHandle,
    /// `JET_HANDLE*` written by the call.
    FileHandleOut,
    /// `JET_GRBIT` of the named group.
    Grbit(GrbitGroup),
    /// `unsigned long` by value.
    ULong,
    /// `long` by value.
    Long,
    /// `unsigned __int64` by value.
    U64,
    /// A `JET_paramXxx` id (`unsigned long`).
    ParamId,
    /// `JET_API_PTR` by value (JetSetSystemParameter's lParam).
    ApiPtr,
    /// An input string; A or W by the function's charset.
    Str(StrKind),
    /// `unsigned long*` written by the call.
    OutULong,
    /// `JET_API_PTR*` written by the call (JetGetSystemParameter's plParam, which it also
    /// reads: JET_paramErrorToString takes the error code there).
    OutApiPtr,
    /// `long*` written by the call.
    OutLong,
    /// An output buffer (`void* pv` / `szz`).
    OutBuffer(BufferKind),
    /// The names a harness verb lists (`list_dir`'s `entries`): a list, no buffer.
    OutNames,
    /// `JET_LOGINFO_A/W*`, read (cbSize) and written.
    LogInfo,
    /// `JET_RSTMAP_A/W*` (its count is a separate `Long`).
    RstMap,
    /// `JET_SETSYSPARAM_A/W*` (its count is a separate `ULong`).
    SetSysParams,
    /// `JET_RSTINFO_A/W*`.
    RstInfo,
    /// `JET_PFNSTATUS`.
    Callback,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum StrKind {
    /// A file or folder: scenarios write it relative to their sandbox.
    Path,
    /// A name or other text, passed as written.
    Text,
    /// JetSetSystemParameter's szParam: a path for path parameters, text otherwise.
    ParamValue,
    /// A `const void*` of data (a column value): the bytes of the text, no terminating NUL;
    /// its size goes in the `SizeOf` parameter.
    Data,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BufferKind {
    /// Raw bytes (JetReadFile).
    Bytes,
    /// A double-NUL-terminated list of names (szz).
    MultiString,
    /// A column value (JetRetrieveColumn): reported as one text, the bytes written (up to
    /// `pcbActual`, the buffer's size at most) read as UTF-8.
    Data,
}

/// What a scenario gets when it leaves a parameter out.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ParamDefault {
    /// The scenario must give it.
    Required,
    /// NULL (pointers) or 0 (numbers, grbits, handles).
    NullOrZero,
    /// A valid pointer (output parameters).
    Present,
    /// A buffer of this many bytes, page-aligned.
    Buffer(u32),
    /// The size in bytes of the named buffer parameter, or the length of the named list.
    SizeOf(&'static str),
    /// A `JET_LOGINFO` whose cbSize is the size of the function's variant (16 A, 20 W).
    LogInfoSized,
}

#[derive(Copy, Clone, Debug)]
pub struct Param {
    pub name: &'static str,
    pub ty: ParamType,
    pub default: ParamDefault,
}

/// The semantic operation, shared by the legacy, Instance, A and W forms of a call.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    BeginExternalBackup,
    GetAttachInfo,
    OpenFile,
    OpenFileSection,
    ReadFile,
    CloseFile,
    GetLogInfo,
    GetLogInfo2,
    GetTruncateLogInfo,
    TruncateLog,
    EndExternalBackup,
    EndExternalBackup2,
    StopBackup,
    StopService,
    StopService2,
    Backup,
    Restore,
    Restore2,
    RestoreInstance,
    ExternalRestore,
    ExternalRestore2,
    CreateInstance,
    CreateInstance2,
    EnableMultiInstance,
    SetSystemParameter,
    GetSystemParameter,
    Init,
    Init2,
    Init3,
    Term,
    Term2,
    BeginSession,
    EndSession,
    CreateDatabase,
    AttachDatabase,
    DetachDatabase,
    DetachDatabase2,
    OpenDatabase,
    CloseDatabase,
    BeginTransaction,
    BeginTransaction2,
    BeginTransaction3,
    CommitTransaction,
    CommitTransaction2,
    Rollback,
    GetInstanceInfo,
    FreeBuffer,
    CreateTable,
    OpenTable,
    CloseTable,
    AddColumn,
    PrepareUpdate,
    SetColumn,
    Update,
    RetrieveColumn,
    Move,
    Delete,
    /// A harness verb: acts on the sandbox, not a call into ESENT.
    Verb,
}

/// How a function reaches the engine (spec §4.2).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// Single-instance wrapper: checks the run mode, then forwards to the Instance form.
    Legacy,
    /// Takes a `JET_INSTANCE`.
    Instance,
    /// Life-cycle call (JetInit, JetTerm, JetCreateInstance, ...): neither of the above.
    Lifecycle,
    /// Harness verb.
    Verb,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Charset {
    /// No strings, or a harness verb.
    Neutral,
    /// Undecorated name: the ANSI entry point (alias of the A form where that exists).
    Undecorated,
    A,
    W,
}

/// Where the "exported since" release of a function comes from (spec §11.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SinceSource {
    /// An "introduced in" note of the documentation.
    Documented,
    /// A `JET_VERSION` guard of the header.
    Header,
    /// Neither says it directly; derived (e.g. A-suffixed names before VISTA were macros).
    Inferred,
    /// Harness verbs exist everywhere.
    Harness,
}

pub struct FunctionInfo {
    pub function: Function,
    pub name: &'static str,
    pub op: Op,
    pub form: Form,
    pub charset: Charset,
    /// First release whose `esent.dll` exports it.
    pub since: WinVersion,
    pub since_source: SinceSource,
    /// Spec section that describes it.
    pub section: &'static str,
    pub params: &'static [Param],
}

impl FunctionInfo {
    pub fn param(&self, name: &str) -> Option<(usize, &'static Param)> {
        self.params.iter().enumerate().find(|(_, p)| p.name == name)
    }
    pub fn is_verb(&self) -> bool {
        self.form == Form::Verb
    }
}

/// `JET_coltyp*` names and values (esent.h), what a `ColumnDef` argument is written with.
pub const COLTYPS: &[(&str, u32)] = &[
    ("JET_coltypBit", 1),
    ("JET_coltypUnsignedByte", 2),
    ("JET_coltypShort", 3),
    ("JET_coltypLong", 4),
    ("JET_coltypCurrency", 5),
    ("JET_coltypIEEESingle", 6),
    ("JET_coltypIEEEDouble", 7),
    ("JET_coltypDateTime", 8),
    ("JET_coltypBinary", 9),
    ("JET_coltypText", 10),
    ("JET_coltypLongBinary", 11),
    ("JET_coltypLongText", 12),
];

// Parameters, by the C name the spec's signatures give them.
const fn p(name: &'static str, ty: ParamType, default: ParamDefault) -> Param {
    Param { name, ty, default }
}
use BufferKind as B;
use ParamDefault as D;
use ParamType as T;
use StrKind as S;
const INSTANCE: Param = p("instance", T::Instance, D::Required);
const SESID: Param = p("sesid", T::Sesid, D::Required);
const SZZ: Param = p("szz", T::OutBuffer(B::MultiString), D::Buffer(4096));
const CB_MAX: Param = p("cbMax", T::ULong, D::SizeOf("szz"));
const PCB_ACTUAL: Param = p("pcbActual", T::OutULong, D::Present);
const HF_FILE: Param = p("hfFile", T::FileHandle, D::Required);
const PV_READ: Param = p("pv", T::OutBuffer(B::Bytes), D::Buffer(65536));
const CB_READ: Param = p("cb", T::ULong, D::SizeOf("pv"));
const SZ_FILE_NAME: Param = p("szFileName", T::Str(S::Path), D::Required);
const PHF_FILE: Param = p("phfFile", T::FileHandleOut, D::Present);
const PUL_LOW: Param = p("pulFileSizeLow", T::OutULong, D::Present);
const PUL_HIGH: Param = p("pulFileSizeHigh", T::OutULong, D::Present);
const GRBIT_BACKUP: Param = p("grbit", T::Grbit(GrbitGroup::Backup), D::Required);
const GRBIT_END: Param = p("grbit", T::Grbit(GrbitGroup::BackupEnd), D::Required);
const GRBIT_TERM: Param = p("grbit", T::Grbit(GrbitGroup::Term), D::Required);
const GRBIT_STOP: Param = p("grbit", T::Grbit(GrbitGroup::StopService), D::Required);
const GRBIT_INIT: Param = p("grbit", T::Grbit(GrbitGroup::Init), D::NullOrZero);
const GRBIT_DB: Param = p("grbit", T::Grbit(GrbitGroup::Database), D::NullOrZero);
const GRBIT_UNUSED: Param = p("grbit", T::Grbit(GrbitGroup::Unused), D::NullOrZero);
const PFN_STATUS: Param = p("pfnStatus", T::Callback, D::NullOrZero);
const PFN: Param = p("pfn", T::Callback, D::NullOrZero);
const LOGINFO: Param = p("pLogInfo", T::LogInfo, D::LogInfoSized);
const PINSTANCE_INOUT: Param = p("pinstance", T::InstanceInOut, D::Required);
const PINSTANCE_OUT: Param = p("pinstance", T::InstanceOut, D::Present);
const SZ_FILENAME_DB: Param = p("szFilename", T::Str(S::Path), D::Required);
const SZ_BACKUP_PATH: Param = p("szBackupPath", T::Str(S::Path), D::Required);
const SZ_CHECKPOINT: Param = p("szCheckpointFilePath", T::Str(S::Path), D::NullOrZero);
const SZ_LOG_PATH: Param = p("szLogPath", T::Str(S::Path), D::NullOrZero);
const RGRSTMAP: Param = p("rgrstmap", T::RstMap, D::NullOrZero);
const CRSTFILEMAP: Param = p("crstfilemap", T::Long, D::SizeOf("rgrstmap"));
const SZ_BACKUP_LOG_PATH: Param = p("szBackupLogPath", T::Str(S::Path), D::NullOrZero);
const FILE: Param = p("file", T::Str(S::Path), D::Required);

const P_BEGIN: &[Param] = &[GRBIT_BACKUP];
const P_BEGIN_I: &[Param] = &[INSTANCE, GRBIT_BACKUP];
const P_LIST: &[Param] = &[SZZ, CB_MAX, PCB_ACTUAL];
const P_LIST_I: &[Param] = &[INSTANCE, SZZ, CB_MAX, PCB_ACTUAL];
const P_LIST2_I: &[Param] = &[INSTANCE, SZZ, CB_MAX, PCB_ACTUAL, LOGINFO];
const P_OPEN: &[Param] = &[SZ_FILE_NAME, PHF_FILE, PUL_LOW, PUL_HIGH];
const P_OPEN_I: &[Param] = &[INSTANCE, SZ_FILE_NAME, PHF_FILE, PUL_LOW, PUL_HIGH];
const P_OPEN_SECTION: &[Param] = &[
    INSTANCE,
    p("szFile", T::Str(S::Path), D::Required),
    p("phFile", T::FileHandleOut, D::Present),
    p("iSection", T::Long, D::NullOrZero),
    p("cSections", T::Long, D::NullOrZero),
    p("ibRead", T::U64, D::NullOrZero),
    p("pulSectionSizeLow", T::OutULong, D::Present),
    p("plSectionSizeHigh", T::OutLong, D::Present),
];
const P_READ: &[Param] = &[HF_FILE, PV_READ, CB_READ, PCB_ACTUAL];
const P_READ_I: &[Param] = &[INSTANCE, HF_FILE, PV_READ, CB_READ, PCB_ACTUAL];
const P_CLOSE: &[Param] = &[HF_FILE];
const P_CLOSE_I: &[Param] = &[INSTANCE, HF_FILE];
const P_NONE: &[Param] = &[];
const P_I: &[Param] = &[INSTANCE];
const P_END2: &[Param] = &[INSTANCE, GRBIT_END];
const P_STOP2: &[Param] = &[INSTANCE, GRBIT_STOP];
const P_BACKUP: &[Param] = &[SZ_BACKUP_PATH, GRBIT_BACKUP, PFN_STATUS];
const P_BACKUP_I: &[Param] = &[INSTANCE, SZ_BACKUP_PATH, GRBIT_BACKUP, PFN_STATUS];
const P_RESTORE: &[Param] = &[p("szSource", T::Str(S::Path), D::Required), PFN];
const P_RESTORE2: &[Param] = &[
    p("sz", T::Str(S::Path), D::Required),
    p("szDest", T::Str(S::Path), D::NullOrZero),
    PFN,
];
const P_RESTORE_I: &[Param] = &[
    INSTANCE,
    p("sz", T::Str(S::Path), D::Required),
    p("szDest", T::Str(S::Path), D::NullOrZero),
    PFN,
];
const P_EXT_RESTORE: &[Param] = &[
    SZ_CHECKPOINT,
    SZ_LOG_PATH,
    RGRSTMAP,
    CRSTFILEMAP,
    SZ_BACKUP_LOG_PATH,
    p("genLow", T::Long, D::Required),
    p("genHigh", T::Long, D::Required),
    PFN,
];
const P_EXT_RESTORE2: &[Param] = &[
    SZ_CHECKPOINT,
    SZ_LOG_PATH,
    RGRSTMAP,
    CRSTFILEMAP,
    SZ_BACKUP_LOG_PATH,
    p("pLogInfo", T::LogInfo, D::Required),
    p("szTargetInstanceName", T::Str(S::Text), D::NullOrZero),
    p("szTargetInstanceLogPath", T::Str(S::Path), D::NullOrZero),
    p(
        "szTargetInstanceCheckpointPath",
        T::Str(S::Path),
        D::NullOrZero,
    ),
    PFN,
];
const P_CREATE_INSTANCE: &[Param] = &[
    PINSTANCE_OUT,
    p("szInstanceName", T::Str(S::Text), D::Required),
];
const P_CREATE_INSTANCE2: &[Param] = &[
    PINSTANCE_OUT,
    p("szInstanceName", T::Str(S::Text), D::Required),
    p("szDisplayName", T::Str(S::Text), D::NullOrZero),
    GRBIT_UNUSED,
];
const P_ENABLE_MULTI: &[Param] = &[
    p("psetsysparam", T::SetSysParams, D::NullOrZero),
    p("csetsysparam", T::ULong, D::SizeOf("psetsysparam")),
    p("pcsetsucceed", T::OutULong, D::NullOrZero),
];
const P_SET_PARAM: &[Param] = &[
    PINSTANCE_INOUT,
    p("sesid", T::Sesid, D::NullOrZero),
    p("paramid", T::ParamId, D::Required),
    p("lParam", T::ApiPtr, D::NullOrZero),
    p("szParam", T::Str(S::ParamValue), D::NullOrZero),
];
// The value string is a single NUL-terminated string; as an output it is read like a list
// (one entry), so scenarios check it with the list predicates.
const P_GET_PARAM: &[Param] = &[
    p("instance", T::Instance, D::NullOrZero),
    p("sesid", T::Sesid, D::NullOrZero),
    p("paramid", T::ParamId, D::Required),
    p("plParam", T::OutApiPtr, D::Present),
    p("szParam", T::OutBuffer(B::MultiString), D::Buffer(1024)),
    p("cbMax", T::ULong, D::SizeOf("szParam")),
];
const P_INIT: &[Param] = &[PINSTANCE_INOUT];
const P_INIT2: &[Param] = &[PINSTANCE_INOUT, GRBIT_INIT];
const P_INIT3: &[Param] = &[
    PINSTANCE_INOUT,
    p("prstInfo", T::RstInfo, D::NullOrZero),
    GRBIT_INIT,
];
const P_TERM2: &[Param] = &[INSTANCE, GRBIT_TERM];
const P_BEGIN_SESSION: &[Param] = &[
    INSTANCE,
    p("psesid", T::SesidOut, D::Present),
    p("szUserName", T::Str(S::Text), D::NullOrZero),
    p("szPassword", T::Str(S::Text), D::NullOrZero),
];
const P_END_SESSION: &[Param] = &[SESID, GRBIT_UNUSED];
const P_CREATE_DB: &[Param] = &[
    SESID,
    SZ_FILENAME_DB,
    p("szConnect", T::Str(S::Text), D::NullOrZero),
    p("pdbid", T::DbidOut, D::Present),
    GRBIT_DB,
];
const P_ATTACH_DB: &[Param] = &[SESID, SZ_FILENAME_DB, GRBIT_DB];
const P_DETACH_DB: &[Param] = &[SESID, SZ_FILENAME_DB];
const P_DETACH_DB2: &[Param] = &[SESID, SZ_FILENAME_DB, GRBIT_UNUSED];
const P_OPEN_DB: &[Param] = &[
    SESID,
    SZ_FILENAME_DB,
    p("szConnect", T::Str(S::Text), D::NullOrZero),
    p("pdbid", T::DbidOut, D::Present),
    GRBIT_UNUSED,
];
const P_CLOSE_DB: &[Param] = &[SESID, p("dbid", T::Dbid, D::Required), GRBIT_UNUSED];
const P_SESID: &[Param] = &[SESID];
const P_SESID_GRBIT: &[Param] = &[SESID, GRBIT_UNUSED];
const P_BEGIN_TRX3: &[Param] = &[SESID, p("trxid", T::U64, D::NullOrZero), GRBIT_UNUSED];
// pCommitId is a JET_COMMIT_ID the engine fills; the mock leaves it as it was.
const P_COMMIT_TRX2: &[Param] = &[
    SESID,
    GRBIT_UNUSED,
    p("cmsecDurableCommit", T::ULong, D::NullOrZero),
    p("pCommitId", T::OutBuffer(B::Bytes), D::NullOrZero),
];
// paInstanceInfo receives a pointer to an array the engine allocated (freed by JetFreeBuffer).
const P_INSTANCE_INFO: &[Param] = &[
    p("pcInstanceInfo", T::OutULong, D::Present),
    p("paInstanceInfo", T::OutApiPtr, D::Present),
];
const P_FREE_BUFFER: &[Param] = &[p("pbBuf", T::ApiPtr, D::NullOrZero)];
// Tables and records (esent.h signatures). pvParameters, psetinfo and pretinfo are passed
// NULL (their structures are not modelled); pvBookmark likewise unless a buffer is given.
const TABLEID: Param = p("tableid", T::TableId, D::Required);
const PTABLEID: Param = p("ptableid", T::TableIdOut, D::Present);
const DBID: Param = p("dbid", T::Dbid, D::Required);
const SZ_TABLE: Param = p("szTableName", T::Str(S::Text), D::Required);
const COLUMNID: Param = p("columnid", T::ULong, D::Required);
const P_CREATE_TABLE: &[Param] = &[
    SESID,
    DBID,
    SZ_TABLE,
    p("lPages", T::ULong, D::NullOrZero),
    p("lDensity", T::ULong, D::NullOrZero),
    PTABLEID,
];
const P_OPEN_TABLE: &[Param] = &[
    SESID,
    DBID,
    SZ_TABLE,
    p("pvParameters", T::ApiPtr, D::NullOrZero),
    p("cbParameters", T::ULong, D::NullOrZero),
    GRBIT_UNUSED,
    PTABLEID,
];
const P_TABLE: &[Param] = &[SESID, TABLEID];
const P_ADD_COLUMN: &[Param] = &[
    SESID,
    TABLEID,
    p("szColumnName", T::Str(S::Text), D::Required),
    p("pcolumndef", T::ColumnDef, D::Required),
    p("pvDefault", T::Str(S::Data), D::NullOrZero),
    p("cbDefault", T::ULong, D::SizeOf("pvDefault")),
    p("pcolumnid", T::OutULong, D::Present),
];
const P_PREPARE_UPDATE: &[Param] = &[SESID, TABLEID, p("prep", T::ULong, D::Required)];
const P_SET_COLUMN: &[Param] = &[
    SESID,
    TABLEID,
    COLUMNID,
    p("pvData", T::Str(S::Data), D::NullOrZero),
    p("cbData", T::ULong, D::SizeOf("pvData")),
    GRBIT_UNUSED,
    p("psetinfo", T::ApiPtr, D::NullOrZero),
];
const P_UPDATE: &[Param] = &[
    SESID,
    TABLEID,
    p("pvBookmark", T::OutBuffer(B::Bytes), D::NullOrZero),
    p("cbBookmark", T::ULong, D::SizeOf("pvBookmark")),
    p("pcbActual", T::OutULong, D::NullOrZero),
];
const P_RETRIEVE_COLUMN: &[Param] = &[
    SESID,
    TABLEID,
    COLUMNID,
    p("pvData", T::OutBuffer(B::Data), D::Buffer(256)),
    p("cbData", T::ULong, D::SizeOf("pvData")),
    PCB_ACTUAL,
    GRBIT_UNUSED,
    p("pretinfo", T::ApiPtr, D::NullOrZero),
];
const P_MOVE: &[Param] = &[
    SESID,
    TABLEID,
    p("cRow", T::Long, D::Required),
    GRBIT_UNUSED,
];
// Harness verbs.
const P_LOG_TRAFFIC: &[Param] = &[
    SESID,
    p("dbid", T::Dbid, D::Required),
    p("commits", T::ULong, D::Required),
];
const P_CORRUPT_PAGE: &[Param] = &[FILE, p("pgno", T::ULong, D::Required)];
const P_CORRUPT_LOG: &[Param] = &[FILE, p("offset", T::ULong, D::Required)];
const P_FILE: &[Param] = &[FILE];
const P_WRITE_FILE: &[Param] = &[FILE, p("size", T::ULong, D::NullOrZero)];
const P_COPY_FILE: &[Param] = &[
    p("from", T::Str(S::Path), D::Required),
    p("to", T::Str(S::Path), D::Required),
];
const P_MAKE_DIR: &[Param] = &[p("path", T::Str(S::Path), D::Required)];
const P_RENAME_DIR: &[Param] = &[
    p("from", T::Str(S::Path), D::Required),
    p("to", T::Str(S::Path), D::Required),
];
const P_LIST_DIR: &[Param] = &[
    p("path", T::Str(S::Path), D::Required),
    p("entries", T::OutNames, D::Present),
];
const P_DIR_EXISTS: &[Param] = &[
    p("path", T::Str(S::Path), D::Required),
    p("exists", T::OutULong, D::Present),
];
const P_FAULT: &[Param] = &[INSTANCE, p("fault", T::Str(S::Text), D::Required)];

macro_rules! catalogue {
    ($( $name:ident = $op:ident, $form:ident, $cs:ident, $since:ident, $src:ident, $sec:literal, $params:expr; )*) => {
        /// Every function and harness verb, by its exact export (or verb) name.
        #[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(non_camel_case_types)]
        pub enum Function { $( $name, )* }

        /// The catalogue, indexed by `Function as usize`.
        pub static FUNCTIONS: &[FunctionInfo] = &[
            $( FunctionInfo {
                function: Function::$name,
                name: stringify!($name),
                op: Op::$op,
                form: Form::$form,
                charset: Charset::$cs,
                since: WinVersion::$since,
                since_source: SinceSource::$src,
                section: $sec,
                params: $params,
            }, )*
        ];
    };
}

catalogue! {
    // §6.1
    JetBeginExternalBackup = BeginExternalBackup, Legacy, Neutral, Win2000, Documented, "6.1", P_BEGIN;
    JetBeginExternalBackupInstance = BeginExternalBackup, Instance, Neutral, Xp, Documented, "6.1", P_BEGIN_I;
    // §6.2
    JetGetAttachInfo = GetAttachInfo, Legacy, Undecorated, Win2000, Documented, "6.2", P_LIST;
    JetGetAttachInfoA = GetAttachInfo, Legacy, A, Vista, Inferred, "6.2", P_LIST;
    JetGetAttachInfoW = GetAttachInfo, Legacy, W, Vista, Header, "6.2", P_LIST;
    JetGetAttachInfoInstance = GetAttachInfo, Instance, Undecorated, Xp, Documented, "6.2", P_LIST_I;
    JetGetAttachInfoInstanceA = GetAttachInfo, Instance, A, Vista, Inferred, "6.2", P_LIST_I;
    JetGetAttachInfoInstanceW = GetAttachInfo, Instance, W, Vista, Header, "6.2", P_LIST_I;
    // §6.3
    JetOpenFile = OpenFile, Legacy, Undecorated, Win2000, Documented, "6.3", P_OPEN;
    JetOpenFileA = OpenFile, Legacy, A, Vista, Inferred, "6.3", P_OPEN;
    JetOpenFileW = OpenFile, Legacy, W, Vista, Header, "6.3", P_OPEN;
    JetOpenFileInstance = OpenFile, Instance, Undecorated, Xp, Documented, "6.3", P_OPEN_I;
    JetOpenFileInstanceA = OpenFile, Instance, A, Vista, Inferred, "6.3", P_OPEN_I;
    JetOpenFileInstanceW = OpenFile, Instance, W, Vista, Header, "6.3", P_OPEN_I;
    JetOpenFileSectionInstance = OpenFileSection, Instance, Undecorated, Xp, Inferred, "6.3", P_OPEN_SECTION;
    JetOpenFileSectionInstanceA = OpenFileSection, Instance, A, Vista, Inferred, "6.3", P_OPEN_SECTION;
    JetOpenFileSectionInstanceW = OpenFileSection, Instance, W, Vista, Header, "6.3", P_OPEN_SECTION;
    // §6.4, §6.5
    JetReadFile = ReadFile, Legacy, Neutral, Win2000, Documented, "6.4", P_READ;
    JetReadFileInstance = ReadFile, Instance, Neutral, Xp, Documented, "6.4", P_READ_I;
    JetCloseFile = CloseFile, Legacy, Neutral, Win2000, Documented, "6.5", P_CLOSE;
    JetCloseFileInstance = CloseFile, Instance, Neutral, Xp, Documented, "6.5", P_CLOSE_I;
    // §6.6, §6.7
    JetGetLogInfo = GetLogInfo, Legacy, Undecorated, Win2000, Documented, "6.6", P_LIST;
    JetGetLogInfoA = GetLogInfo, Legacy, A, Vista, Inferred, "6.6", P_LIST;
    JetGetLogInfoW = GetLogInfo, Legacy, W, Vista, Header, "6.6", P_LIST;
    JetGetLogInfoInstance = GetLogInfo, Instance, Undecorated, Xp, Documented, "6.6", P_LIST_I;
    JetGetLogInfoInstanceA = GetLogInfo, Instance, A, Vista, Inferred, "6.6", P_LIST_I;
    JetGetLogInfoInstanceW = GetLogInfo, Instance, W, Vista, Header, "6.6", P_LIST_I;
    JetGetLogInfoInstance2 = GetLogInfo2, Instance, Undecorated, Xp, Documented, "6.6", P_LIST2_I;
    JetGetLogInfoInstance2A = GetLogInfo2, Instance, A, Vista, Inferred, "6.6", P_LIST2_I;
    JetGetLogInfoInstance2W = GetLogInfo2, Instance, W, Vista, Header, "6.6", P_LIST2_I;
    JetGetTruncateLogInfoInstance = GetTruncateLogInfo, Instance, Undecorated, Xp, Documented, "6.7", P_LIST_I;
    JetGetTruncateLogInfoInstanceA = GetTruncateLogInfo, Instance, A, Vista, Inferred, "6.7", P_LIST_I;
    JetGetTruncateLogInfoInstanceW = GetTruncateLogInfo, Instance, W, Vista, Header, "6.7", P_LIST_I;
    // §6.8 - §6.11
    JetTruncateLog = TruncateLog, Legacy, Neutral, Win2000, Documented, "6.8", P_NONE;
    JetTruncateLogInstance = TruncateLog, Instance, Neutral, Xp, Documented, "6.8", P_I;
    JetEndExternalBackup = EndExternalBackup, Legacy, Neutral, Win2000, Documented, "6.9", P_NONE;
    JetEndExternalBackupInstance = EndExternalBackup, Instance, Neutral, Xp, Documented, "6.9", P_I;
    JetEndExternalBackupInstance2 = EndExternalBackup2, Instance, Neutral, Xp, Documented, "6.9", P_END2;
    JetStopBackup = StopBackup, Legacy, Neutral, Xp, Documented, "6.10", P_NONE;
    JetStopBackupInstance = StopBackup, Instance, Neutral, Xp, Documented, "6.10", P_I;
    JetStopService = StopService, Legacy, Neutral, Win2000, Documented, "6.11", P_NONE;
    JetStopServiceInstance = StopService, Instance, Neutral, Xp, Documented, "6.11", P_I;
    JetStopServiceInstance2 = StopService2, Instance, Neutral, Win8, Documented, "6.11", P_STOP2;
    // §7.1
    JetBackup = Backup, Legacy, Undecorated, Win2000, Documented, "7.1", P_BACKUP;
    JetBackupA = Backup, Legacy, A, Vista, Inferred, "7.1", P_BACKUP;
    JetBackupW = Backup, Legacy, W, Vista, Header, "7.1", P_BACKUP;
    JetBackupInstance = Backup, Instance, Undecorated, Xp, Documented, "7.1", P_BACKUP_I;
    JetBackupInstanceA = Backup, Instance, A, Vista, Inferred, "7.1", P_BACKUP_I;
    JetBackupInstanceW = Backup, Instance, W, Vista, Header, "7.1", P_BACKUP_I;
    // §7.2
    JetRestore = Restore, Legacy, Undecorated, Win2000, Documented, "7.2", P_RESTORE;
    JetRestoreA = Restore, Legacy, A, Vista, Inferred, "7.2", P_RESTORE;
    JetRestoreW = Restore, Legacy, W, Vista, Header, "7.2", P_RESTORE;
    JetRestore2 = Restore2, Legacy, Undecorated, Win2000, Header, "7.2", P_RESTORE2;
    JetRestore2A = Restore2, Legacy, A, Vista, Inferred, "7.2", P_RESTORE2;
    JetRestore2W = Restore2, Legacy, W, Vista, Header, "7.2", P_RESTORE2;
    JetRestoreInstance = RestoreInstance, Instance, Undecorated, Xp, Documented, "7.2", P_RESTORE_I;
    JetRestoreInstanceA = RestoreInstance, Instance, A, Vista, Inferred, "7.2", P_RESTORE_I;
    JetRestoreInstanceW = RestoreInstance, Instance, W, Vista, Header, "7.2", P_RESTORE_I;
    // §8
    JetExternalRestore = ExternalRestore, Lifecycle, Undecorated, Win2000, Documented, "8", P_EXT_RESTORE;
    JetExternalRestoreA = ExternalRestore, Lifecycle, A, Vista, Inferred, "8", P_EXT_RESTORE;
    JetExternalRestoreW = ExternalRestore, Lifecycle, W, Vista, Header, "8", P_EXT_RESTORE;
    JetExternalRestore2 = ExternalRestore2, Lifecycle, Undecorated, Xp, Documented, "8", P_EXT_RESTORE2;
    JetExternalRestore2A = ExternalRestore2, Lifecycle, A, Vista, Inferred, "8", P_EXT_RESTORE2;
    JetExternalRestore2W = ExternalRestore2, Lifecycle, W, Vista, Header, "8", P_EXT_RESTORE2;
    // §9
    JetCreateInstance = CreateInstance, Lifecycle, Undecorated, Xp, Documented, "9", P_CREATE_INSTANCE;
    JetCreateInstanceA = CreateInstance, Lifecycle, A, Vista, Inferred, "9", P_CREATE_INSTANCE;
    JetCreateInstanceW = CreateInstance, Lifecycle, W, Vista, Header, "9", P_CREATE_INSTANCE;
    JetCreateInstance2 = CreateInstance2, Lifecycle, Undecorated, Xp, Documented, "9", P_CREATE_INSTANCE2;
    JetCreateInstance2A = CreateInstance2, Lifecycle, A, Vista, Inferred, "9", P_CREATE_INSTANCE2;
    JetCreateInstance2W = CreateInstance2, Lifecycle, W, Vista, Header, "9", P_CREATE_INSTANCE2;
    JetEnableMultiInstance = EnableMultiInstance, Lifecycle, Undecorated, Xp, Documented, "9", P_ENABLE_MULTI;
    JetEnableMultiInstanceA = EnableMultiInstance, Lifecycle, A, Vista, Inferred, "9", P_ENABLE_MULTI;
    JetEnableMultiInstanceW = EnableMultiInstance, Lifecycle, W, Vista, Header, "9", P_ENABLE_MULTI;
    JetSetSystemParameter = SetSystemParameter, Lifecycle, Undecorated, Win2000, Documented, "9", P_SET_PARAM;
    JetSetSystemParameterA = SetSystemParameter, Lifecycle, A, Vista, Inferred, "9", P_SET_PARAM;
    JetSetSystemParameterW = SetSystemParameter, Lifecycle, W, Vista, Header, "9", P_SET_PARAM;
    JetGetSystemParameter = GetSystemParameter, Lifecycle, Undecorated, Win2000, Documented, "9", P_GET_PARAM;
    JetGetSystemParameterA = GetSystemParameter, Lifecycle, A, Vista, Inferred, "9", P_GET_PARAM;
    JetGetSystemParameterW = GetSystemParameter, Lifecycle, W, Vista, Header, "9", P_GET_PARAM;
    JetInit = Init, Lifecycle, Neutral, Win2000, Documented, "9", P_INIT;
    JetInit2 = Init2, Lifecycle, Neutral, Xp, Documented, "9", P_INIT2;
    JetInit3A = Init3, Lifecycle, A, Vista, Header, "9", P_INIT3;
    JetInit3W = Init3, Lifecycle, W, Vista, Header, "9", P_INIT3;
    JetTerm = Term, Lifecycle, Neutral, Win2000, Documented, "9", P_I;
    JetTerm2 = Term2, Lifecycle, Neutral, Win2000, Documented, "9", P_TERM2;
    JetBeginSession = BeginSession, Lifecycle, Undecorated, Win2000, Documented, "9", P_BEGIN_SESSION;
    JetBeginSessionA = BeginSession, Lifecycle, A, Vista, Inferred, "9", P_BEGIN_SESSION;
    JetBeginSessionW = BeginSession, Lifecycle, W, Vista, Header, "9", P_BEGIN_SESSION;
    JetEndSession = EndSession, Lifecycle, Neutral, Win2000, Documented, "9", P_END_SESSION;
    JetCreateDatabase = CreateDatabase, Lifecycle, Undecorated, Win2000, Documented, "9", P_CREATE_DB;
    JetCreateDatabaseA = CreateDatabase, Lifecycle, A, Vista, Inferred, "9", P_CREATE_DB;
    JetCreateDatabaseW = CreateDatabase, Lifecycle, W, Vista, Header, "9", P_CREATE_DB;
    JetAttachDatabase = AttachDatabase, Lifecycle, Undecorated, Win2000, Documented, "9", P_ATTACH_DB;
    JetAttachDatabaseA = AttachDatabase, Lifecycle, A, Vista, Inferred, "9", P_ATTACH_DB;
    JetAttachDatabaseW = AttachDatabase, Lifecycle, W, Vista, Header, "9", P_ATTACH_DB;
    JetDetachDatabase = DetachDatabase, Lifecycle, Undecorated, Win2000, Documented, "9", P_DETACH_DB;
    JetDetachDatabaseA = DetachDatabase, Lifecycle, A, Vista, Inferred, "9", P_DETACH_DB;
    JetDetachDatabaseW = DetachDatabase, Lifecycle, W, Vista, Header, "9", P_DETACH_DB;
    JetDetachDatabase2 = DetachDatabase2, Lifecycle, Undecorated, Xp, Documented, "9", P_DETACH_DB2;
    JetDetachDatabase2A = DetachDatabase2, Lifecycle, A, Vista, Inferred, "9", P_DETACH_DB2;
    JetDetachDatabase2W = DetachDatabase2, Lifecycle, W, Vista, Header, "9", P_DETACH_DB2;
    // Databases and transactions of client programs (esent.h; MSDN "Requirements").
    JetOpenDatabase = OpenDatabase, Lifecycle, Undecorated, Win2000, Documented, "9", P_OPEN_DB;
    JetOpenDatabaseA = OpenDatabase, Lifecycle, A, Vista, Inferred, "9", P_OPEN_DB;
    JetOpenDatabaseW = OpenDatabase, Lifecycle, W, Vista, Header, "9", P_OPEN_DB;
    JetCloseDatabase = CloseDatabase, Lifecycle, Neutral, Win2000, Documented, "9", P_CLOSE_DB;
    JetBeginTransaction = BeginTransaction, Lifecycle, Neutral, Win2000, Documented, "9", P_SESID;
    JetBeginTransaction2 = BeginTransaction2, Lifecycle, Neutral, Xp, Documented, "9", P_SESID_GRBIT;
    JetBeginTransaction3 = BeginTransaction3, Lifecycle, Neutral, Win8, Header, "9", P_BEGIN_TRX3;
    JetCommitTransaction = CommitTransaction, Lifecycle, Neutral, Win2000, Documented, "9", P_SESID_GRBIT;
    JetCommitTransaction2 = CommitTransaction2, Lifecycle, Neutral, Win8, Header, "9", P_COMMIT_TRX2;
    JetRollback = Rollback, Lifecycle, Neutral, Win2000, Documented, "9", P_SESID_GRBIT;
    JetGetInstanceInfo = GetInstanceInfo, Lifecycle, Undecorated, Xp, Documented, "9", P_INSTANCE_INFO;
    JetGetInstanceInfoA = GetInstanceInfo, Lifecycle, A, Vista, Inferred, "9", P_INSTANCE_INFO;
    JetGetInstanceInfoW = GetInstanceInfo, Lifecycle, W, Vista, Header, "9", P_INSTANCE_INFO;
    JetFreeBuffer = FreeBuffer, Lifecycle, Neutral, Xp, Documented, "9", P_FREE_BUFFER;
    // Tables and records of client programs (esent.h; MSDN "Requirements").
    JetCreateTable = CreateTable, Lifecycle, Undecorated, Win2000, Documented, "9", P_CREATE_TABLE;
    JetCreateTableA = CreateTable, Lifecycle, A, Vista, Inferred, "9", P_CREATE_TABLE;
    JetCreateTableW = CreateTable, Lifecycle, W, Vista, Header, "9", P_CREATE_TABLE;
    JetOpenTable = OpenTable, Lifecycle, Undecorated, Win2000, Documented, "9", P_OPEN_TABLE;
    JetOpenTableA = OpenTable, Lifecycle, A, Vista, Inferred, "9", P_OPEN_TABLE;
    JetOpenTableW = OpenTable, Lifecycle, W, Vista, Header, "9", P_OPEN_TABLE;
    JetCloseTable = CloseTable, Lifecycle, Neutral, Win2000, Documented, "9", P_TABLE;
    JetAddColumn = AddColumn, Lifecycle, Undecorated, Win2000, Documented, "9", P_ADD_COLUMN;
    JetAddColumnA = AddColumn, Lifecycle, A, Vista, Inferred, "9", P_ADD_COLUMN;
    JetAddColumnW = AddColumn, Lifecycle, W, Vista, Header, "9", P_ADD_COLUMN;
    JetPrepareUpdate = PrepareUpdate, Lifecycle, Neutral, Win2000, Documented, "9", P_PREPARE_UPDATE;
    JetSetColumn = SetColumn, Lifecycle, Neutral, Win2000, Documented, "9", P_SET_COLUMN;
    JetUpdate = Update, Lifecycle, Neutral, Win2000, Documented, "9", P_UPDATE;
    JetRetrieveColumn = RetrieveColumn, Lifecycle, Neutral, Win2000, Documented, "9", P_RETRIEVE_COLUMN;
    JetMove = Move, Lifecycle, Neutral, Win2000, Documented, "9", P_MOVE;
    JetDelete = Delete, Lifecycle, Neutral, Win2000, Documented, "9", P_TABLE;
    // Harness verbs: act on the sandbox's files (issue: mock, real files).
    log_traffic = Verb, Verb, Neutral, Win2000, Harness, "10.5", P_LOG_TRAFFIC;
    corrupt_page = Verb, Verb, Neutral, Win2000, Harness, "10.6", P_CORRUPT_PAGE;
    corrupt_log = Verb, Verb, Neutral, Win2000, Harness, "10.6", P_CORRUPT_LOG;
    delete_file = Verb, Verb, Neutral, Win2000, Harness, "10.1", P_FILE;
    lock_file = Verb, Verb, Neutral, Win2000, Harness, "6.3", P_FILE;
    unlock_file = Verb, Verb, Neutral, Win2000, Harness, "6.3", P_FILE;
    write_file = Verb, Verb, Neutral, Win2000, Harness, "7.1", P_WRITE_FILE;
    copy_file = Verb, Verb, Neutral, Win2000, Harness, "8", P_COPY_FILE;
    make_dir = Verb, Verb, Neutral, Win2000, Harness, "7.1", P_MAKE_DIR;
    fault = Verb, Verb, Neutral, Win2000, Harness, "14", P_FAULT;
    // Folders: backups go to folders (spec 7.1), restores read them (spec 7.2).
    delete_dir = Verb, Verb, Neutral, Win2000, Harness, "7.1", P_MAKE_DIR;
    rename_dir = Verb, Verb, Neutral, Win2000, Harness, "7.2", P_RENAME_DIR;
    list_dir = Verb, Verb, Neutral, Win2000, Harness, "7.1", P_LIST_DIR;
    dir_exists = Verb, Verb, Neutral, Win2000, Harness, "7.1", P_DIR_EXISTS;
}

impl Function {
    pub fn info(self) -> &'static FunctionInfo {
        &FUNCTIONS[self as usize]
    }
    pub fn name(self) -> &'static str {
        self.info().name
    }
    pub fn by_name(name: &str) -> Option<Function> {
        FUNCTIONS
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.function)
    }
    /// The functions that are forms of the same operation (legacy/Instance, A/W).
    pub fn forms(op: Op) -> impl Iterator<Item = &'static FunctionInfo> {
        FUNCTIONS.iter().filter(move |f| f.op == op)
    }
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
impl Serialize for Function {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}
impl<'de> Deserialize<'de> for Function {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Function::by_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown function `{name}`")))
    }
}
impl schemars::JsonSchema for Function {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Function".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        schemars::json_schema!({ "type": "string", "enum": names })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_indexed_by_enum_and_consistent() {
        for (i, f) in FUNCTIONS.iter().enumerate() {
            assert_eq!(f.function as usize, i);
            assert_eq!(Function::by_name(f.name), Some(f.function));
            for prm in f.params {
                if let ParamDefault::SizeOf(other) = prm.default {
                    assert!(
                        f.param(other).is_some(),
                        "{}: {} sizes unknown {}",
                        f.name,
                        prm.name,
                        other
                    );
                }
            }
            let instance_first = f
                .params
                .first()
                .map(|p| p.ty == ParamType::Instance)
                .unwrap_or(false);
            if f.form == Form::Instance {
                assert!(
                    instance_first,
                    "{} is an Instance form without an instance",
                    f.name
                );
            }
            if f.form == Form::Legacy {
                assert!(
                    !f.params.iter().any(|p| p.ty == ParamType::Instance),
                    "{}",
                    f.name
                );
            }
            if f.charset == Charset::W {
                assert!(
                    f.since >= WinVersion::Vista,
                    "{}: W forms are VISTA+ (spec 1.1)",
                    f.name
                );
            }
        }
    }
}
