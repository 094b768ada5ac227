//! One ESENT instance (`INST`): its parameters, life-cycle flags, log stream, attached
//! databases and backup context.

use crate::backup::state::BackupContext;
use crate::faults::Faults;
use crate::files::log::LogNames;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Per-instance system parameters (spec 9, second table), with ESENT's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceParams {
    /// `JET_paramSystemPath` (0): folder of the checkpoint.
    pub system_path: String,
    /// `JET_paramTempPath` (1).
    pub temp_path: String,
    /// `JET_paramLogFilePath` (2).
    pub log_path: String,
    /// `JET_paramBaseName` (3).
    pub base_name: String,
    /// `JET_paramLogFileSize` (11), KiB.
    pub log_file_size_kib: u32,
    /// `JET_paramCircularLog` (17).
    pub circular_log: bool,
    /// `JET_paramRecovery` (34).
    pub recovery: String,
    /// `JET_paramZeroDatabaseDuringBackup` (71).
    pub zero_db_during_backup: bool,
    /// `JET_paramCreatePathIfNotExist` (100).
    pub create_path_if_not_exist: bool,
    /// `JET_paramLegacyFileNames` (136); ESENT default 0x3 (spec 2.5).
    pub legacy_file_names: u32,
    /// `JET_paramAggressiveLogRollover` (157).
    pub aggressive_log_rollover: bool,
    /// `JET_paramEnableExternalAutoHealing` (175).
    pub external_auto_healing: bool,
    /// `JET_paramDisableVerifications` (192).
    pub disable_verifications: u32,
    /// Every other instance parameter of the table (`sysparams::SYSPARAMS`) that was set:
    /// stored and read back, no effect on this API family (or an effect not modelled).
    pub other: BTreeMap<u32, ParamValue>,
}

/// A stored parameter value: lParam, or szParam for string parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    Num(u64),
    Text(String),
}

impl Default for InstanceParams {
    fn default() -> Self {
        InstanceParams {
            system_path: ".\\".into(),
            temp_path: "tmp.edb".into(),
            log_path: ".\\".into(),
            base_name: "edb".into(),
            log_file_size_kib: 5120,
            circular_log: false,
            recovery: "on".into(),
            zero_db_during_backup: false,
            create_path_if_not_exist: false,
            legacy_file_names: 0x3,
            aggressive_log_rollover: false,
            external_auto_healing: false,
            disable_verifications: 0,
            other: BTreeMap::new(),
        }
    }
}

impl InstanceParams {
    /// Logging is on unless `JET_paramRecovery` is "off" (spec 6.1 step 3).
    pub fn logging(&self) -> bool {
        !self.recovery.eq_ignore_ascii_case("off")
    }
    pub fn names(&self) -> LogNames {
        LogNames::new(&self.base_name, self.legacy_file_names)
    }
}

/// Process-wide parameters (spec 9: "global").
#[derive(Clone, Debug, PartialEq)]
pub struct GlobalParams {
    /// `JET_paramDatabasePageSize` (64).
    pub page_size: u32,
    /// `JET_paramMaxInstances` (104).
    pub max_instances: u32,
    /// `JET_paramDisableBlockVerification` (155).
    pub disable_block_verification: bool,
    /// Every other global parameter of the table that was set (see `InstanceParams::other`).
    pub other: BTreeMap<u32, ParamValue>,
}

impl Default for GlobalParams {
    fn default() -> Self {
        GlobalParams {
            page_size: 4096,
            max_instances: 16,
            disable_block_verification: false,
            other: BTreeMap::new(),
        }
    }
}

/// Life-cycle of an instance.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Life {
    /// Created by JetCreateInstance, no successful JetInit yet (spec 4.4 step 4).
    Created,
    /// JetInit succeeded.
    Running,
}

/// The instance's log stream, resolved at JetInit.
#[derive(Clone, Debug, Default)]
pub struct LogState {
    pub dir: PathBuf,
    pub system_dir: PathBuf,
    pub signature: u64,
    /// Generation of `<base>.log`.
    pub current_gen: u32,
    /// Creation stamp of the current generation.
    pub current_created: u64,
    /// Records in the current generation.
    pub records: u32,
    /// Records a generation holds before the log rolls.
    pub capacity: u32,
    /// The checkpoint generation (spec 15.9): the oldest generation recovery would need. It
    /// trails the current generation; see `Engine::log_roll`.
    pub checkpoint_gen: u32,
    /// The record of `checkpoint_gen` recovery starts at (the end of the log after a clean
    /// termination).
    pub checkpoint_index: u32,
    /// The current generation logged database page changes that are not yet flushed.
    pub changed_in_current: bool,
}

/// A database attached to an instance.
#[derive(Clone, Debug)]
pub struct AttachedDb {
    pub dbid: u32,
    pub path: PathBuf,
    /// `JET_bitDbRecoveryOff` or instance recovery off: never logged (spec 2.5).
    pub unlogged: bool,
    /// Joined the current backup session (spec 5.1 `inBackupSession`).
    pub in_backup_session: bool,
    /// Was read to the end and closed in the current backup (`edbBackupDone`).
    pub backup_done: bool,
    /// The database signature (its header's), which redo records name.
    pub signature: u64,
    /// The database's data as the engine sees it (loaded from the pages on first use).
    pub data: Option<Box<crate::files::data::DbData>>,
    /// `data` changed since it was last written to the pages.
    pub dirty: bool,
    /// Log position of the last logged change (what the pages include once written).
    pub last_lsn: crate::files::data::Lsn,
}

impl AttachedDb {
    pub fn new(dbid: u32, path: PathBuf, unlogged: bool, signature: u64) -> AttachedDb {
        AttachedDb {
            dbid,
            path,
            unlogged,
            in_backup_session: false,
            backup_done: false,
            signature,
            data: None,
            dirty: false,
            last_lsn: (0, 0),
        }
    }
}

#[derive(Debug)]
pub struct Instance {
    /// The handle given to the caller (never reused within an engine).
    pub handle: u64,
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub params: InstanceParams,
    pub life: Life,
    /// `m_fBackupAllowed` (spec 4.5).
    pub backup_allowed: bool,
    /// `m_fStopJetService` (spec 5.7).
    pub stop_service: bool,
    /// JetStopServiceInstance2 partial bits (BackgroundUserTasks / QuiesceCaches).
    pub stop_service_bits: u32,
    pub log: LogState,
    pub dbs: Vec<AttachedDb>,
    pub backup: BackupContext,
    pub faults: Faults,
}

impl Instance {
    pub fn new(
        handle: u64,
        name: Option<String>,
        display: Option<String>,
        params: InstanceParams,
    ) -> Self {
        Instance {
            handle,
            name,
            display_name: display,
            params,
            life: Life::Created,
            backup_allowed: false,
            stop_service: false,
            stop_service_bits: 0,
            log: LogState::default(),
            dbs: Vec::new(),
            backup: BackupContext::default(),
            faults: Faults::default(),
        }
    }
    pub fn running(&self) -> bool {
        self.life == Life::Running
    }
    pub fn db_by_path(&self, path: &std::path::Path) -> Option<usize> {
        self.dbs
            .iter()
            .position(|d| crate::paths::same(&d.path, path))
    }
}
