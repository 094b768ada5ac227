//! Grbits of spec §2, grouped by the calls that take them.

use crate::version::WinVersion;
use serde::Serialize;

/// Which calls a grbit belongs to.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GrbitGroup {
    /// §2.1 JetBackup*, JetBeginExternalBackup*.
    Backup,
    /// §2.2 JetEndExternalBackupInstance2.
    BackupEnd,
    /// §2.3 JetTerm2.
    Term,
    /// §2.4 JetStopServiceInstance2.
    StopService,
    /// §2.5 JetInit2 / JetInit3.
    Init,
    /// §2.5 JetCreateDatabase, JetAttachDatabase.
    Database,
    /// Calls whose grbit the engine ignores (JetCreateInstance2, JetEndSession, JetDetachDatabase2).
    Unused,
}

pub struct GrbitInfo {
    pub name: &'static str,
    pub value: u32,
    pub group: GrbitGroup,
    /// In the public header (false: private bit the engine still reacts to).
    pub public: bool,
    /// First release that defines it, where the spec says.
    pub since: Option<WinVersion>,
}

macro_rules! grbits {
    ($( $name:ident = $value:expr, $group:ident, $public:expr, $since:expr; )*) => {
        /// Every named grbit.
        pub static GRBITS: &[GrbitInfo] = &[
            $( GrbitInfo { name: stringify!($name), value: $value, group: GrbitGroup::$group, public: $public, since: $since }, )*
        ];
        /// Named constants, for runners and tests.
        #[allow(non_upper_case_globals)]
        pub mod bits { $( pub const $name: u32 = $value; )* }
    };
}

use WinVersion::*;
grbits! {
    JET_bitBackupIncremental = 0x1, Backup, true, Some(Win2000);
    JET_bitKeepOldLogs = 0x2, Backup, false, None;
    JET_bitBackupAtomic = 0x4, Backup, true, Some(Win2000);
    JET_bitBackupFullWithAllLogs = 0x8, Backup, false, None;
    JET_bitBackupSnapshot = 0x10, Backup, true, Some(Xp);
    JET_bitBackupSurrogate = 0x20, Backup, false, Some(Win7);
    JET_bitInternalCopy = 0x40, Backup, false, None;
    JET_bitBackupEndNormal = 0x1, BackupEnd, true, Some(Xp);
    JET_bitBackupEndAbort = 0x2, BackupEnd, true, Some(Xp);
    JET_bitBackupTruncateDone = 0x100, BackupEnd, true, Some(Vista);
    JET_bitBackupNoDbHeaderUpdate = 0x200, BackupEnd, false, Some(Win7);
    JET_bitTermComplete = 0x1, Term, true, Some(Win2000);
    JET_bitTermAbrupt = 0x2, Term, true, Some(Win2000);
    JET_bitTermStopBackup = 0x4, Term, true, Some(Win2000);
    JET_bitTermDirty = 0x8, Term, true, Some(Win7);
    JET_bitStopServiceAll = 0x0, StopService, true, Some(Win8);
    JET_bitStopServiceBackgroundUserTasks = 0x2, StopService, true, Some(Win8);
    JET_bitStopServiceQuiesceCaches = 0x4, StopService, true, Some(Win8);
    JET_bitStopServiceStopAndEmitLog = 0x8, StopService, false, None;
    JET_bitStopServiceResume = 0x8000_0000, StopService, true, Some(Win8);
    JET_bitReplayIgnoreMissingDB = 0x4, Init, true, Some(Xp);
    JET_bitRecoveryWithoutUndo = 0x8, Init, true, Some(Vista);
    JET_bitTruncateLogsAfterRecovery = 0x10, Init, true, Some(Vista);
    JET_bitReplayMissingMapEntryDB = 0x20, Init, true, Some(Vista);
    JET_bitLogStreamMustExist = 0x40, Init, true, Some(Vista);
    JET_bitReplayIgnoreLostLogs = 0x80, Init, true, Some(Win7);
    JET_bitExternalRecoveryControl = 0x800, Init, false, Some(Win8);
    JET_bitKeepDbAttachedAtEndOfRecovery = 0x1000, Init, true, Some(Win8);
    JET_bitDbRecoveryOff = 0x8, Database, true, Some(Win2000);
}

pub fn by_name(name: &str) -> Option<&'static GrbitInfo> {
    GRBITS.iter().find(|g| g.name == name)
}

/// The names of the bits of `group` set in `value`, and what is left unnamed.
pub fn describe(group: GrbitGroup, value: u32) -> (Vec<&'static str>, u32) {
    let mut names = Vec::new();
    let mut rest = value;
    for g in GRBITS.iter().filter(|g| g.group == group && g.value != 0) {
        if value & g.value == g.value {
            names.push(g.name);
            rest &= !g.value;
        }
    }
    (names, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_describe_splits_unknown_bits() {
        for g in GRBITS {
            assert_eq!(
                GRBITS.iter().filter(|h| h.name == g.name).count(),
                1,
                "{}",
                g.name
            );
        }
        let (names, rest) = describe(GrbitGroup::BackupEnd, 0x1 | 0x100 | 0x4000);
        assert_eq!(
            names,
            vec!["JET_bitBackupEndNormal", "JET_bitBackupTruncateDone"]
        );
        assert_eq!(rest, 0x4000);
    }
}
