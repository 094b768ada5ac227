//! Adapter from a `Call` (interface vocabulary) to the typed `Engine` methods, and from their
//! results to an `Observation` (outputs by C parameter name).

use crate::backup::external_restore::ExternalRestore;
use crate::backup::lists::ListCharset;
use crate::backup::restore::{RestoreTarget, RstMap};
use crate::engine::Engine;
use crate::entry::Target;
use crate::params::{GetParamArgs, GetParamOut, SysParam};
use crate::NotModelled;
use jetconform_interface::functions::Charset;
use jetconform_interface::{Call, ErrorCode, Observation, Op, OutValue, Text};

mod args;
mod data;
mod outputs;

use args::Args;

type E = ErrorCode;

impl Engine {
    /// Turns a `Text` into the string the engine receives (sandbox paths made absolute, the
    /// same way every runner does).
    pub fn text_to_string(&self, t: &Text) -> String {
        jetconform_interface::marshal::text_to_string(&self.root.to_string_lossy(), t)
    }

    fn opt_text(&self, t: Option<&Text>) -> Option<String> {
        t.map(|t| self.text_to_string(t))
    }

    /// Runs one call against the engine.
    pub fn dispatch(&mut self, call: &Call) -> Observation {
        let a = match Args::enter_call(call, self.profile.exports(call.function)) {
            Ok(a) => a,
            Err(o) => return o,
        };
        self.take_notes();
        let mut o = match self.dispatch_inner(&a) {
            Ok(o) => o,
            Err(NotModelled(why)) => Observation::not_modelled(why),
        };
        o.notes.extend(self.take_notes());
        o
    }

