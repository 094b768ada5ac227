//! Adapter from a `Call` (interface vocabulary) to the typed `Engine` methods, and from their
//! results to an `Observation` (outputs by C parameter name).

use crate::backup::lists::{ListArgs, ListCharset, ListOut};
use crate::backup::restore::{ExternalRestore, RestoreTarget, RstMap};
use crate::backup::stream::{OpenOut, ReadOut};
use crate::engine::Engine;
use crate::entry::Target;
use crate::params::SysParam;
use crate::status::{StatusEvent, StatusFn};
use crate::NotModelled;
use jetconform_interface::functions::{Charset, Form};
use jetconform_interface::{
    Arg, Buffer, Call, CallbackEvent, ErrorCode, Function, LogInfo, Observation, Op, OutValue, Text,
};
use std::io::Write;
use std::path::MAIN_SEPARATOR;

type E = ErrorCode;

/// OS memory page: the alignment ReadFile wants (spec 6.4 step 5).
const OS_PAGE: u32 = 4096;
/// Longest padded path the adapter builds (`Text::Path::pad_to`).
const MAX_PAD: usize = 32768;
/// Most commits one `log_traffic` step models (each is a log record on disk).
const MAX_COMMITS: u32 = 1_000_000;

/// Typed views of a call's arguments, by position; a mismatch is a protocol problem that the
/// mock reports as not modelled rather than guessing.
struct Args<'a> {
    call: &'a Call,
}

fn mismatch(call: &Call, i: usize) -> NotModelled {
    let name = call
        .function
        .info()
        .params
        .get(i)
        .map(|p| p.name)
        .unwrap_or("?");
    NotModelled(format!(
        "argument {i} ({name}) of {} has an unexpected form",
        call.function
    ))
}

impl<'a> Args<'a> {
    fn get(&self, i: usize) -> Result<&'a Arg, NotModelled> {
        self.call.args.get(i).ok_or_else(|| mismatch(self.call, i))
    }
    fn handle(&self, i: usize) -> Result<u64, NotModelled> {
        match self.get(i)? {
            Arg::Handle(h) => Ok(*h),
            Arg::U64(h) => Ok(*h),
            Arg::U32(v) => Ok(*v as u64),
            _ => Err(mismatch(self.call, i)),
        }
    }
    fn u32(&self, i: usize) -> Result<u32, NotModelled> {
        match self.get(i)? {
            Arg::U32(v) => Ok(*v),
            Arg::I32(v) => Ok(*v as u32),
            Arg::Handle(v) | Arg::U64(v) => Ok(*v as u32),
            _ => Err(mismatch(self.call, i)),
        }
    }
    fn i32(&self, i: usize) -> Result<i32, NotModelled> {
        match self.get(i)? {
            Arg::I32(v) => Ok(*v),
            Arg::U32(v) => Ok(*v as i32),
            _ => Err(mismatch(self.call, i)),
        }
    }
    fn u64(&self, i: usize) -> Result<u64, NotModelled> {
        match self.get(i)? {
            Arg::U64(v) | Arg::Handle(v) => Ok(*v),
            Arg::U32(v) => Ok(*v as u64),
            _ => Err(mismatch(self.call, i)),
        }
    }
    fn text(&self, i: usize) -> Result<Option<&'a Text>, NotModelled> {
        match self.get(i)? {
            Arg::Str(t) => Ok(t.as_ref()),
            _ => Err(mismatch(self.call, i)),
        }
    }
    fn out(&self, i: usize) -> Result<bool, NotModelled> {
        match self.get(i)? {
            Arg::Out(b) => Ok(*b),
            _ => Err(mismatch(self.call, i)),
        }
    }
    fn inout(&self, i: usize) -> Result<Option<u64>, NotModelled> {
        match self.get(i)? {
            Arg::InOut(v) => Ok(*v),
            _ => Err(mismatch(self.call, i)),
        }
    }
    fn buffer(&self, i: usize) -> Result<Option<&'a Buffer>, NotModelled> {
        match self.get(i)? {
            Arg::Buffer(b) => Ok(b.as_ref()),
            _ => Err(mismatch(self.call, i)),
        }
    }
    fn loginfo(&self, i: usize) -> Result<Option<&'a LogInfo>, NotModelled> {
        match self.get(i)? {
            Arg::LogInfo(l) => Ok(l.as_ref()),
            _ => Err(mismatch(self.call, i)),
        }
    }
    fn name(&self, i: usize) -> &'static str {
        self.call
            .function
            .info()
            .params
            .get(i)
            .map(|p| p.name)
            .unwrap_or("?")
    }
}

