//! Entry of every export: the calls whose outputs the generic `Engine::dispatch` adapter
//! cannot deliver through C pointers (data and list buffers, JET_LOGINFO, status callbacks)
//! go to the mock's typed API here; everything else goes through `dispatch`, so the library
//! answers exactly as the in-process mock does.

use crate::args::{self, handle, instance, loginfo, ptr, rstmap, sesid, string};
use crate::global;
use jetconform_ffi::abi::{AbiValue, JetLogInfoA, JetLogInfoW, JetRstInfo, JetSnprog, Pfn};
use jetconform_interface::functions::{Charset, FunctionInfo};
use jetconform_interface::{
    Arg, ArgError, Call, CallResult, ErrorCode, Function, Observation, Op, OutValue, Params,
};
use jetconform_mock::backup::external_restore::ExternalRestore;
use jetconform_mock::backup::lists::{ListArgs, ListCharset, ListOut};
use jetconform_mock::backup::restore::{RestoreTarget, RstMap};
use jetconform_mock::backup::stream::ReadOut;
use jetconform_mock::params::{GetParamArgs, GetParamOut};
use jetconform_mock::status::{StatusEvent, StatusFn};
use jetconform_mock::{Engine, Target};

type E = ErrorCode;

/// The caller's arguments as marshalling words, by parameter name.
type Words<'a> = Params<'a, u64>;

/// `JET_errFeatureNotAvailable`: the answer for what the emulated release does not export
/// (a caller that asks `JetconformExported` first never sees it) or the mock does not model.
pub const NOT_AVAILABLE: ErrorCode = ErrorCode(-1001);

/// `JET_sesidNil` (spec 1.2: the engine passes it to status callbacks).
const SESID_NIL: usize = usize::MAX;

/// The OS page ReadFile buffers must be aligned to (spec 6.4).
const OS_PAGE: usize = 4096;

/// # Safety
/// `words` are the caller's arguments of `f`, valid for its C signature.
pub unsafe fn entry(f: Function, words: &[u64]) -> i32 {
    global::with_engine(|e| {
        // The prologue every runner shares (a word per parameter, always, from the C side).
        let Ok(w) = Words::enter(f, words, e.profile.exports(f)) else {
            return NOT_AVAILABLE;
        };
        // SAFETY: per this function's contract.
        unsafe { call(e, &w) }.unwrap_or(NOT_AVAILABLE)
    })
}

unsafe fn call(e: &mut Engine, w: &Words) -> Result<ErrorCode, ArgError> {
    let info = w.info();
    let target = Target::of(info.form, || w.word("instance").map(args::instance))?;
    // SAFETY (all arms): per `entry`'s contract.
    unsafe {
        Ok(match info.op {
            Op::ReadFile => read(e, target, w)?,
            Op::GetAttachInfo | Op::GetLogInfo | Op::GetLogInfo2 | Op::GetTruncateLogInfo => {
                list(e, target, w)?
            }
            Op::Backup
            | Op::Restore
            | Op::Restore2
            | Op::RestoreInstance
            | Op::ExternalRestore
            | Op::ExternalRestore2 => with_callback(e, target, w)?,
            Op::Init3 => init3(e, w)?,
            Op::GetSystemParameter => get_param(e, w)?,
            Op::GetInstanceInfo => get_instance_info(e, w)?,
            Op::FreeBuffer => {
                // NULL does nothing (documented); what the library handed out is freed.
                let p = w.word("pbBuf")?;
                if p == 0 || crate::buffers::free(p as usize) {
                    E::JET_errSuccess
                } else {
                    E::JET_errInvalidParameter
                }
            }
            _ => generic(e, info, w.values()),
        })
    }
}

