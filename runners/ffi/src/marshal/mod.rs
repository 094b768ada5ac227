//! From a `Call` to the words of a C call and back: every argument marshalled per its
//! catalogue `ParamType` (spec 1), every output pointer pre-filled with a sentinel so that an
//! output the engine left alone is reported `Unwritten`, and the outputs read back by C name.

pub mod loginfo;
pub mod strings;
pub mod structs;

use crate::abi::AbiValue;
use crate::buffers::OutBuffer;
use crate::callbacks::Recorded;
use jetconform_interface::functions::{BufferKind, Charset, FunctionInfo, ParamDefault, StrKind};
use jetconform_interface::{Arg, Call, ErrorCode, Observation, Op, OutValue, ParamType, Text};
use loginfo::LogInfoSlot;
use strings::CString;
use structs::{RstInfoBox, RstMapArray, SysParamArray};

/// Written into `JET_INSTANCE*`/`JET_SESID*`/`JET_HANDLE*` outputs before the call.
pub const HANDLE_SENTINEL: usize = 0x5E47_1E15_5E47_1E15_u64 as usize;
/// Written into `unsigned long*`/`long*`/`JET_DBID*` outputs before the call.
pub const U32_SENTINEL: u32 = 0xC0DE_5E47;

/// Storage behind one argument, alive until the outputs are read.
enum Slot {
    None,
    Str(#[allow(dead_code)] CString),
    Handle(Box<usize>, Option<u64>),
    U32(Box<u32>),
    I32(Box<i32>),
    Buffer(OutBuffer, BufferKind, Option<String>),
    LogInfo(LogInfoSlot, jetconform_interface::LogInfo),
    RstMap(#[allow(dead_code)] RstMapArray),
    SysParams(#[allow(dead_code)] SysParamArray),
    RstInfo(#[allow(dead_code)] RstInfoBox),
    /// Bytes passed by pointer (a column value, a `JET_COLUMNDEF`).
    Bytes(#[allow(dead_code)] Box<[u8]>),
}

/// `JET_COLUMNDEF` (esent.h, 28 bytes): cbStruct, columnid, coltyp, wCountry, langid, cp,
/// wCollate, cbMax, grbit. Text columns get code page 1252 (esent.h's `usEnglishCodePage`).
fn column_def(coltyp: u32) -> Box<[u8]> {
    let cp: u32 = if coltyp == 10 || coltyp == 12 {
        1252
    } else {
        0
    };
    [28u32, 0, coltyp, 0, cp, 0, 0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect()
}

/// One marshalled call.
pub struct Frame {
    slots: Vec<Slot>,
    pub words: Vec<u64>,
    /// The callback's nested call, when the call passes a callback (`Some(None)`: a
    /// callback without a nested call).
    pub callback: Option<Option<Call>>,
    info: &'static FunctionInfo,
}

fn mismatch(info: &FunctionInfo, i: usize) -> String {
    let name = info.params.get(i).map(|p| p.name).unwrap_or("?");
    format!(
        "argument {i} ({name}) of {} has an unexpected form",
        info.name
    )
}

/// The value of the size parameter that sizes buffer parameter `name` (`cbMax`, `cb`), when
/// the function has one.
fn claimed_size(call: &Call, name: &str) -> Option<u32> {
    let info = call.function.info();
    info.params
        .iter()
        .zip(&call.args)
        .find(|(p, _)| p.default == ParamDefault::SizeOf(name_static(info, name)))
        .and_then(|(_, a)| match a {
            Arg::U32(v) => Some(*v),
            Arg::I32(v) => Some((*v).max(0) as u32),
            _ => None,
        })
}

fn name_static(info: &'static FunctionInfo, name: &str) -> &'static str {
    info.params
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.name)
        .unwrap_or("")
}

/// The count passed with list parameter `name` (`crstfilemap`, `csetsysparam`).
fn claimed_count(call: &Call, name: &str) -> usize {
    claimed_size(call, name).unwrap_or(0) as usize
}

impl Frame {
    /// Marshals `call`; `text` makes a `Text` concrete (sandbox paths absolutized).
    pub fn build(call: &Call, text: &dyn Fn(&Text) -> String) -> Result<Frame, String> {
        let info = call.function.info();
        let wide = info.charset == Charset::W;
        let mut slots = Vec::with_capacity(info.params.len());
        let mut words = Vec::with_capacity(info.params.len());
        let mut callback = None;
        for (i, (p, a)) in info.params.iter().zip(&call.args).enumerate() {
            let (word, slot) = match (p.ty, a) {
                (
                    ParamType::Instance
                    | ParamType::Sesid
                    | ParamType::TableId
                    | ParamType::FileHandle
                    | ParamType::ApiPtr,
                    Arg::Handle(v) | Arg::U64(v),
                ) => ((*v as usize).to_word(), Slot::None),
                (ParamType::ColumnDef, Arg::U32(coltyp)) => {
                    let b = column_def(*coltyp);
                    (b.as_ptr().to_word(), Slot::Bytes(b))
                }
                (ParamType::Str(StrKind::Data), Arg::Str(Some(t))) => {
                    // The value's bytes; the size goes in its own parameter (no NUL counted).
                    let mut v = text(t).into_bytes();
                    v.push(0);
                    let b = v.into_boxed_slice();
                    (b.as_ptr().to_word(), Slot::Bytes(b))
                }
                (
                    ParamType::Dbid | ParamType::ULong | ParamType::Grbit(_) | ParamType::ParamId,
                    Arg::U32(v),
                ) => (v.to_word(), Slot::None),
                (ParamType::Long, Arg::I32(v)) => (v.to_word(), Slot::None),
                (ParamType::Long, Arg::U32(v)) => ((*v as i32).to_word(), Slot::None),
                (ParamType::U64, Arg::U64(v)) => (v.to_word(), Slot::None),
                (ParamType::Str(_), Arg::Str(None)) => (0, Slot::None),
                (ParamType::Str(_), Arg::Str(Some(t))) => {
                    let s = CString::new(&text(t), wide);
                    (s.as_ptr().to_word(), Slot::Str(s))
                }
                (
                    ParamType::InstanceOut
                    | ParamType::SesidOut
                    | ParamType::TableIdOut
                    | ParamType::FileHandleOut
                    | ParamType::OutApiPtr,
                    Arg::Out(present),
                ) => {
                    if *present {
                        let mut b = Box::new(HANDLE_SENTINEL);
                        ((&mut *b as *mut usize).to_word(), Slot::Handle(b, None))
                    } else {
                        (0, Slot::None)
                    }
                }
                (ParamType::InstanceInOut, Arg::InOut(v)) => match v {
                    None => (0, Slot::None),
                    Some(v) => {
                        let mut b = Box::new(*v as usize);
                        ((&mut *b as *mut usize).to_word(), Slot::Handle(b, Some(*v)))
                    }
                },
                (ParamType::DbidOut | ParamType::OutULong, Arg::Out(present)) => {
                    if *present {
                        let mut b = Box::new(U32_SENTINEL);
                        ((&mut *b as *mut u32).to_word(), Slot::U32(b))
                    } else {
                        (0, Slot::None)
                    }
                }
                (ParamType::OutLong, Arg::Out(present)) => {
                    if *present {
                        let mut b = Box::new(U32_SENTINEL as i32);
                        ((&mut *b as *mut i32).to_word(), Slot::I32(b))
                    } else {
                        (0, Slot::None)
                    }
                }
                (ParamType::OutBuffer(_), Arg::Buffer(None)) => (0, Slot::None),
                (ParamType::OutBuffer(kind), Arg::Buffer(Some(b))) => {
                    let mut buf = OutBuffer::new(b.size, b.offset, claimed_size(call, p.name));
                    (
                        buf.as_mut_ptr().to_word(),
                        Slot::Buffer(buf, kind, b.save_to.clone()),
                    )
                }
                (ParamType::LogInfo, Arg::LogInfo(None)) => (0, Slot::None),
                (ParamType::LogInfo, Arg::LogInfo(Some(li))) => {
                    let mut s = LogInfoSlot::new(li, wide);
                    let before = s.read();
                    (s.as_mut_ptr().to_word(), Slot::LogInfo(s, before))
                }
                (ParamType::RstMap, Arg::RstMap(None)) => (0, Slot::None),
                (ParamType::RstMap, Arg::RstMap(Some(list))) => {
                    let m = RstMapArray::new(list, claimed_count(call, p.name), text, wide);
                    (m.as_ptr().to_word(), Slot::RstMap(m))
                }
                (ParamType::SetSysParams, Arg::SetSysParams(None)) => (0, Slot::None),
                (ParamType::SetSysParams, Arg::SetSysParams(Some(list))) => {
                    let mut m = SysParamArray::new(list, claimed_count(call, p.name), text, wide);
                    (m.as_mut_ptr().to_word(), Slot::SysParams(m))
                }
                (ParamType::RstInfo, Arg::RstInfo(None)) => (0, Slot::None),
                (ParamType::RstInfo, Arg::RstInfo(Some(r))) => {
                    if let Some(cb) = &r.callback {
                        callback = Some(cb.nested.as_deref().cloned());
                    }
                    let b =
                        RstInfoBox::new(r.cb_struct, &r.rstmap, r.callback.is_some(), text, wide);
                    (
                        (&*b.info as *const crate::abi::JetRstInfo).to_word(),
                        Slot::RstInfo(b),
                    )
                }
                (ParamType::Callback, Arg::Callback(None)) => (0, Slot::None),
                (ParamType::Callback, Arg::Callback(Some(cb))) => {
                    callback = Some(cb.nested.as_deref().cloned());
                    let f: crate::abi::Pfn = Some(crate::callbacks::trampoline);
                    (f.to_word(), Slot::None)
                }
                _ => return Err(mismatch(info, i)),
            };
            words.push(word);
            slots.push(slot);
        }
        Ok(Frame {
            slots,
            words,
            callback,
            info,
        })
    }

    /// The observation of a call that returned `code`: every non-NULL output by C name.
    pub fn observe(
        &self,
        code: i32,
        recorded: Option<Recorded>,
        root: &str,
        notes: &mut Vec<String>,
    ) -> Observation {
        let info = self.info;
        let code = ErrorCode(code);
        let mut o = Observation::returned(code);
        let wide = info.charset == Charset::W;
        // pcbActual as written, for the byte count of a read buffer.
        let cb_actual = info
            .params
            .iter()
            .zip(&self.slots)
            .find_map(|(p, s)| match (p.name, s) {
                ("pcbActual", Slot::U32(v)) if **v != U32_SENTINEL => Some(**v),
                _ => None,
            });
        let mut violations = Vec::new();
        for (p, slot) in info.params.iter().zip(&self.slots) {
            if let Slot::Buffer(buf, ..) = slot {
                violations.extend(buf.violations(p.name));
            }
            let value = match slot {
                Slot::Handle(b, None) => Some(if **b == HANDLE_SENTINEL {
                    OutValue::Unwritten
                } else {
                    OutValue::Handle(**b as u64)
                }),
                Slot::Handle(b, Some(before)) => {
                    let now = **b as u64;
                    // A value written back unchanged cannot be told from one left alone; the
                    // JetInit family writes the instance back on success (spec 9).
                    let init = matches!(info.op, Op::Init | Op::Init2 | Op::Init3);
                    Some(if now != *before || (init && code.is_success()) {
                        OutValue::Handle(now)
                    } else {
                        OutValue::Unwritten
                    })
                }
                Slot::U32(v) => Some(if **v == U32_SENTINEL {
                    OutValue::Unwritten
                } else {
                    OutValue::U32(**v)
                }),
                Slot::I32(v) => Some(if **v == U32_SENTINEL as i32 {
                    OutValue::Unwritten
                } else {
                    OutValue::I32(**v)
                }),
                Slot::Buffer(buf, BufferKind::Bytes, save_to) => {
                    let n = cb_actual.map(|n| n as usize).or_else(|| {
                        let w = buf.written_len();
                        (w > 0).then_some(w)
                    });
                    let claimed_too_much = n.is_some_and(|n| n > buf.allowed());
                    if let (Some(rel), true) = (save_to, claimed_too_much) {
                        // Not data: the call says it wrote more than it was given room for.
                        notes.push(format!(
                            "save_to {rel} skipped: pcbActual exceeds the {} bytes of cb",
                            buf.allowed()
                        ));
                    } else if let (Some(n), Some(rel)) = (n, save_to) {
                        let bytes = &buf.bytes()[..n.min(buf.size)];
                        if let Err(e) = append(root, rel, bytes) {
                            notes.push(format!("save_to {rel} failed: {e}"));
                        }
                    }
                    Some(
                        n.map(|n| OutValue::Bytes(n as u64))
                            .unwrap_or(OutValue::Unwritten),
                    )
                }
                Slot::Buffer(buf, BufferKind::Data, _) => {
                    // A column value: the bytes written, as pcbActual and the size allow.
                    let n = cb_actual.unwrap_or(0) as usize;
                    Some(if n == 0 || code.0 < 0 {
                        OutValue::Unwritten
                    } else {
                        OutValue::Strings {
                            items: vec![String::from_utf8_lossy(&buf.bytes()[..n.min(buf.size)])
                                .into_owned()],
                            terminated: true,
                        }
                    })
                }
                Slot::Buffer(buf, BufferKind::MultiString, _) => {
                    if buf.overran() {
                        o.undefined =
                            Some("cbMax exceeds the buffer: ESENT writes past its end".into());
                    }
                    let mut n = buf.written_len();
                    if wide && n % 2 == 1 {
                        n += 1;
                    }
                    Some(if n == 0 {
                        OutValue::Unwritten
                    } else {
                        strings::decode_szz(&buf.bytes()[..n.min(buf.size)], wide)
                    })
                }
                Slot::LogInfo(s, before) if info.op == Op::GetLogInfo2 => {
                    let now = s.read();
                    Some(if &now == before {
                        OutValue::Unwritten
                    } else {
                        OutValue::LogInfo(now)
                    })
                }
                _ => None,
            };
            if let Some(v) = value {
                o = o.with_output(p.name, v);
            }
        }
        o.violations = violations;
        if let Some(r) = recorded {
            // Reported as the mock reports it: the invocations under the callback's name,
            // or the nested observation there and the invocations under `<name>.callbacks`.
            let name = info
                .params
                .iter()
                .find(|p| matches!(p.ty, ParamType::Callback | ParamType::RstInfo))
                .map(|p| p.name)
                .unwrap_or("pfnStatus");
            match r.nested {
                Some(n) => {
                    o = o.with_output(name, OutValue::Nested(Box::new(n)));
                    o = o.with_output(&format!("{name}.callbacks"), OutValue::Callbacks(r.events));
                }
                None => o = o.with_output(name, OutValue::Callbacks(r.events)),
            }
        }
        o
    }
}

fn append(root: &str, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let p = crate::paths::sandbox_file(root, rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&p)?
        .write_all(bytes)
}
