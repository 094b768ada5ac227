//! JetSetSystemParameter and JetEnableMultiInstance (spec 9).

use crate::engine::Engine;
use crate::instance::{GlobalParams, InstanceParams, ParamValue};
use crate::runmode::RunMode;
use crate::NotModelled;
use jetconform_interface::sysparams::{
    self, ids, ParamDefaultValue, ParamEffect, ParamKind, ParamScope, SysParamInfo,
};
use jetconform_interface::{ErrorCode, INSTANCE_NIL};

/// One `JET_SETSYSPARAM` entry (also one JetSetSystemParameter call).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SysParam {
    pub paramid: u32,
    pub lparam: u64,
    pub sz: Option<String>,
}

/// Longest folder / temp path values (spec 9 table).
const MAX_FOLDER_CHARS: usize = 246;
const MAX_TEMP_CHARS: usize = 247;

/// Where a parameter value goes.
enum Scope {
    Instance(usize),
    Defaults,
}

/// Process-wide parameters (the table's scope column).
fn is_global(id: u32) -> bool {
    sysparams::by_id(id).is_some_and(|p| p.scope == ParamScope::Global)
}

/// Parameters that may change after JetInit (spec 9: "yes"; the table's column).
fn settable_after_init(id: u32) -> bool {
    sysparams::by_id(id).is_some_and(|p| p.settable_after_init)
}

/// The table row of `paramid`, or the code ESENT gives an id it cannot set. Ids outside the
/// table are not modelled; ids the release's header lacks, read-only and session properties
/// give -1003 (inferred: ESENT's lookup in its parameter table fails, spec 9 "out of range").
fn settable(
    version: jetconform_interface::WinVersion,
    paramid: u32,
) -> Result<Result<&'static SysParamInfo, ErrorCode>, NotModelled> {
    let Some(info) = sysparams::by_id(paramid) else {
        return Err(NotModelled(format!(
            "system parameter {paramid} is not in the parameter table"
        )));
    };
    if !info.defined_in(version)
        || info.effect == ParamEffect::ReadOnly
        || info.scope == ParamScope::Session
    {
        return Ok(Err(ErrorCode::JET_errInvalidParameter));
    }
    Ok(Ok(info))
}

/// Validates a value of a table-only parameter (integers in range, strings present) and
/// returns what is stored.
fn generic_value(info: &SysParamInfo, p: &SysParam) -> Result<ParamValue, ErrorCode> {
    let bad = ErrorCode::JET_errInvalidParameter;
    Ok(match info.kind {
        ParamKind::Integer => {
            if !(info.min..=info.max).contains(&p.lparam) {
                return Err(bad);
            }
            ParamValue::Num(p.lparam)
        }
        ParamKind::Boolean => ParamValue::Num((p.lparam != 0) as u64),
        ParamKind::Pointer => ParamValue::Num(p.lparam),
        ParamKind::Text | ParamKind::Path => match p.sz.as_deref() {
            Some(s) => ParamValue::Text(s.to_string()),
            None => return Err(bad),
        },
    })
}

/// The default of a table row.
fn default_value(info: &SysParamInfo) -> ParamValue {
    match info.default {
        ParamDefaultValue::Num(n) => ParamValue::Num(n),
        ParamDefaultValue::Text(t) => ParamValue::Text(t.to_string()),
    }
}

/// What `JetGetSystemParameter` is given besides the ids (spec 9; ESENT's contract).
#[derive(Clone, Copy, Debug, Default)]
pub struct GetParamArgs {
    /// `plParam` is not NULL; `pl_in` is what it points at (an error code for
    /// JET_paramErrorToString).
    pub pl_present: bool,
    pub pl_in: u64,
    /// `szParam` is not NULL, `cbMax` its size in bytes.
    pub sz_present: bool,
    pub cb_max: u32,
    pub wide: bool,
}

/// What `JetGetSystemParameter` wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetParamOut {
    pub lparam: Option<u64>,
    /// The string as written, its terminator included (UTF-16LE for the W form).
    pub sz: Option<Vec<u8>>,
}

