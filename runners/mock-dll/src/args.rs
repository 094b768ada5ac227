//! C arguments (as marshalling words) to the mock's `Call` vocabulary, and the mock's
//! outputs written back through the caller's pointers.

use jetconform_ffi::abi::{JetLogInfoA, JetLogInfoW, JetRstInfo, JetRstMap, JetSetSysParam};
use jetconform_ffi::marshal::strings::{read_a, read_w};
use jetconform_interface::functions::{Charset, FunctionInfo, ParamDefault};
use jetconform_interface::{
    Arg, Buffer, LogInfo, Observation, OutValue, ParamType, RstInfo, RstMapEntry, SysParamEntry,
    Text,
};

/// A pointer word as a pointer.
pub fn ptr<T>(word: u64) -> *mut T {
    word as usize as *mut T
}

/// A handle word as the interface's 64-bit handle (`JET_instanceNil` stays all ones).
pub fn handle(word: u64) -> u64 {
    let h = word as usize;
    if h == usize::MAX {
        u64::MAX
    } else {
        h as u64
    }
}

/// The high halves of the model's instance and session handles (`jetconform_mock`'s
/// `FIRST_HANDLE` and `FIRST_SESID`; a test holds them equal).
pub const INSTANCE_TAG: u64 = 0x0000_7E57_0000_0000;
pub const SESID_TAG: u64 = 0x0000_5E55_0000_0000;

/// A handle word of the given kind. On 32-bit Windows a `JET_INSTANCE` or `JET_SESID` is 32
/// bits: the model's 64-bit handles leave through the ABI with their high half cut off, and
/// come back here with it restored (a value the model never gave out stays one it does not
/// know, whatever its high half).
pub fn handle_of(word: u64, tag: u64) -> u64 {
    let h = handle(word);
    if cfg!(target_pointer_width = "32") && h != 0 && h != u64::MAX && h >> 32 == 0 {
        h | tag
    } else {
        h
    }
}

/// An instance word (`JET_INSTANCE`).
pub fn instance(word: u64) -> u64 {
    handle_of(word, INSTANCE_TAG)
}

/// A session word (`JET_SESID`).
pub fn sesid(word: u64) -> u64 {
    handle_of(word, SESID_TAG)
}

/// Reads a string parameter in the function's character set.
///
/// # Safety
/// `word` is NULL or a NUL-terminated string of that character set.
pub unsafe fn string(word: u64, wide: bool) -> Option<String> {
    if wide {
        // SAFETY: per the contract.
        unsafe { read_w(ptr(word)) }
    } else {
        // SAFETY: per the contract.
        unsafe { read_a(ptr(word)) }
    }
}

fn text(s: Option<String>) -> Option<Text> {
    s.map(Text::Plain)
}

/// The value of the count/size parameter that goes with parameter `name`.
fn count_of(info: &'static FunctionInfo, words: &[u64], name: &str) -> usize {
    info.params
        .iter()
        .zip(words)
        .find(|(p, _)| p.default == ParamDefault::SizeOf(name_of(info, name)))
        .map(|(_, w)| (*w as u32 as i32).max(0) as usize)
        .unwrap_or(0)
        // ESENT reads what it is told to; the mock reads no more than a sane amount.
        .min(1 << 12)
}

fn name_of(info: &'static FunctionInfo, name: &str) -> &'static str {
    info.params
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.name)
        .unwrap_or("")
}

/// Reads a `JET_LOGINFO_A/W`.
///
/// # Safety
/// `word` is NULL or points at the struct of the function's character set.
pub unsafe fn loginfo(word: u64, wide: bool) -> Option<LogInfo> {
    if word == 0 {
        return None;
    }
    Some(if wide {
        // SAFETY: per the contract.
        let l = unsafe { std::ptr::read_unaligned(ptr::<JetLogInfoW>(word)) };
        let end = l.sz_base_name.iter().position(|c| *c == 0).unwrap_or(4);
        LogInfo {
            cb_size: l.cb_size,
            gen_low: l.ul_gen_low,
            gen_high: l.ul_gen_high,
            base_name: String::from_utf16_lossy(&l.sz_base_name[..end]),
        }
    } else {
        // SAFETY: per the contract.
        let l = unsafe { std::ptr::read_unaligned(ptr::<JetLogInfoA>(word)) };
        let end = l.sz_base_name.iter().position(|c| *c == 0).unwrap_or(4);
        LogInfo {
            cb_size: l.cb_size,
            gen_low: l.ul_gen_low,
            gen_high: l.ul_gen_high,
            base_name: l.sz_base_name[..end].iter().map(|c| *c as char).collect(),
        }
    })
}

