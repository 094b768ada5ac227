//! Every system parameter of `esent.h` (`JET_paramXxx`), as a data table: its id, how its
//! value is passed, its scope, whether it may change after JetInit, the first release whose
//! header defines it (its `JET_VERSION` guard), its default, the values ESENT accepts, and
//! what it does to the backup / restore / log behaviour this project models.
//!
//! Provenance of each row (`prov`): `Documented` where the header guard, the default and the
//! range are those of `esent.h` and MSDN's system parameter pages; `Source` where spec §9
//! (second table, from `sysparamtable.g.cxx`) gives them; `Inferred` where a column is a best
//! reading and the row's note says which. A parameter a release's header lacks is answered
//! as that release answers an id it does not know: `JET_errInvalidParameter` (inferred: ESENT
//! looks the id up in its parameter table and fails the lookup with -1003, spec §9 "out of
//! range → -1003").
//!
//! The table lists what the Windows 2000 … 8.1 headers define. Ids that later headers added
//! (Windows 10 / 11) are not listed: their guards and defaults are not settled by the spec or
//! the documentation this project cites; the mock answers them as not modelled.

use crate::version::WinVersion;
use serde::Serialize;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// A folder or file: scenarios give it relative to their sandbox.
    Path,
    /// A string value (base name, "on"/"off").
    Text,
    /// A number in lParam.
    Integer,
    /// 0 or 1 in lParam (any non-zero value is true; read back as 1).
    Boolean,
    /// A pointer (callback, structure) in lParam, stored as passed.
    Pointer,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamScope {
    Instance,
    Global,
    /// A property of the session named by `sesid` (JET_paramTransactionLevel).
    Session,
}

/// What the parameter changes in the behaviour this project models.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamEffect {
    /// Changes backup, restore or log behaviour and the mock models it (the note names the
    /// spec section).
    Modelled,
    /// Accepted, stored and read back; it has no effect on the external backup / restore API
    /// family (cache, version store, tables, indexes, events, ...).
    Stored,
    /// Accepted, stored and read back; in ESENT it changes log or recovery behaviour that the
    /// mock does not model (the note says what).
    StoredNotModelled,
    /// Read-only: JetGetSystemParameter answers it, JetSetSystemParameter refuses it.
    ReadOnly,
}

/// A default value.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamDefaultValue {
    Num(u64),
    Text(&'static str),
}

/// Where a row's columns come from (a subset of `Provenance`, usable in a static table).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamProvenance {
    /// spec §9 (from `sysparamtable.g.cxx`).
    Source,
    /// `esent.h` and MSDN's system parameter reference.
    Documented,
    /// A best reading; the note says which column.
    Inferred,
}

pub struct SysParamInfo {
    pub name: &'static str,
    pub id: u32,
    pub kind: ParamKind,
    pub scope: ParamScope,
    /// May it change after the instance's JetInit (instance scope) / once the run mode is set
    /// (global scope)? Spec §9: otherwise -1030.
    pub settable_after_init: bool,
    /// First release whose `esent.h` defines it.
    pub since: WinVersion,
    pub default: ParamDefaultValue,
    /// Accepted integer values (inclusive); outside → -1003.
    pub min: u64,
    pub max: u64,
    pub effect: ParamEffect,
    pub prov: ParamProvenance,
    pub note: &'static str,
}

impl SysParamInfo {
    /// Does release `v`'s header define it?
    pub fn defined_in(&self, v: WinVersion) -> bool {
        v >= self.since
    }
    pub fn is_string(&self) -> bool {
        matches!(self.kind, ParamKind::Path | ParamKind::Text)
    }
}

const MAX: u64 = u32::MAX as u64;

