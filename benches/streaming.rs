//! Backing up a database through `JetReadFileInstance` in 1 MiB reads, in process (the mock
//! behind the `Runner` interface) and through the ffi runner against the mock library,
//! against plain 1 MiB reads of the same file from the page cache, in the same child process.
//! Each (runner, size) is its own child so that its peak memory is its own.

use crate::measure::{best, fail, mib, run_child, OrFail};
use crate::table::Table;
use jetconform_interface::{
    Arg, Call, Execution, Function, OutValue, Runner, ScenarioStart, Text, WinVersion,
};
use jetconform_mock::files::db::{self, DbHeader};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const SECTION: &str = "streaming";
pub const CHILD: &str = "JETCONFORM_BENCH_STREAM";
const READ: u32 = 1 << 20;
const PAGE: u32 = 4096;
const ROUNDS: usize = 3;

/// Parent side: one child per runner and size.
pub fn streaming(table: &mut Table, library: &Path, quick: bool) {
    let sizes: &[u64] = if quick { &[256] } else { &[256, 1024] };
    let exe = std::env::current_exe().or_fail("own path");
    let mut file_systems = std::collections::BTreeSet::new();
    for (kind, label) in [
        ("mock", "in process (mock)"),
        ("ffi", "ffi runner, mock library"),
    ] {
        let mut peaks = Vec::new();
        for &size in sizes {
            let cost = run_child(
                Command::new(&exe)
                    .env(CHILD, format!("{kind}:{size}"))
                    .env("JETCONFORM_BENCH_LIBRARY", library),
            );
            if !cost.success {
                fail(&format!("the {kind} streaming child failed"));
            }
            let words: Vec<&str> = cost.stdout.split_whitespace().collect();
            let (Some(plain), Some(through), Some(fs)) = (
                words.first().and_then(|w| w.parse::<f64>().ok()),
                words.get(1).and_then(|w| w.parse::<f64>().ok()),
                words.get(2),
            ) else {
                fail(&format!("unexpected child output: {}", cost.stdout));
            };
            file_systems.insert(format!("{label}: {fs}"));
            peaks.push((size, cost.peak_kib));
            if size == *sizes.last().unwrap_or(&size) {
                let ratio = through / plain;
                table.target(
                    SECTION,
                    format!("{label}: {size} MiB in 1 MiB ReadFile calls vs plain reads (best of {ROUNDS})"),
                    format!("{through:.0} vs {plain:.0} MiB/s: {ratio:.3}x"),
                    "≥ 0.7x",
                    ratio >= 0.7,
                );
            }
        }
        let worst = peaks.iter().map(|p| p.1).max().unwrap_or(0);
        let listed: Vec<String> = peaks
            .iter()
            .map(|(size, kib)| format!("{:.1} MiB at {size} MiB", mib(*kib)))
            .collect();
        table.target(
            SECTION,
            format!("{label}: peak memory of the whole process"),
            listed.join(", "),
            "< 64 MiB",
            mib(worst) < 64.0,
        );
    }
    table.context(
        SECTION,
        "the file system of each runner's sandbox (both references read from it)",
        file_systems.into_iter().collect::<Vec<_>>().join("; "),
    );
}

/// The type of the file system holding `file` (`tmpfs`, `ext4`), from /proc/self/mounts:
/// the mount point that is the longest prefix of its path.
fn file_system(file: &Path) -> String {
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let file = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    mounts
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let (_, point, kind) = (w.next()?, w.next()?, w.next()?);
            file.starts_with(point)
                .then(|| (point.len(), kind.to_string()))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "unknown".into(), |(_, kind)| kind)
}

