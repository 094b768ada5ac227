//! Rewriting `expect` values with `toml_edit`: everything else in the file (comments, key
//! order, spacing, other steps) stays as it was.
//!
//! A key whose every version got the same new result R is rewritten in place (`expect = X`
//! becomes `expect = { code = R, provenance = ... }`; `"xp..win7" = X` becomes
//! `"xp..win7" = { code = R, ... }`). Otherwise, for a version V and a new result R:
//! * `expect = X` (or `{ code = X, ... }`) becomes `{ default = X, V = R }`;
//! * in a per-version table, a key that names V alone gets R; a range that covers V is split
//!   around it (`"xp.." = X` with V = win7 becomes `"xp..win81"`-style pieces without win7);
//!   `default` keeps covering the rest; then `V = R` is added.

use super::Edit;
use jetconform_interface::{VersionSet, WinVersion};
use std::collections::BTreeMap;
use toml_edit::{DocumentMut, InlineTable, Item, Value};

#[derive(Debug, thiserror::Error)]
pub enum RewriteError {
    #[error("not valid TOML: {0}")]
    Parse(String),
    #[error(
        "line {0}: no top-level [[step]] holds this step (steps inside `do` are not rewritten)"
    )]
    NoStep(u32),
    #[error("line {line}: `expect` is written in a form record does not rewrite ({what})")]
    Form { line: u32, what: String },
}

pub fn rewrite(text: &str, edits: &[Edit]) -> Result<String, RewriteError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| RewriteError::Parse(e.to_string()))?;
    let mut by_line: BTreeMap<u32, Vec<&Edit>> = BTreeMap::new();
    for e in edits {
        by_line.entry(e.line).or_default().push(e);
    }
    for (line, group) in by_line {
        let index = step_index(text, line).ok_or(RewriteError::NoStep(line))?;
        let step = doc
            .get_mut("step")
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|a| a.get_mut(index))
            .ok_or(RewriteError::NoStep(line))?;
        let Some(item) = step.get_mut("expect") else {
            return Err(RewriteError::Form {
                line,
                what: "no `expect` key".into(),
            });
        };
        let Some(value) = item.as_value_mut() else {
            return Err(RewriteError::Form {
                line,
                what: "a [step.expect] table".into(),
            });
        };
        let form = |what| RewriteError::Form { line, what };
        let (whole, remaining) = whole_keys(value, &group).map_err(form)?;
        *value = whole;
        for e in remaining {
            *value = with_version(value, e.version, new_entry(e)).map_err(form)?;
        }
    }
    Ok(doc.to_string())
}

/// Index among the top-level `[[step]]` tables of the step whose `call` key is on `line`
/// (from the parser's spans, so multi-line strings cannot mislead it).
fn step_index(text: &str, line: u32) -> Option<usize> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let steps = doc.as_table().get("step")?.as_array_of_tables()?;
    let index = steps.iter().position(|t| {
        t.key("call")
            .and_then(|k| k.span())
            .is_some_and(|span| line_of(text, span.start) == line)
    });
    index
}

fn line_of(text: &str, offset: usize) -> u32 {
    text.get(..offset)
        .map_or(0, |before| before.matches('\n').count() as u32)
        + 1
}

fn new_entry(e: &Edit) -> Value {
    let mut t = InlineTable::new();
    t.insert("code", Value::from(e.code.as_str()));
    t.insert("provenance", Value::from(e.provenance.to_string()));
    Value::InlineTable(t)
}

