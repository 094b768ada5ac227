//! Harness verbs (docs/scenario-format.md). A library that exports the `JetconformVerbA`
//! extension (the mock library) carries them out itself, on its own view of the files;
//! otherwise they act on the real files: write/copy/delete files, make folders, damage a
//! database page or a log, and (Windows only: share modes are Windows semantics) hold a file
//! open exclusively so ESENT's opens fail with `JET_errFileAccessDenied` (spec 6.3).
//! `log_traffic` goes through the engine's own table calls (traffic.rs) and is listed only
//! when the library exports them; `fault` needs a model's hooks: it runs through the
//! `JetconformFault` extension where the library has one (the mock library), and its scenarios
//! are skipped with a reason elsewhere.

use crate::caller::Caller;
use jetconform_interface::functions::StrKind;
use jetconform_interface::{confine, Arg, Args, Call, ErrorCode, Function, Observation, ParamType};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

type E = ErrorCode;

/// Files held open by `lock_file`, until `unlock_file` or the end of the scenario.
#[derive(Default)]
pub struct Verbs {
    held: BTreeMap<PathBuf, std::fs::File>,
    /// `log_traffic` calls so far (each writes to a table of its own).
    traffic_runs: u32,
}

/// The verbs a runner on this library implements.
pub fn implemented(extension: bool, traffic: bool, fault_hooks: bool) -> Vec<String> {
    let mut v = vec![
        "corrupt_page",
        "corrupt_log",
        "delete_file",
        "write_file",
        "copy_file",
        "make_dir",
        "delete_dir",
        "rename_dir",
        "list_dir",
        "dir_exists",
    ];
    if extension || cfg!(windows) {
        v.extend(["lock_file", "unlock_file"]);
    }
    if extension || traffic {
        v.push("log_traffic");
    }
    if fault_hooks {
        v.push("fault");
    }
    v.into_iter().map(String::from).collect()
}

fn io_code(e: &std::io::Error) -> ErrorCode {
    match e.kind() {
        std::io::ErrorKind::NotFound => E::JET_errFileNotFound,
        std::io::ErrorKind::PermissionDenied => E::JET_errFileAccessDenied,
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            E::JET_errInvalidParameter
        }
        _ => E::JET_errDiskIO,
    }
}

fn code(r: std::io::Result<()>) -> ErrorCode {
    match r {
        Ok(()) => E::JET_errSuccess,
        Err(e) => io_code(&e),
    }
}

impl Verbs {
    pub fn run(&mut self, caller: &Arc<Caller>, call: &Call) -> Observation {
        if call.function == Function::fault {
            return fault(caller, call);
        }
        let info = call.function.info();
        let mut paths = Vec::new();
        let mut handle = 0u64;
        let mut numbers = Vec::new();
        for (p, a) in info.params.iter().zip(&call.args) {
            match (p.ty, a) {
                (ParamType::Str(StrKind::Path), Arg::Str(Some(t))) => paths.push(caller.text(t)),
                (ParamType::Sesid | ParamType::Instance, Arg::Handle(h)) => handle = *h,
                (ParamType::ULong | ParamType::Dbid, Arg::U32(n)) => numbers.push(*n),
                // list_dir's entries, dir_exists' exists: reported below.
                (ParamType::OutNames | ParamType::OutULong, Arg::Out(_)) => {}
                _ => {
                    return Observation::not_modelled(format!(
                        "argument {} of {} has an unexpected form",
                        p.name, call.function
                    ))
                }
            }
        }
        let root = Path::new(&caller.root);
        let path = |i: usize| PathBuf::from(paths.get(i).cloned().unwrap_or_default());
        // Reading a folder changes nothing the engine holds: done here, on the real files,
        // whatever the library (its extension answers codes only, not outputs).
        match call.function {
            Function::list_dir => return confine::list_dir(root, &path(0)),
            Function::dir_exists => return confine::dir_exists(root, &path(0)),
            Function::delete_dir | Function::rename_dir | Function::make_dir => {
                // Refused before the library sees it: the extension trusts its paths.
                let escapes = (0..paths.len())
                    .map(|i| confine::inside(root, &path(i), call.function == Function::make_dir))
                    .find_map(Result::err);
                if let Some(e) = escapes {
                    let mut o = Observation::returned(E::JET_errInvalidParameter);
                    o.notes.push(format!("refused: {e}"));
                    return o;
                }
            }
            _ => {}
        }
        if let Some(ext) = caller.exports.verb {
            return Observation::returned(ErrorCode(extension(
                ext,
                call.function,
                handle,
                &paths,
                &numbers,
            )));
        }
        let n = |i: usize| numbers.get(i).copied().unwrap_or(0);
        let c = match call.function {
            Function::write_file => code(write_file(&path(0), n(0))),
            Function::copy_file => code(
                ensure_parent(&path(1)).and_then(|_| std::fs::copy(path(0), path(1)).map(|_| ())),
            ),
            Function::delete_file => code(std::fs::remove_file(path(0))),
            Function::make_dir => return confine::make_dir(root, &path(0)),
            // Windows itself refuses to delete or move open files: no busy list here.
            Function::delete_dir => return confine::delete_dir(root, &path(0), &|_| false),
            Function::rename_dir => {
                return confine::rename_dir(root, &path(0), &path(1), &|_| false)
            }
            Function::corrupt_page => code(corrupt_page(&path(0), n(0))),
            Function::corrupt_log => code(flip(&path(0), n(0) as u64)),
            Function::lock_file => self.lock(&path(0)),
            Function::log_traffic => match &caller.exports.traffic {
                Some(t) => {
                    self.traffic_runs += 1;
                    let name = format!("jetconform_traffic_{}", self.traffic_runs);
                    ErrorCode(t.run(handle, n(0), n(1), &name))
                }
                None => {
                    return Observation::not_modelled(
                        "log_traffic needs JetCreateTable, JetSetColumn, JetUpdate and the \
                         transaction calls, which this library does not export",
                    )
                }
            },
            Function::unlock_file => {
                self.held.remove(&path(0));
                E::JET_errSuccess
            }
            other => {
                return Observation::not_modelled(format!(
                "verb {other} needs the engine's own calls; this library has no harness extension"
            ))
            }
        };
        Observation::returned(c)
    }

