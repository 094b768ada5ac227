//! `--format github`: GitHub Actions workflow commands and a job summary.
//!
//! * One `::error` annotation per failing step of a scenario on a runner, with every version
//!   it failed on (the same step failing on five versions is one annotation, not five),
//!   pointing at the step's line in its scenario (or fixture) file. Trials that failed before
//!   any step for one reason (a runner that could not start) are one annotation per runner.
//! * GitHub shows at most 10 error annotations of one step of a job (and 10 warnings, 50
//!   annotations per job in all; GitHub's documentation of annotation limits for workflow
//!   commands): past 10 failing steps, the first 9 are annotated and a 10th says how many
//!   more there are, and that the job summary lists them all.
//! * When `GITHUB_STEP_SUMMARY` names a file (GitHub sets it in every step), a Markdown
//!   summary is appended to it: the counts, every failure, the unknown results (one line per
//!   scenario with its versions) and the failures the baseline knows.

use super::sink::{RunEnd, Sink, SinkError, TrialEvent};
use super::unknowns::Unknowns;
use super::{version_list, Summary};
use crate::results::{StepOutcome, Trial};
use crate::verdict::Outcome;
use jetconform_interface::VersionSet;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

/// The error annotations GitHub shows for one step of a job.
pub const MAX_ERRORS_PER_STEP: usize = 10;
/// The size GitHub accepts for one step's job summary (1 MiB); the summary stays below it.
const SUMMARY_BUDGET: usize = 1000 * 1000;

/// `--format github`: the annotations of the failing steps the baseline does not know, and
/// the job summary. The sink keeps one entry per distinct failure, with its versions.
pub struct GithubSink<'a> {
    out: Box<dyn std::io::Write + 'a>,
    /// Where the job summary goes (`$GITHUB_STEP_SUMMARY`), if anywhere.
    summary_file: Option<PathBuf>,
    failures: Vec<Failure>,
    failure_index: HashMap<FailureKey, usize>,
    unknown: Unknowns,
    /// Failing trials the baseline knows, in plan order.
    known: crate::plan::Ordered<String>,
}

/// A failing step of one scenario on one runner (or, for trials that failed before any
/// step, one runner's reason).
#[derive(Clone, PartialEq, Eq, Hash)]
enum FailureKey {
    Step {
        scenario: String,
        runner: String,
        file: String,
        line: u32,
        col: u32,
        step: String,
    },
    Trial {
        runner: String,
        outcome: Outcome,
        reason: String,
    },
}

struct Failure {
    /// Plan index of its first trial.
    first: usize,
    outcome: Outcome,
    scenario: String,
    runner: String,
    /// `None` for a failure of several scenarios' trials (a runner that could not start).
    file: Option<String>,
    line: Option<(u32, u32)>,
    /// What it says, once per distinct text (the expectation may differ between versions),
    /// with the versions of each.
    variants: Vec<Variant>,
    scenarios: Vec<String>,
}

struct Variant {
    /// Lines of the message; `expected` lines end with the versions.
    lines: Vec<Line>,
    versions: VersionSet,
}

#[derive(PartialEq)]
enum Line {
    Plain(String),
    /// `expected: X [provenance]`, to be followed by ` on VERSIONS`.
    Expected(String),
}

impl<'a> GithubSink<'a> {
    /// Annotations to `out`; the job summary to `$GITHUB_STEP_SUMMARY` when it is set.
    pub fn new(out: Box<dyn std::io::Write + 'a>) -> GithubSink<'a> {
        let summary_file = std::env::var_os("GITHUB_STEP_SUMMARY")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from);
        GithubSink::with_summary(out, summary_file)
    }

