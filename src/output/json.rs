//! `--format json`: one document with `summary` (counts per outcome) and `results` (one
//! entry per trial, with the expected and observed codes of every step that did not pass).

use super::Summary;
use crate::results::{observed_text, Trial};
use crate::verdict::Outcome;
use serde_json::{json, Map, Value};
use std::io::Write;

/// The document from each trial's `trial` value, in order.
pub fn document(results: Vec<Value>, sum: &Summary, seconds: f64) -> Value {
    let mut counts = Map::new();
    for o in Outcome::ALL {
        counts.insert(o.as_str().into(), json!(sum.count(o)));
    }
    counts.insert("total".into(), json!(sum.total));
    if sum.baseline {
        // Failing trials the baseline knows (counted in their outcome too).
        counts.insert("known".into(), json!(sum.known_total()));
    }
    json!({
        "summary": counts,
        "seconds": seconds,
        "results": results,
    })
}

/// One trial's entry in `results`.
pub fn trial(r: &Trial) -> Value {
    let steps: Vec<Value> = r
        .notable_steps()
        .map(|s| {
            json!({
                "step": s.step,
                "fixture": s.fixture,
                "file": s.file,
                "line": s.line,
                "col": s.col,
                "call": s.call,
                "item": s.item,
                "verdict": s.verdict.as_str(),
                "reason": s.reason,
                "expected": s.expected.as_ref().map(|e| json!({
                    "name": e.outcome, "code": e.code, "provenance": e.provenance, "line": e.line,
                })),
                "observed": s.observed.as_ref().map(|o| json!({
                    "name": observed_text(o), "code": o.code().map(|c| c.0), "undefined": o.undefined,
                })),
            })
        })
        .collect();
    json!({
        "name": r.name,
        "scenario": r.scenario,
        "file": r.file,
        "runner": r.runner,
        "version": r.version,
        "outcome": r.outcome,
        "reason": r.reason,
        "duration_us": r.duration_us,
        "steps": steps,
    })
}

/// `--format json`: each trial's entry, then the document (with the baseline's judgement).
pub struct JsonSink<'a> {
    out: Box<dyn std::io::Write + 'a>,
    results: crate::plan::Ordered<Value>,
}

impl<'a> JsonSink<'a> {
    pub fn new(out: Box<dyn std::io::Write + 'a>) -> JsonSink<'a> {
        JsonSink {
            out,
            results: Default::default(),
        }
    }
}

impl super::sink::Sink for JsonSink<'_> {
    /// Lists the steps that did not pass only.
    fn reads_passing_steps(&self) -> bool {
        false
    }
    fn trial(&mut self, e: &super::sink::TrialEvent) {
        self.results.push(e.index, trial(e.trial));
    }
    fn end(&mut self, end: &super::sink::RunEnd) -> Result<(), super::sink::SinkError> {
        let mut doc = document(self.results.take().collect(), end.summary, end.seconds);
        if let (Some(why), Some(sum)) = (end.interrupted, doc["summary"].as_object_mut()) {
            sum.insert("partial".into(), json!(true));
            sum.insert("interrupted".into(), json!(why));
        }
        if let (Some(j), Some(map)) = (end.baseline, doc.as_object_mut()) {
            map.insert(
                "baseline".into(),
                json!({ "known": j.known, "problems": j.problems }),
            );
        }
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        let _ = writeln!(self.out, "{text}");
        let _ = self.out.flush();
        Ok(())
    }
}
