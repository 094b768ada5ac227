//! `jetconform explore`: throughput on the in-process mock against the corpus run's calls per
//! second in the same run; rediscovery of the version differences the corpus documents (XP
//! vs Windows 10, Vista vs Windows 8) with the shrunk lengths beside the hand-written
//! scenarios'; and the mutants of tests/mutants/mutant.c (find rate, time to first find,
//! shrunk length against the shortest sequence that shows each).

use crate::measure::{fail, median, workspace_root};
use crate::mutants::{self, MUTANTS};
use crate::table::Table;
use jetconform::explore::generator::GenOptions;
use jetconform::explore::lockstep::{Pair, Side};
use jetconform::explore::{self, Budget, Options};
use jetconform::plan::VersionFilter;
use jetconform::scenario::model::{Scenario, Step, StepKind};
use jetconform::session::Session;
use jetconform_interface::WinVersion;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SECTION: &str = "explore";

fn corpus() -> Vec<Scenario> {
    let loaded = jetconform::scenario::load(&[workspace_root().join("cases")]);
    if !loaded.diagnostics.is_empty() {
        fail("the corpus has problems: run `jetconform check`");
    }
    loaded.scenarios
}

fn side(spec: &str, version: WinVersion) -> Side {
    Side {
        entry: jetconform::runners::build(spec)
            .unwrap_or_else(|e| fail(&format!("runner {spec}: {e}"))),
        version,
    }
}

fn options(seconds: f64, known: BTreeMap<(String, String), String>) -> Options {
    Options {
        seed: 1,
        budget: Budget::Time(Duration::from_secs_f64(seconds)),
        generator: GenOptions::default(),
        out: None,
        shrink_budget: 300,
        known,
        reproduce: String::new(),
        // The corpus run's threads.
        jobs: 2,
    }
}

pub fn explore(table: &mut Table, jetconform: &Path, mock_library: &Path, quick: bool) {
    let scenarios = corpus();
    throughput(table, &scenarios, if quick { 3.0 } else { 10.0 });
    let budget = if quick { 10.0 } else { 60.0 };
    for (a, b) in [
        (WinVersion::Xp, WinVersion::Win10),
        (WinVersion::Vista, WinVersion::Win8),
    ] {
        rediscovery(table, &scenarios, a, b, budget);
    }
    mutants(
        table,
        jetconform,
        mock_library,
        if quick { 15.0 } else { 30.0 },
    );
}

/// Calls per second of exploration (mock vs mock, nothing differs, so nothing is shrunk)
/// against the corpus run on the same mock, both on two worker threads; and the CPU time each
/// spends per step, which the other work on a shared machine moves less than the rates.
fn throughput(table: &mut Table, scenarios: &[Scenario], seconds: f64) {
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let runner = jetconform::runners::build("mock").unwrap_or_else(|e| fail(&e.to_string()));
    let session = Session::plan(
        scenarios,
        vec![runner],
        VersionFilter::Only(jetconform_interface::VersionSet::single(WinVersion::Win10)),
        None,
    );
    // Steps as trials record them (a repeated step once), and calls (every repetition).
    let (mut corpus_steps, mut corpus_calls) = (0u64, 0u64);
    let mut rounds = 0;
    while rounds == 0 || started.elapsed().as_secs_f64() < seconds {
        for t in session.collect(2) {
            corpus_steps += t.steps.len() as u64;
            corpus_calls += t
                .steps
                .iter()
                .map(|s| s.iterations.max(1) as u64)
                .sum::<u64>();
        }
        rounds += 1;
    }
    let corpus_secs = started.elapsed().as_secs_f64();
    let corpus_rate = corpus_steps as f64 / corpus_secs;
    let corpus_cpu = cpu_seconds() - cpu_before;
    let pair = Pair {
        a: side("mock", WinVersion::Win10),
        b: side("mock", WinVersion::Win10),
    };
    let cpu_before = cpu_seconds();
    let r = explore::explore(&pair, &options(seconds, BTreeMap::new()), |_| {});
    let rate = r.steps as f64 / r.seconds.max(1e-9);
    let explore_cpu = cpu_seconds() - cpu_before;
    table.context(
        SECTION,
        format!("explore mock vs mock (win10), {seconds:.0} s: sequences/s"),
        format!(
            "{:.0} sequences/s ({} sequences)",
            r.sequences as f64 / r.seconds.max(1e-9),
            r.sequences
        ),
    );
    table.target(
        SECTION,
        format!(
            "explore steps/s vs the corpus run's steps/s (mock, win10, 2 threads, {rounds} corpus run(s))"
        ),
        format!("{rate:.0} vs {corpus_rate:.0} steps/s: {:.2}x", rate / corpus_rate),
        "explore not slower per step",
        rate >= corpus_rate,
    );
    let per_step = |cpu: f64, steps: u64| cpu * 1e6 / steps.max(1) as f64;
    let (cu, eu) = (
        per_step(corpus_cpu, corpus_steps),
        per_step(explore_cpu, r.steps),
    );
    table.context(
        SECTION,
        "CPU time per step (every thread of the process): the corpus run vs explore",
        format!(
            "{cu:.1} vs {eu:.1} us: explore {:.2}x the corpus run's rate",
            cu / eu
        ),
    );
    // The same with longer sequences: the setup (instance, folders, database, log
    // records: file creation) is then a smaller share of each sequence's steps.
    let mut long = options(seconds, BTreeMap::new());
    long.generator.max_steps = 48;
    let r = explore::explore(&pair, &long, |_| {});
    table.context(
        SECTION,
        "explore with --max-steps 48 (setup a smaller share of the steps)",
        format!(
            "{:.0} steps/s: {:.2}x the corpus run",
            r.steps as f64 / r.seconds.max(1e-9),
            r.steps as f64 / r.seconds.max(1e-9) / corpus_rate
        ),
    );
    table.context(
        SECTION,
        "the corpus run counting every repetition of a repeated step (ReadFile loops) as a call",
        format!("{:.0} calls/s", corpus_calls as f64 / corpus_secs),
    );
}

