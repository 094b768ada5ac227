//! JetSetSystemParameter and JetEnableMultiInstance (spec 9).

use crate::engine::Engine;
use crate::instance::{GlobalParams, InstanceParams};
use crate::runmode::RunMode;
use crate::NotModelled;
use jetconform_interface::sysparams::ids;
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

fn is_global(id: u32) -> bool {
    matches!(
        id,
        ids::JET_paramDatabasePageSize
            | ids::JET_paramMaxInstances
            | ids::JET_paramDisableBlockVerification
    )
}

/// Instance parameters that may change after that instance's JetInit (spec 9: "yes").
fn settable_after_init(id: u32) -> bool {
    matches!(
        id,
        ids::JET_paramCreatePathIfNotExist | ids::JET_paramDisableVerifications
    )
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
        if self.mode != RunMode::NoSet {
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
            _ => return Err(bad),
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
            other => {
                return Err(NotModelled(format!(
                    "system parameter {other} is not modelled"
                )))
            }
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
}