unsafe fn generic(e: &mut Engine, info: &'static FunctionInfo, words: &[u64]) -> ErrorCode {
    let call = Call {
        function: info.function,
        // SAFETY: per `entry`'s contract.
        args: unsafe { args::args(info, words) },
    };
    let o = e.dispatch(&call);
    match o.result {
        CallResult::Returned(code) => {
            // SAFETY: per `entry`'s contract.
            unsafe { args::write_outputs(info, words, &o) };
            if code.is_success() && matches!(info.op, Op::Init | Op::Init2) {
                arm_env_faults(e, &call, &o);
            }
            code
        }
        CallResult::NotExported | CallResult::NotModelled(_) => NOT_AVAILABLE,
    }
}

/// JetInit3[A|W] (spec 9): the `JET_RSTINFO`'s map and `pfnStatus` reach the recovery as
/// in process (the callback is called back with `JET_sesidNil`); `*pinstance` is written
/// back as `dispatch` does for JetInit.
unsafe fn init3(e: &mut Engine, w: &Words) -> Result<ErrorCode, ArgError> {
    let (info, words) = (w.info(), w.values());
    let call = Call {
        function: info.function,
        // SAFETY: per `entry`'s contract.
        args: unsafe { args::args(info, words) },
    };
    let (pinst, rst) = match (call.args.first(), call.args.get(1)) {
        (Some(Arg::InOut(p)), Some(Arg::RstInfo(r))) => (*p, r.clone()),
        _ => return Ok(NOT_AVAILABLE),
    };
    // The callback is trusted only in a structure of the right size (`args` read the map
    // on the same condition).
    let pfn = match &rst {
        Some(r) if r.cb_struct as usize == std::mem::size_of::<JetRstInfo>() => {
            // SAFETY: a whole `JET_RSTINFO` (cbStruct says so).
            unsafe { std::ptr::read_unaligned(ptr::<JetRstInfo>(w.word("prstInfo")?)) }.pfn_status
        }
        _ => None,
    };
    let map: Vec<RstMap> = rst
        .iter()
        .flat_map(|r| r.rstmap.iter().cloned())
        .map(|m| RstMap {
            database_name: m.database_name.map(text),
            new_database_name: m.new_database_name.map(text),
        })
        .collect();
    let cb = rst.as_ref().map(|r| r.cb_struct);
    let grbit = w.word("grbit")? as u32;
    let mut out = None;
    let code = with_status(e, pfn, |e, st| {
        e.init3(pinst, cb.map(|c| (c, &map[..])), grbit, &mut out, st)
    });
    let mut o = Observation::returned(code);
    if pinst.is_some() {
        o = o.with_output(
            "pinstance",
            out.map(OutValue::Handle).unwrap_or(OutValue::Unwritten),
        );
    }
    // SAFETY: per `entry`'s contract.
    unsafe { args::write_outputs(info, words, &o) };
    if code.is_success() {
        arm_env_faults(e, &call, &o);
    }
    Ok(code)
}

/// JetGetSystemParameter[A|W] (spec 9): `instance, sesid, paramid, plParam, szParam, cbMax`.
/// `*plParam` is read first (JET_paramErrorToString takes the error code there).
unsafe fn get_param(e: &mut Engine, w: &Words) -> Result<ErrorCode, ArgError> {
    let pl = ptr::<usize>(w.word("plParam")?);
    let sz = ptr::<u8>(w.word("szParam")?);
    let cb_max = w.word("cbMax")? as u32;
    let args = GetParamArgs {
        pl_present: !pl.is_null(),
        // SAFETY: non-NULL `JET_API_PTR*` (ESENT's contract).
        pl_in: if pl.is_null() {
            0
        } else {
            (unsafe { pl.read_unaligned() }) as u64
        },
        sz_present: !sz.is_null(),
        cb_max,
        wide: w.info().charset == Charset::W,
    };
    let mut out = GetParamOut::default();
    let err = match e.get_system_parameter(
        instance(w.word("instance")?),
        sesid(w.word("sesid")?),
        w.word("paramid")? as u32,
        args,
        &mut out,
    ) {
        Ok(err) => err,
        Err(_) => return Ok(NOT_AVAILABLE),
    };
    if let (false, Some(v)) = (pl.is_null(), out.lparam) {
        // SAFETY: non-NULL `JET_API_PTR*`.
        unsafe { pl.write_unaligned(v as usize) };
    }
    if let (false, Some(bytes)) = (sz.is_null(), &out.sz) {
        let n = bytes.len().min(cb_max as usize);
        // SAFETY: the caller's buffer has cbMax bytes; at most that many are copied.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), sz, n) };
    }
    Ok(err)
}

