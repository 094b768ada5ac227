//! One scenario file, from text to `model::Scenario`: the file read and parsed, its
//! top-level keys (`header.rs`), the fixture's steps (`fixture.rs`), then its own steps.

use super::bindings::Scope;
use super::chunks::{self, SLICE_BYTES};
use super::diagnostic::Diagnostic;
use super::expect::ExpectEnv;
use super::fixture::{self, collect_calls, fixture_steps};
use super::header::{top_level, Top};
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

/// Parses the part `range` of a file (all of it, or a slice of its steps), or reports why it
/// cannot be parsed. The tree's spans count from `range.start`.
fn parse_range<'s>(src: &'s Source, range: Range<usize>) -> Result<Table<'s>, Box<Diagnostic>> {
    match tree::parse(&src.text[range.clone()]) {
        Ok(doc) => Ok(doc),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let span = span.start + range.start..span.end + range.start;
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

/// Parses a whole file, or reports why it cannot be parsed.
fn parse_source<'s>(src: &'s Source) -> Result<Table<'s>, Box<Diagnostic>> {
    parse_range(src, 0..src.text.len())
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

fn load_source(path: &Path, id: String, src: Source) -> (Option<Scenario>, Vec<Diagnostic>) {
    load_in_slices(path, id, &src, SLICE_BYTES)
}

/// Loads a file whose steps span more than `slice_bytes` one slice of steps at a time, so
/// that memory follows the file's size (see `chunks.rs`), and any other file whole. Whatever
/// the slices cannot settle alone (a syntax error, a table after the steps, `step` also in
/// the head) is loaded whole, so that the diagnostics are the same either way.
fn load_in_slices(
    path: &Path,
    id: String,
    src: &Source,
    slice_bytes: usize,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    // A file no larger than one slice is never split: it is not lexed twice.
    let split = (src.text.len() > slice_bytes).then(|| chunks::split(&src.text, slice_bytes));
    if let Some(split) = split.filter(|s| s.slices.len() > 1) {
        if let Ok(head) = parse_range(src, split.head) {
            if tree::get(&head, "step").is_none() {
                let slices = Slices {
                    src,
                    ranges: split.slices,
                };
                if let Ok(loaded) = load_doc(path, id.clone(), src, &head, slices) {
                    return loaded;
                }
            }
        }
    }
    let doc = match parse_source(src) {
        Ok(d) => d,
        Err(d) => return (None, vec![*d]),
    };
    let Ok(loaded) = load_doc(path, id, src, &doc, InDocument);
    loaded
}

/// Where a scenario's own steps are.
trait OwnSteps {
    /// Why the steps cannot be taken from here after all.
    type Unsettled;
    /// Whether the scenario has steps of its own.
    fn present(&self, top: &Top<'_>) -> bool;
    /// Gives each `[[step]]` array, with where its text starts in the file, to `each`.
    fn each(
        &self,
        top: &Top<'_>,
        each: &mut dyn FnMut(usize, &Node<'_>),
    ) -> Result<(), Self::Unsettled>;
}

/// The steps are the `step` key of the parsed document.
struct InDocument;

impl OwnSteps for InDocument {
    type Unsettled = std::convert::Infallible;
    fn present(&self, top: &Top<'_>) -> bool {
        top.steps.is_some()
    }
    fn each(
        &self,
        top: &Top<'_>,
        each: &mut dyn FnMut(usize, &Node<'_>),
    ) -> Result<(), Self::Unsettled> {
        if let Some(steps) = top.steps {
            each(0, steps);
        }
        Ok(())
    }
}

/// The steps are slices of the text after the head, parsed one at a time: each slice's tree
/// is dropped before the next one is parsed.
struct Slices<'s> {
    src: &'s Source,
    ranges: Vec<Range<usize>>,
}

/// A slice that does not hold steps alone (a syntax error, or another top-level table).
struct Unsliceable;

impl OwnSteps for Slices<'_> {
    type Unsettled = Unsliceable;
    fn present(&self, _: &Top<'_>) -> bool {
        true
    }
    fn each(&self, _: &Top<'_>, each: &mut dyn FnMut(usize, &Node<'_>)) -> Result<(), Unsliceable> {
        for range in &self.ranges {
            let doc = parse_range(self.src, range.clone()).map_err(|_| Unsliceable)?;
            let (Some(steps), 1) = (tree::get(&doc, "step"), doc.len()) else {
                return Err(Unsliceable);
            };
            each(range.start, steps.value);
        }
        Ok(())
    }
}

/// Loads a scenario from its parsed document (the whole file, or its head when the steps
/// are `Slices`).
fn load_doc<S: OwnSteps>(
    path: &Path,
    id: String,
    src: &Source,
    doc: &Table<'_>,
    own: S,
) -> Result<(Option<Scenario>, Vec<Diagnostic>), S::Unsettled> {
    let mut cx = Cx::new(src);
    let top = top_level(&mut cx, doc);

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
    // The calls are collected only then: the walk costs a tenth of loading a file's steps.
    let mut called = Vec::new();
    let versions_given = top.versions.is_some();
    if !versions_given {
        if let Some(s) = &fixture_steps {
            collect_calls(s, &mut called);
        }
        own.each(&top, &mut |_, steps| {
            collect_calls(steps, &mut called);
            // One entry per function is all the default versions need.
            called.sort();
            called.dedup();
        })?;
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
        provenance_invalid: top.provenance.is_none() && tree::get(doc, "provenance").is_some(),
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
        steps::resolve_onto(fcx, &mut env, &mut scope, s, &mut all_steps);
        env.fixture = None;
        env.counter = 0;
    }
    if !own.present(&top) {
        cx.error(
            0..0,
            "missing `[[step]]`",
            "this scenario has no steps",
            Some("add [[step]] tables".into()),
        );
    }
    let resolved = own.each(&top, &mut |base, steps| {
        cx.set_base(base);
        steps::resolve_onto(&mut cx, &mut env, &mut scope, steps, &mut all_steps);
    });
    cx.set_base(0);
    resolved?;

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
        return Ok((None, diags));
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
    Ok((Some(scenario), diags))
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
