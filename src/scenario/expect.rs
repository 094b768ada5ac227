//! Expectations: what a step must return, per version, with its provenance
//! (docs/scenario-format.md, "Expectations").

use super::model::{Expectation, Expected, ExpectedOutcome, Location};
use super::source::Cx;
use super::suggest::did_you_mean;
use super::tree::{self, Node, Value};
use super::version_keys::{entries_for, version_key};
use jetconform_interface::errors::ERRORS;
use jetconform_interface::{ErrorCode, Provenance, VersionSet, WinVersion};
use std::ops::Range;

/// What the file around an expectation provides.
pub struct ExpectEnv {
    /// The versions the scenario applies to.
    pub versions: VersionSet,
    /// The top-level `provenance`, per version (`WinVersion::index()`).
    pub provenance: [Option<Provenance>; 9],
    /// The top-level `provenance` was written but is invalid (already reported): entries
    /// lacking one are not reported again.
    pub provenance_invalid: bool,
}

/// The top-level `provenance`: one for every version, or per version like `expect`
/// (`{ "win10.." = "source", default = "inferred" }`).
pub fn top_provenance(cx: &mut Cx<'_>, v: &Node<'_>) -> Option<[Option<Provenance>; 9]> {
    let mut out: [Option<Provenance>; 9] = Default::default();
    let Some(t) = v.get_ref().as_table() else {
        let p = provenance(cx, v)?;
        for slot in out.iter_mut() {
            *slot = Some(p.clone());
        }
        return Some(out);
    };
    let before = cx.count();
    let mut default = None;
    let mut keyed: Vec<(VersionSet, Provenance, Range<usize>, String)> = Vec::new();
    for e in tree::entries(t) {
        let Some(p) = provenance(cx, e.value) else {
            continue;
        };
        if e.key == "default" {
            default = Some(p);
            continue;
        }
        let Some(set) = version_key(cx, e.key, e.key_span.clone()) else {
            continue;
        };
        if let Some(other) = keyed
            .iter()
            .find(|k| !k.0.intersection(set).is_empty() && k.1 != p)
        {
            cx.error(
                e.key_span.clone(),
                format!(
                    "contradictory provenance: `{}` and `{}` both cover {}",
                    e.key,
                    other.3,
                    other.0.intersection(set).describe()
                ),
                format!("overlaps `{}`", other.3),
                Some("make the version ranges disjoint".into()),
            );
        }
        keyed.push((set, p, e.key_span.clone(), e.key.to_string()));
    }
    for v in WinVersion::ALL {
        out[v.index()] = keyed
            .iter()
            .find(|k| k.0.contains(v))
            .map(|k| k.1.clone())
            .or_else(|| default.clone());
    }
    (cx.count() == before).then_some(out)
}

/// The expectation of a step that may leave `expect` out (fixture steps, verbs):
/// JET_errSuccess everywhere, provenance `source`.
pub fn success(env: &ExpectEnv, location: Location) -> Expectation {
    let mut expectation = Expectation::new(location.clone());
    for v in env.versions.iter() {
        expectation.set(
            v,
            Expected {
                outcome: ExpectedOutcome::Code(ErrorCode::JET_errSuccess),
                provenance: Provenance::Source,
                note: None,
                location: location.clone(),
            },
        );
    }
    expectation
}

/// One entry before provenance defaults are applied.
struct Entry {
    outcome: ExpectedOutcome,
    provenance: Option<Provenance>,
    note: Option<String>,
    span: Range<usize>,
}