    pub fn with_summary(
        out: Box<dyn std::io::Write + 'a>,
        summary_file: Option<PathBuf>,
    ) -> GithubSink<'a> {
        GithubSink {
            out,
            summary_file,
            failures: Vec::new(),
            failure_index: HashMap::new(),
            unknown: Unknowns::default(),
            known: Default::default(),
        }
    }

    fn add(&mut self, index: usize, key: FailureKey, t: &Trial, file: Option<(&str, u32, u32)>) {
        let at = match self.failure_index.get(&key) {
            Some(&at) => at,
            None => {
                self.failures.push(Failure {
                    first: index,
                    outcome: t.outcome,
                    scenario: t.scenario.clone(),
                    runner: t.runner.clone(),
                    file: file.map(|f| f.0.to_string()),
                    line: file.and_then(|f| (f.1 > 0).then_some((f.1, f.2))),
                    variants: Vec::new(),
                    scenarios: Vec::new(),
                });
                self.failure_index.insert(key, self.failures.len() - 1);
                self.failures.len() - 1
            }
        };
        let f = &mut self.failures[at];
        if index < f.first {
            f.first = index;
            f.outcome = t.outcome;
        }
        if !f.scenarios.contains(&t.scenario) {
            f.scenarios.push(t.scenario.clone());
        }
    }

    fn variant(
        &mut self,
        key: &FailureKey,
        lines: Vec<Line>,
        version: jetconform_interface::WinVersion,
    ) {
        let Some(&at) = self.failure_index.get(key) else {
            return;
        };
        let f = &mut self.failures[at];
        match f.variants.iter_mut().find(|v| v.lines == lines) {
            Some(v) => v.versions.insert(version),
            None => {
                let mut versions = VersionSet::EMPTY;
                versions.insert(version);
                f.variants.push(Variant { lines, versions });
            }
        }
    }

    fn failing(&mut self, index: usize, t: &Trial) {
        let steps: Vec<_> = t
            .steps
            .iter()
            .filter(|s| matches!(s.verdict, StepOutcome::Fail | StepOutcome::Error))
            .collect();
        if steps.is_empty() {
            let reason = t
                .reason
                .clone()
                .unwrap_or_else(|| t.outcome.as_str().into());
            let key = FailureKey::Trial {
                runner: t.runner.clone(),
                outcome: t.outcome,
                reason: reason.clone(),
            };
            self.add(index, key.clone(), t, Some((&t.file, 0, 0)));
            self.variant(&key, vec![Line::Plain(reason)], t.version);
            return;
        }
        for s in steps {
            let key = FailureKey::Step {
                scenario: t.scenario.clone(),
                runner: t.runner.clone(),
                file: s.file.clone(),
                line: s.line,
                col: s.col,
                step: s.label(),
            };
            self.add(index, key.clone(), t, Some((&s.file, s.line, s.col)));
            let mut lines = vec![
                Line::Plain(s.label()),
                Line::Plain(format!("call: {}", s.call)),
            ];
            if let Some(e) = &s.expected {
                lines.push(Line::Expected(format!(
                    "expected: {} [{}]",
                    e.outcome, e.provenance
                )));
            }
            lines.push(Line::Plain(format!("observed: {}", s.observed_text())));
            if let Some(r) = &s.reason {
                lines.push(Line::Plain(format!("why: {r}")));
            }
            self.variant(&key, lines, t.version);
        }
    }
}

impl Failure {
    fn versions(&self) -> VersionSet {
        self.variants
            .iter()
            .fold(VersionSet::EMPTY, |a, v| a.union(v.versions))
    }

    /// `fail scenario[runner] on xp, win7`, or `error runner: 12 scenarios on ...`.
    fn title(&self) -> String {
        let versions = version_list(self.versions());
        if self.scenarios.len() > 1 {
            format!(
                "{} {}: {} scenarios on {versions}",
                self.outcome.as_str(),
                self.runner,
                self.scenarios.len()
            )
        } else {
            format!(
                "{} {}[{}] on {versions}",
                self.outcome.as_str(),
                self.scenario,
                self.runner
            )
        }
    }

    /// The message: each variant's lines, its versions on its `expected` line; with several
    /// variants, the lines they share first (the step, the call), then each variant's own
    /// lines after the versions they are for.
    fn message(&self) -> String {
        let mut out = Vec::new();
        let shared = match self.variants.as_slice() {
            [] => 0,
            [_] => 0,
            [first, rest @ ..] => first
                .lines
                .iter()
                .enumerate()
                .take_while(|(i, l)| {
                    matches!(l, Line::Plain(_)) && rest.iter().all(|v| v.lines.get(*i) == Some(l))
                })
                .count(),
        };
        if let Some(first) = self.variants.first() {
            for l in &first.lines[..shared] {
                if let Line::Plain(t) = l {
                    out.push(t.clone());
                }
            }
        }
        for v in &self.variants {
            let versions = version_list(v.versions);
            // The `expected` line names the versions; a variant without one says them first.
            if self.variants.len() > 1 && !v.lines.iter().any(|l| matches!(l, Line::Expected(_))) {
                out.push(format!("on {versions}:"));
            }
            for l in &v.lines[shared..] {
                match l {
                    Line::Plain(t) => out.push(t.clone()),
                    Line::Expected(t) => out.push(format!("{t} on {versions}")),
                }
            }
        }
        out.join("\n")
    }

    fn annotation(&self) -> String {
        let mut props = Vec::new();
        if let Some(f) = &self.file {
            if self.scenarios.len() == 1 {
                props.push(format!("file={}", property(f)));
                if let Some((line, col)) = self.line {
                    props.push(format!("line={line}"));
                    props.push(format!("col={col}"));
                }
            }
        }
        props.push(format!("title={}", property(&self.title())));
        format!("::error {}::{}\n", props.join(","), data(&self.message()))
    }
}

