//! `--format json`: one document with `summary` (counts per outcome) and `results` (one
//! entry per trial, with the expected and observed codes of every step that did not pass).

use super::Summary;
use crate::exec::record::observed_text;
use crate::exec::TrialResult;
use crate::verdict::{Outcome, StepVerdict};
use serde_json::{json, Map, Value};

/// The document from each trial's `trial` value, in order.
pub fn document(results: Vec<Value>, sum: &Summary, seconds: f64) -> Value {
    let mut counts = Map::new();
    for o in Outcome::ALL {
        counts.insert(o.as_str().into(), json!(sum.count(o)));
    }
    counts.insert("total".into(), json!(sum.total));
    json!({
        "summary": counts,
        "seconds": seconds,
        "results": results,
    })
}

/// One trial's entry in `results`.
pub fn trial(r: &TrialResult) -> Value {
    let steps: Vec<Value> = r
        .notable_steps()
        .map(|s| {
            let (verdict, reason) = match &s.verdict {
                StepVerdict::Pass => ("pass", None),
                StepVerdict::Fail(w) => ("fail", Some(w.clone())),
                StepVerdict::Unknown => ("unknown", None),
                StepVerdict::Error(w) => ("error", Some(w.clone())),
            };
            json!({
                "step": s.step,
                "fixture": s.fixture,
                "file": s.file,
                "line": s.line,
                "col": s.col,
                "call": s.call,
                "item": s.item,
                "verdict": verdict,
                "reason": reason,
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