/// Decodes what a list call wrote into `szz`.
fn decode_szz(bytes: &[u8], charset: ListCharset) -> OutValue {
    let units: Vec<u16> = match charset {
        ListCharset::W => bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect(),
        ListCharset::A => bytes.iter().map(|b| *b as u16).collect(),
    };
    let mut items = Vec::new();
    let mut cur: Vec<u16> = Vec::new();
    for u in units {
        if u == 0 {
            if cur.is_empty() {
                return OutValue::Strings {
                    items,
                    terminated: true,
                };
            }
            items.push(String::from_utf16_lossy(&cur));
            cur.clear();
        } else {
            cur.push(u);
        }
    }
    if !cur.is_empty() {
        items.push(String::from_utf16_lossy(&cur));
    }
    OutValue::Strings {
        items,
        terminated: false,
    }
}

impl Engine {
    /// Turns a `Text` into the string the engine receives (sandbox paths made absolute).
    pub fn text_to_string(&self, t: &Text) -> String {
        match t {
            Text::Plain(s) | Text::Raw(s) => s.clone(),
            Text::Path {
                path,
                pad_to,
                trailing_separator,
            } => {
                let mut s = self.root.to_string_lossy().into_owned();
                let rel = path.trim_matches('/');
                if !rel.is_empty() {
                    s.push(MAIN_SEPARATOR);
                    s.push_str(&rel.replace('/', std::path::MAIN_SEPARATOR_STR));
                }
                if let Some(n) = pad_to {
                    // Far beyond any path limit already; capped so a huge value cannot
                    // exhaust memory.
                    let n = (*n as usize).min(MAX_PAD);
                    if rel.is_empty() && s.len() < n {
                        s.push(MAIN_SEPARATOR);
                    }
                    while s.len() < n {
                        s.push('x');
                    }
                }
                if *trailing_separator {
                    s.push(MAIN_SEPARATOR);
                }
                s
            }
        }
    }

    fn opt_text(&self, t: Option<&Text>) -> Option<String> {
        t.map(|t| self.text_to_string(t))
    }

    /// Runs one call against the engine.
    pub fn dispatch(&mut self, call: &Call) -> Observation {
        let info = call.function.info();
        if !self.profile.exports(call.function) {
            return Observation::not_exported();
        }
        if call.args.len() != info.params.len() {
            return Observation::not_modelled(format!(
                "{} takes {} arguments, got {}",
                call.function,
                info.params.len(),
                call.args.len()
            ));
        }
        self.take_notes();
        let mut o = match self.dispatch_inner(call) {
            Ok(o) => o,
            Err(NotModelled(why)) => Observation::not_modelled(why),
        };
        o.notes.extend(self.take_notes());
        o
    }