impl Engine {
    /// `JetSetSystemParameter` (spec 9). `pinstance` is the value `*pinstance` points at
    /// (`None`: NULL pointer). Unknown parameter ids are not modelled.
    pub fn set_system_parameter(
        &mut self,
        pinstance: Option<u64>,
        sesid: u64,
        paramid: u32,
        lparam: u64,
        sz: Option<&str>,
    ) -> Result<ErrorCode, NotModelled> {
        let p = SysParam {
            paramid,
            lparam,
            sz: sz.map(str::to_string),
        };
        if let Err(e) = settable(self.profile.version, paramid)? {
            return Ok(e);
        }
        if is_global(paramid) {
            return self.set_global(&p);
        }
        // spec 9: OneInst → the single instance; MultiInst → *pinstance, or the sesid's
        // instance, else the process default for future instances.
        let scope = match self.mode {
            RunMode::OneInst => match self.instances.first() {
                Some(_) => Scope::Instance(0),
                None => Scope::Defaults,
            },
            RunMode::MultiInst => {
                let h = pinstance.filter(|h| *h != 0 && *h != INSTANCE_NIL);
                if let Some(h) = h {
                    if let Err(e) = self.validate_handle(h) {
                        return Ok(e);
                    }
                    match self.index_of(h) {
                        Some(i) => Scope::Instance(i),
                        None => return Ok(ErrorCode::JET_errInvalidParameter),
                    }
                } else if sesid != 0 && sesid != u64::MAX {
                    match self.sessions.get(&sesid).and_then(|h| self.index_of(*h)) {
                        Some(i) => Scope::Instance(i),
                        None => return Ok(ErrorCode::JET_errInvalidSesid),
                    }
                } else {
                    Scope::Defaults
                }
            }
            RunMode::NoSet => Scope::Defaults,
        };
        let (current, running) = match scope {
            Scope::Instance(i) => (
                self.instances[i].params.clone(),
                self.instances[i].running(),
            ),
            Scope::Defaults => (self.defaults.clone(), false),
        };
        let mut next = current.clone();
        if let Err(e) = self.apply_instance_param(&mut next, &p)? {
            return Ok(e);
        }
        if next == current {
            // spec 9: setting the current value always succeeds.
            return Ok(ErrorCode::JET_errSuccess);
        }
        if running && !settable_after_init(paramid) {
            return Ok(ErrorCode::JET_errAlreadyInitialized);
        }
        match scope {
            Scope::Instance(i) => self.instances[i].params = next,
            Scope::Defaults => self.defaults = next,
        }
        Ok(ErrorCode::JET_errSuccess)
    }

    /// Global parameters: -1030 once a run mode is set, unless the value is unchanged.
    fn set_global(&mut self, p: &SysParam) -> Result<ErrorCode, NotModelled> {
        let mut next = self.globals.clone();
        if let Err(e) = self.apply_global_param(&mut next, p) {
            return Ok(e);
        }
        if next == self.globals {
            return Ok(ErrorCode::JET_errSuccess);
        }
        if self.mode != RunMode::NoSet && !settable_after_init(p.paramid) {
            return Ok(ErrorCode::JET_errAlreadyInitialized);
        }
        self.globals = next;
        Ok(ErrorCode::JET_errSuccess)
    }

    fn apply_global_param(&self, g: &mut GlobalParams, p: &SysParam) -> Result<(), ErrorCode> {
        let bad = ErrorCode::JET_errInvalidParameter;
        match p.paramid {
            ids::JET_paramDatabasePageSize => {
                let v = u32::try_from(p.lparam).map_err(|_| bad)?;
                if !self.profile.page_sizes.value.contains(&v) {
                    return Err(bad);
                }
                g.page_size = v;
            }
            ids::JET_paramMaxInstances => {
                let v = u32::try_from(p.lparam).map_err(|_| bad)?;
                if v == 0 {
                    return Err(bad);
                }
                g.max_instances = v;
            }
            ids::JET_paramDisableBlockVerification => g.disable_block_verification = p.lparam != 0,
            id => match sysparams::by_id(id) {
                Some(info) if info.scope == ParamScope::Global => {
                    g.other.insert(id, generic_value(info, p)?);
                }
                _ => return Err(bad),
            },
        }
        Ok(())
    }

