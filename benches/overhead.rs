//! jetconform's own cost per step against sqllogictest-rs's per record, both on an engine
//! that does nothing, the same number of files and records, in the same run, one thread each.
//!
//! jetconform's side is what `jetconform run` does: read and parse the TOML (`scenario::load`),
//! plan, run every trial (bind the arguments, call, judge each step), and report (summary and
//! failure details). sqllogictest's side is `Runner::run_file` per file (read, parse, run,
//! validate each record).

use crate::measure::{fail, median, OrFail};
use crate::table::Table;
use jetconform::output::human::{self, HumanSink};
use jetconform::output::{RunEnd, Sink, SinkError, TrialEvent};
use jetconform::plan::VersionFilter;
use jetconform::runners::RunnerEntry;
use jetconform::session::{RunOptions, Session};
use jetconform_interface::{
    Call, ErrorCode, Execution, MachineInfo, Observation, Runner, RunnerError, RunnerInfo,
    ScenarioStart, VersionSet,
};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

const SECTION: &str = "overhead";
const FILES: usize = 100;
const STEPS: usize = 100;
/// The generated scenarios' `versions` line.
const VERSIONS: &str = "versions = \"win10\"\n";

/// Returns JET_errSuccess for every call and writes no output.
struct NoopRunner;
struct NoopExecution;

impl Runner for NoopRunner {
    fn info(&self) -> RunnerInfo {
        RunnerInfo {
            name: "noop".into(),
            versions: VersionSet::ALL,
            machine: MachineInfo::default(),
            verbs: vec![],
            fault_hooks: false,
            reserved_names: false,
            profile: None,
        }
    }
    fn start(&self, _: &ScenarioStart) -> Result<Box<dyn Execution>, RunnerError> {
        Ok(Box::new(NoopExecution))
    }
}

impl Execution for NoopExecution {
    fn sandbox(&self) -> &str {
        "/noop"
    }
    fn call(&mut self, _: &Call) -> Result<Observation, RunnerError> {
        Ok(Observation::returned(ErrorCode(0)))
    }
    fn finish(self: Box<Self>) -> Result<(), RunnerError> {
        Ok(())
    }
}

/// The steps cycle through calls of the backup sequence with literal arguments (nothing to
/// bind from the no-op engine), each expecting success.
const STEP_BODIES: [&str; 4] = [
    "call = \"JetBeginExternalBackupInstance\"\ninstance = 1\ngrbit = 0\n",
    "call = \"JetOpenFileInstance\"\ninstance = 1\nszFileName = \"db.edb\"\n",
    "call = \"JetReadFileInstance\"\ninstance = 1\nhfFile = 2\npv = { size = 65536 }\n",
    "call = \"JetEndExternalBackupInstance2\"\ninstance = 1\ngrbit = [\"JET_bitBackupEndNormal\"]\n",
];

/// The generated files: jetconform scenarios for one version (`jet`) and the same for every
/// version that exports the calls (`jet_every`: no `versions` key, as most of the corpus), and
/// two sqllogictest corpora with as many files and records: `query` records (a statement and
/// the result it must give, as a step is a call and the code it must return) and
/// `statement ok` records (the cheapest kind).
fn write_corpora(jet: &Path, jet_every: &Path, slt: &Path, slt_query: &Path) {
    let what = "writing the generated files";
    for d in [jet, jet_every, slt, slt_query] {
        std::fs::create_dir_all(d).or_fail(what);
    }
    for f in 0..FILES {
        let mut toml = format!(
            "title = \"Generated scenario {f}\"\ndescription = \"{STEPS} calls, each expecting success.\"\nevidence = [\"spec 6\"]\n{VERSIONS}provenance = \"documented\"\n"
        );
        let mut sql = String::new();
        let mut query = String::new();
        for s in 0..STEPS {
            toml.push_str("\n[[step]]\n");
            toml.push_str(STEP_BODIES[s % STEP_BODIES.len()]);
            toml.push_str("expect = \"JET_errSuccess\"\n");
            sql.push_str(&format!(
                "statement ok\nINSERT INTO t VALUES ({f}, {s})\n\n"
            ));
            query.push_str(&format!("query I\nSELECT {s}\n----\n{s}\n\n"));
        }
        std::fs::write(
            jet_every.join(format!("s{f:03}.toml")),
            toml.replacen(VERSIONS, "", 1),
        )
        .or_fail(what);
        std::fs::write(jet.join(format!("s{f:03}.toml")), toml).or_fail(what);
        std::fs::write(slt.join(format!("s{f:03}.slt")), sql).or_fail(what);
        std::fs::write(slt_query.join(format!("s{f:03}.slt")), query).or_fail(what);
    }
}

/// Counts the steps the run executed.
struct StepCount(usize);

impl Sink for StepCount {
    fn trial(&mut self, e: &TrialEvent) {
        self.0 += e.trial.steps.len();
    }
    fn reads_passing_steps(&self) -> bool {
        false
    }
    fn end(&mut self, _: &RunEnd) -> Result<(), SinkError> {
        Ok(())
    }
}

