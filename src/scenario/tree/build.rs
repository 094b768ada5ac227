//! The tree straight from `toml_parser`'s events, for the documents scenarios are written
//! as: top-level keys, `[table]` and `[[array]]` headers whose dotted path goes through
//! arrays of tables (`[[step.do]]`), inline tables and arrays, strings, integers, floats and
//! booleans. `None` for anything else and for any error: the caller then parses with `toml`,
//! which builds the same tree (checked on every file of the corpus and on random documents,
//! `tests.rs`) and words the errors. This skips `toml`'s general tree (a hashed map per
//! table, every key hashed), which took about 0.8 µs of the 1.9 µs of loading a step in the
//! overhead bench.

use super::{Array, Key, Node, Table, Value};
use std::borrow::Cow;
use std::ops::Range;
use toml::Spanned;
use toml_parser::decoder::ScalarKind;
use toml_parser::parser::{Event, EventKind, RecursionGuard, ValidateWhitespace};
use toml_parser::{ParseError, Source};

/// `toml`'s nesting limit, so that the recursion below stays as shallow as toml's.
const DEPTH: u32 = 80;

/// Not built here: the caller falls back to `toml`.
struct Bail;
type Built<T> = Result<T, Bail>;

pub fn document(text: &str) -> Option<Table<'_>> {
    let source = Source::new(text);
    let events = events(source)?;
    let mut b = Builder {
        source,
        events: &events,
        at: 0,
        error: None,
    };
    let doc = b.document().ok()?;
    b.error.is_none().then_some(doc)
}

/// `toml_parser`'s events for a document, checked as `toml` checks them (whitespace, nesting
/// depth); `None` on any error.
pub fn events(source: Source<'_>) -> Option<Vec<Event>> {
    let tokens = source.lex().into_vec();
    let mut events = Vec::with_capacity(tokens.len());
    let mut error: Option<ParseError> = None;
    let mut spaces = ValidateWhitespace::new(&mut events, source);
    let mut guard = RecursionGuard::new(&mut spaces, DEPTH);
    toml_parser::parser::parse_document(&tokens, &mut guard, &mut error);
    error.is_none().then_some(events)
}

struct Builder<'e, 'i> {
    source: Source<'i>,
    events: &'e [Event],
    at: usize,
    /// Set by the decoders (a bad escape, say).
    error: Option<ParseError>,
}

/// A `[name]` or `[[path.name]]` header.
struct Header<'i> {
    path: Vec<Key<'i>>,
    key: Key<'i>,
    span: Range<usize>,
    is_array: bool,
}

fn span(e: &Event) -> Range<usize> {
    e.span().start()..e.span().end()
}