    /// Validates and applies one instance parameter. Outer `Err`: not modelled.
    fn apply_instance_param(
        &self,
        t: &mut InstanceParams,
        p: &SysParam,
    ) -> Result<Result<(), ErrorCode>, NotModelled> {
        let bad = Err(ErrorCode::JET_errInvalidParameter);
        let flag = p.lparam != 0;
        match p.paramid {
            ids::JET_paramSystemPath | ids::JET_paramLogFilePath | ids::JET_paramTempPath => {
                let Some(sz) = p.sz.as_deref() else {
                    return Ok(bad);
                };
                let abs = self.resolve(sz);
                let mut text = abs.to_string_lossy().into_owned();
                let folder = p.paramid != ids::JET_paramTempPath;
                let limit = if folder {
                    MAX_FOLDER_CHARS
                } else {
                    MAX_TEMP_CHARS
                };
                if sz.is_empty() || text.len() > limit {
                    return Ok(bad);
                }
                if folder {
                    text = crate::paths::folder_text(&abs);
                }
                match p.paramid {
                    ids::JET_paramSystemPath => t.system_path = text,
                    ids::JET_paramLogFilePath => t.log_path = text,
                    _ => {
                        // A temp path ending in a separator names a folder (tmp.edb inside).
                        t.temp_path = if sz.ends_with('/') || sz.ends_with('\\') {
                            crate::paths::folder_text(&abs)
                        } else {
                            text
                        }
                    }
                }
            }
            ids::JET_paramBaseName => match p.sz.as_deref() {
                Some(s) if s.chars().count() == 3 => t.base_name = s.to_string(),
                _ => return Ok(bad),
            },
            ids::JET_paramLogFileSize => {
                let min = self.profile.log_file_size_min_kib.value as u64;
                if !(min..=32768).contains(&p.lparam) {
                    return Ok(bad);
                }
                t.log_file_size_kib = p.lparam as u32;
            }
            ids::JET_paramCircularLog => t.circular_log = flag,
            ids::JET_paramRecovery => match p.sz.as_deref() {
                Some(s) if s.eq_ignore_ascii_case("on") || s.eq_ignore_ascii_case("off") => {
                    t.recovery = s.to_ascii_lowercase()
                }
                Some(s) if s.to_ascii_lowercase().starts_with("repair") => {
                    t.recovery = s.to_string()
                }
                _ => return Ok(bad),
            },
            ids::JET_paramZeroDatabaseDuringBackup => t.zero_db_during_backup = flag,
            ids::JET_paramCreatePathIfNotExist => t.create_path_if_not_exist = flag,
            ids::JET_paramLegacyFileNames => {
                if !self.profile.legacy_file_names_param.value || p.lparam > 3 {
                    return Ok(bad);
                }
                t.legacy_file_names = p.lparam as u32;
            }
            ids::JET_paramAggressiveLogRollover => t.aggressive_log_rollover = flag,
            ids::JET_paramEnableExternalAutoHealing => t.external_auto_healing = flag,
            ids::JET_paramDisableVerifications => t.disable_verifications = p.lparam as u32,
            other => match sysparams::by_id(other) {
                Some(info) if info.scope == ParamScope::Instance => {
                    let mut v = match generic_value(info, p) {
                        Ok(v) => v,
                        Err(e) => return Ok(Err(e)),
                    };
                    if let (ParamKind::Path, ParamValue::Text(t)) = (info.kind, &v) {
                        if !t.is_empty() {
                            v = ParamValue::Text(self.resolve(t).to_string_lossy().into_owned());
                        }
                    }
                    t.other.insert(other, v);
                }
                _ => {
                    return Err(NotModelled(format!(
                        "system parameter {other} is not modelled"
                    )))
                }
            },
        }
        Ok(Ok(()))
    }

    /// `JetEnableMultiInstance` (spec 9). `params` is the array (`None`: NULL), `count` the
    /// caller's `csetsysparam`; `succeeded` receives `*pcsetsucceed` when written.
    pub fn enable_multi_instance(
        &mut self,
        params: Option<&[SysParam]>,
        count: u32,
        succeeded: &mut Option<u32>,
    ) -> Result<ErrorCode, NotModelled> {
        if count > 0 && params.is_none() {
            return Ok(ErrorCode::JET_errInvalidParameter);
        }
        let list = params.unwrap_or(&[]);
        let list = &list[..(count as usize).min(list.len())];
        match self.mode {
            RunMode::OneInst => return Ok(ErrorCode::JET_errRunningInOneInstanceMode),
            RunMode::MultiInst => {
                // -1087 when a listed global disagrees with the current value, else -1082.
                for p in list.iter().filter(|p| is_global(p.paramid)) {
                    let mut g = self.globals.clone();
                    if self.apply_global_param(&mut g, p).is_err() || g != self.globals {
                        return Ok(ErrorCode::JET_errSystemParameterConflict);
                    }
                }
                return Ok(ErrorCode::JET_errSystemParamsAlreadySet);
            }
            RunMode::NoSet => {}
        }
        let mut ok = 0u32;
        for p in list {
            let err = self.set_system_parameter(None, 0, p.paramid, p.lparam, p.sz.as_deref())?;
            if err != ErrorCode::JET_errSuccess {
                *succeeded = Some(ok);
                return Ok(err);
            }
            ok += 1;
        }
        self.mode = RunMode::MultiInst;
        *succeeded = Some(ok);
        Ok(ErrorCode::JET_errSuccess)
    }

