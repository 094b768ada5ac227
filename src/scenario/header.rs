//! A scenario's top-level keys (docs/scenario-format.md, "Top-level keys"): title,
//! description, tags, evidence, versions, provenance, requires, the fixture it uses, and
//! where its steps are.

use super::expect;
use super::fixture::{fixture_ref, FixtureRef};
use super::source::Cx;
use super::suggest::did_you_mean;
use super::tree::{self, Node, Table, Value};
use jetconform_interface::{Provenance, VersionSet};

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

pub(super) struct Top<'a> {
    pub(super) title: String,
    pub(super) description: String,
    pub(super) tags: Vec<String>,
    pub(super) evidence: Vec<String>,
    pub(super) versions: Option<VersionSet>,
    pub(super) fixture: Option<FixtureRef<'a>>,
    pub(super) provenance: Option<[Option<Provenance>; 9]>,
    pub(super) requires_fault_hooks: bool,
    /// Borrowed: cloning the tree of every step cost as much as a fifth of parsing it.
    pub(super) steps: Option<&'a Node<'a>>,
}

pub(super) fn top_level<'a>(cx: &mut Cx<'_>, doc: &'a Table<'a>) -> Top<'a> {
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
    let steps = tree::get(doc, "step").map(|e| e.value);
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

pub(super) fn missing(cx: &mut Cx<'_>, key: &str, help: &str) {
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
        Some(s) => super::version_keys::version_key(cx, s, n.span()),
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
        Value::Array(items) => {
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
