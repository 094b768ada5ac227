//! One scenario file, from text to `model::Scenario`: top-level keys, fixture, versions,
//! then the steps (docs/scenario-format.md, "Top-level keys").

use super::bindings::Scope;
use super::diagnostic::Diagnostic;
use super::expect::{self, ExpectEnv};
use super::fixture;
use super::model::Scenario;
use super::source::{Cx, Source};
use super::steps::{self, StepEnv};
use super::suggest::did_you_mean;
use super::tree::{self, Node, Table};
use jetconform_interface::{Function, Provenance, VersionSet};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use toml::de::DeValue;

pub const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "tags",
    "evidence",
    "versions",
    "fixture",
    "provenance",
    "requires",
    "step",
];

/// Runner capabilities a scenario may require.
pub const REQUIREMENTS: &[&str] = &["fault_hooks"];

/// A diagnostic about a file that could not be read or parsed at all.
fn file_error(
    path: &Path,
    src: Option<&Source>,
    span: Range<usize>,
    message: String,
    label: String,
) -> Diagnostic {
    let (line, col) = src.map_or((1, 1), |s| s.position(span.start));
    Diagnostic {
        file: path.to_path_buf(),
        line,
        col,
        span,
        message,
        label,
        help: None,
        severity: Default::default(),
    }
}

/// Parses a file, or reports why it cannot be parsed.
fn parse_source<'s>(src: &'s Source) -> Result<Table<'s>, Box<Diagnostic>> {
    match tree::parse(&src.text) {
        Ok(doc) => Ok(doc.into_inner()),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().to_string();
            Err(Box::new(file_error(
                &src.path,
                Some(src),
                span,
                format!("invalid TOML: {msg}"),
                msg,
            )))
        }
    }
}

/// Loads one scenario file; `id` is its corpus id.
pub fn load_file(path: &Path, id: String) -> (Option<Scenario>, Vec<Diagnostic>) {
    match fixture::read(path) {
        Ok(src) => load_source(path, id, src),
        Err(e) => {
            let mut d = file_error(
                path,
                None,
                0..0,
                format!("cannot read {}: {e}", path.display()),
                "unreadable".into(),
            );
            if let fixture::ReadError::Encoding {
                offset,
                line,
                col,
                help,
                ..
            } = &e
            {
                d.line = *line;
                d.col = *col;
                d.label = format!("not UTF-8 from byte {offset}");
                d.help = Some(help.clone());
            }
            (None, vec![d])
        }
    }
}

/// Loads a scenario held in memory as if it were the file `path` (fixtures are looked up
/// from there): generated scenarios are checked exactly as written ones are.
pub fn load_text(path: &Path, id: String, text: String) -> (Option<Scenario>, Vec<Diagnostic>) {
    let src = super::source::Source::new(std::sync::Arc::new(path.to_path_buf()), text);
    load_source(path, id, src)
}

