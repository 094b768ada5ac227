//! Terminal output: one line per notable trial, the details of every failure (file:line of
//! the step, the call with its arguments, expected and observed with names and numbers,
//! the version), and a closing summary line.

use super::Summary;
use crate::results::{observed_text, Step, StepOutcome, Trial};
use crate::verdict::Outcome;
use std::fmt::Write as _;
use std::io::Write;

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
        step_details(&mut s, step, r, style);
    }
    s
}

fn step_details(s: &mut String, step: &Step, r: &Trial, style: &Style) {
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
    match step.verdict {
        StepOutcome::Fail | StepOutcome::Error => {
            let why = step.reason.as_deref().unwrap_or_default();
            let _ = writeln!(s, "      {}       {why}", style.paint("31", "why"));
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

/// The human output: the failures' details (or `KNOWN` lines), the unknown steps, the
/// summary line; with `verbose`, every trial's line as it ends.
pub struct HumanSink<'a> {
    out: Box<dyn std::io::Write + 'a>,
    style: Style,
    quiet: bool,
    verbose: bool,
    /// Where `verbose` lines go while the run lasts (beside the progress bar).
    live: Option<&'a super::progress::Progress>,
    /// Failing trials (name, known, details) and unknown trials' unknown steps.
    kept: crate::plan::Ordered<Kept>,
}

enum Kept {
    Failing {
        name: String,
        known: bool,
        text: String,
    },
    Unknown(String),
}

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
        }
    }
}

impl super::sink::Sink for HumanSink<'_> {
    fn trial(&mut self, e: &super::sink::TrialEvent) {
        let t = e.trial;
        if self.verbose {
            match self.live {
                Some(p) => p.println(&line(t, &self.style)),
                None => {
                    let _ = writeln!(self.out, "{}", line(t, &self.style));
                }
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
        } else if t.outcome == Outcome::Unknown && !self.quiet && !self.verbose {
            self.kept
                .push(e.index, Kept::Unknown(unknowns(t, &self.style)));
        }
    }

    fn end(&mut self, end: &super::sink::RunEnd) -> Result<(), super::sink::SinkError> {
        let kept: Vec<Kept> = self.kept.take().collect();
        let out = &mut self.out;
        for k in &kept {
            if let Kept::Failing { name, known, text } = k {
                if *known {
                    if !self.quiet {
                        let _ = writeln!(out, "KNOWN {name}  (matches the baseline)");
                    }
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
        let _ = writeln!(out, "{}", summary(end.summary, end.seconds));
        let _ = out.flush();
        Ok(())
    }
}
