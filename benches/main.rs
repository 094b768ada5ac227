//! jetconform's benchmarks: every figure of BENCHMARKS.md, measured in one run and printed
//! as one Markdown table, each target judged against a reference measured in the same run.
//!
//! `cargo bench -p jetconform-bench` (builds the release `jetconform` and mock library
//! first). Options after `--`: `--quick` (smaller sizes, fewer rounds, no 100x scaling),
//! `--only SECTION[,SECTION]` (suite, start-up, overhead, scaling, streaming, protocol,
//! explore),
//! `--report-only` (exit 0 even when a target is missed: CI runs the benchmarks this way to
//! keep them working, not to time a shared machine). Exits 1 when a target is missed.

// Child processes are measured with `wait4` and memory with /proc: Unix only.
#[cfg(unix)]
mod explore;
#[cfg(unix)]
mod measure;
#[path = "../tests/mutants/mod.rs"]
mod mutants;
#[cfg(unix)]
mod overhead;
#[cfg(unix)]
mod protocol;
#[cfg(unix)]
mod streaming;
#[cfg(unix)]
mod suite;
#[cfg(unix)]
mod table;

#[cfg(not(unix))]
fn main() {
    eprintln!(
        "error: the benchmarks read each child process's peak memory with wait4, which this \
         platform does not have; run them on Linux"
    );
    std::process::exit(2);
}

#[cfg(unix)]
const SECTIONS: [&str; 7] = [
    "suite",
    "start-up",
    "overhead",
    "scaling",
    "streaming",
    "protocol",
    "explore",
];

#[cfg(unix)]
fn main() {
    // The children this binary re-runs itself as.
    if let Ok(size) = std::env::var(protocol::ECHO) {
        return protocol::echo(&size);
    }
    if let Ok(spec) = std::env::var(streaming::CHILD) {
        return streaming::child(&spec);
    }
    if std::env::var("JETCONFORM_BENCH_PROFILE").is_ok_and(|s| s == "overhead") {
        return overhead::profile();
    }
    let Options {
        quick,
        only,
        report_only,
    } = arguments();
    let bins = measure::binaries();
    let wanted = |s: &str| only.as_ref().is_none_or(|o| o.iter().any(|x| x == s));
    let mut table = table::Table::default();
    let step = |name: &str| eprintln!("measuring: {name}");
    if wanted("suite") {
        step("suite");
        suite::suite(&mut table, &bins.jetconform, if quick { 3 } else { 5 });
    }
    if wanted("start-up") {
        step("start-up");
        suite::startup(&mut table, &bins.jetconform, if quick { 10 } else { 30 });
    }
    if wanted("overhead") {
        step("overhead");
        overhead::overhead(&mut table, if quick { 3 } else { 9 });
    }
    if wanted("scaling") {
        step("scaling");
        suite::scaling(&mut table, &bins.jetconform, quick);
    }
    if wanted("streaming") {
        step("streaming");
        streaming::streaming(&mut table, &bins.mock_library, quick);
    }
    if wanted("protocol") {
        step("protocol");
        protocol::protocol(&mut table, &bins.jetconform, quick);
    }
    if wanted("explore") {
        step("explore");
        explore::explore(&mut table, &bins.jetconform, &bins.mock_library, quick);
    }
    println!("{}", machine());
    println!();
    print!("{}", table.render());
    let missed = table.missed();
    if missed > 0 {
        eprintln!("{missed} target(s) missed");
        if !report_only {
            std::process::exit(1);
        }
    }
}

#[cfg(unix)]
#[derive(Default)]
struct Options {
    quick: bool,
    only: Option<Vec<String>>,
    report_only: bool,
}

/// `--quick`, `--only A,B`, `--report-only`; cargo's own `--bench` flag is ignored.
#[cfg(unix)]
fn arguments() -> Options {
    let mut o = Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--report-only" => o.report_only = true,
            "--bench" => {}
            "--only" => {
                let list: Vec<String> = args
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(str::to_string)
                    .collect();
                if let Some(bad) = list.iter().find(|s| !SECTIONS.contains(&s.as_str())) {
                    measure::fail(&format!(
                        "unknown section `{bad}`; sections: {}",
                        SECTIONS.join(", ")
                    ));
                }
                o.only = Some(list);
            }
            other => measure::fail(&format!(
                "unknown argument `{other}`; usage: cargo bench -p jetconform-bench -- [--quick] [--report-only] [--only {}]",
                SECTIONS.join(",")
            )),
        }
    }
    o
}

/// One line saying where the figures were measured.
#[cfg(unix)]
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into());
    format!(
        "machine: {cores} cores ({cpu}), {}, load average {load} at the end",
        std::env::consts::OS
    )
}