/// Parses `expect = ...`. `implicit_provenance` is the provenance used when neither the
/// entry nor the file gives one (fixtures: `source`); `None` makes it a diagnostic.
pub fn parse(
    cx: &mut Cx<'_>,
    env: &ExpectEnv,
    key_span: Range<usize>,
    v: &Node<'_>,
    implicit_provenance: Option<Provenance>,
) -> Option<Expectation> {
    let before = cx.count();
    let location = cx.location(&key_span);
    // (versions covered, entry, key span, key text)
    let mut keyed: Vec<(VersionSet, Entry, Range<usize>, String)> = Vec::new();
    let mut default: Option<Entry> = None;
    match v.get_ref() {
        Value::Table(t) if t.is_empty() => {
            cx.error(
                v.span(),
                "empty expectation",
                "says nothing",
                Some("write a code, e.g. expect = \"JET_errSuccess\", or per-version keys".into()),
            );
            return None;
        }
        Value::Table(t)
            if tree::get(t, "code").is_some()
                || tree::get(t, "any_of").is_some()
                || tree::get(t, "provenance").is_some()
                || tree::get(t, "note").is_some() =>
        {
            default = entry(cx, v);
        }
        Value::Table(t) => {
            for e in tree::entries(t) {
                if e.key == "default" {
                    default = entry(cx, e.value);
                    continue;
                }
                let Some(set) = version_key(cx, e.key, e.key_span.clone()) else {
                    continue;
                };
                if let Some(en) = entry(cx, e.value) {
                    keyed.push((set, en, e.key_span.clone(), e.key.to_string()));
                }
            }
        }
        _ => default = entry(cx, v),
    }
    if cx.count() > before {
        return None;
    }

    // Two keys covering one version must agree.
    for i in 0..keyed.len() {
        for j in 0..i {
            let overlap = keyed[i].0.intersection(keyed[j].0);
            if !overlap.is_empty() && !keyed[i].1.outcome.same_as(&keyed[j].1.outcome) {
                let (ki, kj) = (&keyed[i], &keyed[j]);
                cx.error(
                    ki.2.clone(),
                    format!(
                        "contradictory expectation: `{}` and `{}` both cover {} with different outcomes",
                        ki.3,
                        kj.3,
                        overlap.describe()
                    ),
                    format!("overlaps `{}`", kj.3),
                    Some("make the version ranges disjoint".into()),
                );
            }
        }
    }
    let explicit = keyed
        .iter()
        .fold(VersionSet::EMPTY, |acc, k| acc.union(k.0));
    let uncovered = env.versions.difference(explicit);
    if default.is_none() && !uncovered.is_empty() {
        cx.error(
            key_span.clone(),
            format!("the expectation does not cover {}", uncovered.describe()),
            format!("the scenario applies to {}", env.versions.describe()),
            Some(format!("add `default = ...` or {}", entries_for(uncovered))),
        );
    }
    if cx.count() > before {
        return None;
    }

    let mut expectation = Expectation::new(location);
    // The entry and provenance of the version before: most versions share them, and building
    // the same `Expected` again for each (its location, its copies) cost as much per version
    // as the rest of a step's loading.
    let mut previous: Option<(&Entry, Provenance, WinVersion)> = None;
    for v in env.versions.iter() {
        let chosen = keyed
            .iter()
            .find(|k| k.0.contains(v))
            .map(|k| &k.1)
            .or(default.as_ref());
        let Some(en) = chosen else { continue };
        let provenance = match (&en.provenance, &en.outcome) {
            (Some(p), _) => p.clone(),
            // Neither claims anything about ESENT: their provenance is `unknown`.
            (None, ExpectedOutcome::Unknown | ExpectedOutcome::Any) => Provenance::Unknown,
            (None, _) => match env.provenance[v.index()]
                .clone()
                .or_else(|| implicit_provenance.clone())
            {
                Some(p) => p,
                None if env.provenance_invalid => Provenance::Unknown,
                None => {
                    missing_provenance(cx, en.span.clone(), v);
                    return None;
                }
            },
        };
        match &previous {
            Some((e, p, before)) if std::ptr::eq(*e, en) && *p == provenance => {
                expectation.same_as(v, *before);
                continue;
            }
            _ => {}
        }
        expectation.set(
            v,
            Expected {
                outcome: en.outcome.clone(),
                provenance: provenance.clone(),
                note: en.note.clone(),
                location: cx.location(&en.span),
            },
        );
        previous = Some((en, provenance, v));
    }
    Some(expectation)
}

fn missing_provenance(cx: &mut Cx<'_>, span: Range<usize>, v: WinVersion) {
    cx.error(
        span,
        format!("missing provenance (for {v})"),
        "where does this expectation come from?",
        Some(
            "add `provenance = \"source\"` (or documented, inferred, observed:<machine>) to the entry, or once at the top of the file"
                .into(),
        ),
    );
}

const ENTRY_KEYS: [&str; 4] = ["code", "any_of", "provenance", "note"];

