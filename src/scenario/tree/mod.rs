//! A scenario's document tree: every node keeps the byte span of its text, which is what
//! makes precise diagnostics possible. A table's entries are kept in file order.
//!
//! The tree is built straight from `toml_parser`'s events for the files the corpus is made
//! of (`build.rs`); anything else, and every file with an error, goes through `toml`'s own
//! parse (`convert.rs`), so its diagnostics are toml's.

mod build;
mod convert;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::ops::Range;
use toml::Spanned;

pub type Node<'i> = Spanned<Value<'i>>;
/// A key as written, decoded, with its span.
pub type Key<'i> = Spanned<Cow<'i, str>>;
pub type Array<'i> = Vec<Node<'i>>;

/// One TOML value. An integer keeps its digits as `toml_parser` decodes them (no prefix, no
/// underscores) and its radix, so that any width can be read from it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'i> {
    String(Cow<'i, str>),
    Integer { digits: Cow<'i, str>, radix: u32 },
    Float(Cow<'i, str>),
    Boolean(bool),
    Datetime,
    Array(Array<'i>),
    Table(Table<'i>),
}

impl Value<'_> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Boolean(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&Array<'_>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_table(&self) -> Option<&Table<'_>> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }
    /// Both strings, both integers, ...
    pub fn same_type(&self, other: &Value<'_>) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// A table: its entries in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table<'i> {
    entries: Vec<(Key<'i>, Node<'i>)>,
}

impl<'i> Table<'i> {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&Key<'i>, &Node<'i>)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
    /// Adds an entry after the others (the caller keeps file order and unique keys).
    pub fn insert(&mut self, key: Key<'i>, value: Node<'i>) {
        self.entries.push((key, value));
    }
    fn get_mut(&mut self, key: &str) -> Option<&mut Node<'i>> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }
}

/// One `key = value` of a table, in file order.
#[derive(Clone)]
pub struct Entry<'a> {
    pub key: &'a str,
    pub key_span: Range<usize>,
    pub value: &'a Node<'a>,
}

/// The entries of a table in the order they are written.
pub fn entries<'a>(t: &'a Table<'a>) -> impl Iterator<Item = Entry<'a>> {
    t.iter().map(|(k, value)| Entry {
        key: k.get_ref().as_ref(),
        key_span: k.span(),
        value,
    })
}

pub fn get<'a>(t: &'a Table<'a>, key: &str) -> Option<Entry<'a>> {
    entries(t).find(|e| e.key == key)
}

/// "a string", "an integer", ...: for messages saying what was found.
pub fn kind(v: &Value<'_>) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer { .. } => "an integer",
        Value::Float(_) => "a float",
        Value::Boolean(_) => "a boolean",
        Value::Datetime => "a date",
        Value::Array(_) => "an array",
        Value::Table(_) => "a table",
    }
}

/// The value of an integer node, wide enough for any TOML integer and any C type.
pub fn int(v: &Value<'_>) -> Option<i128> {
    match v {
        Value::Integer { digits, radix } => i128::from_str_radix(digits, *radix).ok(),
        _ => None,
    }
}

/// A `"$name"` binding reference: the name without `$`.
pub fn binding<'a>(v: &'a Value<'_>) -> Option<&'a str> {
    v.as_str()
        .and_then(|s| s.strip_prefix('$'))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_'))
}

/// Whether `text` is TOML, by making the tokens and events loading builds its tree from, and
/// no tree: the lower floor of the overhead bench.
pub fn events_only(text: &str) -> bool {
    build::events(toml_parser::Source::new(text)).is_some()
}

/// Parses a whole document. The tree borrows `text`.
pub fn parse(text: &str) -> Result<Table<'_>, toml::de::Error> {
    match build::document(text) {
        Some(t) => Ok(t),
        None => toml::de::DeTable::parse(text).map(|d| convert::table(d.into_inner())),
    }
}