impl<'i> Builder<'_, 'i> {
    fn next(&mut self) -> Option<Event> {
        let e = self.events.get(self.at).copied();
        self.at += 1;
        e
    }

    /// The next event that is not blank, a comment or a line end.
    fn next_solid(&mut self) -> Option<Event> {
        self.next_where(|k| {
            !matches!(
                k,
                EventKind::Whitespace | EventKind::Comment | EventKind::Newline
            )
        })
    }

    /// The next event that is not blank.
    fn next_token(&mut self) -> Option<Event> {
        self.next_where(|k| k != EventKind::Whitespace)
    }

    fn next_where(&mut self, keep: impl Fn(EventKind) -> bool) -> Option<Event> {
        while let Some(e) = self.next() {
            if keep(e.kind()) {
                return Some(e);
            }
        }
        None
    }

    fn document(&mut self) -> Built<Table<'i>> {
        let mut root = Table::new();
        let mut open: Option<(Header<'i>, Table<'i>)> = None;
        while let Some(e) = self.next_solid() {
            match e.kind() {
                EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                    if let Some((h, t)) = open.take() {
                        self.finish(&mut root, h, t)?;
                    }
                    open = Some((self.header(e)?, Table::new()));
                }
                EventKind::SimpleKey => {
                    let (key, value) = self.key_value(e)?;
                    let table = open.as_mut().map_or(&mut root, |(_, t)| t);
                    insert_new(table, key, value)?;
                }
                _ => return Err(Bail),
            }
        }
        if let Some((h, t)) = open {
            self.finish(&mut root, h, t)?;
        }
        Ok(root)
    }

    /// The header opened by `open`, up to its closing bracket(s).
    fn header(&mut self, open: Event) -> Built<Header<'i>> {
        let mut keys = Vec::new();
        loop {
            let e = self.next_token().ok_or(Bail)?;
            match e.kind() {
                EventKind::SimpleKey => keys.push(self.key(e)),
                EventKind::KeySep => {}
                EventKind::StdTableClose | EventKind::ArrayTableClose => {
                    // toml refuses a path as long as its nesting limit.
                    if keys.len() > DEPTH as usize {
                        return Err(Bail);
                    }
                    let key = keys.pop().ok_or(Bail)?;
                    return Ok(Header {
                        path: keys,
                        key,
                        span: open.span().start()..e.span().end(),
                        is_array: open.kind() == EventKind::ArrayTableOpen,
                    });
                }
                _ => return Err(Bail),
            }
        }
    }

    /// Puts a header's table where its header says, as `toml` does when the next header
    /// starts or the document ends.
    fn finish(&mut self, root: &mut Table<'i>, h: Header<'i>, t: Table<'i>) -> Built<()> {
        let mut parent = root;
        for k in &h.path {
            let items = parent
                .get_mut(k.get_ref())
                .and_then(array_of_tables)
                .ok_or(Bail)?;
            let Some(Value::Table(last)) = items.last_mut().map(|n| n.get_mut()) else {
                return Err(Bail);
            };
            parent = last;
        }
        let table = Spanned::new(h.span.clone(), Value::Table(t));
        if !h.is_array {
            return insert_new(parent, h.key, table);
        }
        match parent.get_mut(h.key.get_ref()) {
            None => parent.insert(h.key, Spanned::new(h.span, Value::Array(vec![table]))),
            Some(node) => array_of_tables(node).ok_or(Bail)?.push(table),
        }
        Ok(())
    }

    fn key(&mut self, e: Event) -> Key<'i> {
        let mut decoded = Cow::Borrowed("");
        if let Some(raw) = self.source.get(e) {
            raw.decode_key(&mut decoded, &mut self.error);
        } else {
            self.error = Some(ParseError::new("key outside the text"));
        }
        Spanned::new(span(&e), decoded)
    }

    /// `key = value`, from its key's event; a dotted key is left to `toml`.
    fn key_value(&mut self, key: Event) -> Built<(Key<'i>, Node<'i>)> {
        let key = self.key(key);
        if self.next_token().map(|e| e.kind()) != Some(EventKind::KeyValSep) {
            return Err(Bail);
        }
        let e = self.next_token().ok_or(Bail)?;
        Ok((key, self.value(e)?))
    }

    fn value(&mut self, e: Event) -> Built<Node<'i>> {
        match e.kind() {
            EventKind::Scalar => self.scalar(e),
            EventKind::ArrayOpen => self.array(e),
            EventKind::InlineTableOpen => self.inline_table(e),
            _ => Err(Bail),
        }
    }

    fn scalar(&mut self, e: Event) -> Built<Node<'i>> {
        let raw = self.source.get(e).ok_or(Bail)?;
        let mut decoded = Cow::Borrowed("");
        let value = match raw.decode_scalar(&mut decoded, &mut self.error) {
            ScalarKind::String => Value::String(decoded),
            ScalarKind::Boolean(b) => Value::Boolean(b),
            ScalarKind::Integer(radix) => Value::Integer {
                digits: decoded,
                radix: radix.value(),
            },
            ScalarKind::Float => Value::Float(decoded),
            // toml checks a date further than the decoder does.
            ScalarKind::DateTime => return Err(Bail),
        };
        Ok(Spanned::new(span(&e), value))
    }

    fn array(&mut self, open: Event) -> Built<Node<'i>> {
        let mut items = Array::new();
        let span = self.items(open, EventKind::ArrayClose, |b, e| {
            items.push(b.value(e)?);
            Ok(())
        })?;
        Ok(Spanned::new(span, Value::Array(items)))
    }

    fn inline_table(&mut self, open: Event) -> Built<Node<'i>> {
        let mut table = Table::new();
        let span = self.items(open, EventKind::InlineTableClose, |b, e| {
            if e.kind() != EventKind::SimpleKey {
                return Err(Bail);
            }
            let (key, value) = b.key_value(e)?;
            insert_new(&mut table, key, value)
        })?;
        Ok(Spanned::new(span, Value::Table(table)))
    }

    /// Hands each item of the array or inline table `open` starts to `item`, up to the event
    /// `close`; the span of the whole.
    fn items(
        &mut self,
        open: Event,
        close: EventKind,
        mut item: impl FnMut(&mut Self, Event) -> Built<()>,
    ) -> Built<Range<usize>> {
        loop {
            let e = self.next_solid().ok_or(Bail)?;
            match e.kind() {
                EventKind::ValueSep => {}
                k if k == close => return Ok(open.span().start()..e.span().end()),
                _ => item(self, e)?,
            }
        }
    }
}

/// The items of an array made by `[[name]]` headers, the only kind a header may extend. Its
/// span is its first header's, as is its first table's; an array written `[...]` spans more
/// than any of its items.
fn array_of_tables<'n, 'i>(node: &'n mut Node<'i>) -> Option<&'n mut Array<'i>> {
    let span = node.span();
    match node.get_mut() {
        Value::Array(items) if items.first().is_some_and(|f| f.span() == span) => Some(items),
        _ => None,
    }
}

/// A key given twice is an error that `toml` words.
fn insert_new<'i>(table: &mut Table<'i>, key: Key<'i>, value: Node<'i>) -> Built<()> {
    if table.get_mut(key.get_ref()).is_some() {
        return Err(Bail);
    }
    table.insert(key, value);
    Ok(())
}