/// Reads `count` `JET_RSTMAP` entries.
///
/// # Safety
/// `word` is NULL or points at `count` entries whose strings are NULL or NUL-terminated.
pub unsafe fn rstmap(word: u64, count: usize, wide: bool) -> Option<Vec<RstMapEntry>> {
    if word == 0 {
        return None;
    }
    let p = ptr::<JetRstMap>(word);
    Some(
        (0..count)
            .map(|i| {
                // SAFETY: per the contract, entry `i` exists.
                let e = unsafe { std::ptr::read_unaligned(p.add(i)) };
                RstMapEntry {
                    // SAFETY: per the contract.
                    database_name: text(unsafe { string(e.database_name as usize as u64, wide) }),
                    // SAFETY: per the contract.
                    new_database_name: text(unsafe {
                        string(e.new_database_name as usize as u64, wide)
                    }),
                }
            })
            .collect(),
    )
}

/// Builds the `Arg` of every parameter, as the in-process mock receives them.
///
/// # Safety
/// Every word must be valid for its parameter's C type (the caller's side of the ABI).
pub unsafe fn args(info: &'static FunctionInfo, words: &[u64]) -> Vec<Arg> {
    let wide = info.charset == Charset::W;
    info.params
        .iter()
        .zip(words)
        .map(|(p, &w)| match p.ty {
            ParamType::Instance => Arg::Handle(instance(w)),
            // The model's tableids share the sessions' high half (`jetconform_mock::tables`).
            ParamType::Sesid | ParamType::TableId => Arg::Handle(sesid(w)),
            // SAFETY: per the contract, a `JET_COLUMNDEF*`; coltyp is at offset 8.
            ParamType::ColumnDef => Arg::U32(if w == 0 {
                0
            } else {
                unsafe { std::ptr::read_unaligned(ptr::<u32>(w).add(2)) }
            }),
            // SAFETY: per the contract, `cbData` bytes at `pvData`.
            ParamType::Str(jetconform_interface::functions::StrKind::Data) => {
                Arg::Str((w != 0).then(|| {
                    let n = count_of(info, words, p.name);
                    let bytes = unsafe { std::slice::from_raw_parts(ptr::<u8>(w), n) };
                    Text::Plain(String::from_utf8_lossy(bytes).into_owned())
                }))
            }
            ParamType::FileHandle | ParamType::ApiPtr => Arg::Handle(handle(w)),
            ParamType::Dbid | ParamType::ULong | ParamType::Grbit(_) | ParamType::ParamId => {
                Arg::U32(w as u32)
            }
            ParamType::Long => Arg::I32(w as u32 as i32),
            ParamType::U64 => Arg::U64(w),
            // SAFETY: per the contract.
            ParamType::Str(_) => Arg::Str(text(unsafe { string(w, wide) })),
            ParamType::InstanceOut
            | ParamType::SesidOut
            | ParamType::TableIdOut
            | ParamType::FileHandleOut
            | ParamType::DbidOut
            | ParamType::OutULong
            | ParamType::OutApiPtr
            | ParamType::OutLong
            | ParamType::OutNames => Arg::Out(w != 0),
            ParamType::InstanceInOut => Arg::InOut(if w == 0 {
                None
            } else {
                // SAFETY: per the contract, a non-NULL `JET_INSTANCE*`.
                Some(instance(unsafe { *ptr::<usize>(w) } as u64))
            }),
            ParamType::OutBuffer(_) => Arg::Buffer((w != 0).then(|| Buffer {
                size: count_of(info, words, p.name) as u32,
                offset: (w % 4096) as u32,
                save_to: None,
            })),
            // SAFETY: per the contract.
            ParamType::LogInfo => Arg::LogInfo(unsafe { loginfo(w, wide) }),
            // SAFETY: per the contract.
            ParamType::RstMap => {
                Arg::RstMap(unsafe { rstmap(w, count_of(info, words, p.name), wide) })
            }
            ParamType::SetSysParams => Arg::SetSysParams((w != 0).then(|| {
                let base = ptr::<JetSetSysParam>(w);
                (0..count_of(info, words, p.name))
                    .map(|i| {
                        // SAFETY: per the contract, the array has this many entries.
                        let e = unsafe { std::ptr::read_unaligned(base.add(i)) };
                        SysParamEntry {
                            paramid: e.paramid,
                            lparam: e.lparam as u64,
                            // SAFETY: per the contract.
                            sz: text(unsafe { string(e.sz as usize as u64, wide) }),
                        }
                    })
                    .collect()
            })),
            ParamType::RstInfo => Arg::RstInfo((w != 0).then(|| {
                // cbStruct first: a wrong cbStruct is the error (spec 1.2), and the rest of a
                // struct of the wrong size cannot be trusted. With the right size the map is
                // read too, so the engine sees what the in-process mock sees (its
                // `pfnStatus` is taken by `special::init3`).
                // SAFETY: per the contract, a `JET_RSTINFO*`; cbStruct is its first field.
                let cb_struct =
                    unsafe { std::ptr::read_unaligned(ptr::<JetRstInfo>(w).cast::<u32>()) };
                let mut rstmap = Vec::new();
                if cb_struct as usize == std::mem::size_of::<JetRstInfo>() {
                    // SAFETY: a whole `JET_RSTINFO` of this character set (cbStruct says so).
                    let r = unsafe { std::ptr::read_unaligned(ptr::<JetRstInfo>(w)) };
                    let count = (r.crstmap.max(0) as usize).min(1 << 12);
                    // SAFETY: `count` entries of the caller's map (ESENT's contract).
                    rstmap = unsafe { self::rstmap(r.rgrstmap as usize as u64, count, wide) }
                        .unwrap_or_default();
                }
                RstInfo {
                    cb_struct,
                    rstmap,
                    callback: None,
                }
            })),
            ParamType::Callback => Arg::Callback(None),
        })
        .collect()
}