/// JetGetInstanceInfo[A|W]: `pcInstanceInfo, paInstanceInfo`; the array is real memory,
/// freed by JetFreeBuffer (`buffers.rs`).
unsafe fn get_instance_info(e: &mut Engine, w: &Words) -> Result<ErrorCode, ArgError> {
    let pc = ptr::<u32>(w.word("pcInstanceInfo")?);
    let pa = ptr::<usize>(w.word("paInstanceInfo")?);
    let mut out = None;
    let err = e.get_instance_info(!pc.is_null(), !pa.is_null(), &mut out);
    if let Some((n, token)) = out {
        // The in-process token is not handed out: the library's own array is.
        let _ = e.free_buffer(token);
        let list = e.instance_info();
        let addr = crate::buffers::instance_info(&list, w.info().charset == Charset::W);
        // SAFETY: both pointers are non-NULL (checked by the engine), of their C types.
        unsafe {
            pc.write_unaligned(n);
            pa.write_unaligned(addr);
        }
    }
    Ok(err)
}

/// JetReadFile[Instance] (spec 6.4): `hfFile, pv, cb, pcbActual`.
unsafe fn read(e: &mut Engine, target: Target, w: &Words) -> Result<ErrorCode, ArgError> {
    let hf = handle(w.word("hfFile")?);
    let pv = ptr::<u8>(w.word("pv")?);
    let cb = w.word("cb")? as u32;
    let pcb = ptr::<u32>(w.word("pcbActual")?);
    if pv.is_null() && cb > 0 {
        // ESENT would fault (spec 6.4); answered as the in-process mock answers.
        return Ok(E::JET_errInvalidParameter);
    }
    let buf: &mut [u8] = if pv.is_null() {
        &mut []
    } else {
        // SAFETY: the caller's buffer has `cb` bytes (ESENT's contract for pv/cb).
        unsafe { std::slice::from_raw_parts_mut(pv, cb as usize) }
    };
    let aligned = (pv as usize) % OS_PAGE == 0;
    let mut out = ReadOut::default();
    let err = e.read_file(target, hf, buf, aligned, &mut out);
    if let (false, Some(n)) = (pcb.is_null(), out.cb_actual) {
        // SAFETY: non-NULL `unsigned long*`.
        unsafe { pcb.write_unaligned(n) };
    }
    Ok(err)
}