macro_rules! params {
    ($( $name:ident = $id:expr, $kind:ident, $scope:ident, $after:expr, $since:ident,
        $def:expr, $min:expr, $max:expr, $effect:ident, $prov:ident, $note:expr; )*) => {
        pub static SYSPARAMS: &[SysParamInfo] = &[
            $( SysParamInfo {
                name: stringify!($name),
                id: $id,
                kind: ParamKind::$kind,
                scope: ParamScope::$scope,
                settable_after_init: $after,
                since: WinVersion::$since,
                default: $def,
                min: $min,
                max: $max,
                effect: ParamEffect::$effect,
                prov: ParamProvenance::$prov,
                note: $note,
            }, )*
        ];
        /// Named ids, for runners and tests.
        #[allow(non_upper_case_globals)]
        pub mod ids { $( pub const $name: u32 = $id; )* }
    };
}

use ParamDefaultValue::{Num as N, Text as S};
const YES: bool = true;
const NO: bool = false;

params! {
    // --- Paths and names (spec §9, §10.1) ---
    JET_paramSystemPath = 0, Path, Instance, NO, Win2000, S(".\\"), 0, MAX, Modelled, Source,
        "checkpoint folder (spec 9, 10.1); <= 246 characters";
    JET_paramTempPath = 1, Path, Instance, NO, Win2000, S("tmp.edb"), 0, MAX, Modelled, Source,
        "temporary database; <= 247 characters (spec 9)";
    JET_paramLogFilePath = 2, Path, Instance, NO, Win2000, S(".\\"), 0, MAX, Modelled, Source,
        "log folder (spec 9, 10.1); <= 246 characters";
    JET_paramBaseName = 3, Text, Instance, NO, Win2000, S("edb"), 0, MAX, Modelled, Source,
        "three characters; names the logs and checkpoint (spec 10.1)";
    JET_paramEventSource = 4, Text, Instance, NO, Win2000, S(""), 0, MAX, Stored, Documented,
        "event log source; events are not modelled";
    // --- Resources ---
    JET_paramMaxSessions = 5, Integer, Instance, NO, Win2000, N(16), 0, 30000, Stored, Documented,
        "sessions are not limited by the mock";
    JET_paramMaxOpenTables = 6, Integer, Instance, NO, Win2000, N(300), 0, MAX, Stored, Documented, "";
    JET_paramPreferredMaxOpenTables = 7, Integer, Instance, NO, Win2000, N(0), 0, MAX, Stored, Documented, "";
    JET_paramMaxCursors = 8, Integer, Instance, NO, Win2000, N(1024), 0, MAX, Stored, Documented, "";
    JET_paramMaxVerPages = 9, Integer, Instance, NO, Win2000, N(64), 0, MAX, Stored, Documented, "";
    JET_paramMaxTemporaryTables = 10, Integer, Instance, NO, Win2000, N(20), 0, MAX, Stored, Documented, "";
    JET_paramLogFileSize = 11, Integer, Instance, NO, Win2000, N(5120), 0, 32768, Modelled, Source,
        "KiB; minimum by release (profile log_file_size_min_kib, spec 11.4); logs are preallocated to it (spec 10.5)";
    JET_paramLogBuffers = 12, Integer, Instance, NO, Win2000, N(126), 0, MAX, Stored, Inferred,
        "default: the Vista+ documented value; log buffering has no effect on what backup reads";
    JET_paramWaitLogFlush = 13, Integer, Instance, YES, Win2000, N(0), 0, MAX, Stored, Documented,
        "obsolete, ignored by ESENT";
    JET_paramLogCheckpointPeriod = 14, Integer, Instance, NO, Win2000, N(1024), 0, MAX, Stored, Documented,
        "obsolete, ignored by ESENT";
    JET_paramLogWaitingUserMax = 15, Integer, Instance, NO, Win2000, N(3), 0, MAX, Stored, Documented,
        "obsolete, ignored by ESENT";
    JET_paramCommitDefault = 16, Integer, Instance, YES, Win2000, N(0), 0, MAX, Stored, Documented,
        "default commit grbit; the mock flushes every commit";
    JET_paramCircularLog = 17, Boolean, Instance, NO, Win2000, N(0), 0, MAX, Modelled, Source,
        "circular logging: incremental backup -526 (spec 6.1), logs deleted behind the checkpoint (spec 15.9)";
    JET_paramDbExtensionSize = 18, Integer, Instance, YES, Win2000, N(256), 0, MAX, Stored, Documented, "";
    JET_paramPageTempDBMin = 19, Integer, Instance, NO, Win2000, N(0), 0, MAX, Stored, Documented, "";
    JET_paramPageFragment = 20, Integer, Instance, NO, Win2000, N(8), 0, MAX, Stored, Documented, "";
    JET_paramBatchIOBufferMax = 22, Integer, Global, NO, Win2000, N(64), 0, MAX, Stored, Documented,
        "obsolete in later releases";
    JET_paramCacheSizeMax = 23, Integer, Global, YES, Win2000, N(8192), 0, MAX, Stored, Inferred,
        "default: the mock's fixed value (ESENT sizes the cache dynamically)";
    JET_paramCheckpointDepthMax = 24, Integer, Instance, YES, Win2000, N(20 * 1024 * 1024), 0, MAX, StoredNotModelled, Documented,
        "bytes of log behind the checkpoint before flushes are forced; the mock's checkpoint trails by log rolls and flushes (spec 15.9), not by this byte count";
    JET_paramLRUKCorrInterval = 25, Integer, Global, YES, Win2000, N(128000), 0, MAX, Stored, Documented, "";
    JET_paramLRUKHistoryMax = 26, Integer, Global, NO, Win2000, N(1024), 0, MAX, Stored, Documented, "";
    JET_paramLRUKPolicy = 27, Integer, Global, NO, Win2000, N(2), 1, 2, Stored, Documented, "";
    JET_paramLRUKTimeout = 28, Integer, Global, YES, Win2000, N(100), 0, MAX, Stored, Documented, "";
    JET_paramLRUKTrxCorrInterval = 29, Integer, Global, YES, Win2000, N(0), 0, MAX, Stored, Documented,
        "not used by ESENT";
    JET_paramOutstandingIOMax = 30, Integer, Global, NO, Win2000, N(1024), 0, MAX, Stored, Inferred,
        "default: the Vista+ documented value";
    JET_paramStartFlushThreshold = 31, Integer, Global, YES, Win2000, N(100), 0, MAX, Stored, Inferred,
        "default: proportional to the cache size in ESENT; a fixed value here";
    JET_paramStopFlushThreshold = 32, Integer, Global, YES, Win2000, N(400), 0, MAX, Stored, Inferred,
        "default: proportional to the cache size in ESENT; a fixed value here";
    JET_paramTableClassName = 33, Text, Global, NO, Win2000, S(""), 0, MAX, Stored, Documented,
        "table statistics class name";
    JET_paramRecovery = 34, Text, Instance, NO, Win2000, S("on"), 0, MAX, Modelled, Source,
        "\"off\": logging disabled, backup -516 (spec 6.1); \"repair...\": -527 on restore (spec 7.2)";
    JET_paramEnableOnlineDefrag = 35, Integer, Instance, YES, Win2000, N(1), 0, MAX, Stored, Inferred,
        "default: enabled (value 1); defragmentation is not modelled";
    JET_paramAssertAction = 36, Integer, Global, YES, Win2000, N(0), 0, MAX, Stored, Inferred,
        "default: retail builds do not assert";
    JET_paramPrintFunction = 37, Pointer, Global, YES, Win2000, N(0), 0, u64::MAX, Stored, Documented,
        "debug builds only";
    JET_paramTransactionLevel = 38, Integer, Session, NO, Win2000, N(0), 0, MAX, ReadOnly, Documented,
        "the session's transaction depth; read with the session in sesid";
    JET_paramRFS2IOsPermitted = 39, Integer, Global, YES, Win2000, N(u64::MAX), 0, u64::MAX, Stored, Documented,
        "fault-injection knob of debug builds; -1 = all";
    JET_paramRFS2AllocsPermitted = 40, Integer, Global, YES, Win2000, N(u64::MAX), 0, u64::MAX, Stored, Documented,
        "fault-injection knob of debug builds; -1 = all";
    JET_paramCacheSize = 41, Integer, Global, YES, Win2000, N(0), 0, MAX, Stored, Inferred,
        "current cache size; 0 until a cache exists (inferred)";
    JET_paramCacheRequests = 42, Integer, Global, NO, Win2000, N(0), 0, MAX, ReadOnly, Documented,
        "statistic; the mock has no cache (0)";
    JET_paramCacheHits = 43, Integer, Global, NO, Win2000, N(0), 0, MAX, ReadOnly, Documented,
        "statistic; the mock has no cache (0)";
    JET_paramCheckFormatWhenOpenFail = 44, Boolean, Global, YES, Win2000, N(0), 0, MAX, Stored, Documented, "";
    JET_paramEnableIndexChecking = 45, Boolean, Instance, NO, Win2000, N(0), 0, MAX, Stored, Documented, "";
    JET_paramEnableTempTableVersioning = 46, Boolean, Instance, NO, Win2000, N(1), 0, MAX, Stored, Documented, "";
    JET_paramIgnoreLogVersion = 47, Boolean, Instance, NO, Win2000, N(0), 0, MAX, StoredNotModelled, Documented,
        "the mock writes one log format";
    JET_paramDeleteOldLogs = 48, Boolean, Instance, NO, Win2000, N(0), 0, MAX, StoredNotModelled, Documented,
        "deletes logs of an older format at JetInit; the mock writes one log format";
    JET_paramEventSourceKey = 49, Text, Instance, NO, Win2000, S(""), 0, MAX, Stored, Documented, "";
    JET_paramNoInformationEvent = 50, Boolean, Instance, YES, Win2000, N(0), 0, MAX, Stored, Documented,
        "events are not modelled";
    JET_paramEventLoggingLevel = 51, Integer, Instance, YES, Xp, N(100), 0, 100, Stored, Inferred,
        "default: JET_EventLoggingLevelMax (inferred)";
    JET_paramDeleteOutOfRangeLogs = 52, Boolean, Instance, NO, Xp, N(0), 0, MAX, StoredNotModelled, Documented,
        "soft recovery deletes logs past the range; not modelled";
    JET_paramAccessDeniedRetryPeriod = 53, Integer, Instance, YES, Xp, N(10000), 0, MAX, Stored, Documented, "";
    JET_paramEnableIndexCleanup = 54, Boolean, Instance, NO, Server2003, N(1), 0, MAX, Stored, Inferred,
        "header guard (0x0502) and default are a best reading";
    JET_paramCacheSizeMin = 60, Integer, Global, YES, Win2000, N(64), 0, MAX, Stored, Inferred,
        "default: the mock's fixed value";
    JET_paramPreferredVerPages = 63, Integer, Instance, NO, Win2000, N(0), 0, MAX, Stored, Documented, "";
    JET_paramDatabasePageSize = 64, Integer, Global, NO, Win2000, N(4096), 0, MAX, Modelled, Source,
        "sizes accepted by release (profile page_sizes, spec 10.2); every ReadFile size rule uses it";
    JET_paramDisableCallbacks = 65, Boolean, Instance, NO, Xp, N(0), 0, MAX, Stored, Documented, "";
    JET_paramLogFileCreateAsynch = 69, Boolean, Instance, NO, Xp, N(1), 0, MAX, Stored, Documented,
        "the mock creates the next log synchronously; what backup lists is the same";
    JET_paramErrorToString = 70, Integer, Global, NO, Xp, N(0), 0, MAX, ReadOnly, Documented,
        "get only: *plParam is an error code in, szParam receives its name";
    JET_paramZeroDatabaseDuringBackup = 71, Boolean, Instance, NO, Xp, N(0), 0, MAX, Modelled, Source,
        "page scrubbing while streaming (spec 6.4)";
    JET_paramUnicodeIndexDefault = 72, Pointer, Instance, NO, Xp, N(0), 0, u64::MAX, Stored, Documented,
        "pointer to a JET_UNICODEINDEX";
    JET_paramRuntimeCallback = 73, Pointer, Instance, NO, Xp, N(0), 0, u64::MAX, Stored, Documented, "";
    JET_paramCleanupMismatchedLogFiles = 77, Boolean, Instance, NO, Vista, N(0), 0, MAX, StoredNotModelled, Inferred,
        "deletes logs of another size after a clean recovery; header guard is a best reading";
    JET_paramRecordUpgradeDirtyLevel = 78, Integer, Global, YES, Xp, N(1), 0, 3, Stored, Documented, "";
    JET_paramGlobalMinVerPages = 81, Integer, Global, YES, Xp, N(64), 0, MAX, Stored, Documented, "";
    JET_paramOSSnapshotTimeout = 82, Integer, Global, YES, Xp, N(60000), 0, MAX, Stored, Documented,
        "VSS freeze timeout; snapshots are not modelled (spec 9)";
    JET_paramExceptionAction = 98, Integer, Global, YES, Win2000, N(1), 0, MAX, Stored, Inferred,
        "default: JET_ExceptionMsgBox (inferred)";
    JET_paramEventLogCache = 99, Integer, Global, NO, Win2000, N(0), 0, MAX, Stored, Documented, "";
    JET_paramCreatePathIfNotExist = 100, Boolean, Instance, YES, Xp, N(0), 0, MAX, Modelled, Source,
        "creates missing folders at JetInit, JetBackup and restore (spec 7.1, 7.2)";
    JET_paramPageHintCacheSize = 101, Integer, Global, NO, Xp, N(256 * 1024), 0, MAX, Stored, Documented, "";
    JET_paramOneDatabasePerSession = 102, Boolean, Instance, NO, Xp, N(0), 0, MAX, Stored, Documented, "";
    JET_paramMaxInstances = 104, Integer, Global, NO, Xp, N(16), 1, MAX, Modelled, Source,
        "more instances → -1214 (spec 9)";
    JET_paramVersionStoreTaskQueueMax = 105, Integer, Global, NO, Xp, N(32), 0, MAX, Stored, Documented, "";
    JET_paramIdleFlushTime = 106, Integer, Global, YES, Vista, N(0), 0, MAX, Stored, Inferred,
        "header guard is a best reading";
    JET_paramDisablePerfmon = 107, Boolean, Global, NO, Xp, N(0), 0, MAX, Stored, Documented, "";
    JET_paramIndexTuplesLengthMin = 110, Integer, Instance, NO, Xp, N(3), 0, MAX, Stored, Documented, "";
    JET_paramIndexTuplesLengthMax = 111, Integer, Instance, NO, Xp, N(10), 0, MAX, Stored, Documented, "";
    JET_paramIndexTuplesToIndexMax = 112, Integer, Instance, NO, Xp, N(32767), 0, MAX, Stored, Documented, "";
    JET_paramAlternateDatabaseRecoveryPath = 113, Path, Instance, NO, Server2003, S(""), 0, MAX, StoredNotModelled, Documented,
        "recovery looks for databases there; the mock's recovery uses the logged paths";
    JET_paramCachedClosedTables = 125, Integer, Instance, NO, Vista, N(0), 0, MAX, Stored, Documented, "";
    JET_paramEnableFileCache = 126, Boolean, Global, NO, Vista, N(0), 0, MAX, Stored, Documented, "";
    JET_paramEnableViewCache = 127, Boolean, Global, NO, Vista, N(0), 0, MAX, Stored, Documented, "";
    JET_paramVerPageSize = 128, Integer, Global, NO, Vista, N(8192), 0, MAX, Stored, Documented, "";
    JET_paramConfiguration = 129, Integer, Global, NO, Vista, N(0), 0, MAX, Stored, Inferred,
        "ESENT resets other parameters to a configuration's values; the mock stores the number only";
    JET_paramEnableAdvanced = 130, Boolean, Global, YES, Vista, N(0), 0, MAX, Stored, Documented, "";
    JET_paramMaxColtyp = 131, Integer, Global, NO, Vista, N(16), 0, MAX, ReadOnly, Inferred,
        "value: JET_coltypGUID (16), the last column type of Vista's header";
    JET_paramIndexTupleIncrement = 132, Integer, Instance, NO, Vista, N(1), 0, MAX, Stored, Documented, "";
    JET_paramIndexTupleStart = 133, Integer, Instance, NO, Vista, N(0), 0, MAX, Stored, Documented, "";
    JET_paramKeyMost = 134, Integer, Global, NO, Vista, N(255), 0, MAX, ReadOnly, Inferred,
        "value: JET_cbKeyMostMin (255); ESENT derives it from the page size";
    JET_paramCheckpointIOMax = 135, Integer, Instance, YES, Vista, N(32), 0, MAX, Stored, Inferred,
        "default is a best reading";
    JET_paramLegacyFileNames = 136, Integer, Instance, NO, Vista, N(3), 0, 3, Modelled, Source,
        "log and checkpoint extensions and reserve-log names (spec 10.1, 2.5)";
    JET_paramTableClass1Name = 137, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass2Name = 138, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass3Name = 139, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass4Name = 140, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass5Name = 141, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass6Name = 142, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass7Name = 143, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass8Name = 144, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass9Name = 145, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass10Name = 146, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass11Name = 147, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass12Name = 148, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass13Name = 149, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass14Name = 150, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramTableClass15Name = 151, Text, Global, NO, Win7, S(""), 0, MAX, Stored, Documented, "";
    JET_paramIOPriority = 152, Integer, Instance, YES, Win7, N(0), 0, MAX, Stored, Documented, "";
    JET_paramWaypointLatency = 153, Integer, Instance, NO, Win7, N(0), 0, MAX, StoredNotModelled, Documented,
        "generations of lost-flush waypoint; the mock's database writes are never lost";
    JET_paramCheckpointTooDeep = 154, Integer, Instance, NO, Win7, N(64), 0, MAX, StoredNotModelled, Inferred,
        "log generations the checkpoint may trail before -510; default is a best reading";
    JET_paramDisableBlockVerification = 155, Boolean, Global, NO, Win7, N(0), 0, MAX, Modelled, Source,
        "turns log checksum verification while streaming off (spec 10.6); header guard is a best reading";
    JET_paramEnablePersistedCallbacks = 156, Boolean, Instance, NO, Win7, N(0), 0, MAX, Stored, Documented, "";
    JET_paramAggressiveLogRollover = 157, Boolean, Instance, NO, Win7, N(0), 0, MAX, Modelled, Source,
        "the backup-stop record rolls the log (spec 10.5); header guard is a best reading";
    JET_paramPeriodicLogRolloverLLR = 158, Integer, Instance, YES, Win7, N(0), 0, MAX, StoredNotModelled, Documented,
        "time-driven log rolls; the mock rolls only on logged work and backup calls";
    JET_paramUsePageDependencies = 159, Boolean, Global, NO, Win7, N(0), 0, MAX, Stored, Documented, "";
    JET_paramDefragmentSequentialBTrees = 160, Boolean, Instance, YES, Win7, N(1), 0, MAX, Stored, Documented, "";
    JET_paramDefragmentSequentialBTreesDensityCheckFrequency = 161, Integer, Instance, YES, Win7, N(10), 0, MAX, Stored, Documented, "";
    JET_paramIOThrottlingTimeQuanta = 162, Integer, Instance, YES, Win7, N(100), 0, MAX, Stored, Documented, "";
    JET_paramLVChunkSizeMost = 163, Integer, Global, NO, Win7, N(4096 - 82), 0, MAX, ReadOnly, Inferred,
        "value: a 4 KiB page less its header (inferred)";
    JET_paramMaxCoalesceReadSize = 164, Integer, Global, YES, Win7, N(256 * 1024), 0, MAX, Stored, Documented, "";
    JET_paramMaxCoalesceWriteSize = 165, Integer, Global, YES, Win7, N(256 * 1024), 0, MAX, Stored, Documented, "";
    JET_paramMaxCoalesceReadGapSize = 166, Integer, Global, YES, Win7, N(256 * 1024), 0, MAX, Stored, Documented, "";
    JET_paramMaxCoalesceWriteGapSize = 167, Integer, Global, YES, Win7, N(256 * 1024), 0, MAX, Stored, Documented, "";
    JET_paramEnableDBScanInRecovery = 169, Integer, Instance, NO, Win7, N(0), 0, MAX, Stored, Documented, "";
    JET_paramDbScanThrottle = 170, Integer, Instance, YES, Win7, N(20), 0, MAX, Stored, Documented, "";
    JET_paramDbScanIntervalMinSec = 171, Integer, Instance, YES, Win7, N(86400), 0, MAX, Stored, Documented, "";
    JET_paramDbScanIntervalMaxSec = 172, Integer, Instance, YES, Win7, N(86400), 0, MAX, Stored, Documented, "";
    JET_paramEnableExternalAutoHealing = 175, Boolean, Instance, NO, Win7, N(0), 0, MAX, Modelled, Source,
        "patchable read errors release the page lock (spec 10.6); header guard follows the other spec-9 Win7 rows";
    JET_paramCachePriority = 177, Integer, Instance, YES, Win8, N(100), 0, 1000, Stored, Documented, "";
    JET_paramMaxTransactionSize = 178, Integer, Instance, YES, Win8, N(100), 0, 100, Stored, Documented, "";
    JET_paramPrereadIOMax = 179, Integer, Instance, YES, Win8, N(16), 0, MAX, Stored, Documented, "";
    JET_paramEnableDBScanSerialization = 180, Boolean, Global, YES, Win8, N(0), 0, MAX, Stored, Documented, "";
    JET_paramHungIOThreshold = 181, Integer, Global, YES, Win8, N(30000), 0, MAX, Stored, Documented, "";
    JET_paramHungIOActions = 182, Integer, Global, YES, Win8, N(1), 0, MAX, Stored, Documented, "";
    JET_paramMinDataForXpress = 183, Integer, Global, YES, Win8, N(1024), 0, MAX, Stored, Documented, "";
    JET_paramEnableShrinkDatabase = 184, Integer, Instance, YES, Win81, N(0), 0, MAX, Stored, Documented, "";
    JET_paramProcessFriendlyName = 186, Text, Global, NO, Win8, S(""), 0, MAX, Stored, Documented, "";
    JET_paramDurableCommitCallback = 187, Pointer, Instance, YES, Win8, N(0), 0, u64::MAX, Stored, Documented, "";
    JET_paramEnableSqm = 188, Integer, Global, YES, Win81, N(0), 0, MAX, Stored, Documented, "";
    JET_paramConfigStoreSpec = 189, Text, Global, NO, Win8, S(""), 0, MAX, Stored, Documented,
        "configuration store; the mock does not read one";
    JET_paramDisableVerifications = 192, Integer, Instance, YES, Win8, N(0), 0, MAX, Modelled, Source,
        "bit 0x1 relaxes streaming-backup checks (spec 10.6); header guard is a best reading";
}

pub fn by_name(name: &str) -> Option<&'static SysParamInfo> {
    SYSPARAMS.iter().find(|p| p.name == name)
}

pub fn by_id(id: u32) -> Option<&'static SysParamInfo> {
    SYSPARAMS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_sorted() {
        for w in SYSPARAMS.windows(2) {
            assert!(w[0].id < w[1].id, "{} before {}", w[0].name, w[1].name);
        }
        for p in SYSPARAMS {
            assert!(p.name.starts_with("JET_param"));
            assert_eq!(by_name(p.name).map(|q| q.id), Some(p.id));
            if p.effect == ParamEffect::Modelled {
                assert!(
                    p.note.contains("spec"),
                    "{}: modelled without a spec section",
                    p.name
                );
            }
            if let ParamDefaultValue::Num(d) = p.default {
                if matches!(p.kind, ParamKind::Integer) && p.effect != ParamEffect::ReadOnly {
                    assert!(
                        d >= p.min && d <= p.max || p.id == ids::JET_paramLogFileSize,
                        "{}: default outside its range",
                        p.name
                    );
                }
            }
        }
    }
}