/// Child side: `KIND:SIZE_MIB`. Prints the best plain and through-runner rates in MiB/s.
pub fn child(spec: &str) {
    let (kind, size) = spec
        .split_once(':')
        .and_then(|(k, s)| Some((k, s.parse::<u64>().ok()?)))
        .unwrap_or_else(|| fail(&format!("bad {CHILD} value `{spec}`")));
    // Both runners' sandboxes in the one folder `jetconform run` uses (memory where there is
    // /dev/shm), so that the two references read from the same file system: page-cache reads
    // from ext4 ran faster than from tmpfs, which made the ffi ratio look worse.
    let folder = jetconform_interface::sandbox::folder();
    let runner: Box<dyn Runner> = match kind {
        "mock" => Box::new(jetconform_mock::MockRunner::in_dir(folder)),
        "ffi" => {
            let lib = std::env::var("JETCONFORM_BENCH_LIBRARY")
                .unwrap_or_else(|_| fail("JETCONFORM_BENCH_LIBRARY is not set"));
            Box::new(
                jetconform_ffi::FfiRunner::library(&format!("ffi:{lib}"), &lib)
                    .unwrap_or_else(|e| fail(&e))
                    .in_dir(folder),
            )
        }
        _ => fail(&format!("unknown runner kind `{kind}`")),
    };
    let start = ScenarioStart {
        scenario: "bench/streaming".into(),
        version: WinVersion::Win10,
    };
    let mut exec = runner.start(&start).or_fail("runner");
    let file = PathBuf::from(exec.sandbox()).join("huge.edb");
    let inst = online(exec.as_mut(), &file, size);
    let (mut plain, mut through) = (Vec::new(), Vec::new());
    // Page-aligned and written once, like the buffers the runners pass (spec 6.4 wants the
    // OS page alignment), so that the reference is not slowed by faults or misalignment.
    let mut storage = vec![1u8; (READ + PAGE) as usize];
    let offset = storage.as_ptr().align_offset(PAGE as usize);
    let buf = &mut storage[offset..offset + READ as usize];
    plain_reads(&file, buf); // warms the page cache
    for _ in 0..ROUNDS {
        plain.push(plain_reads(&file, buf));
        through.push(backup(exec.as_mut(), inst, &file));
    }
    exec.finish().or_fail("runner");
    println!(
        "{:.1} {:.1} {}",
        best(&plain),
        best(&through),
        file_system(&file)
    );
}

fn call(
    exec: &mut dyn Execution,
    function: Function,
    args: Vec<Arg>,
) -> jetconform_interface::Observation {
    let obs = exec
        .call(&Call { function, args })
        .unwrap_or_else(|e| fail(&format!("{function:?}: {e}")));
    match obs.result {
        jetconform_interface::CallResult::Returned(code) if code.0 >= 0 => obs,
        other => fail(&format!("{function:?} returned {other:?}")),
    }
}

fn handle(obs: &jetconform_interface::Observation, name: &str) -> u64 {
    match obs.outputs.get(name) {
        Some(OutValue::Handle(h)) => *h,
        other => fail(&format!("no handle `{name}`: {other:?}")),
    }
}

fn path(p: &str, trailing_separator: bool) -> Arg {
    Arg::Str(Some(Text::Path {
        path: p.into(),
        pad_to: None,
        trailing_separator,
    }))
}