/// The list calls (spec 6.2, 6.6, 6.7): `szz, cbMax, pcbActual[, pLogInfo]`.
unsafe fn list(e: &mut Engine, target: Target, w: &Words) -> Result<ErrorCode, ArgError> {
    let info = w.info();
    let wide = info.charset == Charset::W;
    let szz = ptr::<u8>(w.word("szz")?);
    let cb_max = w.word("cbMax")? as u32;
    let pcb = ptr::<u32>(w.word("pcbActual")?);
    let li_word = if info.op == Op::GetLogInfo2 {
        w.word("pLogInfo")?
    } else {
        0
    };
    let args = ListArgs {
        charset: if wide { ListCharset::W } else { ListCharset::A },
        buffer: !szz.is_null(),
        cb_max,
    };
    let mut out = ListOut::default();
    let err = match info.op {
        Op::GetAttachInfo => e.get_attach_info(target, args, &mut out),
        Op::GetTruncateLogInfo => e.get_truncate_log_info(target, args, &mut out),
        _ => {
            // SAFETY: NULL or the caller's JET_LOGINFO of this character set.
            let cb = unsafe { loginfo(li_word, wide) }.map(|l| l.cb_size);
            e.get_log_info(target, args, cb, &mut out)
        }
    };
    if let (false, Some(bytes)) = (szz.is_null(), &out.written) {
        let n = bytes.len().min(cb_max as usize);
        // SAFETY: the caller's buffer has cbMax bytes; at most that many are copied.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), szz, n) };
    }
    if let (false, Some(n)) = (pcb.is_null(), out.cb_actual) {
        // SAFETY: non-NULL `unsigned long*`.
        unsafe { pcb.write_unaligned(n) };
    }
    if let (true, Some(l)) = (li_word != 0, &out.log_info) {
        if wide {
            let p = ptr::<JetLogInfoW>(li_word);
            // SAFETY: the caller's JET_LOGINFO_W (20 bytes, spec 1.2); cbSize is kept.
            unsafe {
                let mut v = p.read_unaligned();
                v.ul_gen_low = l.gen_low;
                v.ul_gen_high = l.gen_high;
                v.sz_base_name = [0; 4];
                for (d, s) in v
                    .sz_base_name
                    .iter_mut()
                    .zip(l.base_name.encode_utf16().take(3))
                {
                    *d = s;
                }
                p.write_unaligned(v);
            }
        } else {
            let p = ptr::<JetLogInfoA>(li_word);
            // SAFETY: the caller's JET_LOGINFO_A (16 bytes, spec 1.2); cbSize is kept.
            unsafe {
                let mut v = p.read_unaligned();
                v.ul_gen_low = l.gen_low;
                v.ul_gen_high = l.gen_high;
                v.sz_base_name = [0; 4];
                for (d, s) in v.sz_base_name.iter_mut().zip(l.base_name.bytes().take(3)) {
                    *d = s;
                }
                p.write_unaligned(v);
            }
        }
    }
    Ok(err)
}

/// Runs `f` with the caller's `JET_PFNSTATUS` (spec 1.2) as the mock's status function: each
/// event is passed on with `JET_sesidNil` and, for progress, a `JET_SNPROG`.
fn with_status(
    e: &mut Engine,
    pfn: Pfn,
    f: impl FnOnce(&mut Engine, StatusFn) -> ErrorCode,
) -> ErrorCode {
    let Some(cb) = pfn else {
        return f(e, None);
    };
    let mut forward = move |e: &mut Engine, ev: StatusEvent| {
        let mut prog = ev.done.map(|d| JetSnprog {
            cb_struct: std::mem::size_of::<JetSnprog>() as u32,
            cunit_done: d,
            cunit_total: ev.total.unwrap_or(0),
        });
        let pv = prog
            .as_mut()
            .map(|p| p as *mut JetSnprog as *mut std::ffi::c_void)
            .unwrap_or(std::ptr::null_mut());
        // SAFETY: the caller's callback, called with the documented JET_PFNSTATUS arguments;
        // `pv` is NULL or a JET_SNPROG alive for the call. Its return value is ignored, as
        // ESENT ignores it (spec 1.2).
        global::in_callback(e, || unsafe { cb(SESID_NIL, ev.snp, ev.snt, pv) });
    };
    f(e, Some(&mut forward))
}