fn load_source(
    path: &Path,
    id: String,
    src: super::source::Source,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    let doc = match parse_source(&src) {
        Ok(d) => d,
        Err(d) => return (None, vec![*d]),
    };
    let mut cx = Cx::new(&src);
    let top = top_level(&mut cx, &doc);

    // The fixture, if any: its file is read and parsed here so that its tree lives as long
    // as the scenario's.
    let fixture_src = top
        .fixture
        .as_ref()
        .and_then(|f| match fixture::find(path, &f.name) {
            Some(fp) => match fixture::read(&fp) {
                Ok(s) => Some(s),
                Err(e) => {
                    cx.error(
                        f.span.clone(),
                        format!("cannot read fixture {}: {e}", fp.display()),
                        "unreadable fixture",
                        None,
                    );
                    None
                }
            },
            None => {
                let names = fixture::available(path);
                cx.error(
                    f.span.clone(),
                    format!("unknown fixture {}", f.name),
                    "no fixtures/<name>.toml found here or above",
                    did_you_mean(&f.name, names.iter().map(String::as_str)).or_else(|| {
                        (!names.is_empty()).then(|| format!("fixtures: {}", names.join(", ")))
                    }),
                );
                None
            }
        });
    let mut fixture_diags = Vec::new();
    let fixture_doc = match fixture_src.as_ref().map(parse_source) {
        Some(Ok(d)) => Some(d),
        Some(Err(d)) => {
            fixture_diags.push(*d);
            None
        }
        None => None,
    };
    let mut fcx = fixture_src.as_ref().map(Cx::new);
    let fixture_steps: Option<Node<'_>> = match (&mut fcx, &fixture_doc, &top.fixture) {
        (Some(fcx), Some(fdoc), Some(fref)) => fixture_steps(&mut cx, fcx, fdoc, fref),
        _ => None,
    };

    // Default versions: where every ESENT function called is exported (spec 11.1).
    let mut called = Vec::new();
    if let Some(s) = &fixture_steps {
        collect_calls(s, &mut called);
    }
    if let Some(s) = &top.steps {
        collect_calls(s, &mut called);
    }
    let versions = match top.versions {
        Some(v) => v,
        None => called
            .iter()
            .filter(|f| !f.info().is_verb())
            .fold(VersionSet::ALL, |acc, f| {
                acc.intersection(VersionSet::since(f.info().since))
            }),
    };
    if versions.is_empty() && top.versions.is_none() {
        cx.error(
            0..0,
            "no version exports every function this scenario calls",
            "empty default versions",
            Some("give `versions` explicitly".into()),
        );
    }

    let expect_env = ExpectEnv {
        versions,
        provenance: top.provenance.clone().unwrap_or_default(),
        provenance_invalid: top.provenance.is_none() && tree::get(&doc, "provenance").is_some(),
    };
    let mut env = StepEnv {
        expect: &expect_env,
        fixture: None,
        verbs: Vec::new(),
        fault_at: None,
        counter: 0,
        key_at: None,
    };
    let mut scope = Scope::default();
    scope.incomplete = top.fixture.is_some() && fixture_steps.is_none();
    let mut all_steps = Vec::new();
    if let (Some(fcx), Some(s), Some(f)) = (&mut fcx, &fixture_steps, &top.fixture) {
        env.fixture = Some(f.name.clone());
        all_steps.extend(steps::resolve_list(fcx, &mut env, &mut scope, s));
        env.fixture = None;
        env.counter = 0;
    }
    match &top.steps {
        Some(s) => all_steps.extend(steps::resolve_list(&mut cx, &mut env, &mut scope, s)),
        None => cx.error(
            0..0,
            "missing `[[step]]`",
            "this scenario has no steps",
            Some("add [[step]] tables".into()),
        ),
    }

    // The fault verb needs the mock's hooks, so the scenario must say so (runners skip it).
    if let Some((file, span)) = &env.fault_at {
        if !top.requires_fault_hooks {
            let target = match &mut fcx {
                Some(f) if f.src.path == *file => f,
                _ => &mut cx,
            };
            target.error(
                span.clone(),
                "the fault verb needs the mock's fault hooks",
                "uses a fault hook",
                Some("add requires = [\"fault_hooks\"] at the top of the scenario".into()),
            );
        }
    }

    let reserved_names = cx
        .deliberate
        .clone()
        .map(|span| cx.location(&span))
        .or_else(|| {
            fcx.as_ref()
                .and_then(|f| f.deliberate.clone().map(|span| f.location(&span)))
        });
    let mut diags = cx.diags;
    diags.extend(fixture_diags);
    if let Some(f) = fcx {
        diags.extend(f.diags);
    }
    if diags.iter().any(|d| !d.is_warning()) {
        return (None, diags);
    }
    let scenario = Scenario {
        id,
        file: src.path.clone(),
        title: top.title,
        description: top.description,
        tags: top.tags,
        evidence: top.evidence,
        versions,
        fixture: top.fixture.map(|f| f.name),
        requires_fault_hooks: top.requires_fault_hooks,
        reserved_names,
        verbs: env.verbs,
        steps: all_steps,
    };
    (Some(scenario), diags)
}

struct FixtureRef<'a> {
    name: String,
    span: Range<usize>,
    /// `(param, key span, value)` given by the scenario.
    params: Vec<(String, Range<usize>, &'a Node<'a>)>,
}

struct Top<'a> {
    title: String,
    description: String,
    tags: Vec<String>,
    evidence: Vec<String>,
    versions: Option<VersionSet>,
    fixture: Option<FixtureRef<'a>>,
    provenance: Option<[Option<Provenance>; 9]>,
    requires_fault_hooks: bool,
    steps: Option<Node<'a>>,
}

