//! Sequences as scenario TOML (docs/scenario-format.md): during exploration every
//! expectation is `unknown` (run, record, do not judge); a found difference is written with
//! runner A's results as the expectations, and B's too when B models another version.

use super::compare::{number_of, result_name, Difference};
use super::generator::{GenStep, Sequence};
use crate::results::Trial;
use crate::runners::RunnerEntry;
use jetconform_interface::{CallResult, Function, WinVersion};
use std::fmt::Write as _;

/// Where a runner's results come from, as an expectation's provenance and note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub provenance: String,
    pub note: Option<String>,
    /// The runner models ESENT (its results may stand for its version's expectations).
    pub model: bool,
}

/// A real engine is `observed:<machine>`; the mock and other libraries are `inferred`, with
/// a note saying they are a model, not an observation of esent.dll.
pub fn source_of(entry: &RunnerEntry, version: WinVersion) -> Source {
    let m = &entry.info.machine;
    if let (Some(windows), Some(esent)) = (&m.windows, &m.esent) {
        return Source {
            provenance: format!("observed:{}-{windows}-esent-{esent}", m.os),
            note: None,
            model: false,
        };
    }
    let model = entry.name.starts_with("mock");
    let what = if model {
        format!("the jetconform mock's model of {version}")
    } else {
        let short = entry.name.rsplit(['/', '\\']).next().unwrap_or(&entry.name);
        format!("runner {short} (not a real esent.dll) as {version}")
    };
    Source {
        provenance: "inferred".into(),
        note: Some(format!("explore: from {what}")),
        model,
    }
}

/// The expectations a rendered sequence carries.
pub enum Expectations<'a> {
    /// `unknown` for every version (`not_exported` where the version lacks the function).
    Explore(Vec<WinVersion>),
    /// A found difference: per version, the trial whose results are the expectations.
    Found(Vec<(WinVersion, Option<&'a Trial>, &'a Source)>),
}