/// Writes the observation's handle and integer outputs through the caller's pointers.
///
/// # Safety
/// Every non-NULL output word must point at its parameter's C type.
pub unsafe fn write_outputs(info: &'static FunctionInfo, words: &[u64], o: &Observation) {
    for (p, &w) in info.params.iter().zip(words) {
        if w == 0 {
            continue;
        }
        match (p.ty, o.outputs.get(p.name)) {
            (
                ParamType::InstanceOut
                | ParamType::InstanceInOut
                | ParamType::SesidOut
                | ParamType::TableIdOut
                | ParamType::FileHandleOut
                | ParamType::OutApiPtr,
                Some(OutValue::Handle(v)),
            ) => {
                // SAFETY: per the contract, a `JET_API_PTR*`.
                unsafe { std::ptr::write_unaligned(ptr::<usize>(w), *v as usize) }
            }
            (ParamType::DbidOut | ParamType::OutULong, Some(OutValue::U32(v))) => {
                // SAFETY: per the contract, an `unsigned long*`.
                unsafe { std::ptr::write_unaligned(ptr::<u32>(w), *v) }
            }
            (ParamType::OutLong, Some(OutValue::I32(v))) => {
                // SAFETY: per the contract, a `long*`.
                unsafe { std::ptr::write_unaligned(ptr::<i32>(w), *v) }
            }
            (
                ParamType::OutBuffer(jetconform_interface::functions::BufferKind::Data),
                Some(OutValue::Strings { items, .. }),
            ) => {
                // A column value: its bytes, no more than the buffer's size.
                let bytes = items.first().map(|t| t.as_bytes()).unwrap_or(&[]);
                let n = bytes.len().min(count_of(info, words, p.name));
                // SAFETY: per the contract, a buffer of the size passed with it.
                unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr::<u8>(w), n) }
            }
            (ParamType::OutLong, Some(OutValue::U32(v))) => {
                // SAFETY: per the contract, a `long*`.
                unsafe { std::ptr::write_unaligned(ptr::<u32>(w), *v) }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jetconform_interface::{Call, Function, WinVersion};

    fn handle_out(e: &mut jetconform_mock::Engine, call: Call, name: &str) -> u64 {
        match e.dispatch(&call).outputs.get(name) {
            Some(OutValue::Handle(h)) => *h,
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn tags_are_the_model_s_high_halves() {
        let dir = tempfile::tempdir().unwrap();
        let mut e = jetconform_mock::Engine::new(WinVersion::Win7, dir.path());
        let inst = handle_out(
            &mut e,
            Call {
                function: Function::JetCreateInstance,
                args: vec![Arg::Out(true), Arg::Str(None)],
            },
            "pinstance",
        );
        assert_eq!(inst >> 32 << 32, INSTANCE_TAG);
        let init = e.dispatch(&Call {
            function: Function::JetInit,
            args: vec![Arg::InOut(Some(inst))],
        });
        assert_eq!(init.code(), Some(jetconform_interface::ErrorCode(0)));
        let sesid = handle_out(
            &mut e,
            Call {
                function: Function::JetBeginSession,
                args: vec![
                    Arg::Handle(inst),
                    Arg::Out(true),
                    Arg::Str(None),
                    Arg::Str(None),
                ],
            },
            "psesid",
        );
        assert_eq!(sesid >> 32 << 32, SESID_TAG);
    }
}