impl Sink for GithubSink<'_> {
    /// Annotates failing and unknown steps only.
    fn reads_passing_steps(&self) -> bool {
        false
    }
    fn trial(&mut self, e: &TrialEvent) {
        let t = e.trial;
        if t.outcome.is_failure() {
            if e.known {
                self.known.push(e.index, t.name.clone());
            } else {
                self.failing(e.index, t);
            }
        } else if t.outcome == Outcome::Unknown {
            self.unknown.add(e.index, t);
        }
    }

    fn end(&mut self, end: &RunEnd) -> Result<(), SinkError> {
        self.failures.sort_by_key(|f| f.first);
        let shown = if self.failures.len() > MAX_ERRORS_PER_STEP {
            MAX_ERRORS_PER_STEP - 1
        } else {
            self.failures.len()
        };
        for f in &self.failures[..shown] {
            let _ = write!(self.out, "{}", f.annotation());
        }
        if shown < self.failures.len() {
            let rest = &self.failures[shown..];
            let names: Vec<String> = rest.iter().take(20).map(Failure::title).collect();
            let more = if rest.len() > names.len() {
                format!("; and {} more", rest.len() - names.len())
            } else {
                String::new()
            };
            let msg = format!(
                "{} more failing steps are not annotated: GitHub shows at most {MAX_ERRORS_PER_STEP} \
                 error annotations per step. The job summary lists every failure.\n{}{more}",
                rest.len(),
                names.join("\n")
            );
            let title = format!("jetconform: {} more failures", rest.len());
            let _ = writeln!(
                self.out,
                "::error title={}::{}",
                property(&title),
                data(&msg)
            );
        }
        let _ = self.out.flush();
        if let Some(path) = self.summary_file.clone() {
            let text = self.job_summary(end.summary);
            let written = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(text.as_bytes()));
            if let Err(source) = written {
                return Err(SinkError {
                    what: format!("the job summary {}", path.display()),
                    source,
                });
            }
        }
        Ok(())
    }
}

impl GithubSink<'_> {
    /// The Markdown of the job summary (below GitHub's 1 MiB per step: lists that would pass
    /// it are cut, saying how many entries are left out).
    fn job_summary(&mut self, sum: &Summary) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "## jetconform: {}\n", super::human::counts(sum));
        let _ = writeln!(s, "| outcome | trials |\n|---|---:|");
        for o in Outcome::ALL {
            let n = sum.new_count(o);
            if n > 0 || matches!(o, Outcome::Pass | Outcome::Fail) {
                let _ = writeln!(s, "| {} | {n} |", o.as_str());
            }
        }
        if sum.baseline {
            let _ = writeln!(s, "| known (baseline) | {} |", sum.known_total());
        }
        let _ = writeln!(s, "| **total** | {} |", sum.total);
        if !self.failures.is_empty() {
            let _ = writeln!(s, "\n### Failures ({})\n", self.failures.len());
            let mut left = self.failures.len();
            for f in &self.failures {
                if s.len() > SUMMARY_BUDGET {
                    let _ = writeln!(s, "\n… and {left} more (the summary's size is limited)");
                    break;
                }
                left -= 1;
                let at = match (&f.file, f.line, f.scenarios.len()) {
                    (Some(file), Some((line, _)), 1) => format!(" at `{file}:{line}`"),
                    (Some(file), None, 1) => format!(" in `{file}`"),
                    _ => String::new(),
                };
                let _ = writeln!(
                    s,
                    "<details><summary><b>{}</b>{}</summary>\n",
                    html(&f.title()),
                    html(&at.replace('`', ""))
                );
                let _ = writeln!(
                    s,
                    "```text\n{}\n```\n</details>\n",
                    f.message().replace("```", "'''")
                );
            }
        }
        let unknown = std::mem::take(&mut self.unknown).into_plan_order();
        if !unknown.is_empty() {
            let _ = writeln!(
                s,
                "\n### Unknown ({} scenarios: recorded, not judged)\n",
                unknown.len()
            );
            let mut left = unknown.len();
            for u in &unknown {
                if s.len() > SUMMARY_BUDGET {
                    let _ = writeln!(s, "- … and {left} more");
                    break;
                }
                left -= 1;
                let _ = writeln!(
                    s,
                    "- `{}`: unknown on {}{}{} — `{}`",
                    u.scenario,
                    version_list(u.versions),
                    u.runners_note(),
                    md(&u.cites_note()),
                    u.file
                );
            }
        }
        let known: Vec<String> = self.known.take().collect();
        if !known.is_empty() {
            let _ = writeln!(
                s,
                "\n### Known failures ({}: they match the baseline)\n",
                known.len()
            );
            let mut left = known.len();
            for k in known {
                if s.len() > SUMMARY_BUDGET {
                    let _ = writeln!(s, "- … and {left} more");
                    break;
                }
                left -= 1;
                let _ = writeln!(s, "- `{k}`");
            }
        }
        s.push('\n');
        s
    }
}

/// Text for Markdown outside code spans.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text inside HTML elements of the summary.
fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Escaping of a command's message (GitHub's `escapeData`).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a property value (GitHub's `escapeProperty`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_like_the_toolkit() {
        assert_eq!(super::property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(super::data("a:b\n"), "a:b%0A");
    }
}