/// The top of a found scenario.
pub struct Header {
    pub title: String,
    pub description: String,
    pub evidence: Vec<String>,
    pub reproduce: String,
    /// (step index, output, value) checks taken from A.
    pub check: Option<(usize, String, String)>,
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The scenario text of `seq`.
pub fn render(seq: &Sequence, expectations: &Expectations, header: Option<&Header>) -> String {
    let mut t = head(expectations, header);
    for (i, s) in seq.steps.iter().enumerate() {
        t.push_str(&step_text(s, i, expectations, header));
    }
    t
}

/// The top of the scenario text, before its steps.
pub fn head(expectations: &Expectations, header: Option<&Header>) -> String {
    let mut t = String::new();
    let versions: Vec<WinVersion> = match expectations {
        Expectations::Explore(v) => v.clone(),
        Expectations::Found(v) => v.iter().map(|(v, _, _)| *v).collect(),
    };
    match header {
        Some(h) => {
            let _ = writeln!(t, "# Reproduce: {}", h.reproduce);
            let _ = writeln!(t, "title = {}", quote(&h.title));
            let _ = writeln!(t, "description = {}", quote(&h.description));
            let _ = writeln!(t, "tags = [\"explore\"]");
            let ev: Vec<String> = h.evidence.iter().map(|e| quote(e)).collect();
            let _ = writeln!(t, "evidence = [{}]", ev.join(", "));
        }
        None => {
            t.push_str(
                "title = \"explore\"\ndescription = \"generated\"\nevidence = [\"explore\"]\n",
            );
        }
    }
    let vs: Vec<String> = versions.iter().map(|v| quote(v.id())).collect();
    let _ = writeln!(t, "versions = [{}]", vs.join(", "));
    // What a version's esent.dll exports is spec 11.1's table (documentation and header):
    // the provenance of `not_exported`; every other expectation gives its own.
    t.push_str("provenance = \"documented\"\n");
    t
}

/// The `[[step]]` table of step `i` (`s`), from the blank line before it.
pub fn step_text(
    s: &GenStep,
    i: usize,
    expectations: &Expectations,
    header: Option<&Header>,
) -> String {
    let mut t = String::from("\n[[step]]\n");
    let _ = writeln!(t, "call = {}", quote(&s.call));
    for (k, v) in &s.args {
        let _ = writeln!(t, "{k} = {v}");
    }
    if !s.bind.is_empty() {
        let b: Vec<String> = s
            .bind
            .iter()
            .map(|(o, n)| format!("{o} = \"${n}\""))
            .collect();
        let _ = writeln!(t, "bind = {{ {} }}", b.join(", "));
    }
    if let Some((_, out, value)) = header
        .and_then(|h| h.check.as_ref())
        .filter(|(at, _, _)| *at == i)
    {
        let _ = writeln!(t, "check = {{ {out} = {value} }}");
    }
    if let Some(e) = expect(s, i, expectations) {
        let _ = writeln!(t, "expect = {e}");
    }
    t
}

/// The `expect` value of a step (None for harness verbs, which default to success).
fn expect(s: &GenStep, index: usize, expectations: &Expectations) -> Option<String> {
    let f = Function::by_name(&s.call)?;
    if f.info().is_verb() {
        return None;
    }
    let exported = |v: WinVersion| f.info().since <= v;
    // Per version: the value, and its provenance and note when it is a code.
    let entries: Vec<(WinVersion, String, Option<&Source>)> = match expectations {
        Expectations::Explore(vs) => vs
            .iter()
            .map(|v| {
                let e = if exported(*v) {
                    "\"unknown\""
                } else {
                    "\"not_exported\""
                };
                (*v, e.to_string(), None)
            })
            .collect(),
        Expectations::Found(vs) => vs
            .iter()
            .map(|(v, trial, source)| {
                let observed = trial
                    .and_then(|t| t.steps.iter().find(|r| r.step as usize == index + 1))
                    .and_then(|r| r.observed.as_ref());
                match observed.map(|o| &o.result) {
                    _ if !exported(*v) => (*v, "\"not_exported\"".to_string(), None),
                    Some(CallResult::Returned(c)) => {
                        let code = match c.name() {
                            Some(n) => quote(n),
                            None => c.0.to_string(),
                        };
                        (*v, code, Some(*source))
                    }
                    Some(CallResult::NotExported) => (*v, "\"not_exported\"".into(), None),
                    _ => (*v, "\"unknown\"".into(), None),
                }
            })
            .collect(),
    };
    let entry = |code: &str, source: Option<&Source>, notes: Vec<&str>| match source {
        None => code.to_string(),
        Some(src) => {
            let mut e = format!("{{ code = {code}, provenance = {}", quote(&src.provenance));
            if !notes.is_empty() {
                let _ = write!(e, ", note = {}", quote(&notes.join("; ")));
            }
            e.push_str(" }");
            e
        }
    };
    let (_, code0, src0) = entries.first()?;
    let same = entries
        .iter()
        .all(|(_, c, s)| c == code0 && s.map(|s| &s.provenance) == src0.map(|s| &s.provenance));
    if same {
        let notes: Vec<&str> = entries
            .iter()
            .filter_map(|(_, _, s)| s.and_then(|s| s.note.as_deref()))
            .collect();
        return Some(entry(code0, *src0, notes));
    }
    let parts: Vec<String> = entries
        .iter()
        .map(|(v, c, s)| {
            let notes = s.and_then(|s| s.note.as_deref()).into_iter().collect();
            format!("{} = {}", v.id(), entry(c, *s, notes))
        })
        .collect();
    Some(format!("{{ {} }}", parts.join(", ")))
}

/// A file name for a found difference: the function, the state and the signature's hash.
pub fn file_name(function: &str, state: &str, signature: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in signature.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    let state: String = state
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!(
        "{}-{}-{:08x}.toml",
        function,
        state.to_ascii_lowercase(),
        h as u32
    )
}

/// The `check` that makes an output difference fail on B: A's value of that output.
pub fn output_check(a: &Trial, d: &Difference) -> Option<(usize, String, String)> {
    let super::compare::Kind::Output { name, .. } = &d.kind else {
        return None;
    };
    let step = a.steps.iter().find(|s| s.step as usize == d.index + 1)?;
    let v = step.observed.as_ref()?.outputs.get(name)?;
    let value = match v {
        jetconform_interface::OutValue::Unwritten => "\"unwritten\"".to_string(),
        other => number_of(other)?.to_string(),
    };
    Some((d.index, name.clone(), value))
}

/// What A and B returned at the differing step, for the description.
pub fn results_at(t: &Trial, index: usize) -> String {
    t.steps
        .iter()
        .find(|s| s.step as usize == index + 1)
        .and_then(|s| s.observed.as_ref())
        .map(result_name)
        .unwrap_or_else(|| t.outcome.as_str().to_string())
}