    #[cfg(windows)]
    fn lock(&mut self, p: &Path) -> ErrorCode {
        use std::os::windows::fs::OpenOptionsExt;
        // Share mode 0: no other open (ESENT's included) succeeds while this one is held.
        match std::fs::OpenOptions::new().read(true).share_mode(0).open(p) {
            Ok(f) => {
                self.held.insert(p.to_path_buf(), f);
                E::JET_errSuccess
            }
            Err(e) => io_code(&e),
        }
    }

    #[cfg(not(windows))]
    fn lock(&mut self, _p: &Path) -> ErrorCode {
        // Not listed in `implemented` off Windows; answer like an unsupported call.
        E::JET_errInvalidParameter
    }
}

fn extension(
    ext: crate::exports::VerbFn,
    f: Function,
    handle: u64,
    paths: &[String],
    numbers: &[u32],
) -> i32 {
    let c = |s: &str| {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        v
    };
    let name = c(f.name());
    let p1 = paths.first().map(|s| c(s));
    let p2 = paths.get(1).map(|s| c(s));
    let ptr = |v: &Option<Vec<u8>>| v.as_ref().map(|v| v.as_ptr()).unwrap_or(std::ptr::null());
    // SAFETY: the extension's documented signature (exports::EXT_VERB); every string is
    // NUL-terminated and alive for the call.
    unsafe {
        ext(
            name.as_ptr(),
            handle as usize,
            ptr(&p1),
            ptr(&p2),
            numbers.first().copied().unwrap_or(0),
            numbers.get(1).copied().unwrap_or(0),
        )
    }
}

fn ensure_parent(p: &Path) -> std::io::Result<()> {
    match p.parent() {
        Some(parent) => std::fs::create_dir_all(parent),
        None => Ok(()),
    }
}

fn write_file(p: &Path, size: u32) -> std::io::Result<()> {
    use std::io::Write;
    ensure_parent(p)?;
    let head: Vec<u8> = (0..size.min(1 << 20)).map(|i| (i % 251) as u8).collect();
    let f = std::fs::File::create(p)?;
    (&f).write_all(&head)?;
    f.set_len(size as u64)
}

/// ESENT's database header keeps the page size at this offset (`le_cbPageSize`).
const HEADER_PAGE_SIZE_OFFSET: u64 = 236;

/// Damages the middle of page `pgno` (after the two header pages) so its checksum fails
/// (spec 10.6).
fn corrupt_page(p: &Path, pgno: u32) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::OpenOptions::new().read(true).write(true).open(p)?;
    let mut word = [0u8; 4];
    f.seek(SeekFrom::Start(HEADER_PAGE_SIZE_OFFSET))?;
    f.read_exact(&mut word)?;
    let size = u32::from_le_bytes(word) as u64;
    // spec 10.2: 2 KiB to 32 KiB; anything else means the header is not ESENT's.
    let page = if size.is_power_of_two() && (2048..=32768).contains(&size) {
        size
    } else {
        4096
    };
    drop(f);
    flip(p, (pgno as u64 + 1) * page + page / 2)
}

/// Inverts 8 bytes at `offset`.
fn flip(p: &Path, offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().read(true).write(true).open(p)?;
    let len = f.metadata()?.len();
    if offset + 8 > len {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "offset past the end of the file",
        ));
    }
    let mut b = [0u8; 8];
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(&mut b)?;
    for x in &mut b {
        *x = !*x;
    }
    f.seek(SeekFrom::Start(offset))?;
    f.write_all(&b)
}

/// `fault`: arms a hook through the library's `JetconformFault` extension.
fn fault(caller: &Arc<Caller>, call: &Call) -> Observation {
    let Some(f) = caller.exports.fault else {
        return Observation::not_modelled("fault hooks exist only in a model");
    };
    let args = Args::of(call);
    let (inst, name) = match args
        .as_ref()
        .map(|a| (a.instance("instance"), a.text("fault")))
    {
        Ok((Ok(h), Ok(Some(t)))) => (h, caller.text(t)),
        _ => return Observation::not_modelled("fault takes an instance and a hook name"),
    };
    let Ok(name) = std::ffi::CString::new(name) else {
        return Observation::returned(E::JET_errInvalidParameter);
    };
    let h = if inst == u64::MAX {
        usize::MAX
    } else {
        inst as usize
    };
    // SAFETY: the extension's documented signature (`EXT_FAULT`); `name` outlives the call.
    let code = ErrorCode(unsafe { f(h, name.as_ptr().cast()) });
    if code.0 == -1001 {
        return Observation::not_modelled("the library does not know this fault hook");
    }
    Observation::returned(code)
}
