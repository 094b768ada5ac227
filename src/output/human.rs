//! Terminal output: one line per notable trial, the details of every failure (file:line of
//! the step, the call with its arguments, expected and observed with names and numbers,
//! the version), and a closing summary line.

use super::unknowns::Unknowns;
use super::Summary;
use crate::results::{observed_text, Step, StepOutcome, Trial};
use crate::verdict::Outcome;
use jetconform_interface::VersionSet;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;

/// Colours of the human output (anstyle), used when `color` is set: `Style::for_stdout`
/// decides as anstream does (a terminal, `NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`, `TERM`).
pub struct Style {
    pub color: bool,
}

const GREEN: anstyle::Style = anstyle::AnsiColor::Green.on_default();
const YELLOW: anstyle::Style = anstyle::AnsiColor::Yellow.on_default();
const RED: anstyle::Style = anstyle::AnsiColor::Red.on_default();
const BLUE: anstyle::Style = anstyle::AnsiColor::Blue.on_default();

impl Style {
    /// Colour when stdout takes it (no-color.org and the CLICOLOR conventions honoured).
    pub fn for_stdout() -> Style {
        Style {
            color: colors(&std::io::stdout()),
        }
    }
    fn paint(&self, style: anstyle::Style, s: &str) -> String {
        if self.color {
            format!("{style}{s}{style:#}")
        } else {
            s.to_string()
        }
    }
    pub fn outcome(&self, o: Outcome) -> String {
        let label = o.as_str().to_uppercase();
        let style = match o {
            Outcome::Pass => GREEN,
            Outcome::Unknown | Outcome::Skip => YELLOW,
            _ => RED.bold(),
        };
        self.paint(style, &label)
    }
}

/// Whether text for `stream` may be coloured: anstream's choice (never with `NO_COLOR`, always
/// with `CLICOLOR_FORCE`, else on a terminal that takes colour).
pub fn colors(stream: &impl anstream::stream::RawStream) -> bool {
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}

/// The one-line form: `FAIL scenario[runner@version]  reason`.
pub fn line(r: &Trial, style: &Style) -> String {
    let mut s = format!("{} {}", style.outcome(r.outcome), r.name);
    if let Some(reason) = &r.reason {
        let _ = write!(s, "  ({reason})");
    }
    s
}

/// Everything a reader needs to see why a trial did not pass.
pub fn details(r: &Trial, style: &Style) -> String {
    let mut s = line(r, style);
    s.push('\n');
    for step in r.notable_steps() {
        step_details(&mut s, step, r.version.id(), style);
    }
    s
}

fn step_details(s: &mut String, step: &Step, versions: &str, style: &Style) {
    let origin = match &step.fixture {
        Some(f) => format!("fixture {f} step {}", step.step),
        None => format!("step {}", step.step),
    };
    let _ = writeln!(
        s,
        "  {} {origin} at {}:{}:{}",
        style.paint(BLUE, "-->"),
        step.file,
        step.line,
        step.col
    );
    let _ = writeln!(s, "      call      {}", step.call);
    if let Some(item) = &step.item {
        let _ = writeln!(s, "      item      {item}");
    }
    if step.iterations > 1 {
        let _ = writeln!(s, "      repeated  {} times", step.iterations);
    }
    if let Some(e) = &step.expected {
        let note = e
            .note
            .as_deref()
            .map(|n| format!(", {n}"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "      expected  {}  [{} at line {}{note}] on {versions}",
            e.outcome, e.provenance, e.line
        );
    }
    if let Some(o) = &step.observed {
        let _ = writeln!(s, "      observed  {}", observed_text(o));
        if let Some(u) = &o.undefined {
            let _ = writeln!(s, "      undefined {u}");
        }
    }
    match step.verdict {
        StepOutcome::Fail | StepOutcome::Error => {
            let why = step.reason.as_deref().unwrap_or_default();
            let _ = writeln!(s, "      {}       {why}", style.paint(RED, "why"));
        }
        StepOutcome::Unknown => {
            let _ = writeln!(
                s,
                "      (expectation unknown: result recorded, not judged)"
            );
        }
        StepOutcome::Pass => {}
    }
}

/// One line per unknown step: the observed result, recorded, not judged.
pub fn unknowns(r: &Trial, style: &Style) -> String {
    let mut s = String::new();
    for step in r.steps.iter().filter(|s| s.verdict == StepOutcome::Unknown) {
        let observed = step
            .observed
            .as_ref()
            .map(observed_text)
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{} {}  step {} ({}:{}) {} observed {observed}",
            style.outcome(Outcome::Unknown),
            r.name,
            step.step,
            step.file,
            step.line,
            step.function
        );
    }
    s
}

