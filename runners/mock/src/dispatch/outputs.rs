//! The calls whose outputs need more than a code: lists, OpenFile, ReadFile (with
//! `save_to`), status callbacks, and the harness verbs.

use crate::backup::lists::{ListArgs, ListCharset, ListOut};
use crate::backup::stream::{OpenOut, ReadOut};
use crate::engine::Engine;
use crate::entry::Target;
use crate::status::{StatusEvent, StatusFn};
use crate::NotModelled;
use jetconform_interface::args::ParamRef;
use jetconform_interface::{
    Callback, CallbackEvent, ErrorCode, Function, LogInfo, Observation, Op, OutValue, Text,
};
use std::io::Write;

use super::args::{decode_szz, Args};

type E = ErrorCode;

/// OS memory page: the alignment ReadFile wants (spec 6.4 step 5).
const OS_PAGE: u32 = 4096;
/// Most commits one `log_traffic` step models (each is a log record on disk).
const MAX_COMMITS: u32 = 1_000_000;

impl Engine {
    /// Runs `f` with the status callback of parameter `param`: every invocation is recorded;
    /// a nested call is made from inside the first one. Reported under the parameter's name
    /// (`Callbacks`, or `Nested` with the invocations under `<name>.callbacks`).
    pub(super) fn with_status(
        &mut self,
        a: &Args,
        param: impl ParamRef,
        f: impl FnOnce(&mut Engine, StatusFn) -> ErrorCode,
    ) -> Result<Observation, NotModelled> {
        let cb = a.callback(param)?.cloned();
        Ok(self.with_callback(cb, a.name(param), f))
    }

    /// [`Self::with_status`] for a callback given directly (JetInit3's is inside its
    /// `JET_RSTINFO`), reported under `name`.
    pub(super) fn with_callback(
        &mut self,
        cb: Option<Callback>,
        name: &str,
        f: impl FnOnce(&mut Engine, StatusFn) -> ErrorCode,
    ) -> Observation {
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
            match nested_obs {
                Some(n) => {
                    o = o.with_output(name, OutValue::Nested(Box::new(n)));
                    o = o.with_output(&format!("{name}.callbacks"), OutValue::Callbacks(events));
                }
                None => o = o.with_output(name, OutValue::Callbacks(events)),
            }
        }
        o
    }

    pub(super) fn dispatch_list(
        &mut self,
        a: &Args,
        op: Op,
        target: Target,
        charset: ListCharset,
    ) -> Result<Observation, NotModelled> {
        let buf = a.buffer("szz")?;
        let cb_max = a.u32("cbMax")?;
        let pcb = a.out("pcbActual")?;
        let li = if op == Op::GetLogInfo2 {
            a.loginfo("pLogInfo")?
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
            o = o.with_output("szz", v);
        }
        o = super::output(o, "pcbActual", pcb, out.cb_actual.map(OutValue::U32));
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
            o = o.with_output("pLogInfo", v);
        }
        Ok(o)
    }

    pub(super) fn dispatch_open(
        &mut self,
        a: &Args,
        target: Target,
        name: Option<String>,
        ib_read: u64,
        outs: [&'static str; 3],
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
            .with_output(outs[0], h)
            .with_output(outs[1], low)
            .with_output(outs[2], high);
        Ok(o)
    }

    pub(super) fn dispatch_read(
        &mut self,
        a: &Args,
        target: Target,
    ) -> Result<Observation, NotModelled> {
        let hf = a.handle("hfFile")?;
        let buf = a.buffer("pv")?;
        let cb = a.u32("cb")?;
        let pcb = a.out("pcbActual")?;
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
        let mut buffer = std::mem::take(&mut self.scratch);
        // Room for the way to the next page boundary and the offset within a page.
        let scratch = buffer.at_least(cb as usize + 2 * OS_PAGE as usize);
        // The caller's buffer sits `offset` bytes past a page boundary, as the scenario
        // asked. Page-aligned, the kernel's copy from the page cache also runs at full
        // speed: misaligned, it ran at a third of it on the project's machine.
        let at = scratch.as_ptr().align_offset(OS_PAGE as usize) + (offset % OS_PAGE) as usize;
        let mut out = ReadOut::default();
        let aligned = offset % OS_PAGE == 0;
        let err = self.read_file(
            target,
            hf,
            &mut scratch[at..at + cb as usize],
            aligned,
            &mut out,
        );
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
                .and_then(|mut f| f.write_all(&scratch[at..at + n as usize]));
            if let Err(e) = saved {
                o.notes.push(format!("save_to {rel} failed: {e}"));
            }
        }
        self.scratch = buffer;
        if buf.is_some() {
            o = o.with_output(
                "pv",
                out.cb_actual
                    .map(|n| OutValue::Bytes(n as u64))
                    .unwrap_or(OutValue::Unwritten),
            );
        }
        o = super::output(o, "pcbActual", pcb, out.cb_actual.map(OutValue::U32));
        Ok(o)
    }

    pub(super) fn dispatch_verb(&mut self, a: &Args) -> Result<Observation, NotModelled> {
        let path = |e: &Engine, name: &str| -> Result<String, NotModelled> {
            match a.text(name)? {
                Some(t) => Ok(e.text_to_string(t)),
                None => Err(a.mismatch(name).into()),
            }
        };
        let code = match a.function() {
            Function::log_traffic => {
                let commits = a.u32("commits")?;
                if commits > MAX_COMMITS {
                    return Err(NotModelled(format!(
                        "log_traffic above {MAX_COMMITS} commits"
                    )));
                }
                self.log_traffic(a.sesid("sesid")?, a.u32("dbid")?, commits)
            }
            Function::corrupt_page => {
                let p = path(self, "file")?;
                self.verb_corrupt_page(&p, a.u32("pgno")?)
            }
            Function::corrupt_log => {
                let p = path(self, "file")?;
                self.verb_corrupt_log(&p, a.u32("offset")?)
            }
            Function::delete_file => {
                let p = path(self, "file")?;
                self.verb_delete_file(&p)
            }
            Function::lock_file => {
                let p = path(self, "file")?;
                self.verb_lock_file(&p)
            }
            Function::unlock_file => {
                let p = path(self, "file")?;
                self.verb_unlock_file(&p)
            }
            Function::write_file => {
                let p = path(self, "file")?;
                self.verb_write_file(&p, a.u32("size")?)
            }
            Function::copy_file => {
                let (from, to) = (path(self, "from")?, path(self, "to")?);
                self.verb_copy_file(&from, &to)
            }
            Function::make_dir => {
                let p = path(self, "path")?;
                self.verb_make_dir(&p)
            }
            Function::delete_dir => {
                let p = path(self, "path")?;
                return Ok(self.verb_delete_dir(&p));
            }
            Function::rename_dir => {
                let (from, to) = (path(self, "from")?, path(self, "to")?);
                return Ok(self.verb_rename_dir(&from, &to));
            }
            Function::list_dir => {
                let p = path(self, "path")?;
                return Ok(self.verb_list_dir(&p));
            }
            Function::dir_exists => {
                let p = path(self, "path")?;
                return Ok(self.verb_dir_exists(&p));
            }
            Function::fault => {
                let name = match a.text("fault")? {
                    Some(Text::Plain(s)) | Some(Text::Raw(s)) => s.clone(),
                    _ => return Err(a.mismatch("fault").into()),
                };
                self.verb_fault(a.instance("instance")?, &name)?
            }
            other => return Err(NotModelled(format!("verb {other} is not modelled"))),
        };
        Ok(Observation::returned(code))
    }
}
