//! `--format github`: GitHub Actions workflow commands, one `::error` per failing step,
//! pointing at the step's line in its scenario (or fixture) file.

use super::sink::{RunEnd, Sink, SinkError, TrialEvent};
use crate::plan::Ordered;
use crate::results::{StepOutcome, Trial};
use std::io::Write;

/// `--format github`: the annotations of each failing trial the baseline does not know.
/// Annotations are for failures only: the other trials cost nothing.
pub struct GithubSink<'a> {
    out: Box<dyn std::io::Write + 'a>,
    annotations: Ordered<String>,
}

impl<'a> GithubSink<'a> {
    pub fn new(out: Box<dyn std::io::Write + 'a>) -> GithubSink<'a> {
        GithubSink {
            out,
            annotations: Default::default(),
        }
    }
}

impl Sink for GithubSink<'_> {
    fn trial(&mut self, e: &TrialEvent) {
        if e.trial.outcome.is_failure() && !e.known {
            self.annotations.push(e.index, annotations(e.trial));
        }
    }
    fn end(&mut self, _: &RunEnd) -> Result<(), SinkError> {
        for a in self.annotations.take() {
            let _ = write!(self.out, "{a}");
        }
        let _ = self.out.flush();
        Ok(())
    }
}

/// One trial's annotations: one per failing step, or one for the trial when no step failed.
pub fn annotations(t: &Trial) -> String {
    let mut out = String::new();
    if t.outcome.is_failure() {
        let failing: Vec<_> = t
            .steps
            .iter()
            .filter(|s| matches!(s.verdict, StepOutcome::Fail | StepOutcome::Error))
            .collect();
        if failing.is_empty() {
            let msg = t
                .reason
                .clone()
                .unwrap_or_else(|| t.outcome.as_str().into());
            out.push_str(&format!(
                "::error file={},title={}::{}\n",
                property(&t.file),
                property(&format!("{} {}", t.outcome.as_str(), t.name)),
                data(&msg)
            ));
        }
        for s in failing {
            let mut msg = format!("{}\ncall: {}\n", s.label(), s.call);
            if let Some(e) = &s.expected {
                msg.push_str(&format!(
                    "expected: {} [{}] on {}\n",
                    e.outcome, e.provenance, t.version
                ));
            }
            msg.push_str(&format!("observed: {}", s.observed_text()));
            if let Some(r) = &s.reason {
                msg.push_str(&format!("\nwhy: {r}"));
            }
            out.push_str(&format!(
                "::error file={},line={},col={},title={}::{}\n",
                property(&s.file),
                s.line,
                s.col,
                property(&format!("{} {}", t.outcome.as_str(), t.name)),
                data(&msg)
            ));
        }
    }
    out
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