    fn dispatch_inner(&mut self, a: &Args) -> Result<Observation, NotModelled> {
        let info = a.info();
        // Instance forms name their instance; legacy forms have none (spec 4.2).
        let target = Target::of(info.form, || a.instance("instance"))?;
        let charset = if info.charset == Charset::W {
            ListCharset::W
        } else {
            ListCharset::A
        };
        let ret = |c: ErrorCode| Ok(Observation::returned(c));
        match info.op {
            Op::BeginExternalBackup => ret(self.begin_external_backup(target, a.u32("grbit")?)?),
            Op::GetAttachInfo | Op::GetLogInfo | Op::GetLogInfo2 | Op::GetTruncateLogInfo => {
                self.dispatch_list(a, info.op, target, charset)
            }
            Op::OpenFile => {
                let name = self.opt_text(a.text("szFileName")?);
                self.dispatch_open(
                    a,
                    target,
                    name,
                    0,
                    ["phfFile", "pulFileSizeLow", "pulFileSizeHigh"],
                    false,
                )
            }
            Op::OpenFileSection => {
                // spec 6.3: cSections > 1 → JET_wrnNyi before handle validation.
                if a.i32("cSections")? > 1 {
                    return ret(E::JET_wrnNyi);
                }
                let name = self.opt_text(a.text("szFile")?);
                let ib = a.u64("ibRead")?;
                self.dispatch_open(
                    a,
                    target,
                    name,
                    ib,
                    ["phFile", "pulSectionSizeLow", "plSectionSizeHigh"],
                    true,
                )
            }
            Op::ReadFile => self.dispatch_read(a, target),
            Op::CloseFile => ret(self.close_file(target, a.handle("hfFile")?)),
            Op::TruncateLog => ret(self.truncate_log(target)),
            Op::EndExternalBackup => ret(self.end_external_backup(
                target,
                jetconform_interface::grbits::bits::JET_bitBackupEndNormal,
            )),
            Op::EndExternalBackup2 => ret(self.end_external_backup(target, a.u32("grbit")?)),
            Op::StopBackup => ret(self.stop_backup(target)),
            Op::StopService => ret(self.stop_service(target)),
            Op::StopService2 => {
                ret(self.stop_service_instance2(a.instance("instance")?, a.u32("grbit")?))
            }
            Op::CreateInstance | Op::CreateInstance2 => {
                let present = a.out("pinstance")?;
                let name = self.opt_text(a.text("szInstanceName")?);
                let display = if info.op == Op::CreateInstance2 {
                    self.opt_text(a.text("szDisplayName")?)
                } else {
                    None
                };
                let mut h = 0u64;
                let err = self.create_instance(
                    present.then_some(&mut h),
                    name.as_deref(),
                    display.as_deref(),
                );
                Ok(output(
                    Observation::returned(err),
                    "pinstance",
                    present,
                    err.is_success().then_some(OutValue::Handle(h)),
                ))
            }
            Op::EnableMultiInstance => {
                let list: Option<Vec<SysParam>> = a.sysparams("psetsysparam")?.map(|l| {
                    l.iter()
                        .map(|e| SysParam {
                            paramid: e.paramid,
                            lparam: e.lparam,
                            sz: self.opt_text(e.sz.as_ref()),
                        })
                        .collect()
                });
                let count = a.u32("csetsysparam")?;
                let present = a.out("pcsetsucceed")?;
                let mut succeeded = None;
                let mut o = Observation::returned(self.enable_multi_instance(
                    list.as_deref(),
                    count,
                    &mut succeeded,
                )?);
                if let Some(l) = &list {
                    if (count as usize) > l.len() {
                        o.undefined =
                            Some("csetsysparam exceeds the array: ESENT reads past it".into());
                    }
                }
                if present {
                    o = o.with_output(
                        "pcsetsucceed",
                        succeeded.map(OutValue::U32).unwrap_or(OutValue::Unwritten),
                    );
                }
                Ok(o)
            }
            Op::SetSystemParameter => {
                let pinst = a.inout("pinstance")?;
                let sz = self.opt_text(a.text("szParam")?);
                let err = self.set_system_parameter(
                    pinst,
                    a.sesid("sesid")?,
                    a.u32("paramid")?,
                    a.u64("lParam")?,
                    sz.as_deref(),
                )?;
                // Setting a parameter never writes the instance back.
                Ok(with_pinstance(Observation::returned(err), pinst, None))
            }
            Op::GetSystemParameter => {
                let pl_present = a.out("plParam")?;
                let sz = a.buffer("szParam")?;
                let cb_max = a.u32("cbMax")?;
                let args = GetParamArgs {
                    pl_present,
                    pl_in: 0,
                    sz_present: sz.is_some(),
                    cb_max,
                    wide: charset == ListCharset::W,
                };
                let mut out = GetParamOut::default();
                let err = self.get_system_parameter(
                    a.instance("instance")?,
                    a.sesid("sesid")?,
                    a.u32("paramid")?,
                    args,
                    &mut out,
                )?;
                let mut o = output(
                    Observation::returned(err),
                    "plParam",
                    pl_present,
                    out.lparam.map(OutValue::Handle),
                );
                if let Some(b) = sz {
                    if (cb_max as u64) > b.size as u64 {
                        o.undefined =
                            Some("cbMax exceeds the buffer: ESENT writes past its end".into());
                    }
                    o = o.with_output(
                        "szParam",
                        match &out.sz {
                            Some(bytes) => args::decode_szz(bytes, charset),
                            None => OutValue::Unwritten,
                        },
                    );
                }
                Ok(o)
            }
            Op::Init | Op::Init2 => {
                let pinst = a.inout("pinstance")?;
                let mut out = None;
                let grbit = if info.op == Op::Init {
                    0
                } else {
                    a.u32("grbit")?
                };
                let err = self.init(pinst, grbit, &mut out);
                Ok(with_pinstance(Observation::returned(err), pinst, out))
            }
            Op::Init3 => {
                let pinst = a.inout("pinstance")?;
                let r = a.rstinfo("prstInfo")?;
                // The map (rgrstmap) and callback (pfnStatus) reach the recovery (spec 9,
                // recovery.rs); the callback's invocations are reported under `prstInfo`, as
                // the ffi runner reports them.
                let map: Vec<RstMap> = r
                    .iter()
                    .flat_map(|r| r.rstmap.iter())
                    .map(|e| RstMap {
                        database_name: self.opt_text(e.database_name.as_ref()),
                        new_database_name: self.opt_text(e.new_database_name.as_ref()),
                    })
                    .collect();
                let cb = r.as_ref().map(|r| r.cb_struct);
                let callback = r.as_ref().and_then(|r| r.callback.clone());
                let grbit = a.u32("grbit")?;
                let mut out = None;
                let o = self.with_callback(callback, a.name("prstInfo"), |e, st| {
                    e.init3(pinst, cb.map(|c| (c, &map[..])), grbit, &mut out, st)
                });
                Ok(with_pinstance(o, pinst, out))
            }
            Op::Term => ret(self.term(
                a.instance("instance")?,
                jetconform_interface::grbits::bits::JET_bitTermAbrupt,
            )),
            Op::Term2 => ret(self.term(a.instance("instance")?, a.u32("grbit")?)),
            Op::BeginSession => {
                let present = a.out("psesid")?;
                let mut s = 0;
                let err = self.begin_session(a.instance("instance")?, present.then_some(&mut s));
                Ok(output(
                    Observation::returned(err),
                    "psesid",
                    present,
                    err.is_success().then_some(OutValue::Handle(s)),
                ))
            }
            Op::EndSession => ret(self.end_session(a.sesid("sesid")?, a.u32("grbit")?)),
            Op::CreateDatabase => {
                let name = self.opt_text(a.text("szFilename")?);
                let present = a.out("pdbid")?;
                let mut dbid = 0;
                let err = self.create_database(
                    a.sesid("sesid")?,
                    name.as_deref(),
                    present.then_some(&mut dbid),
                    a.u32("grbit")?,
                );
                Ok(output(
                    Observation::returned(err),
                    "pdbid",
                    present,
                    err.is_success().then_some(OutValue::U32(dbid)),
                ))
            }
            Op::AttachDatabase => {
                let name = self.opt_text(a.text("szFilename")?);
                ret(self.attach_database(a.sesid("sesid")?, name.as_deref(), a.u32("grbit")?))
            }
            Op::DetachDatabase | Op::DetachDatabase2 => {
                let name = self.opt_text(a.text("szFilename")?);
                let grbit = if info.op == Op::DetachDatabase2 {
                    a.u32("grbit")?
                } else {
                    0
                };
                ret(self.detach_database(a.sesid("sesid")?, name.as_deref(), grbit))
            }
            Op::OpenDatabase => {
                let name = self.opt_text(a.text("szFilename")?);
                let present = a.out("pdbid")?;
                let mut dbid = 0;
                let err = self.open_database(
                    a.sesid("sesid")?,
                    name.as_deref(),
                    present.then_some(&mut dbid),
                );
                Ok(output(
                    Observation::returned(err),
                    "pdbid",
                    present,
                    err.is_success().then_some(OutValue::U32(dbid)),
                ))
            }
            Op::CloseDatabase => {
                ret(self.close_database(a.sesid("sesid")?, a.u32("dbid")?, a.u32("grbit")?))
            }
            Op::BeginTransaction | Op::BeginTransaction2 | Op::BeginTransaction3 => {
                ret(self.begin_transaction(a.sesid("sesid")?))
            }
            Op::CommitTransaction | Op::CommitTransaction2 => {
                ret(self.commit_transaction(a.sesid("sesid")?))
            }
            Op::Rollback => ret(self.rollback(a.sesid("sesid")?, a.u32("grbit")?)),
            Op::GetInstanceInfo => {
                let (pc, pa) = (a.out("pcInstanceInfo")?, a.out("paInstanceInfo")?);
                let mut out = None;
                let mut o = Observation::returned(self.get_instance_info(pc, pa, &mut out));
                if pc {
                    o = o.with_output(
                        "pcInstanceInfo",
                        out.map(|(n, _)| OutValue::U32(n))
                            .unwrap_or(OutValue::Unwritten),
                    );
                }
                if pa {
                    o = o.with_output(
                        "paInstanceInfo",
                        out.map(|(_, t)| OutValue::Handle(t))
                            .unwrap_or(OutValue::Unwritten),
                    );
                }
                Ok(o)
            }
            Op::FreeBuffer => match self.free_buffer(a.u64("pbBuf")?) {
                Some(c) => ret(c),
                None => {
                    let mut o = Observation::returned(E::JET_errInvalidParameter);
                    o.undefined = Some(
                        "JetFreeBuffer of a pointer the engine did not allocate: ESENT frees it"
                            .into(),
                    );
                    Ok(o)
                }
            },
            Op::CreateTable
            | Op::OpenTable
            | Op::CloseTable
            | Op::AddColumn
            | Op::PrepareUpdate
            | Op::SetColumn
            | Op::Update
            | Op::RetrieveColumn
            | Op::Move
            | Op::Delete => self.dispatch_data(a, info.op),
            Op::Verb => self.dispatch_verb(a),
            Op::Backup => {
                let path = self.opt_text(a.text("szBackupPath")?);
                let grbit = a.u32("grbit")?;
                self.with_status(a, "pfnStatus", |e, st| {
                    e.backup(target, path.as_deref(), grbit, st)
                })
            }
            Op::Restore | Op::Restore2 | Op::RestoreInstance => {
                let t = match info.op {
                    Op::RestoreInstance => RestoreTarget::Instance(a.instance("instance")?),
                    _ => RestoreTarget::Legacy,
                };
                let (src, dest) = if info.op == Op::Restore {
                    (self.opt_text(a.text("szSource")?), None)
                } else {
                    (
                        self.opt_text(a.text("sz")?),
                        self.opt_text(a.text("szDest")?),
                    )
                };
                self.with_status(a, "pfn", |e, st| {
                    e.restore(t, src.as_deref(), dest.as_deref(), st)
                })
            }
            Op::ExternalRestore | Op::ExternalRestore2 => {
                let v2 = info.op == Op::ExternalRestore2;
                let map = a.rstmap("rgrstmap")?.map(|m| {
                    m.iter()
                        .map(|e| RstMap {
                            database_name: self.opt_text(e.database_name.as_ref()),
                            new_database_name: self.opt_text(e.new_database_name.as_ref()),
                        })
                        .collect()
                });
                let mut x = ExternalRestore {
                    v2,
                    ansi: charset == ListCharset::A,
                    checkpoint_path: self.opt_text(a.text("szCheckpointFilePath")?),
                    log_path: self.opt_text(a.text("szLogPath")?),
                    map,
                    count: a.i32("crstfilemap")?,
                    backup_log_path: self.opt_text(a.text("szBackupLogPath")?),
                    ..Default::default()
                };
                if v2 {
                    let size = if charset == ListCharset::W { 20 } else { 16 };
                    if let Some(li) = a.loginfo("pLogInfo")? {
                        x.log_info = Some((li.cb_size == size, li.base_name.clone()));
                        x.gen_low = li.gen_low as i32;
                        x.gen_high = li.gen_high as i32;
                    }
                    x.target_name = self.opt_text(a.text("szTargetInstanceName")?);
                    x.target_log_path = self.opt_text(a.text("szTargetInstanceLogPath")?);
                    x.target_checkpoint_path =
                        self.opt_text(a.text("szTargetInstanceCheckpointPath")?);
                } else {
                    x.gen_low = a.i32("genLow")?;
                    x.gen_high = a.i32("genHigh")?;
                }
                self.with_status(a, "pfn", |e, st| e.external_restore(&x, st))
            }
        }
    }
}

/// Names of the verbs the mock implements.
pub const VERBS: &[&str] = &[
    "log_traffic",
    "corrupt_page",
    "corrupt_log",
    "delete_file",
    "lock_file",
    "unlock_file",
    "write_file",
    "copy_file",
    "make_dir",
    "delete_dir",
    "rename_dir",
    "list_dir",
    "dir_exists",
    "fault",
];

/// Adds the output `name` where the caller passed it (`present`): `value`, or unwritten
/// where the engine wrote nothing (most calls write their outputs only when they succeed).
fn output(o: Observation, name: &str, present: bool, value: Option<OutValue>) -> Observation {
    if !present {
        return o;
    }
    o.with_output(name, value.unwrap_or(OutValue::Unwritten))
}

/// JetInit writes the instance back through a non-NULL `pinstance` (spec 9).
fn with_pinstance(o: Observation, pinst: Option<u64>, out: Option<u64>) -> Observation {
    output(o, "pinstance", pinst.is_some(), out.map(OutValue::Handle))
}