    /// `JetGetSystemParameter` (spec 9; the value model of `sysparams::SYSPARAMS`). The
    /// instance is resolved as JetSetSystemParameter resolves it: OneInst → the single
    /// instance; MultiInst → `instance`, or the session's, else the process defaults.
    /// Numbers go to `*plParam` (NULL → -1003), strings to `szParam` (NULL → -1003; shorter
    /// than the value and its terminator → -1038 `JET_errBufferTooSmall`, nothing written):
    /// inferred from ESENT's contract for the call, the documentation lists both codes.
    pub fn get_system_parameter(
        &mut self,
        instance: u64,
        sesid: u64,
        paramid: u32,
        a: GetParamArgs,
        out: &mut GetParamOut,
    ) -> Result<ErrorCode, NotModelled> {
        let Some(info) = sysparams::by_id(paramid) else {
            return Err(NotModelled(format!(
                "system parameter {paramid} is not in the parameter table"
            )));
        };
        if !info.defined_in(self.profile.version) {
            return Ok(ErrorCode::JET_errInvalidParameter);
        }
        let value = match info.scope {
            ParamScope::Session => {
                if !self.sessions.contains_key(&sesid) {
                    return Ok(ErrorCode::JET_errInvalidSesid);
                }
                ParamValue::Num(self.transaction_level(sesid) as u64)
            }
            ParamScope::Global => self.global_value(info, a.pl_in),
            ParamScope::Instance => {
                let given = instance != 0 && instance != INSTANCE_NIL;
                let params = if given {
                    if let Err(e) = self.validate_handle(instance) {
                        return Ok(e);
                    }
                    match self.index_of(instance) {
                        Some(i) => &self.instances[i].params,
                        None => return Ok(ErrorCode::JET_errInvalidParameter),
                    }
                } else {
                    match self.mode {
                        RunMode::OneInst if !self.instances.is_empty() => &self.instances[0].params,
                        RunMode::MultiInst if sesid != 0 && sesid != u64::MAX => {
                            match self.sessions.get(&sesid).and_then(|h| self.index_of(*h)) {
                                Some(i) => &self.instances[i].params,
                                None => return Ok(ErrorCode::JET_errInvalidSesid),
                            }
                        }
                        _ => &self.defaults,
                    }
                };
                instance_value(info, params)
            }
        };
        match value {
            ParamValue::Num(n) => {
                if !a.pl_present {
                    return Ok(ErrorCode::JET_errInvalidParameter);
                }
                out.lparam = Some(n);
            }
            ParamValue::Text(t) => {
                if !a.sz_present {
                    return Ok(ErrorCode::JET_errInvalidParameter);
                }
                let mut bytes: Vec<u8> = if a.wide {
                    t.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
                } else {
                    t.into_bytes()
                };
                bytes.extend(std::iter::repeat_n(0u8, if a.wide { 2 } else { 1 }));
                if bytes.len() > a.cb_max as usize {
                    return Ok(ErrorCode::JET_errBufferTooSmall);
                }
                out.sz = Some(bytes);
            }
        }
        Ok(ErrorCode::JET_errSuccess)
    }

    /// A global parameter's current value.
    fn global_value(&self, info: &SysParamInfo, pl_in: u64) -> ParamValue {
        let g = &self.globals;
        match info.id {
            ids::JET_paramDatabasePageSize => ParamValue::Num(g.page_size as u64),
            ids::JET_paramMaxInstances => ParamValue::Num(g.max_instances as u64),
            ids::JET_paramDisableBlockVerification => {
                ParamValue::Num(g.disable_block_verification as u64)
            }
            // The error's name (ESENT writes "name, description"; the mock has names only).
            ids::JET_paramErrorToString => {
                let code = ErrorCode(pl_in as u32 as i32);
                ParamValue::Text(
                    code.name()
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("Unknown Error ({})", code.0)),
                )
            }
            id => g
                .other
                .get(&id)
                .cloned()
                .unwrap_or_else(|| default_value(info)),
        }
    }
}

/// An instance parameter's current value in `t`.
fn instance_value(info: &SysParamInfo, t: &InstanceParams) -> ParamValue {
    let n = |v: u64| ParamValue::Num(v);
    let s = |v: &str| ParamValue::Text(v.to_string());
    match info.id {
        ids::JET_paramSystemPath => s(&t.system_path),
        ids::JET_paramTempPath => s(&t.temp_path),
        ids::JET_paramLogFilePath => s(&t.log_path),
        ids::JET_paramBaseName => s(&t.base_name),
        ids::JET_paramLogFileSize => n(t.log_file_size_kib as u64),
        ids::JET_paramCircularLog => n(t.circular_log as u64),
        ids::JET_paramRecovery => s(&t.recovery),
        ids::JET_paramZeroDatabaseDuringBackup => n(t.zero_db_during_backup as u64),
        ids::JET_paramCreatePathIfNotExist => n(t.create_path_if_not_exist as u64),
        ids::JET_paramLegacyFileNames => n(t.legacy_file_names as u64),
        ids::JET_paramAggressiveLogRollover => n(t.aggressive_log_rollover as u64),
        ids::JET_paramEnableExternalAutoHealing => n(t.external_auto_healing as u64),
        ids::JET_paramDisableVerifications => n(t.disable_verifications as u64),
        id => t
            .other
            .get(&id)
            .cloned()
            .unwrap_or_else(|| default_value(info)),
    }
}
