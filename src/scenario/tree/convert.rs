//! `toml`'s tree turned into ours, for the documents `build.rs` leaves to `toml`.

use super::{Table, Value};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// toml keeps a table's entries in the order it made them; ours are in file order.
pub fn table(t: DeTable<'_>) -> Table<'_> {
    let mut out = Table::new();
    for (k, v) in t {
        out.insert(k, node(v));
    }
    out.entries.sort_by_key(|(k, _)| k.span().start);
    out
}

fn node(v: Spanned<DeValue<'_>>) -> Spanned<Value<'_>> {
    let span = v.span();
    let value = match v.into_inner() {
        DeValue::String(s) => Value::String(s),
        DeValue::Integer(i) => Value::Integer {
            digits: i.as_str().to_owned().into(),
            radix: i.radix(),
        },
        DeValue::Float(f) => Value::Float(f.as_str().to_owned().into()),
        DeValue::Boolean(b) => Value::Boolean(b),
        DeValue::Datetime(_) => Value::Datetime,
        DeValue::Array(a) => Value::Array(a.into_iter().map(node).collect()),
        DeValue::Table(t) => Value::Table(table(t)),
    };
    Spanned::new(span, value)
}
