//! Fixtures: shared setups in `fixtures/<name>.toml`, looked up from the scenario's folder
//! upward, with `[params]` substituted for `"@name"` placeholders
//! (docs/scenario-format.md, "Fixtures").

use super::source::{Cx, Source};
use super::suggest::did_you_mean;
use super::tree::{self, Array, Node, Table, Value};
use jetconform_interface::Function;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FIXTURE_KEYS: &[&str] = &["description", "params", "step"];

/// The `fixtures/` folders from the scenario's folder up to the filesystem root, nearest first.
fn fixture_dirs(scenario: &Path) -> Vec<PathBuf> {
    scenario
        .ancestors()
        .skip(1)
        .map(|d| d.join("fixtures"))
        .filter(|d| d.is_dir())
        .collect()
}

pub fn find(scenario: &Path, name: &str) -> Option<PathBuf> {
    if name.is_empty() || name.contains(['/', '\\']) || name.contains("..") {
        return None;
    }
    fixture_dirs(scenario)
        .into_iter()
        .map(|d| d.join(format!("{name}.toml")))
        .find(|f| f.is_file())
}

/// Every fixture name visible from the scenario, for suggestions.
pub fn available(scenario: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for d in fixture_dirs(scenario) {
        if let Ok(rd) = std::fs::read_dir(d) {
            for e in rd.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "toml") {
                    if let Some(stem) = p.file_stem().and_then(|s| s.to_str()) {
                        names.push(stem.to_string());
                    }
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Why a scenario or fixture file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// Not UTF-8: where the first byte that is not, and what to do.
    Encoding {
        /// Byte offset of the first bad byte.
        offset: usize,
        line: u32,
        col: u32,
        what: String,
        help: String,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Encoding { what, .. } => write!(f, "{what}"),
        }
    }
}

pub fn read(path: &Path) -> Result<Source, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    let text =
        String::from_utf8(bytes).map_err(|e| encoding_error(e.as_bytes(), e.utf8_error()))?;
    Ok(Source::new(std::sync::Arc::new(path.to_path_buf()), text))
}

/// Says where a file stops being UTF-8 and what it probably is instead (UTF-16 with or
/// without a byte order mark, or a single-byte code page such as Latin-1).
fn encoding_error(bytes: &[u8], e: std::str::Utf8Error) -> ReadError {
    let offset = e.valid_up_to();
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col =
        std::str::from_utf8(&before[line_start..]).map_or(1, |s| s.chars().count()) as u32 + 1;
    let bom = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    // UTF-16 text in the ASCII range has a zero in every other byte.
    let zeros = bytes.iter().take(512).filter(|&&b| b == 0).count();
    let utf16 = bom || zeros * 4 >= bytes.len().min(512);
    let kind = if utf16 {
        if bom {
            "UTF-16 (it starts with a UTF-16 byte order mark)"
        } else {
            "UTF-16"
        }
    } else {
        "Latin-1 or another single-byte encoding"
    };
    ReadError::Encoding {
        offset,
        line,
        col,
        what: format!(
            "not UTF-8: byte 0x{:02X} at byte {offset} (line {line}, column {col}); the file looks like {kind}",
            bytes[offset]
        ),
        help: "re-save the file as UTF-8 (scenario and fixture files are UTF-8 TOML)".into(),
    }
}

/// Checks the fixture file's top-level keys and returns its `[params]` defaults.
pub fn params<'a>(fcx: &mut Cx<'_>, doc: &'a Table<'a>) -> Vec<(String, &'a Node<'a>)> {
    for e in tree::entries(doc) {
        if !FIXTURE_KEYS.contains(&e.key) {
            fcx.error(
                e.key_span.clone(),
                format!("unknown key `{}` in a fixture", e.key),
                "not description, params or step",
                did_you_mean(e.key, FIXTURE_KEYS.iter().copied()),
            );
        }
    }
    match tree::get(doc, "description") {
        Some(d) if d.value.get_ref().as_str().is_some() => {}
        Some(d) => fcx.error(
            d.value.span(),
            "`description` is text",
            "expected a string",
            None,
        ),
        None => fcx.error(
            0..0,
            "missing `description` in the fixture",
            "this fixture has no description",
            Some("add description = \"...\"".into()),
        ),
    }
    let mut out = Vec::new();
    if let Some(p) = tree::get(doc, "params") {
        match p.value.get_ref().as_table() {
            Some(t) => {
                for e in tree::entries(t) {
                    out.push((e.key.to_string(), e.value));
                }
            }
            None => fcx.error(
                p.value.span(),
                "`[params]` is a table name = default",
                "expected a table",
                None,
            ),
        }
    }
    out
}

/// Replaces every `"@name"` string of `v` with the parameter's value; placeholders naming no
/// parameter are reported in the fixture file. The placeholder's span is kept, so that
/// problems with the value point at the step that uses it.
pub fn substitute<'a>(
    fcx: &mut Cx<'_>,
    v: &Node<'a>,
    values: &HashMap<String, Node<'a>>,
) -> Node<'a> {
    let span = v.span();
    let value = match v.get_ref() {
        Value::String(s) if s.starts_with('@') && s.len() > 1 => match values.get(&s[1..]) {
            Some(val) => val.get_ref().clone(),
            None => {
                fcx.error(
                    span.clone(),
                    format!("unknown fixture parameter {s}"),
                    "not in [params]",
                    did_you_mean(&s[1..], values.keys().map(String::as_str))
                        .map(|h| h.replace("mean ", "mean @"))
                        .or_else(|| {
                            Some(format!("declare it in [params]: {} = <default>", &s[1..]))
                        }),
                );
                v.get_ref().clone()
            }
        },
        Value::Array(items) => {
            let mut out = Array::new();
            for item in items.iter() {
                out.push(substitute(fcx, item, values));
            }
            Value::Array(out)
        }
        Value::Table(t) => {
            let mut out = Table::new();
            for (k, item) in t.iter() {
                out.insert(k.clone(), substitute(fcx, item, values));
            }
            Value::Table(out)
        }
        other => other.clone(),
    };
    Spanned::new(span, value)
}

pub(super) struct FixtureRef<'a> {
    pub(super) name: String,
    pub(super) span: Range<usize>,
    /// `(param, key span, value)` given by the scenario.
    pub(super) params: Vec<(String, Range<usize>, &'a Node<'a>)>,
}

/// `fixture = "name"` or `{ name = "name", param = value, ... }`.
pub(super) fn fixture_ref<'a>(cx: &mut Cx<'_>, v: &'a Node<'a>) -> Option<FixtureRef<'a>> {
    match v.get_ref() {
        Value::String(s) => Some(FixtureRef {
            name: s.to_string(),
            span: v.span(),
            params: Vec::new(),
        }),
        Value::Table(t) => {
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
pub(super) fn fixture_steps<'a>(
    cx: &mut Cx<'_>,
    fcx: &mut Cx<'_>,
    fdoc: &'a Table<'a>,
    fref: &FixtureRef<'a>,
) -> Option<Node<'a>> {
    let defaults = params(fcx, fdoc);
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
            let steps = substitute(fcx, s.value, &values);
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
pub(super) fn collect_calls(v: &Node<'_>, out: &mut Vec<Function>) {
    match v.get_ref() {
        Value::Array(items) => items.iter().for_each(|i| collect_calls(i, out)),
        Value::Table(t) => {
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
