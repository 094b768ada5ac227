//! Terminal output: one line per notable trial, the details of every failure (file:line of
//! the step, the call with its arguments, expected and observed with names and numbers,
//! the version), and a closing summary line.

use super::Summary;
use crate::exec::record::{observed_text, StepRecord};
use crate::exec::TrialResult;
use crate::verdict::{Outcome, StepVerdict};
use std::fmt::Write;

pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn outcome(&self, o: Outcome) -> String {
        let label = o.as_str().to_uppercase();
        let code = match o {
            Outcome::Pass => "32",
            Outcome::Unknown | Outcome::Skip => "33",
            _ => "31;1",
        };
        self.paint(code, &label)
    }
}

/// The one-line form: `FAIL scenario[runner@version]  reason`.
pub fn line(r: &TrialResult, style: &Style) -> String {
    let mut s = format!("{} {}", style.outcome(r.outcome), r.name);
    if let Some(reason) = &r.reason {
        let _ = write!(s, "  ({reason})");
    }
    s
}

/// Everything a reader needs to see why a trial did not pass.
pub fn details(r: &TrialResult, style: &Style) -> String {
    let mut s = line(r, style);
    s.push('\n');
    for step in r.notable_steps() {
        step_details(&mut s, step, r, style);
    }
    s
}

fn step_details(s: &mut String, step: &StepRecord, r: &TrialResult, style: &Style) {
    let origin = match &step.fixture {
        Some(f) => format!("fixture {f} step {}", step.step),
        None => format!("step {}", step.step),
    };
    let _ = writeln!(
        s,
        "  {} {origin} at {}:{}:{}",
        style.paint("34", "-->"),
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
            "      expected  {}  [{} at line {}{note}] on {}",
            e.outcome, e.provenance, e.line, r.version
        );
    }
    if let Some(o) = &step.observed {
        let _ = writeln!(s, "      observed  {}", observed_text(o));
        if let Some(u) = &o.undefined {
            let _ = writeln!(s, "      undefined {u}");
        }
    }
    match &step.verdict {
        StepVerdict::Fail(why) | StepVerdict::Error(why) => {
            let _ = writeln!(s, "      {}       {why}", style.paint("31", "why"));
        }
        StepVerdict::Unknown => {
            let _ = writeln!(
                s,
                "      (expectation unknown: result recorded, not judged)"
            );
        }
        StepVerdict::Pass => {}
    }
}

/// One line per unknown step: the observed result, recorded, not judged.
pub fn unknowns(r: &TrialResult, style: &Style) -> String {
    let mut s = String::new();
    for step in r.steps.iter().filter(|s| s.verdict == StepVerdict::Unknown) {
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
/// plain `N passed, N failed` line CI systems read.
pub fn summary(sum: &Summary, seconds: f64) -> String {
    let mut parts = vec![
        format!("{} passed", sum.count(Outcome::Pass)),
        format!("{} failed", sum.count(Outcome::Fail)),
        format!("{} unknown", sum.count(Outcome::Unknown)),
        format!("{} skipped", sum.count(Outcome::Skip)),
        format!("{} errors", sum.count(Outcome::Error)),
    ];
    for o in [Outcome::Crashed, Outcome::Timeout] {
        if sum.count(o) > 0 {
            parts.push(format!("{} {}", sum.count(o), o.as_str()));
        }
    }
    format!(
        "{} trials: {} ({seconds:.2} s)",
        sum.total,
        parts.join(", ")
    )
}