/// Steps of a scenario, its fixture's included (a loop's body counted once).
fn length(steps: &[Step]) -> usize {
    steps
        .iter()
        .map(|s| match &s.kind {
            StepKind::Call(_) => 1,
            StepKind::ForEach(f) => length(&f.body),
        })
        .sum()
}

fn rediscovery(table: &mut Table, scenarios: &[Scenario], a: WinVersion, b: WinVersion, secs: f64) {
    let known = explore::known_differences(scenarios, a, b);
    let pair = Pair {
        a: side(&format!("mock@{a}"), a),
        b: side(&format!("mock@{b}"), b),
    };
    // Nothing counts as known here, so every difference is shrunk and can be compared.
    let r = explore::explore(&pair, &options(secs, BTreeMap::new()), |_| {});
    let mut shrunk: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in r.found.iter().filter(|f| f.reproduced) {
        let e = shrunk
            .entry((f.function.clone(), f.kind.class()))
            .or_insert(usize::MAX);
        *e = (*e).min(f.shrunk_len);
    }
    let by_id: BTreeMap<&str, &Scenario> = scenarios.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut hit = 0;
    for (key, id) in &known {
        if let Some(n) = shrunk.get(key) {
            hit += 1;
            ours.push(*n as f64);
            if let Some(s) = by_id.get(id.as_str()) {
                theirs.push(length(&s.steps) as f64);
            }
        }
    }
    table.context(
        SECTION,
        format!("{a} vs {b}, {secs:.0} s: distinct differences found (function x code pair)"),
        format!(
            "{} ({} signatures with state, {} sequences)",
            r.distinct_pairs(),
            r.found.len(),
            r.sequences
        ),
    );
    table.context(
        SECTION,
        format!("{a} vs {b}: the corpus's documented differences rediscovered"),
        format!("{hit} of {}", known.len()),
    );
    if !ours.is_empty() {
        table.context(
            SECTION,
            format!(
                "{a} vs {b}: shrunk length vs the corpus scenario (median steps, fixture included)"
            ),
            format!("{:.0} vs {:.0}", median(ours), median(theirs)),
        );
    }
}

fn mutants(table: &mut Table, jetconform: &Path, library: &Path, secs: f64) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| fail(&e.to_string()));
    let mut found = 0;
    for (name, function, shortest) in MUTANTS {
        let so = mutants::build(name, library, dir.path()).unwrap_or_else(|e| fail(&e));
        let out = Command::new(jetconform)
            .args([
                "explore", "--format", "json", "--runner", "mock", "--runner",
            ])
            .arg(format!("ffi:{}", so.display()))
            .args(["--version", "win10", "--time", &format!("{secs}s"), "--out"])
            .arg(dir.path().join(format!("found-{name}")))
            .env("JETCONFORM_MOCK_VERSION", "win10")
            .current_dir(dir.path())
            .output()
            .unwrap_or_else(|e| fail(&e.to_string()));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| fail(&format!("explore printed no JSON: {e}")));
        let hit = doc["found"].as_array().and_then(|f| {
            f.iter()
                .filter(|f| f["function"] == function && f["reproduced"] == true)
                .min_by(|x, y| {
                    x["first_seconds"]
                        .as_f64()
                        .partial_cmp(&y["first_seconds"].as_f64())
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .cloned()
        });
        let figure = match &hit {
            Some(h) => {
                found += 1;
                format!(
                    "found after {:.2} s; shrunk {} -> {} steps (shortest {shortest}); {} sequences in {secs:.0} s",
                    h["first_seconds"].as_f64().unwrap_or(0.0),
                    h["original_steps"],
                    h["shrunk_steps"],
                    doc["sequences"]
                )
            }
            None => format!("not found in {secs:.0} s"),
        };
        let met = hit
            .as_ref()
            .and_then(|h| h["shrunk_steps"].as_u64())
            .is_some_and(|n| n as usize <= shortest + 2);
        table.target(
            SECTION,
            format!("mutant {}", name.to_ascii_lowercase()),
            figure,
            "found, shrunk to at most shortest + 2",
            met,
        );
    }
    table.target(
        SECTION,
        "mutant find rate",
        format!("{found} of {}", MUTANTS.len()),
        "every mutant",
        found == MUTANTS.len(),
    );
}

/// CPU seconds this process has used so far, every thread's.
fn cpu_seconds() -> f64 {
    // SAFETY: rusage is plain data; getrusage fills it for this process.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to the struct above.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}