    fn dispatch_inner(&mut self, call: &Call) -> Result<Observation, NotModelled> {
        let info = call.function.info();
        let a = Args { call };
        // Instance forms take the instance first; legacy forms have none (spec 4.2).
        let (target, first) = match info.form {
            Form::Legacy => (Target::Legacy, 0),
            Form::Instance => (Target::Instance(a.handle(0)?), 1),
            _ => (Target::Legacy, 0),
        };
        let charset = if info.charset == Charset::W {
            ListCharset::W
        } else {
            ListCharset::A
        };
        let ret = |c: ErrorCode| Ok(Observation::returned(c));
        match info.op {
            Op::BeginExternalBackup => ret(self.begin_external_backup(target, a.u32(first)?)?),
            Op::GetAttachInfo | Op::GetLogInfo | Op::GetLogInfo2 | Op::GetTruncateLogInfo => {
                self.dispatch_list(&a, info.op, target, first, charset)
            }
            Op::OpenFile => {
                let name = self.opt_text(a.text(first)?);
                self.dispatch_open(
                    &a,
                    target,
                    name,
                    0,
                    [first + 1, first + 2, first + 3],
                    false,
                )
            }
            Op::OpenFileSection => {
                // spec 6.3: cSections > 1 → JET_wrnNyi before handle validation.
                if a.i32(4)? > 1 {
                    return ret(E::JET_wrnNyi);
                }
                let name = self.opt_text(a.text(1)?);
                let ib = a.u64(5)?;
                self.dispatch_open(
                    &a,
                    Target::Instance(a.handle(0)?),
                    name,
                    ib,
                    [2, 6, 7],
                    true,
                )
            }
            Op::ReadFile => self.dispatch_read(&a, target, first),
            Op::CloseFile => ret(self.close_file(target, a.handle(first)?)),
            Op::TruncateLog => ret(self.truncate_log(target)),
            Op::EndExternalBackup => ret(self.end_external_backup(
                target,
                jetconform_interface::grbits::bits::JET_bitBackupEndNormal,
            )),
            Op::EndExternalBackup2 => ret(self.end_external_backup(target, a.u32(1)?)),
            Op::StopBackup => ret(self.stop_backup(target)),
            Op::StopService => ret(self.stop_service(target)),
            Op::StopService2 => ret(self.stop_service_instance2(a.handle(0)?, a.u32(1)?)),
            Op::CreateInstance | Op::CreateInstance2 => {
                let present = a.out(0)?;
                let name = self.opt_text(a.text(1)?);
                let display = if info.op == Op::CreateInstance2 {
                    self.opt_text(a.text(2)?)
                } else {
                    None
                };
                let mut h = 0u64;
                let err = self.create_instance(
                    present.then_some(&mut h),
                    name.as_deref(),
                    display.as_deref(),
                );
                let mut o = Observation::returned(err);
                if present {
                    o = o.with_output(
                        "pinstance",
                        if err.is_success() {
                            OutValue::Handle(h)
                        } else {
                            OutValue::Unwritten
                        },
                    );
                }
                Ok(o)
            }
            Op::EnableMultiInstance => {
                let list: Option<Vec<SysParam>> = match a.get(0)? {
                    Arg::SetSysParams(l) => l.as_ref().map(|l| {
                        l.iter()
                            .map(|e| SysParam {
                                paramid: e.paramid,
                                lparam: e.lparam,
                                sz: self.opt_text(e.sz.as_ref()),
                            })
                            .collect()
                    }),
                    _ => return Err(mismatch(call, 0)),
                };
                let count = a.u32(1)?;
                let present = match a.get(2)? {
                    Arg::Out(b) => *b,
                    _ => return Err(mismatch(call, 2)),
                };
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
                let pinst = a.inout(0)?;
                let sz = self.opt_text(a.text(4)?);
                let err = self.set_system_parameter(
                    pinst,
                    a.handle(1)?,
                    a.u32(2)?,
                    a.u64(3)?,
                    sz.as_deref(),
                )?;
                let mut o = Observation::returned(err);
                if pinst.is_some() {
                    o = o.with_output("pinstance", OutValue::Unwritten);
                }
                Ok(o)
            }
            Op::Init | Op::Init2 | Op::Init3 => {
                let pinst = a.inout(0)?;
                let mut out = None;
                let err = match info.op {
                    Op::Init => self.init(pinst, 0, &mut out),
                    Op::Init2 => self.init(pinst, a.u32(1)?, &mut out),
                    _ => {
                        let cb = match a.get(1)? {
                            // A database map only matters to a recovery with remapping,
                            // which the mock does not model (its logs carry no page images).
                            Arg::RstInfo(Some(r)) if !r.rstmap.is_empty() && r.cb_struct == crate::lifecycle::RSTINFO_SIZE => {
                                return Err(NotModelled("JetInit3 with a JET_RSTMAP (recovery with remapped databases) is not modelled".into()))
                            }
                            Arg::RstInfo(r) => r.as_ref().map(|r| r.cb_struct),
                            _ => return Err(mismatch(call, 1)),
                        };
                        self.init3(pinst, cb, a.u32(2)?, &mut out)
                    }
                };
                let mut o = Observation::returned(err);
                if pinst.is_some() {
                    o = o.with_output(
                        "pinstance",
                        out.map(OutValue::Handle).unwrap_or(OutValue::Unwritten),
                    );
                }
                Ok(o)
            }
            Op::Term => ret(self.term(
                a.handle(0)?,
                jetconform_interface::grbits::bits::JET_bitTermAbrupt,
            )),
            Op::Term2 => ret(self.term(a.handle(0)?, a.u32(1)?)),
            Op::BeginSession => {
                let present = a.out(1)?;
                let mut s = 0;
                let err = self.begin_session(a.handle(0)?, present.then_some(&mut s));
                let mut o = Observation::returned(err);
                if present {
                    o = o.with_output(
                        "psesid",
                        if err.is_success() {
                            OutValue::Handle(s)
                        } else {
                            OutValue::Unwritten
                        },
                    );
                }
                Ok(o)
            }
            Op::EndSession => ret(self.end_session(a.handle(0)?, a.u32(1)?)),
            Op::CreateDatabase => {
                let name = self.opt_text(a.text(1)?);
                let present = a.out(3)?;
                let mut dbid = 0;
                let err = self.create_database(
                    a.handle(0)?,
                    name.as_deref(),
                    present.then_some(&mut dbid),
                    a.u32(4)?,
                );
                let mut o = Observation::returned(err);
                if present {
                    o = o.with_output(
                        "pdbid",
                        if err.is_success() {
                            OutValue::U32(dbid)
                        } else {
                            OutValue::Unwritten
                        },
                    );
                }
                Ok(o)
            }
            Op::AttachDatabase => {
                let name = self.opt_text(a.text(1)?);
                ret(self.attach_database(a.handle(0)?, name.as_deref(), a.u32(2)?))
            }
            Op::DetachDatabase | Op::DetachDatabase2 => {
                let name = self.opt_text(a.text(1)?);
                let grbit = if info.op == Op::DetachDatabase2 {
                    a.u32(2)?
                } else {
                    0
                };
                ret(self.detach_database(a.handle(0)?, name.as_deref(), grbit))
            }
            Op::Verb => self.dispatch_verb(call.function, &a),
            Op::Backup => {
                let path = self.opt_text(a.text(first)?);
                let grbit = a.u32(first + 1)?;
                self.with_status(&a, first + 2, |e, st| {
                    e.backup(target, path.as_deref(), grbit, st)
                })
            }
            Op::Restore | Op::Restore2 | Op::RestoreInstance => {
                let (t, src_i) = match info.op {
                    Op::RestoreInstance => (RestoreTarget::Instance(a.handle(0)?), 1),
                    _ => (RestoreTarget::Legacy, 0),
                };
                let src = self.opt_text(a.text(src_i)?);
                let dest = if info.op == Op::Restore {
                    None
                } else {
                    self.opt_text(a.text(src_i + 1)?)
                };
                let cb = if info.op == Op::Restore { 1 } else { src_i + 2 };
                self.with_status(&a, cb, |e, st| {
                    e.restore(t, src.as_deref(), dest.as_deref(), st)
                })
            }
            Op::ExternalRestore | Op::ExternalRestore2 => {
                let v2 = info.op == Op::ExternalRestore2;
                let map = match a.get(2)? {
                    Arg::RstMap(m) => m.as_ref().map(|m| {
                        m.iter()
                            .map(|e| RstMap {
                                database_name: self.opt_text(e.database_name.as_ref()),
                                new_database_name: self.opt_text(e.new_database_name.as_ref()),
                            })
                            .collect()
                    }),
                    _ => return Err(mismatch(call, 2)),
                };
                let mut x = ExternalRestore {
                    v2,
                    ansi: charset == ListCharset::A,
                    checkpoint_path: self.opt_text(a.text(0)?),
                    log_path: self.opt_text(a.text(1)?),
                    map,
                    count: a.i32(3)?,
                    backup_log_path: self.opt_text(a.text(4)?),
                    ..Default::default()
                };
                let cb = if v2 {
                    let size = if charset == ListCharset::W { 20 } else { 16 };
                    if let Some(li) = a.loginfo(5)? {
                        x.log_info = Some((li.cb_size == size, li.base_name.clone()));
                        x.gen_low = li.gen_low as i32;
                        x.gen_high = li.gen_high as i32;
                    }
                    x.target_name = self.opt_text(a.text(6)?);
                    x.target_log_path = self.opt_text(a.text(7)?);
                    x.target_checkpoint_path = self.opt_text(a.text(8)?);
                    9
                } else {
                    x.gen_low = a.i32(5)?;
                    x.gen_high = a.i32(6)?;
                    7
                };
                self.with_status(&a, cb, |e, st| e.external_restore(&x, st))
            }
        }
    }