/// What one jetconform pass over a folder took.
struct Pass {
    /// Reading, planning, running, judging and reporting.
    seconds: f64,
    /// Of them, loading: reading, parsing, validating and resolving.
    load: f64,
    /// Steps executed: each file's steps once per version it runs on.
    steps: usize,
}

/// jetconform reads, plans, runs, judges and reports the generated scenarios in `dir`.
fn jetconform_once(dir: &Path) -> Pass {
    let runners = vec![RunnerEntry {
        name: "noop".into(),
        runner: Arc::new(NoopRunner),
        info: NoopRunner.info(),
    }];
    let t = Instant::now();
    let loaded = jetconform::scenario::load(&[dir.to_path_buf()]);
    if let Some(d) = loaded.diagnostics.first() {
        fail(&format!(
            "generated scenario rejected: {}:{}:{}: {}",
            d.file.display(),
            d.line,
            d.col,
            d.message
        ));
    }
    let load = t.elapsed().as_secs_f64();
    let session = Session::plan(&loaded.scenarios, runners, VersionFilter::Applicable, None);
    let mut report = Vec::new();
    let mut human = HumanSink::new(
        Box::new(&mut report),
        human::Style { color: false },
        false,
        false,
        None,
    );
    let mut steps = StepCount(0);
    let execution = RunOptions {
        jobs: 1,
        baseline: None,
        started: t,
    };
    let ran = session.execute(&execution, &mut [&mut human, &mut steps]);
    drop(human);
    let seconds = t.elapsed().as_secs_f64();
    if ran.failed || steps.0 == 0 || steps.0 % (FILES * STEPS) != 0 {
        fail(&format!(
            "the no-op run did not pass every step ({} steps):\n{}",
            steps.0,
            String::from_utf8_lossy(&report)
        ));
    }
    Pass {
        seconds,
        load,
        steps: steps.0,
    }
}

/// `JETCONFORM_BENCH_PROFILE=overhead`: jetconform's side alone, again and again for ten
/// seconds, printing each round's cost per step (for `perf record`).
pub fn profile() {
    let dir = tempfile::tempdir().or_fail("temp dir");
    let [jet, jet_every, slt, slt_query] =
        ["toml", "toml-every", "slt", "slt-query"].map(|d| dir.path().join(d));
    write_corpora(&jet, &jet_every, &slt, &slt_query);
    let steps = (FILES * STEPS) as f64;
    let t = Instant::now();
    while t.elapsed().as_secs() < 10 {
        let ours = jetconform_once(&jet);
        let parse = parse_once(&jet, PARSERS[0].1);
        let every = jetconform_once(&jet_every);
        eprintln!(
            "{:.2} µs per step, of which loading {:.2} µs; parsing alone {:.2} µs: {:.2} µs above it; {:.2} µs per executed step",
            ours.seconds / steps * 1e6,
            ours.load / steps * 1e6,
            parse / steps * 1e6,
            (ours.seconds - parse) / steps * 1e6,
            every.seconds / every.steps as f64 * 1e6,
        );
    }
}

#[derive(Debug)]
struct NoopError;
impl std::fmt::Display for NoopError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never happens")
    }
}
impl std::error::Error for NoopError {}

struct NoopDb;
impl sqllogictest::DB for NoopDb {
    type Error = NoopError;
    type ColumnType = sqllogictest::DefaultColumnType;
    /// `SELECT n` answers one row holding `n`; anything else completes.
    fn run(&mut self, sql: &str) -> Result<sqllogictest::DBOutput<Self::ColumnType>, Self::Error> {
        Ok(match sql.strip_prefix("SELECT ") {
            Some(n) => sqllogictest::DBOutput::Rows {
                types: vec![sqllogictest::DefaultColumnType::Integer],
                rows: vec![vec![n.trim().to_string()]],
            },
            None => sqllogictest::DBOutput::StatementComplete(0),
        })
    }
}

/// Seconds for sqllogictest to run every generated file, a fresh runner and connection each.
fn sqllogictest_once(dir: &Path) -> f64 {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let t = Instant::now();
    for f in &files {
        let mut runner = sqllogictest::Runner::new(|| async { Ok(NoopDb) });
        if let Err(e) = runner.run_file(f) {
            fail(&format!("sqllogictest on {}: {e}", f.display()));
        }
    }
    t.elapsed().as_secs_f64()
}

/// A TOML parser that keeps spans (the diagnostics need them): `true` when the text parsed.
type Parser = fn(&str) -> bool;

/// The span-keeping TOML parsers there are: `toml` first (the floor the target is set on),
/// then the others that could take its place, then `toml_parser`'s events alone, which is
/// what jetconform's loading builds its tree from (the lower floor).
const PARSERS: [(&str, Parser); 4] = [
    ("toml", |t| {
        std::hint::black_box(toml::de::DeTable::parse(t)).is_ok()
    }),
    ("toml_edit", |t| {
        std::hint::black_box(toml_edit::Document::parse(t)).is_ok()
    }),
    ("toml-span", |t| {
        std::hint::black_box(toml_span::parse(t)).is_ok()
    }),
    // The tokens and events jetconform's loading makes, by its own code.
    ("toml_parser", jetconform::scenario::toml_events_only),
];

