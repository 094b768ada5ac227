//! The exact C signature of every export of the catalogue (spec 6-9 signatures, spec 1.1
//! types), as one table that both the caller (`jetconform-ffi`) and the exporter
//! (`jetconform-mock-dll`) expand: `for_each_export!(my_macro)` calls
//! `my_macro! { Name(param: CType, ...); ... }` with every function in catalogue order.
//!
//! Strings are `*const u8` for the ANSI and undecorated forms and `*const u16` for the W
//! forms; handles are `usize` (`JET_API_PTR`); `long`/`unsigned long` are 32 bits (LLP64).
//! A test checks every row against the catalogue's `ParamType`s.

/// Expands `$m! { Name(param: Type, ...); ... }` over every export (see the module docs).
#[macro_export]
macro_rules! for_each_export {
    ($m:ident) => {
        $m! {
            JetBeginExternalBackup(grbit: u32);
            JetBeginExternalBackupInstance(instance: usize, grbit: u32);
            JetGetAttachInfo(szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetAttachInfoA(szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetAttachInfoW(szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetAttachInfoInstance(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetAttachInfoInstanceA(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetAttachInfoInstanceW(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetOpenFile(szFileName: *const u8, phfFile: *mut usize, pulFileSizeLow: *mut u32, pulFileSizeHigh: *mut u32);
            JetOpenFileA(szFileName: *const u8, phfFile: *mut usize, pulFileSizeLow: *mut u32, pulFileSizeHigh: *mut u32);
            JetOpenFileW(szFileName: *const u16, phfFile: *mut usize, pulFileSizeLow: *mut u32, pulFileSizeHigh: *mut u32);
            JetOpenFileInstance(instance: usize, szFileName: *const u8, phfFile: *mut usize, pulFileSizeLow: *mut u32, pulFileSizeHigh: *mut u32);
            JetOpenFileInstanceA(instance: usize, szFileName: *const u8, phfFile: *mut usize, pulFileSizeLow: *mut u32, pulFileSizeHigh: *mut u32);
            JetOpenFileInstanceW(instance: usize, szFileName: *const u16, phfFile: *mut usize, pulFileSizeLow: *mut u32, pulFileSizeHigh: *mut u32);
            JetOpenFileSectionInstance(instance: usize, szFile: *const u8, phFile: *mut usize, iSection: i32, cSections: i32, ibRead: u64, pulSectionSizeLow: *mut u32, plSectionSizeHigh: *mut i32);
            JetOpenFileSectionInstanceA(instance: usize, szFile: *const u8, phFile: *mut usize, iSection: i32, cSections: i32, ibRead: u64, pulSectionSizeLow: *mut u32, plSectionSizeHigh: *mut i32);
            JetOpenFileSectionInstanceW(instance: usize, szFile: *const u16, phFile: *mut usize, iSection: i32, cSections: i32, ibRead: u64, pulSectionSizeLow: *mut u32, plSectionSizeHigh: *mut i32);
            JetReadFile(hfFile: usize, pv: *mut $crate::abi::Void, cb: u32, pcbActual: *mut u32);
            JetReadFileInstance(instance: usize, hfFile: usize, pv: *mut $crate::abi::Void, cb: u32, pcbActual: *mut u32);
            JetCloseFile(hfFile: usize);
            JetCloseFileInstance(instance: usize, hfFile: usize);
            JetGetLogInfo(szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetLogInfoA(szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetLogInfoW(szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetLogInfoInstance(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetLogInfoInstanceA(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetLogInfoInstanceW(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetLogInfoInstance2(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32, pLogInfo: *mut $crate::abi::Void);
            JetGetLogInfoInstance2A(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32, pLogInfo: *mut $crate::abi::Void);
            JetGetLogInfoInstance2W(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32, pLogInfo: *mut $crate::abi::Void);
            JetGetTruncateLogInfoInstance(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetTruncateLogInfoInstanceA(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetGetTruncateLogInfoInstanceW(instance: usize, szz: *mut $crate::abi::Void, cbMax: u32, pcbActual: *mut u32);
            JetTruncateLog();
            JetTruncateLogInstance(instance: usize);
            JetEndExternalBackup();
            JetEndExternalBackupInstance(instance: usize);
            JetEndExternalBackupInstance2(instance: usize, grbit: u32);
            JetStopBackup();
            JetStopBackupInstance(instance: usize);
            JetStopService();
            JetStopServiceInstance(instance: usize);
            JetStopServiceInstance2(instance: usize, grbit: u32);
            JetBackup(szBackupPath: *const u8, grbit: u32, pfnStatus: $crate::abi::Pfn);
            JetBackupA(szBackupPath: *const u8, grbit: u32, pfnStatus: $crate::abi::Pfn);
            JetBackupW(szBackupPath: *const u16, grbit: u32, pfnStatus: $crate::abi::Pfn);
            JetBackupInstance(instance: usize, szBackupPath: *const u8, grbit: u32, pfnStatus: $crate::abi::Pfn);
            JetBackupInstanceA(instance: usize, szBackupPath: *const u8, grbit: u32, pfnStatus: $crate::abi::Pfn);
            JetBackupInstanceW(instance: usize, szBackupPath: *const u16, grbit: u32, pfnStatus: $crate::abi::Pfn);
            JetRestore(szSource: *const u8, pfn: $crate::abi::Pfn);
            JetRestoreA(szSource: *const u8, pfn: $crate::abi::Pfn);
            JetRestoreW(szSource: *const u16, pfn: $crate::abi::Pfn);
            JetRestore2(sz: *const u8, szDest: *const u8, pfn: $crate::abi::Pfn);
            JetRestore2A(sz: *const u8, szDest: *const u8, pfn: $crate::abi::Pfn);
            JetRestore2W(sz: *const u16, szDest: *const u16, pfn: $crate::abi::Pfn);
            JetRestoreInstance(instance: usize, sz: *const u8, szDest: *const u8, pfn: $crate::abi::Pfn);
            JetRestoreInstanceA(instance: usize, sz: *const u8, szDest: *const u8, pfn: $crate::abi::Pfn);
            JetRestoreInstanceW(instance: usize, sz: *const u16, szDest: *const u16, pfn: $crate::abi::Pfn);
            JetExternalRestore(szCheckpointFilePath: *const u8, szLogPath: *const u8, rgrstmap: *const $crate::abi::Void, crstfilemap: i32, szBackupLogPath: *const u8, genLow: i32, genHigh: i32, pfn: $crate::abi::Pfn);
            JetExternalRestoreA(szCheckpointFilePath: *const u8, szLogPath: *const u8, rgrstmap: *const $crate::abi::Void, crstfilemap: i32, szBackupLogPath: *const u8, genLow: i32, genHigh: i32, pfn: $crate::abi::Pfn);
            JetExternalRestoreW(szCheckpointFilePath: *const u16, szLogPath: *const u16, rgrstmap: *const $crate::abi::Void, crstfilemap: i32, szBackupLogPath: *const u16, genLow: i32, genHigh: i32, pfn: $crate::abi::Pfn);
            JetExternalRestore2(szCheckpointFilePath: *const u8, szLogPath: *const u8, rgrstmap: *const $crate::abi::Void, crstfilemap: i32, szBackupLogPath: *const u8, pLogInfo: *mut $crate::abi::Void, szTargetInstanceName: *const u8, szTargetInstanceLogPath: *const u8, szTargetInstanceCheckpointPath: *const u8, pfn: $crate::abi::Pfn);
            JetExternalRestore2A(szCheckpointFilePath: *const u8, szLogPath: *const u8, rgrstmap: *const $crate::abi::Void, crstfilemap: i32, szBackupLogPath: *const u8, pLogInfo: *mut $crate::abi::Void, szTargetInstanceName: *const u8, szTargetInstanceLogPath: *const u8, szTargetInstanceCheckpointPath: *const u8, pfn: $crate::abi::Pfn);
            JetExternalRestore2W(szCheckpointFilePath: *const u16, szLogPath: *const u16, rgrstmap: *const $crate::abi::Void, crstfilemap: i32, szBackupLogPath: *const u16, pLogInfo: *mut $crate::abi::Void, szTargetInstanceName: *const u16, szTargetInstanceLogPath: *const u16, szTargetInstanceCheckpointPath: *const u16, pfn: $crate::abi::Pfn);
            JetCreateInstance(pinstance: *mut usize, szInstanceName: *const u8);
            JetCreateInstanceA(pinstance: *mut usize, szInstanceName: *const u8);
            JetCreateInstanceW(pinstance: *mut usize, szInstanceName: *const u16);
            JetCreateInstance2(pinstance: *mut usize, szInstanceName: *const u8, szDisplayName: *const u8, grbit: u32);
            JetCreateInstance2A(pinstance: *mut usize, szInstanceName: *const u8, szDisplayName: *const u8, grbit: u32);
            JetCreateInstance2W(pinstance: *mut usize, szInstanceName: *const u16, szDisplayName: *const u16, grbit: u32);
            JetEnableMultiInstance(psetsysparam: *mut $crate::abi::Void, csetsysparam: u32, pcsetsucceed: *mut u32);
            JetEnableMultiInstanceA(psetsysparam: *mut $crate::abi::Void, csetsysparam: u32, pcsetsucceed: *mut u32);
            JetEnableMultiInstanceW(psetsysparam: *mut $crate::abi::Void, csetsysparam: u32, pcsetsucceed: *mut u32);
            JetSetSystemParameter(pinstance: *mut usize, sesid: usize, paramid: u32, lParam: usize, szParam: *const u8);
            JetSetSystemParameterA(pinstance: *mut usize, sesid: usize, paramid: u32, lParam: usize, szParam: *const u8);
            JetSetSystemParameterW(pinstance: *mut usize, sesid: usize, paramid: u32, lParam: usize, szParam: *const u16);
            JetGetSystemParameter(instance: usize, sesid: usize, paramid: u32, plParam: *mut usize, szParam: *mut $crate::abi::Void, cbMax: u32);
            JetGetSystemParameterA(instance: usize, sesid: usize, paramid: u32, plParam: *mut usize, szParam: *mut $crate::abi::Void, cbMax: u32);
            JetGetSystemParameterW(instance: usize, sesid: usize, paramid: u32, plParam: *mut usize, szParam: *mut $crate::abi::Void, cbMax: u32);
            JetInit(pinstance: *mut usize);
            JetInit2(pinstance: *mut usize, grbit: u32);
            JetInit3A(pinstance: *mut usize, prstInfo: *const $crate::abi::Void, grbit: u32);
            JetInit3W(pinstance: *mut usize, prstInfo: *const $crate::abi::Void, grbit: u32);
            JetTerm(instance: usize);
            JetTerm2(instance: usize, grbit: u32);
            JetBeginSession(instance: usize, psesid: *mut usize, szUserName: *const u8, szPassword: *const u8);
            JetBeginSessionA(instance: usize, psesid: *mut usize, szUserName: *const u8, szPassword: *const u8);
            JetBeginSessionW(instance: usize, psesid: *mut usize, szUserName: *const u16, szPassword: *const u16);
            JetEndSession(sesid: usize, grbit: u32);
            JetCreateDatabase(sesid: usize, szFilename: *const u8, szConnect: *const u8, pdbid: *mut u32, grbit: u32);
            JetCreateDatabaseA(sesid: usize, szFilename: *const u8, szConnect: *const u8, pdbid: *mut u32, grbit: u32);
            JetCreateDatabaseW(sesid: usize, szFilename: *const u16, szConnect: *const u16, pdbid: *mut u32, grbit: u32);
            JetAttachDatabase(sesid: usize, szFilename: *const u8, grbit: u32);
            JetAttachDatabaseA(sesid: usize, szFilename: *const u8, grbit: u32);
            JetAttachDatabaseW(sesid: usize, szFilename: *const u16, grbit: u32);
            JetDetachDatabase(sesid: usize, szFilename: *const u8);
            JetDetachDatabaseA(sesid: usize, szFilename: *const u8);
            JetDetachDatabaseW(sesid: usize, szFilename: *const u16);
            JetDetachDatabase2(sesid: usize, szFilename: *const u8, grbit: u32);
            JetDetachDatabase2A(sesid: usize, szFilename: *const u8, grbit: u32);
            JetDetachDatabase2W(sesid: usize, szFilename: *const u16, grbit: u32);
            JetOpenDatabase(sesid: usize, szFilename: *const u8, szConnect: *const u8, pdbid: *mut u32, grbit: u32);
            JetOpenDatabaseA(sesid: usize, szFilename: *const u8, szConnect: *const u8, pdbid: *mut u32, grbit: u32);
            JetOpenDatabaseW(sesid: usize, szFilename: *const u16, szConnect: *const u16, pdbid: *mut u32, grbit: u32);
            JetCloseDatabase(sesid: usize, dbid: u32, grbit: u32);
            JetBeginTransaction(sesid: usize);
            JetBeginTransaction2(sesid: usize, grbit: u32);
            JetBeginTransaction3(sesid: usize, trxid: u64, grbit: u32);
            JetCommitTransaction(sesid: usize, grbit: u32);
            JetCommitTransaction2(sesid: usize, grbit: u32, cmsecDurableCommit: u32, pCommitId: *mut $crate::abi::Void);
            JetRollback(sesid: usize, grbit: u32);
            JetGetInstanceInfo(pcInstanceInfo: *mut u32, paInstanceInfo: *mut usize);
            JetGetInstanceInfoA(pcInstanceInfo: *mut u32, paInstanceInfo: *mut usize);
            JetGetInstanceInfoW(pcInstanceInfo: *mut u32, paInstanceInfo: *mut usize);
            JetFreeBuffer(pbBuf: usize);
            JetCreateTable(sesid: usize, dbid: u32, szTableName: *const u8, lPages: u32, lDensity: u32, ptableid: *mut usize);
            JetCreateTableA(sesid: usize, dbid: u32, szTableName: *const u8, lPages: u32, lDensity: u32, ptableid: *mut usize);
            JetCreateTableW(sesid: usize, dbid: u32, szTableName: *const u16, lPages: u32, lDensity: u32, ptableid: *mut usize);
            JetOpenTable(sesid: usize, dbid: u32, szTableName: *const u8, pvParameters: usize, cbParameters: u32, grbit: u32, ptableid: *mut usize);
            JetOpenTableA(sesid: usize, dbid: u32, szTableName: *const u8, pvParameters: usize, cbParameters: u32, grbit: u32, ptableid: *mut usize);
            JetOpenTableW(sesid: usize, dbid: u32, szTableName: *const u16, pvParameters: usize, cbParameters: u32, grbit: u32, ptableid: *mut usize);
            JetCloseTable(sesid: usize, tableid: usize);
            JetAddColumn(sesid: usize, tableid: usize, szColumnName: *const u8, pcolumndef: *const $crate::abi::Void, pvDefault: *const u8, cbDefault: u32, pcolumnid: *mut u32);
            JetAddColumnA(sesid: usize, tableid: usize, szColumnName: *const u8, pcolumndef: *const $crate::abi::Void, pvDefault: *const u8, cbDefault: u32, pcolumnid: *mut u32);
            JetAddColumnW(sesid: usize, tableid: usize, szColumnName: *const u16, pcolumndef: *const $crate::abi::Void, pvDefault: *const u16, cbDefault: u32, pcolumnid: *mut u32);
            JetPrepareUpdate(sesid: usize, tableid: usize, prep: u32);
            JetSetColumn(sesid: usize, tableid: usize, columnid: u32, pvData: *const u8, cbData: u32, grbit: u32, psetinfo: usize);
            JetUpdate(sesid: usize, tableid: usize, pvBookmark: *mut $crate::abi::Void, cbBookmark: u32, pcbActual: *mut u32);
            JetRetrieveColumn(sesid: usize, tableid: usize, columnid: u32, pvData: *mut $crate::abi::Void, cbData: u32, pcbActual: *mut u32, grbit: u32, pretinfo: usize);
            JetMove(sesid: usize, tableid: usize, cRow: i32, grbit: u32);
            JetDelete(sesid: usize, tableid: usize);
        }
    };
}

#[cfg(test)]
mod tests {
    use jetconform_interface::functions::{Charset, FUNCTIONS};
    use jetconform_interface::ParamType;

    macro_rules! table {
        ($( $name:ident( $( $p:ident : $t:ty ),* ); )*) => {
            &[ $( (stringify!($name), &[ $( (stringify!($p), stringify!($t)) ),* ]) ),* ]
        };
    }
    type Row = (&'static str, &'static [(&'static str, &'static str)]);
    const TABLE: &[Row] = crate::for_each_export!(table);

    fn normal(t: &str) -> String {
        let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        t.replace("$crate::abi::", "").replace("crate::abi::", "")
    }

    /// The C type each catalogue parameter type has (spec 1.1, LLP64).
    fn expected(ty: ParamType, wide: bool) -> &'static str {
        match ty {
            ParamType::Instance
            | ParamType::Sesid
            | ParamType::TableId
            | ParamType::FileHandle
            | ParamType::ApiPtr => "usize",
            ParamType::ColumnDef => "*constVoid",
            ParamType::InstanceOut
            | ParamType::InstanceInOut
            | ParamType::TableIdOut
            | ParamType::SesidOut
            | ParamType::FileHandleOut
            | ParamType::OutApiPtr => "*mutusize",
            ParamType::Dbid | ParamType::ULong | ParamType::Grbit(_) | ParamType::ParamId => "u32",
            ParamType::Long => "i32",
            ParamType::U64 => "u64",
            ParamType::Str(_) if wide => "*constu16",
            ParamType::Str(_) => "*constu8",
            ParamType::DbidOut | ParamType::OutULong => "*mutu32",
            ParamType::OutLong => "*muti32",
            ParamType::OutBuffer(_) | ParamType::LogInfo | ParamType::SetSysParams => "*mutVoid",
            // Harness verbs only: never part of a C signature.
            ParamType::OutNames => "none",
            ParamType::RstMap | ParamType::RstInfo => "*constVoid",
            ParamType::Callback => "Pfn",
        }
    }

    #[test]
    fn every_export_matches_the_catalogue() {
        let functions: Vec<_> = FUNCTIONS.iter().filter(|f| !f.is_verb()).collect();
        assert_eq!(TABLE.len(), functions.len());
        for ((name, params), f) in TABLE.iter().zip(functions) {
            assert_eq!(*name, f.name);
            assert_eq!(params.len(), f.params.len(), "{name}");
            for ((p, t), cat) in params.iter().zip(f.params) {
                assert_eq!(*p, cat.name, "{name}");
                let wide = f.charset == Charset::W;
                assert_eq!(normal(t), expected(cat.ty, wide), "{name}.{p}");
            }
        }
    }
}
