//! `--format junit`: one JUnit testsuite per runner, one testcase per trial (named
//! `scenario[runner@version]`, its class the scenario), the failing steps' details as the
//! failure message. An unknown trial is skipped, its observed codes in the message; a failing
//! trial that matches its baseline is a success saying so in its `system-out`. The document
//! keeps to the JUnit schema Jenkins validates against: no `properties` inside a testcase, no
//! `disabled` count on a testsuite.

use super::sink::{RunEnd, Sink, SinkError, TrialEvent};
use crate::plan::Ordered;
use crate::results::{Outcome, StepOutcome, Trial};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

/// The document: one testsuite per runner (by name), its testcases in plan order.
pub fn document(cases: impl IntoIterator<Item = (String, TestCase)>) -> String {
    let mut report = Report::new("jetconform");
    let mut suites: BTreeMap<String, Vec<TestCase>> = BTreeMap::new();
    for (runner, case) in cases {
        suites.entry(runner).or_default().push(case);
    }
    for (runner, cases) in suites {
        let mut suite = TestSuite::new(runner);
        for c in cases {
            suite.add_test_case(c);
        }
        report.add_test_suite(suite);
    }
    match report.to_string() {
        Ok(xml) => without_disabled(&xml),
        Err(e) => format!("<!-- cannot serialize the report: {e} -->\n"),
    }
}

/// Drops the `disabled` count quick-junit writes on every `<testsuite>` (not in Jenkins's
/// schema). Quotes inside attribute values are escaped, so ` disabled="` in a testsuite's
/// start tag can only be that attribute.
fn without_disabled(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    for line in xml.split_inclusive('\n') {
        let tag = line.trim_start();
        match line.find(" disabled=\"") {
            Some(at) if tag.starts_with("<testsuite ") => {
                let value = &line[at + " disabled=\"".len()..];
                let end = value
                    .find('"')
                    .map_or(line.len(), |e| at + " disabled=\"".len() + e + 1);
                out.push_str(&line[..at]);
                out.push_str(&line[end..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// `--format junit`: each trial's testcase (with its runner), the document at the end.
pub struct JunitSink<'a> {
    out: Box<dyn std::io::Write + 'a>,
    cases: Ordered<(String, TestCase)>,
}

impl<'a> JunitSink<'a> {
    pub fn new(out: Box<dyn std::io::Write + 'a>) -> JunitSink<'a> {
        JunitSink {
            out,
            cases: Default::default(),
        }
    }
}

impl Sink for JunitSink<'_> {
    /// Details failing and unknown steps only.
    fn reads_passing_steps(&self) -> bool {
        false
    }
    fn trial(&mut self, e: &TrialEvent) {
        let t = e.trial;
        self.cases
            .push(e.index, (t.runner.clone(), case(t, e.known)));
    }
    fn end(&mut self, _: &RunEnd) -> Result<(), SinkError> {
        let _ = write!(self.out, "{}", document(self.cases.take()));
        let _ = self.out.flush();
        Ok(())
    }
}

/// One trial's testcase; a `known` failure is a success that says so in its `system-out`.
pub fn case(t: &Trial, known: bool) -> TestCase {
    let status = match t.outcome {
        _ if known => TestCaseStatus::success(),
        Outcome::Pass => TestCaseStatus::success(),
        Outcome::Unknown => skipped(Some(unknown_message(t))),
        Outcome::Skip => skipped(t.reason.clone()),
        Outcome::Fail => failure(t, NonSuccessKind::Failure),
        _ => failure(t, NonSuccessKind::Error),
    };
    let mut c = TestCase::new(t.name.clone(), status);
    c.set_classname(t.scenario.clone());
    c.set_time(Duration::from_micros(t.duration_us));
    if known {
        c.set_system_out(format!(
            "known divergence: {} matches the baseline ({})\n",
            t.outcome.as_str(),
            t.file
        ));
    }
    c
}

fn skipped(why: Option<String>) -> TestCaseStatus {
    let mut s = TestCaseStatus::skipped();
    if let TestCaseStatus::Skipped { message, .. } = &mut s {
        *message = why.map(Into::into);
    }
    s
}

/// `unknown (recorded, not judged): step 1 JetBeginExternalBackup observed
/// JET_errInvalidParameter (-1003) at cases/x.toml:9; ...`.
fn unknown_message(t: &Trial) -> String {
    let steps: Vec<String> = t
        .steps
        .iter()
        .filter(|s| s.verdict == StepOutcome::Unknown)
        .map(|s| {
            format!(
                "{} {} observed {} at {}:{}",
                s.label(),
                s.function,
                s.observed_text(),
                s.file,
                s.line
            )
        })
        .collect();
    format!("unknown (recorded, not judged): {}", steps.join("; "))
}

fn failure(t: &Trial, kind: NonSuccessKind) -> TestCaseStatus {
    let mut s = TestCaseStatus::non_success(kind);
    let details = details(t);
    if let TestCaseStatus::NonSuccess {
        message,
        description,
        ty,
        ..
    } = &mut s
    {
        *message = Some(
            t.reason
                .clone()
                .or_else(|| {
                    t.steps
                        .iter()
                        .find(|s| matches!(s.verdict, StepOutcome::Fail | StepOutcome::Error))
                        .map(|s| {
                            format!(
                                "{} at {}:{}: {}",
                                s.label(),
                                s.file,
                                s.line,
                                s.reason.clone().unwrap_or_default()
                            )
                        })
                })
                .unwrap_or_else(|| t.outcome.as_str().into())
                .into(),
        );
        *ty = Some(t.outcome.as_str().into());
        *description = Some(details.into());
    }
    s
}

/// The failing steps: where, the call, expected and observed.
pub fn details(t: &Trial) -> String {
    let mut out = String::new();
    if let Some(r) = &t.reason {
        out.push_str(&format!("{}: {r}\n", t.outcome.as_str()));
    }
    for s in t
        .steps
        .iter()
        .filter(|s| matches!(s.verdict, StepOutcome::Fail | StepOutcome::Error))
    {
        out.push_str(&format!(
            "{} at {}:{}:{}\n",
            s.label(),
            s.file,
            s.line,
            s.col
        ));
        out.push_str(&format!("  call      {}\n", s.call));
        if let Some(e) = &s.expected {
            out.push_str(&format!(
                "  expected  {}  [{} at line {}] on {}\n",
                e.outcome, e.provenance, e.line, t.version
            ));
        }
        out.push_str(&format!("  observed  {}\n", s.observed_text()));
        if let Some(r) = &s.reason {
            out.push_str(&format!("  why       {r}\n"));
        }
    }
    out
}