/// `12 trials: 10 passed, 1 failed, 1 unknown, 0 skipped, 0 errors (0.03 s)`, and the
/// plain `N passed, N failed` line CI systems read. With a baseline, the failures it knows
/// are counted as `known`, not among the failures and errors (they do not fail the run):
/// `12 trials: 9 passed, 0 failed, 2 known, 1 unknown, ...`.
pub fn summary(sum: &Summary, seconds: f64) -> String {
    format!("{} ({seconds:.2} s)", counts(sum))
}

/// `12 trials: 10 passed, 1 failed, 1 unknown, 0 skipped, 0 errors`: the summary line without
/// its time.
pub fn counts(sum: &Summary) -> String {
    let mut parts = vec![
        format!("{} passed", sum.count(Outcome::Pass)),
        format!("{} failed", sum.new_count(Outcome::Fail)),
    ];
    if sum.baseline {
        parts.push(format!("{} known", sum.known_total()));
    }
    parts.extend([
        format!("{} unknown", sum.count(Outcome::Unknown)),
        format!("{} skipped", sum.count(Outcome::Skip)),
        format!("{} errors", sum.new_count(Outcome::Error)),
    ]);
    for o in [Outcome::Crashed, Outcome::Timeout] {
        if sum.new_count(o) > 0 {
            parts.push(format!("{} {}", sum.new_count(o), o.as_str()));
        }
    }
    format!("{} trials: {}", sum.total, parts.join(", "))
}

/// The human output. By default: every failure in full, grouped by scenario and runner with
/// the versions it failed on (one block for the same failure on several versions), and one
/// `?` line per scenario with unknown results naming their versions; with `quiet`, the
/// failures alone (the summary counts the unknowns); with `verbose`, every trial's line as it
/// ends, each failing trial's details and every unknown step, as they were recorded.
///
/// The sink keeps only the text it prints: a distinct failure block once (with the set of its
/// versions), a scenario's unknown versions as a bit set.
pub struct HumanSink<'a> {
    out: Box<dyn std::io::Write + 'a>,
    style: Style,
    quiet: bool,
    verbose: bool,
    /// Where `verbose` lines go while the run lasts (beside the progress bar).
    live: Option<&'a super::progress::Progress>,
    /// `verbose`: failing trials (name, known, details) and unknown trials' unknown steps.
    kept: crate::plan::Ordered<Kept>,
    /// Default and `quiet`: distinct failure blocks, in plan order of their first trial.
    failures: Vec<Failure>,
    failure_index: HashMap<(String, String, bool, String), usize>,
    /// Default and `quiet`: trials that errored before their first step for the same reason
    /// (a runner that could not start), one group per runner and reason.
    not_run: Vec<NotRun>,
    not_run_index: HashMap<(String, String), usize>,
    /// Default: scenarios with unknown trials, in plan order of their first trial.
    unknown: Unknowns,
}

enum Kept {
    Failing {
        name: String,
        known: bool,
        text: String,
    },
    Unknown(String),
}

/// The same failure (same outcome, reason and failing steps) of one scenario on one runner.
struct Failure {
    first: usize,
    /// `scenario[runner`: the header, to be closed with `]` and the versions.
    header: String,
    known: bool,
    outcome: Outcome,
    /// The body with `{versions}` where the version goes.
    body: String,
    versions: VersionSet,
}

/// Trials of one runner that errored before any step, for one reason.
struct NotRun {
    first: usize,
    runner: String,
    reason: String,
    /// The first scenario, named when it is the only one.
    scenario: String,
    scenarios: std::collections::HashSet<String>,
    versions: VersionSet,
}

/// Stands for the versions in a failure body while it is grouped.
const VERSIONS: &str = "\u{0}versions\u{0}";