fn top_level<'a>(cx: &mut Cx<'_>, doc: &'a Table<'a>) -> Top<'a> {
    for e in tree::entries(doc) {
        if !TOP_KEYS.contains(&e.key) {
            cx.error(
                e.key_span.clone(),
                format!("unknown top-level key `{}`", e.key),
                "not a scenario key",
                did_you_mean(e.key, TOP_KEYS.iter().copied())
                    .or_else(|| Some(format!("keys: {}", TOP_KEYS.join(", ")))),
            );
        }
    }
    let title = required_text(cx, doc, "title");
    if title.contains('\n') {
        if let Some(e) = tree::get(doc, "title") {
            cx.error(
                e.value.span(),
                "the title is one line",
                "has a line break",
                Some("move the details to `description`".into()),
            );
        }
    }
    let description = required_text(cx, doc, "description");
    let evidence = match tree::get(doc, "evidence") {
        None => {
            missing(cx, "evidence", "add evidence = [\"spec 6.3\", ...]");
            Vec::new()
        }
        Some(e) => {
            let list = strings(cx, &e);
            if list.is_empty() && e.value.get_ref().as_array().is_some() {
                cx.error(
                    e.value.span(),
                    "`evidence` is empty",
                    "no evidence",
                    Some("cite spec sections, documentation pages or engine functions".into()),
                );
            }
            list
        }
    };
    let tags = tree::get(doc, "tags")
        .map(|e| strings(cx, &e))
        .unwrap_or_default();
    let versions = tree::get(doc, "versions").and_then(|e| versions(cx, e.value));
    let provenance = tree::get(doc, "provenance").and_then(|e| expect::top_provenance(cx, e.value));
    let mut requires_fault_hooks = false;
    if let Some(e) = tree::get(doc, "requires") {
        if let Some(items) = e.value.get_ref().as_array() {
            for item in items.iter() {
                match item.get_ref().as_str() {
                    Some("fault_hooks") => requires_fault_hooks = true,
                    Some(other) => cx.error(
                        item.span(),
                        format!("unknown requirement {other}"),
                        "not a runner capability",
                        did_you_mean(other, REQUIREMENTS.iter().copied()),
                    ),
                    None => cx.error(
                        item.span(),
                        "a requirement is a string",
                        "expected a string",
                        None,
                    ),
                }
            }
        } else {
            cx.error(
                e.value.span(),
                "`requires` is a list",
                "expected [\"fault_hooks\"]",
                None,
            );
        }
    }
    let fixture = tree::get(doc, "fixture").and_then(|e| fixture_ref(cx, e.value));
    let steps = tree::get(doc, "step").map(|e| e.value.clone());
    Top {
        title,
        description,
        tags,
        evidence,
        versions,
        fixture,
        provenance,
        requires_fault_hooks,
        steps,
    }
}

fn missing(cx: &mut Cx<'_>, key: &str, help: &str) {
    cx.error(
        0..0,
        format!("missing `{key}`"),
        format!("this scenario has no {key}"),
        Some(help.into()),
    );
}

fn required_text(cx: &mut Cx<'_>, doc: &Table<'_>, key: &str) -> String {
    match tree::get(doc, key) {
        None => {
            missing(cx, key, &format!("add {key} = \"...\""));
            String::new()
        }
        Some(e) => match e.value.get_ref().as_str() {
            Some(s) if !s.trim().is_empty() => s.trim().to_string(),
            Some(_) => {
                cx.error(e.value.span(), format!("`{key}` is empty"), "empty", None);
                String::new()
            }
            None => {
                cx.error(
                    e.value.span(),
                    format!(
                        "wrong type for `{key}`: expected a string, found {}",
                        tree::kind(e.value.get_ref())
                    ),
                    "expected a string",
                    None,
                );
                String::new()
            }
        },
    }
}

