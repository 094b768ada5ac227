//! `--format junit`: one JUnit testsuite per runner, one testcase per trial, with the runner
//! and version as properties and the failing steps' details as the failure message. A failing
//! trial that matches its baseline is a success with the property `baseline = known`.

use super::sink::{RunEnd, Sink, SinkError, TrialEvent};
use crate::plan::Ordered;
use crate::results::{Outcome, StepOutcome, Trial};
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};
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
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- cannot serialize the report: {e} -->\n"))
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

/// One trial's testcase; a `known` failure is a success with the property `baseline = known`.
pub fn case(t: &Trial, known: bool) -> TestCase {
    let status = match t.outcome {
        _ if known => TestCaseStatus::success(),
        Outcome::Pass | Outcome::Unknown => TestCaseStatus::success(),
        Outcome::Skip => {
            let mut s = TestCaseStatus::skipped();
            if let TestCaseStatus::Skipped { message, .. } = &mut s {
                *message = t.reason.clone().map(Into::into);
            }
            s
        }
        Outcome::Fail => failure(t, NonSuccessKind::Failure),
        _ => failure(t, NonSuccessKind::Error),
    };
    let mut c = TestCase::new(t.name.clone(), status);
    c.set_classname(t.scenario.clone());
    c.set_time(Duration::from_micros(t.duration_us));
    c.add_property(Property::new("runner", t.runner.clone()));
    c.add_property(Property::new("version", t.version.id()));
    c.add_property(Property::new("outcome", t.outcome.as_str()));
    c.add_property(Property::new("file", t.file.clone()));
    if known {
        c.add_property(Property::new("baseline", "known"));
    }
    c
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
