//! System parameters that matter for backup scenarios (spec §9, second table).

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
    /// 0 or 1 in lParam.
    Boolean,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamScope {
    Instance,
    Global,
}

pub struct SysParamInfo {
    pub name: &'static str,
    pub id: u32,
    pub kind: ParamKind,
    pub scope: ParamScope,
    /// May it change after the instance's JetInit (instance scope) / once the run mode is set
    /// (global scope)? Spec §9: otherwise -1030.
    pub settable_after_init: bool,
}

macro_rules! params {
    ($( $name:ident = $id:expr, $kind:ident, $scope:ident, $after:expr; )*) => {
        pub static SYSPARAMS: &[SysParamInfo] = &[
            $( SysParamInfo { name: stringify!($name), id: $id, kind: ParamKind::$kind, scope: ParamScope::$scope, settable_after_init: $after }, )*
        ];
        /// Named ids, for runners and tests.
        #[allow(non_upper_case_globals)]
        pub mod ids { $( pub const $name: u32 = $id; )* }
    };
}

params! {
    JET_paramSystemPath = 0, Path, Instance, false;
    JET_paramTempPath = 1, Path, Instance, false;
    JET_paramLogFilePath = 2, Path, Instance, false;
    JET_paramBaseName = 3, Text, Instance, false;
    JET_paramLogFileSize = 11, Integer, Instance, false;
    JET_paramCircularLog = 17, Boolean, Instance, false;
    JET_paramRecovery = 34, Text, Instance, false;
    JET_paramDatabasePageSize = 64, Integer, Global, false;
    JET_paramZeroDatabaseDuringBackup = 71, Boolean, Instance, false;
    JET_paramCreatePathIfNotExist = 100, Boolean, Instance, true;
    JET_paramMaxInstances = 104, Integer, Global, false;
    JET_paramLegacyFileNames = 136, Integer, Instance, false;
    JET_paramDisableBlockVerification = 155, Boolean, Global, false;
    JET_paramAggressiveLogRollover = 157, Boolean, Instance, false;
    JET_paramEnableExternalAutoHealing = 175, Boolean, Instance, false;
    JET_paramDisableVerifications = 192, Integer, Instance, true;
}

pub fn by_name(name: &str) -> Option<&'static SysParamInfo> {
    SYSPARAMS.iter().find(|p| p.name == name)
}

pub fn by_id(id: u32) -> Option<&'static SysParamInfo> {
    SYSPARAMS.iter().find(|p| p.id == id)
}