fn strings(cx: &mut Cx<'_>, e: &tree::Entry<'_>) -> Vec<String> {
    let Some(items) = e.value.get_ref().as_array() else {
        cx.error(
            e.value.span(),
            format!("`{}` is a list of strings", e.key),
            "expected [\"...\"]",
            None,
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        match item.get_ref().as_str() {
            Some(s) => out.push(s.to_string()),
            None => cx.error(
                item.span(),
                format!("`{}` holds strings", e.key),
                "expected a string",
                None,
            ),
        }
    }
    out
}

/// `versions = "xp.."` or `["xp", "vista.."]`.
fn versions(cx: &mut Cx<'_>, v: &Node<'_>) -> Option<VersionSet> {
    let one = |cx: &mut Cx<'_>, n: &Node<'_>| match n.get_ref().as_str() {
        Some(s) => expect::version_key(cx, s, n.span()),
        None => {
            cx.error(
                n.span(),
                "a version is a string",
                "expected a version or range",
                None,
            );
            None
        }
    };
    match v.get_ref() {
        DeValue::Array(items) => {
            if items.is_empty() {
                cx.error(
                    v.span(),
                    "`versions` is empty",
                    "no version",
                    Some(
                        "leave `versions` out to apply to every version exporting the calls".into(),
                    ),
                );
                return None;
            }
            let mut set = VersionSet::EMPTY;
            let mut ok = true;
            for item in items.iter() {
                match one(cx, item) {
                    Some(s) => set = set.union(s),
                    None => ok = false,
                }
            }
            ok.then_some(set)
        }
        _ => one(cx, v),
    }
}

/// `fixture = "name"` or `{ name = "name", param = value, ... }`.
fn fixture_ref<'a>(cx: &mut Cx<'_>, v: &'a Node<'a>) -> Option<FixtureRef<'a>> {
    match v.get_ref() {
        DeValue::String(s) => Some(FixtureRef {
            name: s.to_string(),
            span: v.span(),
            params: Vec::new(),
        }),
        DeValue::Table(t) => {
            let Some(name) = tree::get(t, "name") else {
                cx.error(
                    v.span(),
                    "the fixture table needs `name`",
                    "no name",
                    Some("write { name = \"online-instance\", ... }".into()),
                );
                return None;
            };
            let Some(n) = name.value.get_ref().as_str() else {
                cx.error(
                    name.value.span(),
                    "a fixture name is a string",
                    "expected a string",
                    None,
                );
                return None;
            };
            let params = tree::entries(t)
                .into_iter()
                .filter(|e| e.key != "name")
                .map(|e| (e.key.to_string(), e.key_span, e.value))
                .collect();
            Some(FixtureRef {
                name: n.to_string(),
                span: name.value.span(),
                params,
            })
        }
        other => {
            cx.error(
                v.span(),
                format!(
                    "wrong type for `fixture`: expected a name or a table, found {}",
                    tree::kind(other)
                ),
                "expected \"name\" or { name = ... }",
                None,
            );
            None
        }
    }
}

/// The fixture's steps with its parameters substituted.
fn fixture_steps<'a>(
    cx: &mut Cx<'_>,
    fcx: &mut Cx<'_>,
    fdoc: &'a Table<'a>,
    fref: &FixtureRef<'a>,
) -> Option<Node<'a>> {
    let defaults = fixture::params(fcx, fdoc);
    let mut values: HashMap<String, Node<'a>> = HashMap::new();
    for (name, default) in &defaults {
        values.insert(name.clone(), (*default).clone());
    }
    for (name, key_span, value) in &fref.params {
        match defaults.iter().find(|(n, _)| n == name) {
            None => cx.error(
                key_span.clone(),
                format!("unknown parameter `{name}` of fixture {}", fref.name),
                "the fixture has no such parameter",
                did_you_mean(name, defaults.iter().map(|(n, _)| n.as_str())).or_else(|| {
                    Some(if defaults.is_empty() {
                        format!("fixture {} takes no parameters", fref.name)
                    } else {
                        format!(
                            "parameters: {}",
                            defaults
                                .iter()
                                .map(|(n, _)| n.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })
                }),
            ),
            // Values are typed by their default: a string cannot replace a number.
            Some((_, default)) if !default.get_ref().same_type(value.get_ref()) => cx.error(
                value.span(),
                format!(
                    "wrong type for fixture parameter `{name}`: expected {}, found {}",
                    tree::kind(default.get_ref()),
                    tree::kind(value.get_ref())
                ),
                format!("expected {}", tree::kind(default.get_ref())),
                None,
            ),
            Some(_) => {
                values.insert(name.clone(), (*value).clone());
            }
        }
    }
    match tree::get(fdoc, "step") {
        Some(s) => {
            // Steps with unresolved placeholders would only yield follow-on diagnostics.
            let before = fcx.count();
            let steps = fixture::substitute(fcx, s.value, &values);
            (fcx.count() == before).then_some(steps)
        }
        None => {
            fcx.error(
                0..0,
                "missing `[[step]]` in the fixture",
                "this fixture has no steps",
                None,
            );
            None
        }
    }
}

/// Every function named by a `call` key anywhere under `v` (steps, `do` bodies, nested
/// callback calls).
fn collect_calls(v: &Node<'_>, out: &mut Vec<Function>) {
    match v.get_ref() {
        DeValue::Array(items) => items.iter().for_each(|i| collect_calls(i, out)),
        DeValue::Table(t) => {
            for (k, item) in t.iter() {
                if k.get_ref() == "call" {
                    if let Some(f) = item.get_ref().as_str().and_then(Function::by_name) {
                        out.push(f);
                    }
                } else {
                    collect_calls(item, out);
                }
            }
        }
        _ => {}
    }
}