fn entry(cx: &mut Cx<'_>, v: &Node<'_>) -> Option<Entry> {
    match v.get_ref() {
        Value::Table(t) => {
            for e in tree::entries(t) {
                if !ENTRY_KEYS.contains(&e.key) {
                    cx.error(
                        e.key_span.clone(),
                        format!("unknown key `{}` in an expectation", e.key),
                        "not code, any_of, provenance or note",
                        did_you_mean(e.key, ENTRY_KEYS),
                    );
                }
            }
            let (code, outcome) = match (tree::get(t, "code"), tree::get(t, "any_of")) {
                (Some(code), None) => {
                    let o = outcome(cx, code.value)?;
                    (code, o)
                }
                (None, Some(list)) => {
                    let o = any_of(cx, list.value)?;
                    (list, o)
                }
                (Some(_), Some(list)) => {
                    cx.error(
                        list.key_span.clone(),
                        "an expectation has either `code` or `any_of`, not both",
                        "second outcome",
                        Some("put the code into the `any_of` list, or remove `any_of`".into()),
                    );
                    return None;
                }
                (None, None) => {
                    cx.error(
                        v.span(),
                        "this expectation has no `code`",
                        "no code",
                        Some(
                            "add code = \"JET_err...\" or any_of = [\"JET_err...\", \"JET_err...\"]"
                                .into(),
                        ),
                    );
                    return None;
                }
            };
            let provenance = match tree::get(t, "provenance") {
                None => None,
                Some(p) => Some(provenance(cx, p.value)?),
            };
            let note = match tree::get(t, "note") {
                None => None,
                Some(n) => match n.value.get_ref().as_str() {
                    Some(s) => Some(s.to_string()),
                    None => {
                        cx.error(n.value.span(), "a note is text", "expected a string", None);
                        return None;
                    }
                },
            };
            Some(Entry {
                outcome,
                provenance,
                note,
                span: code.value.span(),
            })
        }
        _ => Some(Entry {
            outcome: outcome(cx, v)?,
            provenance: None,
            note: None,
            span: v.span(),
        }),
    }
}

/// One JET_ERR name or number (not `unknown`, `not_exported`, `success` nor `any`).
pub fn code(cx: &mut Cx<'_>, v: &Node<'_>) -> Option<ErrorCode> {
    match outcome(cx, v) {
        Some(ExpectedOutcome::Code(c)) => Some(c),
        Some(_) => {
            cx.error(
                v.span(),
                "a JET_ERR name or number is needed here",
                "not a code",
                None,
            );
            None
        }
        None => None,
    }
}

/// `provokes = "JET_errX"` or a list of them: the codes a step is the recipe for.
pub fn provoked_codes(cx: &mut Cx<'_>, v: &Node<'_>) -> Vec<ErrorCode> {
    let one = |cx: &mut Cx<'_>, n: &Node<'_>| match outcome(cx, n) {
        Some(ExpectedOutcome::Code(c)) => Some(c),
        Some(_) => {
            cx.error(
                n.span(),
                "`provokes` names JET_ERR codes",
                "not a code",
                None,
            );
            None
        }
        None => None,
    };
    match v.get_ref() {
        Value::Array(items) => items.iter().filter_map(|n| one(cx, n)).collect(),
        _ => one(cx, v).into_iter().collect(),
    }
}