    /// Runs `f` with the status callback of parameter `i`: every invocation is recorded; a
    /// nested call is made from inside the first one. Reported under the parameter's name
    /// (`Callbacks`, or `Nested` with the invocations under `<name>.callbacks`).
    fn with_status(
        &mut self,
        a: &Args,
        i: usize,
        f: impl FnOnce(&mut Engine, StatusFn) -> ErrorCode,
    ) -> Result<Observation, NotModelled> {
        let cb = match a.get(i)? {
            Arg::Callback(c) => c.clone(),
            _ => return Err(mismatch(a.call, i)),
        };
        let nested = cb.as_ref().and_then(|c| c.nested.clone());
        let mut events: Vec<CallbackEvent> = Vec::new();
        let mut nested_obs: Option<Observation> = None;
        let mut record = |e: &mut Engine, ev: StatusEvent| {
            events.push(CallbackEvent {
                snp: ev.snp,
                snt: ev.snt,
                done: ev.done,
                total: ev.total,
            });
            if events.len() == 1 {
                if let Some(n) = &nested {
                    nested_obs = Some(e.dispatch(n));
                }
            }
        };
        let err = f(
            self,
            if cb.is_some() {
                Some(&mut record)
            } else {
                None
            },
        );
        let mut o = Observation::returned(err);
        if cb.is_some() {
            let name = a.name(i);
            match nested_obs {
                Some(n) => {
                    o = o.with_output(name, OutValue::Nested(Box::new(n)));
                    o = o.with_output(&format!("{name}.callbacks"), OutValue::Callbacks(events));
                }
                None => o = o.with_output(name, OutValue::Callbacks(events)),
            }
        }
        Ok(o)
    }