impl<'a> HumanSink<'a> {
    pub fn new(
        out: Box<dyn std::io::Write + 'a>,
        style: Style,
        quiet: bool,
        verbose: bool,
        live: Option<&'a super::progress::Progress>,
    ) -> HumanSink<'a> {
        HumanSink {
            out,
            style,
            quiet,
            verbose,
            live,
            kept: Default::default(),
            failures: Vec::new(),
            failure_index: HashMap::new(),
            not_run: Vec::new(),
            not_run_index: HashMap::new(),
            unknown: Unknowns::default(),
        }
    }

    fn group_failure(&mut self, index: usize, t: &Trial, known: bool) {
        if let (Outcome::Error, true, false, Some(reason)) =
            (t.outcome, t.steps.is_empty(), known, &t.reason)
        {
            let key = (t.runner.clone(), reason.clone());
            let at = match self.not_run_index.get(&key) {
                Some(&at) => at,
                None => {
                    self.not_run.push(NotRun {
                        first: index,
                        runner: t.runner.clone(),
                        reason: reason.clone(),
                        scenario: t.scenario.clone(),
                        scenarios: Default::default(),
                        versions: VersionSet::default(),
                    });
                    self.not_run_index.insert(key, self.not_run.len() - 1);
                    self.not_run.len() - 1
                }
            };
            let n = &mut self.not_run[at];
            if index < n.first {
                n.first = index;
                n.scenario = t.scenario.clone();
            }
            n.scenarios.insert(t.scenario.clone());
            n.versions.insert(t.version);
            return;
        }
        let body = if known {
            String::new()
        } else {
            let mut body = String::new();
            for step in t.notable_steps() {
                step_details(&mut body, step, VERSIONS, &self.style);
            }
            body
        };
        let header = format!("{}[{}", t.scenario, t.runner);
        let reason = t.reason.clone().unwrap_or_default();
        let key = (
            header,
            format!("{}\n{reason}", t.outcome.as_str()),
            known,
            body,
        );
        let at = match self.failure_index.get(&key) {
            Some(&at) => at,
            None => {
                let (header, _, known, body) = key.clone();
                let body = match &t.reason {
                    Some(r) => format!("  ({r})\n{body}"),
                    None => format!("\n{body}"),
                };
                self.failures.push(Failure {
                    first: index,
                    header,
                    known,
                    outcome: t.outcome,
                    body,
                    versions: VersionSet::default(),
                });
                self.failure_index.insert(key, self.failures.len() - 1);
                self.failures.len() - 1
            }
        };
        let f = &mut self.failures[at];
        f.first = f.first.min(index);
        f.versions.insert(t.version);
    }
}

use super::version_list;

impl super::sink::Sink for HumanSink<'_> {
    /// Shows failing and unknown steps only.
    fn reads_passing_steps(&self) -> bool {
        false
    }
    fn trial(&mut self, e: &super::sink::TrialEvent) {
        let t = e.trial;
        if self.verbose {
            match self.live {
                Some(p) => p.println(&line(t, &self.style)),
                None => {
                    let _ = writeln!(self.out, "{}", line(t, &self.style));
                }
            }
            if t.outcome.is_failure() {
                let text = if e.known {
                    String::new()
                } else {
                    details(t, &self.style)
                };
                let name = t.name.clone();
                let known = e.known;
                self.kept.push(e.index, Kept::Failing { name, known, text });
            } else if t.outcome == Outcome::Unknown {
                self.kept
                    .push(e.index, Kept::Unknown(unknowns(t, &self.style)));
            }
        } else if t.outcome.is_failure() {
            self.group_failure(e.index, t, e.known);
        } else if t.outcome == Outcome::Unknown && !self.quiet {
            self.unknown.add(e.index, t);
        }
    }

    fn end(&mut self, end: &super::sink::RunEnd) -> Result<(), super::sink::SinkError> {
        let kept: Vec<Kept> = self.kept.take().collect();
        let out = &mut self.out;
        for k in &kept {
            if let Kept::Failing { name, known, text } = k {
                if *known {
                    let _ = writeln!(out, "KNOWN {name}  (matches the baseline)");
                } else {
                    let _ = write!(out, "{text}");
                }
            }
        }
        for k in &kept {
            if let Kept::Unknown(text) = k {
                let _ = write!(out, "{text}");
            }
        }
        let mut not_run = std::mem::take(&mut self.not_run);
        not_run.sort_by_key(|n| n.first);
        for n in &not_run {
            let label = self.style.outcome(Outcome::Error);
            let versions = version_list(n.versions);
            let _ = match n.scenarios.len() {
                1 => writeln!(
                    out,
                    "{label} {}[{}] on {versions}  ({})",
                    n.scenario, n.runner, n.reason
                ),
                count => writeln!(
                    out,
                    "{label} {}: {count} scenarios on {versions}  ({})",
                    n.runner, n.reason
                ),
            };
        }
        let mut failures = std::mem::take(&mut self.failures);
        failures.sort_by_key(|f| f.first);
        for f in &failures {
            let versions = version_list(f.versions);
            if f.known {
                if !self.quiet {
                    let _ = writeln!(
                        out,
                        "KNOWN {}] on {versions}  (matches the baseline)",
                        f.header
                    );
                }
            } else {
                let _ = write!(
                    out,
                    "{} {}] on {versions}{}",
                    self.style.outcome(f.outcome),
                    f.header,
                    f.body.replace(VERSIONS, &versions)
                );
            }
        }
        for u in std::mem::take(&mut self.unknown).into_plan_order() {
            let _ = writeln!(
                out,
                "{} {}: unknown on {}{}{}",
                self.style.paint(YELLOW, "?"),
                u.scenario,
                version_list(u.versions),
                u.runners_note(),
                u.cites_note()
            );
        }
        let _ = writeln!(out, "{}", summary(end.summary, end.seconds));
        if let Some(why) = end.interrupted {
            let _ = writeln!(out, "{why}; the results are partial");
        }
        let _ = out.flush();
        Ok(())
    }
}