fn outcome(cx: &mut Cx<'_>, v: &Node<'_>) -> Option<ExpectedOutcome> {
    match v.get_ref() {
        Value::String(s) if s == "unknown" => Some(ExpectedOutcome::Unknown),
        Value::String(s) if s == "not_exported" => Some(ExpectedOutcome::NotExported),
        Value::String(s) if s == "success" => Some(ExpectedOutcome::Success),
        Value::String(s) if s == "any" => Some(ExpectedOutcome::Any),
        Value::String(s) if s.trim().is_empty() => {
            cx.error(
                v.span(),
                "empty expectation: an empty string names no code",
                "empty string",
                Some(
                    "write a JET_ERR name (\"JET_errSuccess\"), a number, or \"unknown\" when the spec does not settle it"
                        .into(),
                ),
            );
            None
        }
        Value::String(s) => match ErrorCode::by_name(s) {
            Some(c) => Some(ExpectedOutcome::Code(c)),
            None => {
                let names = ERRORS.iter().map(|e| e.name).chain([
                    "JET_errBackupAbortByCaller",
                    "unknown",
                    "not_exported",
                    "success",
                    "any",
                ]);
                cx.error(
                    v.span(),
                    format!("unknown error {s}"),
                    "not a JET_ERR name",
                    did_you_mean(s, names),
                );
                None
            }
        },
        Value::Integer { .. } => match tree::int(v.get_ref()).and_then(|n| i32::try_from(n).ok()) {
            Some(n) => {
                if ErrorCode(n).name().is_none() {
                    cx.warn(
                        v.span(),
                        format!("{n} is not a JET_ERR number of the catalogue"),
                        "undefined error number",
                        Some(format!(
                            "check the number; a code the catalogue lacks is judged by its number and shown as JET_ERR({n})"
                        )),
                    );
                }
                Some(ExpectedOutcome::Code(ErrorCode(n)))
            }
            None => {
                cx.error(
                    v.span(),
                    "a JET_ERR is a 32-bit number",
                    "out of range",
                    None,
                );
                None
            }
        },
        other => {
            cx.error(
                v.span(),
                format!(
                    "wrong type for an expectation: expected a JET_ERR name or number, found {}",
                    tree::kind(other)
                ),
                "expected a JET_ERR name or number",
                matches!(other, Value::Array(_)).then(|| {
                    "for one of several codes, write { any_of = [\"JET_err...\", \"JET_err...\"] }"
                        .to_string()
                }),
            );
            None
        }
    }
}

pub fn provenance(cx: &mut Cx<'_>, v: &Node<'_>) -> Option<Provenance> {
    let Some(s) = v.get_ref().as_str() else {
        cx.error(
            v.span(),
            "a provenance is a string",
            "expected a string",
            None,
        );
        return None;
    };
    match Provenance::parse(s) {
        Some(p) => Some(p),
        None => {
            let help = if s.starts_with("observed") {
                Some("name the machine: observed:<machine>".to_string())
            } else {
                did_you_mean(s, ["source", "documented", "inferred", "unknown"])
                    .or_else(|| Some(format!("provenances: {}", Provenance::NAMES.join(", "))))
            };
            cx.error(
                v.span(),
                format!("unknown provenance {s}"),
                "not a provenance",
                help,
            );
            None
        }
    }
}

/// `any_of = [...]`: two or more distinct JET_ERR codes, any one of which passes.
fn any_of(cx: &mut Cx<'_>, v: &Node<'_>) -> Option<ExpectedOutcome> {
    let example = "e.g. any_of = [\"JET_errInvalidInstance\", \"JET_errInvalidParameter\"]";
    let Some(items) = v.get_ref().as_array() else {
        cx.error(
            v.span(),
            format!(
                "wrong type for `any_of`: expected a list of JET_ERR names or numbers, found {}",
                tree::kind(v.get_ref())
            ),
            "expected a list",
            Some(example.into()),
        );
        return None;
    };
    if items.is_empty() {
        cx.error(
            v.span(),
            "empty `any_of`: no result could pass",
            "lists no code",
            Some(format!("list two or more codes ({example})")),
        );
        return None;
    }
    let before = cx.count();
    let mut codes: Vec<ErrorCode> = Vec::new();
    for n in items {
        match outcome(cx, n) {
            Some(ExpectedOutcome::Code(c)) if codes.contains(&c) => cx.error(
                n.span(),
                format!("{c} is listed twice in `any_of`"),
                "duplicate",
                Some("remove the second one (a name and its number are the same code)".into()),
            ),
            Some(ExpectedOutcome::Code(c)) => codes.push(c),
            Some(other) => cx.error(
                n.span(),
                format!(
                    "`any_of` lists JET_ERR codes; `{}` is not one",
                    other.written()
                ),
                "not a code",
                Some(format!(
                    "write expect = \"{}\" on its own, without any_of",
                    other.written()
                )),
            ),
            None => {}
        }
    }
    if cx.count() > before {
        return None;
    }
    if let [only] = codes.as_slice() {
        cx.error(
            v.span(),
            "`any_of` with a single code",
            "one code",
            Some(format!(
                "write the code itself: expect = \"{}\"",
                ExpectedOutcome::Code(*only).written()
            )),
        );
        return None;
    }
    Some(ExpectedOutcome::AnyOf(codes))
}
