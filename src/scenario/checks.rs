//! `check = { output = predicate }` of a call step, parsed and validated (judged in
//! `verdict/checks.rs`).

use super::args;
use super::bindings::{Kind, Scope};
use super::expect;
use super::model::{Check, Operand, Predicate};
use super::outputs::{checkable, no_such_output};
use super::source::Cx;
use super::suggest::did_you_mean;
use super::tree::{self, Node, Value};
use jetconform_interface::functions::{BufferKind, FunctionInfo, ParamType};

/// `check = { output = predicate }`.
pub(super) fn checks(
    cx: &mut Cx<'_>,
    scope: &Scope,
    info: &FunctionInfo,
    v: &Node<'_>,
) -> Vec<Check> {
    let Some(t) = v.get_ref().as_table() else {
        cx.error(
            v.span(),
            "`check` is a table { output = ... }",
            "expected a table",
            None,
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in tree::entries(t) {
        let ty = info
            .param(e.key)
            .map(|(_, p)| p.ty)
            .filter(|ty| checkable(*ty));
        let Some(ty) = ty else {
            no_such_output(cx, info, e.key, e.key_span.clone(), "check");
            continue;
        };
        let location = cx.location(&e.key_span);
        let mut push = |field: Option<String>, predicate: Predicate| {
            out.push(Check {
                location: location.clone(),
                output: e.key.to_string(),
                field,
                predicate,
            })
        };
        if e.value.get_ref().as_str() == Some("unwritten") {
            push(None, Predicate::Unwritten);
            continue;
        }
        match ty {
            ParamType::OutBuffer(BufferKind::MultiString | BufferKind::Data)
            | ParamType::OutNames => {
                for p in list_predicates(cx, e.key, e.value) {
                    push(None, p);
                }
            }
            // The result of the call a status callback made from inside (`nested`).
            ParamType::Callback => {
                if let Some(code) = expect::code(cx, e.value) {
                    push(None, Predicate::Eq(Operand::Number(code.0 as i64)));
                }
            }
            ParamType::LogInfo => {
                let Some(ft) = e.value.get_ref().as_table() else {
                    cx.error(
                        e.value.span(),
                        "a JET_LOGINFO is checked field by field",
                        "expected a table",
                        Some("e.g. { ulGenLow = 1, ulGenHigh = 2, szBaseName = \"edb\" }".into()),
                    );
                    continue;
                };
                for f in tree::entries(ft) {
                    const FIELDS: [&str; 4] = ["cbSize", "ulGenLow", "ulGenHigh", "szBaseName"];
                    if !FIELDS.contains(&f.key) {
                        cx.error(
                            f.key_span.clone(),
                            format!("JET_LOGINFO has no field `{}`", f.key),
                            "no such field",
                            did_you_mean(f.key, FIELDS),
                        );
                        continue;
                    }
                    for p in scalar_predicates(cx, scope, f.key, f.value, f.key == "szBaseName") {
                        push(Some(f.key.to_string()), p);
                    }
                }
            }
            _ => {
                for p in scalar_predicates(cx, scope, e.key, e.value, false) {
                    push(None, p);
                }
            }
        }
    }
    out
}

pub(super) fn operand(
    cx: &mut Cx<'_>,
    scope: &Scope,
    name: &str,
    v: &Node<'_>,
    text: bool,
) -> Option<Operand> {
    if let Some(b) = tree::binding(v.get_ref()) {
        return args::use_binding(cx, scope, b, v.span(), &[Kind::Number, Kind::Handle])
            .then(|| Operand::Binding(b.to_string()));
    }
    match v.get_ref() {
        Value::Integer { .. } => match tree::int(v.get_ref()).and_then(|n| i64::try_from(n).ok()) {
            Some(n) => Some(Operand::Number(n)),
            None => {
                cx.error(
                    v.span(),
                    format!("`{name}` is out of range"),
                    "too large",
                    None,
                );
                None
            }
        },
        Value::String(s) if text => Some(Operand::Text(s.to_string())),
        other => {
            cx.error(
                v.span(),
                format!("wrong type for the check of `{name}`: expected a number or \"$name\", found {}", tree::kind(other)),
                "expected a number or \"$name\"",
                None,
            );
            None
        }
    }
}

/// `= 12288`, `= "$size"`, `{ min = .., max = .., ne = .. }`.
pub(super) fn scalar_predicates(
    cx: &mut Cx<'_>,
    scope: &Scope,
    name: &str,
    v: &Node<'_>,
    text: bool,
) -> Vec<Predicate> {
    let Some(t) = v.get_ref().as_table() else {
        return operand(cx, scope, name, v, text)
            .map(Predicate::Eq)
            .into_iter()
            .collect();
    };
    let mut out = Vec::new();
    for e in tree::entries(t) {
        let make: fn(Operand) -> Predicate = match e.key {
            "min" => Predicate::Min,
            "max" => Predicate::Max,
            "ne" => Predicate::Ne,
            "eq" => Predicate::Eq,
            _ => {
                cx.error(
                    e.key_span.clone(),
                    format!("unknown check `{}` for `{name}`", e.key),
                    "not min, max, ne or eq",
                    did_you_mean(e.key, ["min", "max", "ne", "eq"]),
                );
                continue;
            }
        };
        if let Some(o) = operand(cx, scope, name, e.value, text) {
            out.push(make(o));
        }
    }
    out
}

/// `{ count = 1 }`, `{ count = { min = 2, max = 5 } }`, `{ items = [...] }`,
/// `{ contains = [...] }`, `{ matching = "*.log" }` (or a list of globs) on a list.
pub(super) fn list_predicates(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Vec<Predicate> {
    let Some(t) = v.get_ref().as_table() else {
        cx.error(
            v.span(),
            format!("wrong type for the check of `{name}`: expected {{ count | items | contains = ... }}, found {}", tree::kind(v.get_ref())),
            "expected a table",
            Some("e.g. { items = [\"db.edb\"] }".into()),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in tree::entries(t) {
        match e.key {
            "count" => out.extend(count_predicates(cx, e.value)),
            "matching" => {
                let one = |n: &Node<'_>| n.get_ref().as_str().map(|s| (s.to_string(), n.span()));
                let globs: Option<Vec<_>> = match e.value.get_ref() {
                    Value::Array(a) if !a.is_empty() => a.iter().map(one).collect(),
                    Value::String(_) => one(e.value).map(|g| vec![g]),
                    _ => None,
                };
                let Some(globs) = globs else {
                    cx.error(
                        e.value.span(),
                        "`matching` is a glob, or a non-empty list of globs",
                        "expected a string or an array of strings",
                        Some("e.g. { matching = \"logs/edb*.log\" }".into()),
                    );
                    continue;
                };
                let before = cx.count();
                for (g, span) in &globs {
                    if let Err(why) = crate::verdict::glob(g) {
                        cx.error(
                            span.clone(),
                            format!("`{g}` is not a valid glob: {why}"),
                            "invalid glob",
                            Some(
                                "globs use *, ?, [abc], [!abc] and {a,b}; `*` stops at `/`".into(),
                            ),
                        );
                    }
                }
                if cx.count() == before {
                    out.push(Predicate::Matching(
                        globs.into_iter().map(|(g, _)| g).collect(),
                    ));
                }
            }
            "items" | "contains" => {
                let names: Option<Vec<String>> = e.value.get_ref().as_array().and_then(|a| {
                    a.iter()
                        .map(|i| i.get_ref().as_str().map(str::to_string))
                        .collect()
                });
                match names {
                    Some(n) if e.key == "items" => out.push(Predicate::Items(n)),
                    Some(n) => out.push(Predicate::Contains(n)),
                    None => cx.error(
                        e.value.span(),
                        format!("`{}` is a list of names", e.key),
                        "expected an array of strings",
                        None,
                    ),
                }
            }
            _ => cx.error(
                e.key_span.clone(),
                format!("unknown check `{}` for `{name}`", e.key),
                "not count, items, contains or matching",
                did_you_mean(e.key, ["count", "items", "contains", "matching"]),
            ),
        }
    }
    out
}

/// `count = 3` (exactly) or `count = { min = 2, max = 5 }` (bounds, either or both).
fn count_predicates(cx: &mut Cx<'_>, v: &Node<'_>) -> Vec<Predicate> {
    let number = |cx: &mut Cx<'_>, n: &Node<'_>| {
        let got = tree::int(n.get_ref()).and_then(|x| usize::try_from(x).ok());
        if got.is_none() {
            cx.error(
                n.span(),
                "`count` is a number of names",
                "expected a non-negative number",
                Some("e.g. count = 2, or count = { min = 2 }".into()),
            );
        }
        got
    };
    let Some(t) = v.get_ref().as_table() else {
        return number(cx, v).map(Predicate::Count).into_iter().collect();
    };
    if t.is_empty() {
        cx.error(
            v.span(),
            "empty `count` bounds",
            "says nothing",
            Some("write { min = N }, { max = N } or both".into()),
        );
    }
    let mut out = Vec::new();
    for e in tree::entries(t) {
        let make: fn(usize) -> Predicate = match e.key {
            "min" => Predicate::CountMin,
            "max" => Predicate::CountMax,
            _ => {
                cx.error(
                    e.key_span.clone(),
                    format!("unknown bound `{}` of `count`", e.key),
                    "not min or max",
                    did_you_mean(e.key, ["min", "max"]).or_else(|| {
                        Some(
                            "count = { min = N } is at least N names, { max = N } at most N".into(),
                        )
                    }),
                );
                continue;
            }
        };
        out.extend(number(cx, e.value).map(make));
    }
    out
}