/// An initialized instance with a session and `file`, a database of `size_mib` written
/// page by page, attached. Returns the instance.
fn online(exec: &mut dyn Execution, file: &Path, size_mib: u64) -> u64 {
    use Function as F;
    let inst = handle(
        &call(
            exec,
            F::JetCreateInstance,
            vec![Arg::Out(true), Arg::Str(Some(Text::Plain("bench".into())))],
        ),
        "pinstance",
    );
    let param = |name: &str| {
        jetconform_interface::sysparams::by_name(name)
            .map(|p| Arg::U32(p.id))
            .unwrap_or_else(|| fail(&format!("unknown parameter {name}")))
    };
    let set = |exec: &mut dyn Execution, name: &str, l: u64, sz: Arg| {
        call(
            exec,
            F::JetSetSystemParameter,
            vec![
                Arg::InOut(Some(inst)),
                Arg::Handle(0),
                param(name),
                Arg::Handle(l),
                sz,
            ],
        );
    };
    set(exec, "JET_paramCreatePathIfNotExist", 1, Arg::Str(None));
    set(exec, "JET_paramLogFilePath", 0, path("logs", true));
    set(exec, "JET_paramSystemPath", 0, path("sys", true));
    set(exec, "JET_paramTempPath", 0, path("tmp", true));
    call(exec, F::JetInit, vec![Arg::InOut(Some(inst))]);
    let sesid = handle(
        &call(
            exec,
            F::JetBeginSession,
            vec![
                Arg::Handle(inst),
                Arg::Out(true),
                Arg::Str(None),
                Arg::Str(None),
            ],
        ),
        "psesid",
    );
    let hdr = DbHeader {
        page_size: PAGE,
        pgno_last: (size_mib * (1 << 20) / u64::from(PAGE)) as u32,
        db_signature: 9,
        ..Default::default()
    };
    db::create(file, &hdr).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
    call(
        exec,
        F::JetAttachDatabase,
        vec![Arg::Handle(sesid), path("huge.edb", false), Arg::U32(0)],
    );
    inst
}

/// MiB/s of plain reads of `file` into `buf`.
fn plain_reads(file: &Path, buf: &mut [u8]) -> f64 {
    let mut f = std::fs::File::open(file).or_fail("runner");
    let t = Instant::now();
    let mut total = 0u64;
    loop {
        match f.read(buf) {
            Ok(0) => break,
            Ok(n) => total += n as u64,
            Err(e) => fail(&e.to_string()),
        }
    }
    total as f64 / f64::from(1 << 20) / t.elapsed().as_secs_f64()
}

/// MiB/s of one full backup of the database: begin, open, read to the end, close, end.
fn backup(exec: &mut dyn Execution, inst: u64, file: &Path) -> f64 {
    use Function as F;
    call(
        exec,
        F::JetBeginExternalBackupInstance,
        vec![Arg::Handle(inst), Arg::U32(0)],
    );
    let open = call(
        exec,
        F::JetOpenFileInstance,
        vec![
            Arg::Handle(inst),
            path("huge.edb", false),
            Arg::Out(true),
            Arg::Out(true),
            Arg::Out(true),
        ],
    );
    let hf = handle(&open, "phfFile");
    let read = Call {
        function: F::JetReadFileInstance,
        args: vec![
            Arg::Handle(inst),
            Arg::Handle(hf),
            Arg::Buffer(Some(jetconform_interface::Buffer {
                size: READ,
                offset: 0,
                save_to: None,
            })),
            Arg::U32(READ),
            Arg::Out(true),
        ],
    };
    let t = Instant::now();
    let mut total = 0u64;
    loop {
        let obs = exec.call(&read).or_fail("runner");
        match obs.outputs.get("pcbActual") {
            Some(OutValue::U32(0)) => break,
            Some(OutValue::U32(n)) => total += u64::from(*n),
            other => fail(&format!("JetReadFileInstance: {:?} {other:?}", obs.result)),
        }
    }
    let rate = total as f64 / f64::from(1 << 20) / t.elapsed().as_secs_f64();
    // The stream is the file plus the trailer page (spec 10.3): anything else was not a
    // full backup, and its rate would mean nothing.
    let expected = std::fs::metadata(file).or_fail("database size").len() + u64::from(PAGE);
    if total != expected {
        fail(&format!(
            "the backup streamed {total} bytes, not {expected}"
        ));
    }
    call(
        exec,
        F::JetCloseFileInstance,
        vec![Arg::Handle(inst), Arg::Handle(hf)],
    );
    call(
        exec,
        F::JetEndExternalBackupInstance,
        vec![Arg::Handle(inst)],
    );
    rate
}