/// Rewrites in place every key (or the whole plain value) all of whose versions got one and
/// the same new result; returns the new value and the edits still to apply one by one.
fn whole_keys<'a>(value: &Value, edits: &[&'a Edit]) -> Result<(Value, Vec<&'a Edit>), String> {
    let applies = edits.first().map_or(VersionSet::ALL, |e| e.applies);
    // One new result for every version of `set`?
    let same_for = |set: VersionSet| -> Option<&'a Edit> {
        let mut found: Option<&'a Edit> = None;
        for v in set.iter() {
            let e = edits.iter().find(|e| e.version == v)?;
            match found {
                Some(f) if f.code != e.code || f.provenance != e.provenance => return None,
                _ => found = Some(e),
            }
        }
        found
    };
    let plain = match value {
        Value::InlineTable(t) => is_entry(t),
        _ => true,
    };
    if plain {
        if let Some(e) = same_for(applies) {
            let mut v = new_entry(e);
            *v.decor_mut() = value.decor().clone();
            return Ok((v, Vec::new()));
        }
        return Ok((value.clone(), edits.to_vec()));
    }
    let Value::InlineTable(table) = value else {
        return Ok((value.clone(), edits.to_vec()));
    };
    let mut covered = VersionSet::EMPTY;
    let mut sets = Vec::new();
    for (k, _) in table.iter() {
        if k != "default" {
            let set = VersionSet::parse(k)
                .map_err(|e| format!("key `{k}`: {e}"))?
                .intersection(applies);
            covered = covered.union(set);
            sets.push((k.to_string(), set));
        }
    }
    sets.push(("default".into(), applies.difference(covered)));
    let mut out = table.clone();
    let mut done = VersionSet::EMPTY;
    for (k, set) in sets {
        if set.is_empty() || !table.contains_key(&k) {
            continue;
        }
        if let Some(e) = same_for(set) {
            if let Some(old) = out.get_mut(&k) {
                let decor = old.decor().clone();
                *old = new_entry(e);
                *old.decor_mut() = decor;
            }
            done = done.union(set);
        }
    }
    let remaining = edits
        .iter()
        .copied()
        .filter(|e| !done.contains(e.version))
        .collect();
    Ok((Value::InlineTable(out), remaining))
}

/// The expect value with `version` set to `entry`.
fn with_version(value: &Value, version: WinVersion, entry: Value) -> Result<Value, String> {
    let per_version = match value {
        Value::InlineTable(t) => !is_entry(t),
        Value::String(_) | Value::Integer(_) => false,
        other => return Err(format!("a {}", other.type_name())),
    };
    let mut out = InlineTable::new();
    if !per_version {
        out.insert("default", fresh(value));
        out.insert(version.id(), entry);
        return Ok(Value::InlineTable(out));
    }
    let Value::InlineTable(table) = value else {
        unreachable!("checked above")
    };
    let mut placed = false;
    for (k, v) in table.iter() {
        if k == "default" {
            out.insert(k, fresh(v));
            continue;
        }
        let set = VersionSet::parse(k).map_err(|e| format!("key `{k}`: {e}"))?;
        if !set.contains(version) {
            out.insert(k, fresh(v));
            continue;
        }
        // The pieces before the version, the version, the pieces after: release order.
        let pieces = runs(set.difference(VersionSet::single(version)));
        let (before, after): (Vec<_>, Vec<_>) = pieces
            .into_iter()
            .partition(|p| p.iter().next().is_some_and(|first| first < version));
        for piece in before {
            out.insert(piece.describe().as_str(), fresh(v));
        }
        out.insert(version.id(), entry.clone());
        for piece in after {
            out.insert(piece.describe().as_str(), fresh(v));
        }
        placed = true;
    }
    if !placed {
        // `default` covered the version: it keeps covering the rest.
        out.insert(version.id(), entry);
    }
    let mut result = Value::InlineTable(out);
    *result.decor_mut() = value.decor().clone();
    Ok(result)
}

/// `{ code = ... }` or `{ any_of = [...] }` (with provenance and note): one entry for every
/// version, not a per-version table.
fn is_entry(t: &InlineTable) -> bool {
    t.contains_key("code") || t.contains_key("any_of")
}

/// A copy without the spacing it had in its old place (the table lays its entries out anew).
fn fresh(v: &Value) -> Value {
    let mut v = v.clone();
    v.decor_mut().clear();
    v
}

/// A set as its contiguous runs, oldest first.
fn runs(set: VersionSet) -> Vec<VersionSet> {
    let mut out: Vec<VersionSet> = Vec::new();
    let mut current = VersionSet::EMPTY;
    for v in WinVersion::ALL {
        if set.contains(v) {
            current.insert(v);
        } else if !current.is_empty() {
            out.push(current);
            current = VersionSet::EMPTY;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}