    fn dispatch_list(
        &mut self,
        a: &Args,
        op: Op,
        target: Target,
        first: usize,
        charset: ListCharset,
    ) -> Result<Observation, NotModelled> {
        let buf = a.buffer(first)?;
        let cb_max = a.u32(first + 1)?;
        let pcb = a.out(first + 2)?;
        let li = if op == Op::GetLogInfo2 {
            a.loginfo(first + 3)?
        } else {
            None
        };
        let args = ListArgs {
            charset,
            buffer: buf.is_some(),
            cb_max,
        };
        let mut out = ListOut::default();
        let err = match op {
            Op::GetAttachInfo => self.get_attach_info(target, args, &mut out),
            Op::GetTruncateLogInfo => self.get_truncate_log_info(target, args, &mut out),
            _ => self.get_log_info(target, args, li.map(|l| l.cb_size), &mut out),
        };
        let mut o = Observation::returned(err);
        o.undefined = out.undefined.take();
        if let Some(b) = buf {
            let v = match out.written {
                // Zero bytes copied leaves the buffer as it was.
                Some(bytes) if bytes.is_empty() => OutValue::Unwritten,
                Some(mut bytes) => {
                    if bytes.len() > b.size as usize {
                        o.undefined =
                            Some("cbMax exceeds the buffer: ESENT writes past its end".into());
                        bytes.truncate(b.size as usize);
                    }
                    decode_szz(&bytes, charset)
                }
                None => OutValue::Unwritten,
            };
            o = o.with_output(a.name(first), v);
        }
        if pcb {
            o = o.with_output(
                a.name(first + 2),
                out.cb_actual
                    .map(OutValue::U32)
                    .unwrap_or(OutValue::Unwritten),
            );
        }
        if let Some(l) = li {
            let v = match out.log_info {
                Some(w) => OutValue::LogInfo(LogInfo {
                    cb_size: l.cb_size,
                    gen_low: w.gen_low,
                    gen_high: w.gen_high,
                    base_name: w.base_name,
                }),
                None => OutValue::Unwritten,
            };
            o = o.with_output(a.name(first + 3), v);
        }
        Ok(o)
    }