unsafe fn with_callback(e: &mut Engine, target: Target, w: &Words) -> Result<ErrorCode, ArgError> {
    let info = w.info();
    let wide = info.charset == Charset::W;
    // SAFETY (strings below): per `entry`'s contract, NULL or NUL-terminated.
    let s = |name: &str| w.word(name).map(|word| unsafe { string(word, wide) });
    let pfn = |name: &str| w.word(name).map(Pfn::from_word);
    Ok(match info.op {
        Op::Backup => {
            let (path, grbit, pfn) = (
                s("szBackupPath")?,
                w.word("grbit")? as u32,
                pfn("pfnStatus")?,
            );
            with_status(e, pfn, |e, st| e.backup(target, path.as_deref(), grbit, st))
        }
        Op::Restore | Op::Restore2 | Op::RestoreInstance => {
            let t = match info.op {
                Op::RestoreInstance => RestoreTarget::Instance(args::instance(w.word("instance")?)),
                _ => RestoreTarget::Legacy,
            };
            let (src, dest) = if info.op == Op::Restore {
                (s("szSource")?, None)
            } else {
                (s("sz")?, s("szDest")?)
            };
            let pfn = pfn("pfn")?;
            with_status(e, pfn, |e, st| {
                e.restore(t, src.as_deref(), dest.as_deref(), st)
            })
        }
        _ => {
            let v2 = info.op == Op::ExternalRestore2;
            let count = w.word("crstfilemap")? as u32 as i32;
            let map_word = w.word("rgrstmap")?;
            // SAFETY: per `entry`'s contract, `count` entries (none when negative).
            let map =
                unsafe { rstmap(map_word, count.clamp(0, 1 << 12) as usize, wide) }.map(|m| {
                    m.into_iter()
                        .map(|e| RstMap {
                            database_name: e.database_name.map(text),
                            new_database_name: e.new_database_name.map(text),
                        })
                        .collect()
                });
            let mut x = ExternalRestore {
                v2,
                ansi: !wide,
                checkpoint_path: s("szCheckpointFilePath")?,
                log_path: s("szLogPath")?,
                map,
                count,
                backup_log_path: s("szBackupLogPath")?,
                ..Default::default()
            };
            if v2 {
                let size = if wide { 20 } else { 16 };
                let li_word = w.word("pLogInfo")?;
                // SAFETY: NULL or the caller's JET_LOGINFO of this character set.
                if let Some(li) = unsafe { loginfo(li_word, wide) } {
                    x.log_info = Some((li.cb_size == size, li.base_name.clone()));
                    x.gen_low = li.gen_low as i32;
                    x.gen_high = li.gen_high as i32;
                }
                x.target_name = s("szTargetInstanceName")?;
                x.target_log_path = s("szTargetInstanceLogPath")?;
                x.target_checkpoint_path = s("szTargetInstanceCheckpointPath")?;
            } else {
                x.gen_low = w.word("genLow")? as u32 as i32;
                x.gen_high = w.word("genHigh")? as u32 as i32;
            }
            with_status(e, pfn("pfn")?, |e, st| e.external_restore(&x, st))
        }
    })
}

fn text(t: jetconform_interface::Text) -> String {
    match t {
        jetconform_interface::Text::Plain(s) | jetconform_interface::Text::Raw(s) => s,
        jetconform_interface::Text::Path { path, .. } => path,
    }
}

/// The environment variable that arms fault hooks on every instance the library initializes:
/// a comma-separated list of hook names (`jetconform_mock::faults`), e.g.
/// `JETCONFORM_MOCK_FAULTS=read_file_fail:2:JET_errDiskIO`.
pub const FAULTS_ENV: &str = "JETCONFORM_MOCK_FAULTS";

/// Arms the hooks of `FAULTS_ENV` on the instance a successful JetInit started.
fn arm_env_faults(e: &mut Engine, call: &Call, o: &jetconform_interface::Observation) {
    let Ok(list) = std::env::var(FAULTS_ENV) else {
        return;
    };
    // The instance JetInit wrote back, else the one it was given (`*pinstance`).
    let inst = match (o.outputs.get("pinstance"), call.args.first()) {
        (Some(jetconform_interface::OutValue::Handle(h)), _) => *h,
        (_, Some(jetconform_interface::Arg::InOut(Some(h)))) => *h,
        _ => 0,
    };
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let _ = e.verb_fault(inst, name);
    }
}
