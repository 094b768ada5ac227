//! Helpers over toml's spanned document tree (`DeValue`): every node keeps the byte span
//! of its text, which is what makes precise diagnostics possible.

use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub type Node<'i> = Spanned<DeValue<'i>>;
pub type Table<'i> = DeTable<'i>;

/// One `key = value` of a table, in file order.
#[derive(Clone)]
pub struct Entry<'a> {
    pub key: &'a str,
    pub key_span: Range<usize>,
    pub value: &'a Node<'a>,
}

/// The entries of a table in the order they are written (toml sorts them by name).
pub fn entries<'a>(t: &'a Table<'a>) -> Vec<Entry<'a>> {
    let mut v: Vec<Entry<'a>> = unordered(t).collect();
    v.sort_by_key(|e| e.key_span.start);
    v
}

/// The entries of a table in toml's order, for a caller that filters them or collects them
/// elsewhere before putting them in file order.
pub fn unordered<'a>(t: &'a Table<'a>) -> impl Iterator<Item = Entry<'a>> {
    t.iter().map(|(k, value)| Entry {
        key: k.get_ref().as_ref(),
        key_span: k.span(),
        value,
    })
}

pub fn get<'a>(t: &'a Table<'a>, key: &str) -> Option<Entry<'a>> {
    unordered(t).find(|e| e.key == key)
}

/// "a string", "an integer", ...: for messages saying what was found.
pub fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The value of an integer node, wide enough for any TOML integer and any C type.
pub fn int(v: &DeValue<'_>) -> Option<i128> {
    match v {
        DeValue::Integer(i) => i128::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

/// A `"$name"` binding reference: the name without `$`.
pub fn binding<'a>(v: &'a DeValue<'_>) -> Option<&'a str> {
    v.as_str()
        .and_then(|s| s.strip_prefix('$'))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_'))
}

/// Parses a whole document. The tree borrows `text`.
pub fn parse(text: &str) -> Result<Spanned<Table<'_>>, toml::de::Error> {
    DeTable::parse(text)
}
