//! Judges `check` predicates against a call's outputs (parsed in `scenario/`).

use super::BindingLookup;
use crate::sandbox::relativize;
use crate::scenario::model::{Check, Operand, Predicate};
use jetconform_interface::{Observation, OutValue};

/// A check that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckFailure {
    /// The output (`pcbActual`, `pLogInfo.ulGenLow`).
    pub what: String,
    pub problem: CheckProblem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckProblem {
    /// The runner did not report the output.
    NotReported,
    Mismatch {
        expected: String,
        observed: String,
    },
    /// The binding the check compares with has no number.
    Binding(String),
}

impl std::fmt::Display for CheckFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = &self.what;
        match &self.problem {
            CheckProblem::NotReported => write!(f, "{what}: not reported by the runner"),
            CheckProblem::Mismatch { expected, observed } => {
                write!(f, "{what}: expected {expected}, observed {observed}")
            }
            CheckProblem::Binding(why) => write!(f, "{what}: {why}"),
        }
    }
}

/// Every failed check, in the order the step writes them.
pub fn failures(
    checks: &[Check],
    obs: &Observation,
    b: &dyn BindingLookup,
    sandbox: &str,
) -> Vec<CheckFailure> {
    checks
        .iter()
        .filter_map(|c| {
            let what = || match &c.field {
                Some(f) => format!("{}.{f}", c.output),
                None => c.output.clone(),
            };
            evaluate(c, obs, b, sandbox)
                .err()
                .map(|problem| CheckFailure {
                    what: what(),
                    problem,
                })
        })
        .collect()
}

fn evaluate(
    c: &Check,
    obs: &Observation,
    b: &dyn BindingLookup,
    sandbox: &str,
) -> Result<(), CheckProblem> {
    let Some(value) = obs.outputs.get(&c.output) else {
        return Err(CheckProblem::NotReported);
    };
    let fail =
        |expected: String, observed: String| Err(CheckProblem::Mismatch { expected, observed });
    if let Predicate::Unwritten = c.predicate {
        return match value {
            OutValue::Unwritten => Ok(()),
            v => fail("unwritten".into(), show(v)),
        };
    }
    if let OutValue::Unwritten = value {
        return fail(describe(&c.predicate), "unwritten".into());
    }
    match (&c.predicate, scalar(value, c.field.as_deref())) {
        (Predicate::Count(_) | Predicate::CountMin(_) | Predicate::CountMax(_), _) => {
            let OutValue::Strings { items, .. } = value else {
                return fail(format!("a list of {}", describe(&c.predicate)), show(value));
            };
            let ok = match c.predicate {
                Predicate::Count(n) => items.len() == n,
                Predicate::CountMin(n) => items.len() >= n,
                Predicate::CountMax(n) => items.len() <= n,
                _ => unreachable!("count predicates only"),
            };
            if ok {
                Ok(())
            } else {
                fail(
                    describe(&c.predicate),
                    format!("{} ({})", items.len(), list(items, sandbox)),
                )
            }
        }
        (Predicate::Matching(globs), _) => {
            let OutValue::Strings { items, .. } = value else {
                return fail("a list".into(), show(value));
            };
            let got: Vec<String> = items.iter().map(|i| relativize(sandbox, i)).collect();
            let unmatched: Vec<&String> = globs
                .iter()
                .filter(|g| !got.iter().any(|name| name_matches(g, name)))
                .collect();
            if unmatched.is_empty() {
                Ok(())
            } else {
                let shown: Vec<&str> = unmatched.iter().map(|g| g.as_str()).collect();
                fail(
                    format!("a name matching {}", shown.join(", ")),
                    format!("[{}]", got.join(", ")),
                )
            }
        }
        (Predicate::Items(want), _) | (Predicate::Contains(want), _) => {
            let OutValue::Strings { items, .. } = value else {
                return fail("a list".into(), show(value));
            };
            let got: Vec<String> = items.iter().map(|i| relativize(sandbox, i)).collect();
            let ok = match c.predicate {
                Predicate::Items(_) => &got == want,
                _ => want.iter().all(|w| got.contains(w)),
            };
            if ok {
                Ok(())
            } else {
                fail(describe(&c.predicate), format!("[{}]", got.join(", ")))
            }
        }
        (p, Some(Scalar::Num(v))) => {
            let (op, rhs) = match p {
                Predicate::Eq(o) => ("==", o),
                Predicate::Ne(o) => ("!=", o),
                Predicate::Min(o) => (">=", o),
                Predicate::Max(o) => ("<=", o),
                _ => unreachable!("list predicates handled above"),
            };
            let rhs_v = match rhs {
                Operand::Number(n) => *n,
                Operand::Binding(n) => b.number(n).map_err(CheckProblem::Binding)?,
                Operand::Text(t) => return fail(format!("\"{t}\""), v.to_string()),
            };
            let ok = match op {
                "==" => v == rhs_v,
                "!=" => v != rhs_v,
                ">=" => v >= rhs_v,
                _ => v <= rhs_v,
            };
            if ok {
                Ok(())
            } else {
                fail(format!("{op} {}", operand(rhs, rhs_v)), v.to_string())
            }
        }
        (Predicate::Eq(Operand::Text(t)), Some(Scalar::Text(s))) if *t == s => Ok(()),
        (p, Some(Scalar::Text(s))) => fail(describe(p), format!("\"{s}\"")),
        (p, None) => fail(describe(p), show(value)),
    }
}