    fn dispatch_open(
        &mut self,
        a: &Args,
        target: Target,
        name: Option<String>,
        ib_read: u64,
        outs: [usize; 3],
        section: bool,
    ) -> Result<Observation, NotModelled> {
        let present = [a.out(outs[0])?, a.out(outs[1])?, a.out(outs[2])?];
        if present.iter().any(|p| !p) {
            // spec 6.3: the outputs are written unconditionally; NULL is an access violation.
            let mut o = Observation::returned(E::JET_errInvalidParameter);
            o.undefined = Some(
                "spec 6.3: NULL output pointer of OpenFile (access violation in ESENT)".into(),
            );
            return Ok(o);
        }
        let mut out = OpenOut::default();
        let err = self.open_file(target, name.as_deref(), ib_read, &mut out);
        let mut o = Observation::returned(err);
        let (h, low, high) = match out.size {
            Some(size) => (
                OutValue::Handle(out.handle.unwrap_or(0)),
                OutValue::U32(size as u32),
                if section {
                    OutValue::I32((size >> 32) as i32)
                } else {
                    OutValue::U32((size >> 32) as u32)
                },
            ),
            None => (
                OutValue::Unwritten,
                OutValue::Unwritten,
                OutValue::Unwritten,
            ),
        };
        o = o
            .with_output(a.name(outs[0]), h)
            .with_output(a.name(outs[1]), low)
            .with_output(a.name(outs[2]), high);
        Ok(o)
    }