/// Seconds for `parse` alone to parse the generated scenarios, read beforehand: the floor
/// under jetconform's cost, since every scenario is TOML.
fn parse_once(dir: &Path, parse: Parser) -> f64 {
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir)
        .or_fail("generated scenarios")
        .flatten()
    {
        texts.push(std::fs::read_to_string(entry.path()).or_fail("generated scenario"));
    }
    let t = Instant::now();
    for text in &texts {
        if !parse(text) {
            fail("a generated scenario is not valid TOML");
        }
    }
    t.elapsed().as_secs_f64()
}

pub fn overhead(table: &mut Table, rounds: usize) {
    let dir = tempfile::tempdir().or_fail("temp dir");
    let [jet, jet_every, slt, slt_query] =
        ["toml", "toml-every", "slt", "slt-query"].map(|d| dir.path().join(d));
    write_corpora(&jet, &jet_every, &slt, &slt_query);
    let steps = (FILES * STEPS) as f64;
    // Alternate them so that all see the same machine load.
    let (mut ours, mut peer, mut peer_query) = (Vec::new(), Vec::new(), Vec::new());
    let (mut ours_load, mut above, mut executed) = (Vec::new(), Vec::new(), Vec::new());
    let mut above_events = Vec::new();
    let mut versions = 0;
    let mut parsers: [Vec<f64>; PARSERS.len()] = Default::default();
    for _ in 0..rounds {
        let pass = jetconform_once(&jet);
        ours.push(pass.seconds / steps * 1e6);
        ours_load.push(pass.load / steps * 1e6);
        let every = jetconform_once(&jet_every);
        executed.push(every.seconds / every.steps as f64 * 1e6);
        versions = every.steps / (FILES * STEPS);
        peer.push(sqllogictest_once(&slt) / steps * 1e6);
        peer_query.push(sqllogictest_once(&slt_query) / steps * 1e6);
        for (times, (_, parse)) in parsers.iter_mut().zip(PARSERS) {
            times.push(parse_once(&jet, parse) / steps * 1e6);
        }
        // Ours above the parse floor of the same round: the two saw the same load.
        above.push(pass.seconds / steps * 1e6 - parsers[0].last().copied().unwrap_or(0.0));
        above_events.push(pass.seconds / steps * 1e6 - parsers[3].last().copied().unwrap_or(0.0));
    }
    let (ours, peer, peer_query) = (median(ours), median(peer), median(peer_query));
    let (ours_load, above, executed) = (median(ours_load), median(above), median(executed));
    let above_events = median(above_events);
    let parsers = parsers.map(median);
    let (parse, events) = (parsers[0], parsers[3]);
    // The judged peer runs `query` records: each compares a result, as each step compares
    // its return code, and they cost what the target quotes for the peer on this machine.
    table.target(
        SECTION,
        format!(
            "cost per step, no-op engine, {FILES} files x {STEPS} steps (median of {rounds}): jetconform vs sqllogictest-rs 0.29 `query` records"
        ),
        format!("{ours:.2} µs vs {peer_query:.2} µs: {:.2}x", ours / peer_query),
        "≤ 1x",
        ours <= peer_query,
    );
    table.context(
        SECTION,
        "the peer with `statement ok` records instead (no result to compare)",
        format!("{peer:.2} µs: jetconform {:.2}x", ours / peer),
    );
    table.context(
        SECTION,
        "of which parsing the TOML alone (`toml` 1.x, spans kept)",
        format!(
            "{parse:.2} µs ({:.2}x the `query` peer's whole cost)",
            parse / peer_query
        ),
    );
    table.context(
        SECTION,
        "of which loading: reading, parsing, validating and resolving the files",
        format!("{ours_load:.2} µs"),
    );
    table.target(
        SECTION,
        format!("jetconform's own cost per step above the parse, each round's parse taken from its own figure (median of {rounds})"),
        format!("{above:.2} µs"),
        "≤ 0.5 µs",
        above <= 0.5,
    );
    table.context(
        SECTION,
        "`toml_parser`'s tokens and events alone, what jetconform's loading builds its tree from (the lower floor), and jetconform's own cost above them",
        format!("{events:.2} µs; {above_events:.2} µs above"),
    );
    table.target(
        SECTION,
        format!("cost per executed step, as the corpus runs: each file parsed once and run on each of its {versions} versions (no `versions` key), vs the `query` peer per record"),
        format!("{executed:.2} µs vs {peer_query:.2} µs: {:.2}x", executed / peer_query),
        "≤ 1x",
        executed <= peer_query,
    );
    let others: Vec<String> = PARSERS[1..3]
        .iter()
        .zip(&parsers[1..3])
        .map(|((name, _), us)| format!("`{name}` {us:.2} µs"))
        .collect();
    table.context(
        SECTION,
        "the other span-keeping TOML parsers on the same files, alone",
        others.join(", "),
    );
}