/// A glob of `matching`, as checks use it: `*` and `?` stop at `/`, and case is ignored
/// (Windows file names are case-insensitive, and engines differ in the case they list).
/// `globset` rather than `regex`: the patterns are file names, and a glob reads like one
/// (`logs/edb*.log`) where a regular expression needs every `.` escaped.
pub fn glob(pattern: &str) -> Result<globset::GlobMatcher, String> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .case_insensitive(true)
        .backslash_escape(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| e.kind().to_string())
}

/// Whether a listed name (sandbox-relative, `/`-separated) matches: a glob with a `/` is
/// matched against the whole name, one without against its last component.
pub fn name_matches(pattern: &str, name: &str) -> bool {
    let Ok(m) = glob(pattern) else {
        return false;
    };
    if pattern.contains('/') {
        m.is_match(name)
    } else {
        m.is_match(name.rsplit('/').next().unwrap_or(name))
    }
}

enum Scalar {
    Num(i64),
    Text(String),
}

fn scalar(v: &OutValue, field: Option<&str>) -> Option<Scalar> {
    match (v, field) {
        (OutValue::Handle(h), None) => Some(Scalar::Num(*h as i64)),
        (OutValue::U32(x), None) => Some(Scalar::Num(*x as i64)),
        (OutValue::I32(x), None) => Some(Scalar::Num(*x as i64)),
        (OutValue::Bytes(x), None) => Some(Scalar::Num(*x as i64)),
        (OutValue::LogInfo(li), Some("cbSize")) => Some(Scalar::Num(li.cb_size as i64)),
        (OutValue::LogInfo(li), Some("ulGenLow")) => Some(Scalar::Num(li.gen_low as i64)),
        (OutValue::LogInfo(li), Some("ulGenHigh")) => Some(Scalar::Num(li.gen_high as i64)),
        (OutValue::LogInfo(li), Some("szBaseName")) => Some(Scalar::Text(li.base_name.clone())),
        (OutValue::Nested(o), None) => o.code().map(|c| Scalar::Num(c.0 as i64)),
        _ => None,
    }
}

fn operand(o: &Operand, v: i64) -> String {
    match o {
        Operand::Binding(n) => format!("${n} ({v})"),
        _ => v.to_string(),
    }
}