    fn dispatch_read(
        &mut self,
        a: &Args,
        target: Target,
        first: usize,
    ) -> Result<Observation, NotModelled> {
        let hf = a.handle(first)?;
        let buf = a.buffer(first + 1)?;
        let cb = a.u32(first + 2)?;
        let pcb = a.out(first + 3)?;
        let undefined = |why: &str| {
            let mut o = Observation::returned(E::JET_errInvalidParameter);
            o.undefined = Some(why.to_string());
            o
        };
        let (size, offset, save_to) = match buf {
            Some(b) => (b.size, b.offset, b.save_to.clone()),
            None if cb == 0 => (0, 0, None),
            None => {
                return Ok(undefined(
                    "spec 6.4: NULL pv with cb > 0 (access violation in ESENT)",
                ))
            }
        };
        if cb > size {
            return Ok(undefined(
                "spec 6.4: cb exceeds the buffer: ESENT writes past its end",
            ));
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        if scratch.len() < cb as usize {
            // A fresh zeroed allocation: the OS maps pages lazily, so a huge buffer costs
            // only what the read delivers.
            scratch = vec![0u8; cb as usize];
        }
        let mut out = ReadOut::default();
        let aligned = offset % OS_PAGE == 0;
        let err = self.read_file(target, hf, &mut scratch[..cb as usize], aligned, &mut out);
        let mut o = Observation::returned(err);
        o.undefined = out.undefined.take();
        if let (Some(n), Some(rel)) = (out.cb_actual, save_to.as_deref()) {
            let p = self.text_to_string(&Text::Path {
                path: rel.to_string(),
                pad_to: None,
                trailing_separator: false,
            });
            let p = std::path::PathBuf::from(p);
            let saved = p
                .parent()
                .map(std::fs::create_dir_all)
                .unwrap_or(Ok(()))
                .and_then(|_| {
                    std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(&p)
                })
                .and_then(|mut f| f.write_all(&scratch[..n as usize]));
            if let Err(e) = saved {
                o.notes.push(format!("save_to {rel} failed: {e}"));
            }
        }
        self.scratch = scratch;
        if buf.is_some() {
            o = o.with_output(
                a.name(first + 1),
                out.cb_actual
                    .map(|n| OutValue::Bytes(n as u64))
                    .unwrap_or(OutValue::Unwritten),
            );
        }
        if pcb {
            o = o.with_output(
                a.name(first + 3),
                out.cb_actual
                    .map(OutValue::U32)
                    .unwrap_or(OutValue::Unwritten),
            );
        }
        Ok(o)
    }

    fn dispatch_verb(&mut self, f: Function, a: &Args) -> Result<Observation, NotModelled> {
        let path = |e: &Engine, i: usize| -> Result<String, NotModelled> {
            match a.text(i)? {
                Some(t) => Ok(e.text_to_string(t)),
                None => Err(mismatch(a.call, i)),
            }
        };
        let code = match f {
            Function::log_traffic => {
                let commits = a.u32(2)?;
                if commits > MAX_COMMITS {
                    return Err(NotModelled(format!(
                        "log_traffic above {MAX_COMMITS} commits"
                    )));
                }
                self.log_traffic(a.handle(0)?, a.u32(1)?, commits)
            }
            Function::corrupt_page => {
                let p = path(self, 0)?;
                self.verb_corrupt_page(&p, a.u32(1)?)
            }
            Function::corrupt_log => {
                let p = path(self, 0)?;
                self.verb_corrupt_log(&p, a.u32(1)?)
            }
            Function::delete_file => {
                let p = path(self, 0)?;
                self.verb_delete_file(&p)
            }
            Function::lock_file => {
                let p = path(self, 0)?;
                self.verb_lock_file(&p)
            }
            Function::unlock_file => {
                let p = path(self, 0)?;
                self.verb_unlock_file(&p)
            }
            Function::write_file => {
                let p = path(self, 0)?;
                self.verb_write_file(&p, a.u32(1)?)
            }
            Function::copy_file => {
                let (from, to) = (path(self, 0)?, path(self, 1)?);
                self.verb_copy_file(&from, &to)
            }
            Function::make_dir => {
                let p = path(self, 0)?;
                self.verb_make_dir(&p)
            }
            Function::fault => {
                let name = match a.text(1)? {
                    Some(Text::Plain(s)) | Some(Text::Raw(s)) => s.clone(),
                    _ => return Err(mismatch(a.call, 1)),
                };
                self.verb_fault(a.handle(0)?, &name)?
            }
            other => return Err(NotModelled(format!("verb {other} is not modelled"))),
        };
        Ok(Observation::returned(code))
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
    "fault",
];
