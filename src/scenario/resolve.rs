//! One scenario file, from text to `model::Scenario`: the file read and parsed, its
//! top-level keys (`header.rs`), the fixture's steps (`fixture.rs`), then its own steps.

use super::bindings::Scope;
use super::diagnostic::Diagnostic;
use super::expect::ExpectEnv;
use super::fixture::{self, collect_calls, fixture_steps};
use super::header::top_level;
use super::model::Scenario;
use super::source::{Cx, Source};
use super::steps::{self, StepEnv};
use super::suggest::did_you_mean;
use super::tree::{self, Node, Table};
use jetconform_interface::VersionSet;
use std::ops::Range;
use std::path::Path;

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

    // Default versions: where every ESENT function called is exported (spec 11.1). The
    // calls are collected only then: the walk cost a tenth of loading a file's steps.
    let versions = match top.versions {
        Some(v) => v,
        None => {
            let mut called = Vec::new();
            if let Some(s) = &fixture_steps {
                collect_calls(s, &mut called);
            }
            if let Some(s) = top.steps {
                collect_calls(s, &mut called);
            }
            called
                .iter()
                .filter(|f| !f.info().is_verb())
                .fold(VersionSet::ALL, |acc, f| {
                    acc.intersection(VersionSet::since(f.info().since))
                })
        }
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
    match top.steps {
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