fn describe(p: &Predicate) -> String {
    match p {
        Predicate::Eq(o) => format!("== {}", op_text(o)),
        Predicate::Ne(o) => format!("!= {}", op_text(o)),
        Predicate::Min(o) => format!(">= {}", op_text(o)),
        Predicate::Max(o) => format!("<= {}", op_text(o)),
        Predicate::Unwritten => "unwritten".into(),
        Predicate::Count(n) => format!("{n} names"),
        Predicate::CountMin(n) => format!("at least {n} names"),
        Predicate::CountMax(n) => format!("at most {n} names"),
        Predicate::Matching(g) => format!("a name matching {}", g.join(", ")),
        Predicate::Items(i) => format!("exactly [{}]", i.join(", ")),
        Predicate::Contains(i) => format!("to contain [{}]", i.join(", ")),
    }
}

fn op_text(o: &Operand) -> String {
    match o {
        Operand::Number(n) => n.to_string(),
        Operand::Binding(b) => format!("${b}"),
        Operand::Text(t) => format!("\"{t}\""),
    }
}

fn list(items: &[String], sandbox: &str) -> String {
    items
        .iter()
        .map(|i| relativize(sandbox, i))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn show(v: &OutValue) -> String {
    match v {
        OutValue::Unwritten => "unwritten".into(),
        OutValue::Handle(h) => format!("{h:#x}"),
        OutValue::U32(x) => x.to_string(),
        OutValue::I32(x) => x.to_string(),
        OutValue::Bytes(n) => format!("{n} bytes"),
        OutValue::Strings { items, terminated } => {
            format!(
                "[{}]{}",
                items.join(", "),
                if *terminated { "" } else { " (unterminated)" }
            )
        }
        OutValue::LogInfo(li) => format!(
            "{{cbSize {}, ulGenLow {}, ulGenHigh {}, szBaseName \"{}\"}}",
            li.cb_size, li.gen_low, li.gen_high, li.base_name
        ),
        OutValue::Callbacks(ev) => format!("{} callback invocations", ev.len()),
        OutValue::Nested(o) => format!("nested call {:?}", o.result),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::Location;
    use jetconform_interface::ErrorCode;
    use std::sync::Arc;

    struct NoBindings;
    impl BindingLookup for NoBindings {
        fn number(&self, name: &str) -> Result<i64, String> {
            Err(format!("${name} is not bound"))
        }
    }

    fn logs() -> Observation {
        let mut o = Observation::returned(ErrorCode(0));
        o.outputs.insert(
            "szz".into(),
            OutValue::Strings {
                items: vec![
                    "/sbx/logs/edb00001.log".into(),
                    "/sbx/logs/EDB00002.LOG".into(),
                    "/sbx/edb.chk".into(),
                ],
                terminated: true,
            },
        );
        o
    }

    fn judge(p: Predicate) -> Vec<String> {
        let c = Check {
            location: Location {
                file: Arc::new("x.toml".into()),
                line: 1,
                col: 1,
            },
            output: "szz".into(),
            field: None,
            predicate: p,
        };
        failures(&[c], &logs(), &NoBindings, "/sbx")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn count_bounds() {
        assert!(judge(Predicate::CountMin(3)).is_empty());
        assert!(judge(Predicate::CountMax(3)).is_empty());
        assert_eq!(
            judge(Predicate::CountMin(4)),
            ["szz: expected at least 4 names, observed 3 (logs/edb00001.log, logs/EDB00002.LOG, edb.chk)"]
        );
        assert_eq!(judge(Predicate::CountMax(2)).len(), 1);
    }

    #[test]
    fn matching_globs() {
        let m = |g: &[&str]| {
            judge(Predicate::Matching(
                g.iter().map(|s| s.to_string()).collect(),
            ))
        };
        // Without a `/`: the last component; case is ignored.
        assert!(m(&["edb*.log"]).is_empty());
        assert!(m(&["edb0000[2-9].log", "*.chk"]).is_empty());
        // With a `/`: the whole sandbox-relative name, `*` stopping at `/`.
        assert!(m(&["logs/*.log"]).is_empty());
        assert_eq!(
            m(&["*/edb.chk", "*.jrs"]),
            ["szz: expected a name matching */edb.chk, *.jrs, observed [logs/edb00001.log, logs/EDB00002.LOG, edb.chk]"]
        );
        assert!(!name_matches("*.log", "logs"));
        assert!(glob("[").is_err());
    }
}
