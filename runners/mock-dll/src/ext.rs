//! The harness extension exports (documented in `jetconform_ffi::exports`): which exports the
//! emulated release has, and harness verbs carried out by the engine itself.

use jetconform_ffi::marshal::strings::read_a;
use jetconform_interface::functions::StrKind;
use jetconform_interface::{Arg, Call, ErrorCode, Function, ParamType, Text};

/// `int JetconformExported(const char* name)`: 1 when the emulated release exports `name`.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "system" fn JetconformExported(name: *const u8) -> i32 {
    // SAFETY: per the contract.
    let Some(name) = (unsafe { read_a(name) }) else {
        return 0;
    };
    match Function::by_name(&name) {
        Some(f) if !f.info().is_verb() => crate::global::exported(f) as i32,
        _ => 0,
    }
}

/// `JET_ERR JetconformVerbA(const char* verb, JET_API_PTR handle, const char* path1,
/// const char* path2, unsigned long n1, unsigned long n2)`: a harness verb (UTF-8 paths).
///
/// # Safety
/// Strings NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "system" fn JetconformVerbA(
    verb: *const u8,
    h: usize,
    path1: *const u8,
    path2: *const u8,
    n1: u32,
    n2: u32,
) -> i32 {
    // SAFETY: per the contract.
    let name = unsafe { read_a(verb) }.unwrap_or_default();
    let Some(f) = Function::by_name(&name).filter(|f| f.info().is_verb()) else {
        return ErrorCode::JET_errInvalidParameter.0;
    };
    // SAFETY: per the contract.
    let mut paths = [unsafe { read_a(path1) }, unsafe { read_a(path2) }].into_iter();
    let mut numbers = [n1, n2].into_iter();
    let args = f
        .info()
        .params
        .iter()
        .map(|p| match p.ty {
            ParamType::Str(StrKind::Path | StrKind::Text) => {
                Arg::Str(paths.next().flatten().map(Text::Plain))
            }
            ParamType::Sesid => Arg::Handle(crate::args::sesid(h as u64)),
            ParamType::Instance => Arg::Handle(crate::args::instance(h as u64)),
            // `list_dir` and `dir_exists` report outputs, which this extension cannot return:
            // callers read those folders themselves (the ffi runner's verbs.rs).
            ParamType::OutNames | ParamType::OutULong => Arg::Out(false),
            _ => Arg::U32(numbers.next().unwrap_or(0)),
        })
        .collect();
    let call = Call { function: f, args };
    crate::global::with_engine(|e| {
        e.dispatch(&call)
            .code()
            .unwrap_or(crate::special::NOT_AVAILABLE)
    })
}

/// `JET_ERR JetconformFault(JET_INSTANCE instance, const char* name)`: arms a fault hook of the
/// in-process mock on an instance (the names of `jetconform_mock::faults`, e.g.
/// `instance_unavailable`, `log_write_fail`, `read_io_error`, `read_file_fail:3:-1022`,
/// `clear`), so an application's tests can drive its error handling. In single-instance mode
/// the handle is ignored. Unknown instance: `JET_errInvalidParameter`; unknown name:
/// `JET_errFeatureNotAvailable`.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "system" fn JetconformFault(instance: usize, name: *const u8) -> i32 {
    // SAFETY: per the contract.
    let Some(name) = (unsafe { read_a(name) }) else {
        return ErrorCode::JET_errInvalidParameter.0;
    };
    crate::global::with_engine(|e| {
        match e.verb_fault(crate::args::instance(instance as u64), &name) {
            Ok(code) => code,
            Err(_) => crate::special::NOT_AVAILABLE,
        }
    })
}
