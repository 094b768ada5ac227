//! The JET_ERR catalogue: every code of spec §3 with its name and number, plus the few
//! codes outside §3 that the life-cycle calls of §9 return (marked `Origin::Header`).
//!
//! Unknown numbers stay printable (`JET_ERR(-1234)`), because a real engine may return
//! anything.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A JET_ERR value as returned by a call: 0 success, negative errors, positive warnings
/// (and the odd negative "warning" `JET_wrnNyi` = -1).
#[derive(
    Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct ErrorCode(pub i32);

/// Whether the engine means a code to be seen by callers (spec §3, "kind").
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// EXTERNAL in `errdata.txt`.
    External,
    /// INTERNAL: never meant to escape (`errBackupAbortByCaller`).
    Internal,
    /// OBSOLETE in `errdata.txt`, still defined.
    Obsolete,
}

/// Where the catalogue row comes from.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Listed in spec §3.
    Spec,
    /// Not in §3; the value is the one in the public `esent.h`, needed by §9 life-cycle calls.
    Header,
}

pub struct ErrorInfo {
    pub name: &'static str,
    pub value: i32,
    pub kind: ErrorKind,
    pub origin: Origin,
    /// What the code means in this API family (spec §3).
    pub meaning: &'static str,
}

macro_rules! errors {
    ($( $name:ident = $value:expr, $kind:ident, $origin:ident, $meaning:expr; )*) => {
        impl ErrorCode {
            $( #[allow(non_upper_case_globals)] pub const $name: ErrorCode = ErrorCode($value); )*
        }
        /// Every known code, in spec §3 order.
        pub static ERRORS: &[ErrorInfo] = &[
            $( ErrorInfo { name: stringify!($name), value: $value, kind: ErrorKind::$kind, origin: Origin::$origin, meaning: $meaning }, )*
        ];
    };
}

errors! {
    JET_errSuccess = 0, External, Spec, "success";
    JET_wrnNyi = -1, External, Spec, "JetOpenFileSectionInstance with cSections > 1";
    JET_errLogFileCorrupt = -501, External, Spec, "restore/recovery: a log file is damaged";
    JET_errNoBackupDirectory = -503, External, Spec, "no longer produced by the engine";
    JET_errBackupDirectoryNotEmpty = -504, External, Spec, "JetBackup target directory not empty";
    JET_errBackupInProgress = -505, External, Spec, "a backup is already running (double Begin; attach/detach/term during backup)";
    JET_errRestoreInProgress = -506, External, Spec, "API entry while the instance is restoring";
    JET_errMissingPreviousLogFile = -509, External, Spec, "recovery: a previous log generation is missing";
    JET_errLogWriteFail = -510, External, Spec, "log writes are disabled after an I/O failure";
    JET_errInvalidLogSequence = -515, External, Spec, "restore: logs do not form a sequence";
    JET_errLoggingDisabled = -516, External, Spec, "backup with JET_paramRecovery \"off\"";
    JET_errLogSequenceEnd = -519, External, Spec, "log generations exhausted";
    JET_errNoBackup = -520, External, Spec, "backup call with no backup in progress";
    JET_errInvalidBackupSequence = -521, External, Spec, "backup call out of order";
    JET_errBackupNotAllowedYet = -523, External, Spec, "the instance is not in a state that allows backup";
    JET_errDeleteBackupFileFail = -524, External, Spec, "JetBackup: atomic directory clean-up failed";
    JET_errMakeBackupDirectoryFail = -525, External, Spec, "JetBackup: cannot create the atomic temp directory";
    JET_errInvalidBackup = -526, External, Spec, "incremental (or surrogate) backup with circular logging";
    JET_errRecoveredWithErrors = -527, External, Spec, "restore with JET_paramRecovery \"repair\" hit errors";
    JET_errMissingLogFile = -528, External, Spec, "recovery: a log file is missing";
    JET_errLogDiskFull = -529, External, Spec, "the log disk is full";
    JET_errBadLogSignature = -530, External, Header, "recovery: a log of the range belongs to another log stream";
    JET_errBadCheckpointSignature = -532, External, Header, "recovery: the checkpoint belongs to another log stream";
    JET_errCheckpointCorrupt = -533, External, Spec, "the checkpoint file is damaged";
    JET_errBadPatchPage = -535, External, Spec, "restore: the database stream's trailer page is invalid";
    JET_errPatchFileMissing = -538, Obsolete, Spec, "JetRestore: no *.pat file in the backup folder";
    JET_errDatabaseLogSetMismatch = -539, External, Header, "recovery: a database does not belong with the logs";
    JET_errCheckpointFileNotFound = -542, External, Spec, "the checkpoint file is missing";
    JET_errRequiredLogFilesMissing = -543, External, Spec, "snapshot truncate: required logs missing";
    JET_errDatabasePatchFileMismatch = -552, Obsolete, Spec, "restore: trailer/log signatures disagree";
    JET_errEndingRestoreLogTooLow = -553, External, Spec, "restore: genHigh below the database's needs";
    JET_errStartingRestoreLogTooHigh = -554, External, Spec, "restore: genLow above the database's needs";
    JET_errGivenLogFileHasBadSignature = -555, External, Spec, "restore: a backup log belongs to another log stream";
    JET_errGivenLogFileIsNotContiguous = -556, External, Spec, "restore: backup logs are not contiguous";
    JET_errMissingRestoreLogFiles = -557, External, Spec, "restore: restore logs missing";
    JET_errMissingFullBackup = -560, External, Spec, "incremental Begin without a prior full backup";
    JET_errBadBackupDatabaseSize = -561, Obsolete, Spec, "obsolete";
    JET_errMissingCurrentLogFiles = -565, External, Spec, "restore roll-forward: current logs missing";
    JET_errMissingFileToBackup = -569, External, Spec, "OpenFile of a missing log; incremental log gap";
    JET_errBadRestoreTargetInstance = -577, External, Spec, "JetExternalRestore2: bad target instance";
    JET_wrnTargetInstanceRunning = 578, External, Spec, "JetExternalRestore2 succeeded with a running target instance";
    JET_errUnicodeTranslationFail = -602, External, Header, "A-variant conversion of a name that the ANSI code page cannot represent";
    JET_errExistingLogFileHasBadSignature = -610, External, Spec, "restore: existing logs belong to another stream";
    JET_errExistingLogFileIsNotContiguous = -611, External, Spec, "restore: existing logs are not contiguous";
    JET_errLogReadVerifyFailure = -612, External, Spec, "ReadFile on a log with a bad checksum";
    JET_errRestoreOfNonBackupDatabase = -615, External, Spec, "ExternalRestore of a database that is not a backup copy";
    JET_errLogFileNotCopied = -616, External, Spec, "TruncateLog before every listed log was read";
    JET_errSurrogateBackupInProgress = -617, External, Spec, "a surrogate backup conflicts";
    errBackupAbortByCaller = -800, Internal, Spec, "backup aborted by the caller (internal; DOC calls it JET_errBackupAbortByCaller)";
    JET_errBackupAbortByServer = -801, External, Spec, "after JetStopBackup or JetTerm(StopBackup)";
    JET_errInvalidGrbit = -900, External, Spec, "invalid grbit";
    JET_errTermInProgress = -1000, External, Spec, "API entry during JetTerm";
    JET_errInvalidName = -1002, External, Header, "invalid name (table, column)";
    JET_errInvalidParameter = -1003, External, Spec, "invalid parameter";
    JET_errInvalidDatabaseId = -1010, External, Header, "invalid database id";
    JET_errOutOfMemory = -1011, External, Spec, "out of memory; also \"a file is already open\"";
    JET_errRecordDeleted = -1017, External, Header, "the current record was deleted";
    JET_errReadVerifyFailure = -1018, External, Spec, "database page checksum failure during ReadFile";
    JET_errDiskIO = -1022, External, Header, "disk I/O error";
    JET_errInvalidPath = -1023, External, Spec, "invalid path";
    JET_errNotInitialized = -1029, External, Spec, "instance not initialized";
    JET_errAlreadyInitialized = -1030, External, Spec, "already initialized";
    JET_errInitInProgress = -1031, External, Spec, "initialization in progress";
    JET_errFileAccessDenied = -1032, External, Spec, "file access denied";
    JET_errBufferTooSmall = -1038, External, Spec, "A-variant list function with a too small buffer";
    JET_errNotInTransaction = -1054, External, Header, "commit or rollback outside a transaction";
    JET_errTooManyActiveUsers = -1059, External, Header, "term with open transactions";
    JET_errRunningInOneInstanceMode = -1080, External, Spec, "the process runs in single-instance mode";
    JET_errRunningInMultiInstanceMode = -1081, External, Spec, "the process runs in multi-instance mode";
    JET_errSystemParamsAlreadySet = -1082, External, Spec, "JetEnableMultiInstance twice";
    JET_errSystemPathInUse = -1083, External, Spec, "system path used by another instance";
    JET_errLogFilePathInUse = -1084, External, Spec, "log path used by another instance";
    JET_errTempPathInUse = -1085, External, Spec, "temp path used by another instance";
    JET_errInstanceNameInUse = -1086, External, Spec, "instance name in use";
    JET_errSystemParameterConflict = -1087, External, Spec, "global parameter disagrees";
    JET_errInstanceUnavailable = -1090, External, Spec, "the instance hit a fatal error";
    JET_errInstanceUnavailableDueToFatalLogDiskFull = -1092, External, Spec, "fatal log disk full";
    JET_errInvalidSesid = -1104, External, Header, "invalid session handle";
    JET_errInvalidInstance = -1115, External, Spec, "invalid instance handle (VISTA+, best effort)";
    JET_errDirtyShutdown = -1116, External, Header, "JetTerm2(JET_bitTermDirty) left databases dirty";
    JET_errDatabaseDuplicate = -1201, External, Header, "database already exists";
    JET_errDatabaseNotFound = -1203, External, Spec, "OpenFile in the database phase on a non-attached file";
    JET_errDatabaseCorrupted = -1206, External, Spec, "restore header checks";
    JET_errPageSizeMismatch = -1213, External, Header, "database page size differs from JET_paramDatabasePageSize";
    JET_errAttachedDatabaseMismatch = -1216, External, Header, "recovery: an attached database is missing or not the one the logs attached";
    JET_errTooManyInstances = -1214, External, Spec, "more instances than JET_paramMaxInstances";
    JET_errDatabaseAttachedForRecovery = -1231, External, Spec, "internal copy only";
    JET_errTableDuplicate = -1303, External, Header, "JetCreateTable: the table exists";
    JET_errObjectNotFound = -1305, External, Header, "JetOpenTable: no such table";
    JET_errInvalidTableId = -1310, External, Header, "not a tableid of the session";
    JET_errClientRequestToStopJetService = -1329, External, Spec, "every instance API after JetStopService";
    JET_errColumnNotFound = -1507, External, Header, "no such column";
    JET_errColumnDuplicate = -1508, External, Header, "JetAddColumn: the column exists";
    JET_errInvalidColumnType = -1511, External, Header, "JetAddColumn: not a JET_coltyp";
    JET_errNoCurrentRecord = -1603, External, Header, "no current record";
    JET_errAlreadyPrepared = -1607, External, Header, "JetPrepareUpdate with an update prepared";
    JET_errUpdateNotPrepared = -1609, External, Header, "JetSetColumn or JetUpdate without JetPrepareUpdate";
    JET_errFileNotFound = -1811, External, Spec, "file not found (restore; GetLogInfo with no logs)";
    JET_errAfterInitialization = -1850, External, Spec, "restore after init (internal guard)";
    JET_errSessionSharingViolation = -1910, External, Spec, "DOC lists it for JetBackup";
    JET_errOSSnapshotNotAllowed = -2403, External, Spec, "VSS freeze while a streaming backup is active";
    JET_wrnColumnNull = 1004, External, Header, "JetRetrieveColumn: the column is NULL";
    JET_wrnBufferTruncated = 1006, External, Header, "JetRetrieveColumn: the buffer was too small";
    JET_wrnDatabaseAttached = 1007, External, Header, "W2K JetInit re-attached a database";
}

impl ErrorCode {
    pub fn info(self) -> Option<&'static ErrorInfo> {
        ERRORS.iter().find(|e| e.value == self.0)
    }

    /// The catalogue name, if the number is known.
    pub fn name(self) -> Option<&'static str> {
        self.info().map(|e| e.name)
    }

    /// Looks a code up by name. `JET_errBackupAbortByCaller` (DOC's spelling) is accepted for
    /// the internal `errBackupAbortByCaller` (spec §12 item 16).
    pub fn by_name(name: &str) -> Option<ErrorCode> {
        let name = if name == "JET_errBackupAbortByCaller" {
            "errBackupAbortByCaller"
        } else {
            name
        };
        ERRORS
            .iter()
            .find(|e| e.name == name)
            .map(|e| ErrorCode(e.value))
    }

    pub fn is_success(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for ErrorCode {
    /// `JET_errNoBackup (-520)`; unknown numbers as `JET_ERR(-1234)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n} ({})", self.0),
            None => write!(f, "JET_ERR({})", self.0),
        }
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_round_trip() {
        for e in ERRORS {
            assert_eq!(
                ErrorCode::by_name(e.name),
                Some(ErrorCode(e.value)),
                "{}",
                e.name
            );
        }
        let mut values: Vec<i32> = ERRORS.iter().map(|e| e.value).collect();
        values.sort();
        values.dedup();
        assert_eq!(
            values.len(),
            ERRORS.len(),
            "duplicate numbers in the catalogue"
        );
        assert_eq!(
            ErrorCode::by_name("JET_errBackupAbortByCaller"),
            Some(ErrorCode(-800))
        );
        assert_eq!(ErrorCode(-1234).to_string(), "JET_ERR(-1234)");
        assert_eq!(
            ErrorCode::JET_errNoBackup.to_string(),
            "JET_errNoBackup (-520)"
        );
    }
}
