//! Windows only: the project's constants (runners/interface) checked at compile time
//! against the ones `windows-sys` (`Win32_Storage_Jet`) defines, wherever both define one,
//! and the structures' layouts against the SDK's. A wrong number in the catalogues then fails
//! the Windows build instead of mis-judging a real engine.

use jetconform_interface::grbits::bits;
use jetconform_interface::sysparams::ids;
use jetconform_interface::ErrorCode;
use windows_sys::Win32::Storage::Jet as sdk;

macro_rules! same_errors {
    ($($n:ident),* $(,)?) => { $( const _: () = assert!(ErrorCode::$n.0 == sdk::$n as i32); )* };
}
macro_rules! same_bits {
    ($($n:ident),* $(,)?) => { $( const _: () = assert!(bits::$n == sdk::$n); )* };
}
macro_rules! same_params {
    ($($n:ident),* $(,)?) => { $( const _: () = assert!(ids::$n == sdk::$n); )* };
}

same_errors! {
    JET_errSuccess,
    JET_wrnNyi,
    JET_errLogFileCorrupt,
    JET_errNoBackupDirectory,
    JET_errBackupDirectoryNotEmpty,
    JET_errBackupInProgress,
    JET_errRestoreInProgress,
    JET_errMissingPreviousLogFile,
    JET_errLogWriteFail,
    JET_errInvalidLogSequence,
    JET_errLoggingDisabled,
    JET_errLogSequenceEnd,
    JET_errNoBackup,
    JET_errInvalidBackupSequence,
    JET_errBackupNotAllowedYet,
    JET_errDeleteBackupFileFail,
    JET_errMakeBackupDirectoryFail,
    JET_errInvalidBackup,
    JET_errRecoveredWithErrors,
    JET_errMissingLogFile,
    JET_errLogDiskFull,
    JET_errCheckpointCorrupt,
    JET_errBadPatchPage,
    JET_errPatchFileMissing,
    JET_errCheckpointFileNotFound,
    JET_errRequiredLogFilesMissing,
    JET_errDatabasePatchFileMismatch,
    JET_errEndingRestoreLogTooLow,
    JET_errStartingRestoreLogTooHigh,
    JET_errGivenLogFileHasBadSignature,
    JET_errGivenLogFileIsNotContiguous,
    JET_errMissingRestoreLogFiles,
    JET_errMissingFullBackup,
    JET_errBadBackupDatabaseSize,
    JET_errMissingCurrentLogFiles,
    JET_errMissingFileToBackup,
    JET_errBadRestoreTargetInstance,
    JET_wrnTargetInstanceRunning,
    JET_errUnicodeTranslationFail,
    JET_errExistingLogFileHasBadSignature,
    JET_errExistingLogFileIsNotContiguous,
    JET_errLogReadVerifyFailure,
    JET_errRestoreOfNonBackupDatabase,
    JET_errLogFileNotCopied,
    JET_errBackupAbortByServer,
    JET_errInvalidGrbit,
    JET_errTermInProgress,
    JET_errInvalidParameter,
    JET_errOutOfMemory,
    JET_errReadVerifyFailure,
    JET_errDiskIO,
    JET_errInvalidPath,
    JET_errNotInitialized,
    JET_errAlreadyInitialized,
    JET_errInitInProgress,
    JET_errFileAccessDenied,
    JET_errBufferTooSmall,
    JET_errTooManyActiveUsers,
    JET_errRunningInOneInstanceMode,
    JET_errRunningInMultiInstanceMode,
    JET_errSystemParamsAlreadySet,
    JET_errSystemPathInUse,
    JET_errLogFilePathInUse,
    JET_errTempPathInUse,
    JET_errInstanceNameInUse,
    JET_errSystemParameterConflict,
    JET_errInstanceUnavailable,
    JET_errInstanceUnavailableDueToFatalLogDiskFull,
    JET_errInvalidSesid,
    JET_errInvalidInstance,
    JET_errDirtyShutdown,
    JET_errDatabaseDuplicate,
    JET_errDatabaseNotFound,
    JET_errDatabaseCorrupted,
    JET_errPageSizeMismatch,
    JET_errTooManyInstances,
    JET_errDatabaseAttachedForRecovery,
    JET_errClientRequestToStopJetService,
    JET_errFileNotFound,
    JET_errAfterInitialization,
    JET_errSessionSharingViolation,
    JET_errOSSnapshotNotAllowed,
    JET_wrnDatabaseAttached,
}

same_bits! {
    JET_bitBackupIncremental,
    JET_bitBackupAtomic,
    JET_bitBackupSnapshot,
    JET_bitBackupEndNormal,
    JET_bitBackupEndAbort,
    JET_bitBackupTruncateDone,
    JET_bitTermComplete,
    JET_bitTermAbrupt,
    JET_bitTermStopBackup,
    JET_bitTermDirty,
    JET_bitStopServiceAll,
    JET_bitStopServiceBackgroundUserTasks,
    JET_bitStopServiceQuiesceCaches,
    JET_bitStopServiceResume,
    JET_bitReplayIgnoreMissingDB,
    JET_bitRecoveryWithoutUndo,
    JET_bitTruncateLogsAfterRecovery,
    JET_bitReplayMissingMapEntryDB,
    JET_bitLogStreamMustExist,
    JET_bitReplayIgnoreLostLogs,
    JET_bitKeepDbAttachedAtEndOfRecovery,
    JET_bitDbRecoveryOff,
}

same_params! {
    JET_paramSystemPath,
    JET_paramTempPath,
    JET_paramLogFilePath,
    JET_paramBaseName,
    JET_paramLogFileSize,
    JET_paramCircularLog,
    JET_paramRecovery,
    JET_paramDatabasePageSize,
    JET_paramZeroDatabaseDuringBackup,
    JET_paramCreatePathIfNotExist,
    JET_paramMaxInstances,
    JET_paramLegacyFileNames,
}

// spec 1.2 layouts.
const _: () = assert!(
    std::mem::size_of::<sdk::JET_LOGINFO_A>() == std::mem::size_of::<crate::abi::JetLogInfoA>()
);
const _: () = assert!(
    std::mem::size_of::<sdk::JET_LOGINFO_W>() == std::mem::size_of::<crate::abi::JetLogInfoW>()
);
const _: () = assert!(
    std::mem::size_of::<sdk::JET_RSTMAP_A>() == std::mem::size_of::<crate::abi::JetRstMap>()
);
const _: () = assert!(
    std::mem::size_of::<sdk::JET_SETSYSPARAM_A>()
        == std::mem::size_of::<crate::abi::JetSetSysParam>()
);
const _: () = assert!(
    std::mem::size_of::<sdk::JET_RSTINFO_A>() == std::mem::size_of::<crate::abi::JetRstInfo>()
);
const _: () = assert!(
    std::mem::size_of::<sdk::JET_INSTANCE>() == std::mem::size_of::<crate::abi::JetApiPtr>()
);
const _: () =
    assert!(std::mem::size_of::<sdk::JET_PFNSTATUS>() == std::mem::size_of::<crate::abi::Pfn>());
