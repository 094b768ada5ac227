//! What each `$name` holds while steps are scanned in order, so that a name used before it
//! is bound, or used as something it is not, is caught at load time.

use super::model::Location;
use std::collections::HashMap;
use std::fmt;

/// The kind of value a binding holds (model::Value, without the value).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Handle,
    Number,
    /// One listed name (a `for_each` item).
    Item,
    List,
    LogInfo,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Handle => "a handle",
            Kind::Number => "a number",
            Kind::Item => "a listed name",
            Kind::List => "a list of names",
            Kind::LogInfo => "a JET_LOGINFO",
        })
    }
}

#[derive(Clone, Debug)]
pub struct Bound {
    pub kind: Kind,
    pub at: Location,
}

/// The names bound so far. `for_each` items live in an inner scope of their own.
#[derive(Default, Clone)]
pub struct Scope {
    names: HashMap<String, Bound>,
    /// Set when the names a fixture binds are unknown (the fixture itself is broken, which
    /// is reported): uses of unbound names would only repeat that diagnostic.
    pub incomplete: bool,
}

/// Why a use of a binding is refused.
pub enum UseError {
    Unbound { similar: Option<String> },
    WrongKind { found: Bound },
}

impl Scope {
    pub fn bind(&mut self, name: &str, kind: Kind, at: Location) {
        self.names.insert(name.to_string(), Bound { kind, at });
    }

    pub fn remove(&mut self, name: &str) -> Option<Bound> {
        self.names.remove(name)
    }

    /// Checks that `name` is bound to one of `kinds`.
    pub fn require(&self, name: &str, kinds: &[Kind]) -> Result<Kind, UseError> {
        match self.names.get(name) {
            None if self.incomplete => Ok(kinds.first().copied().unwrap_or(Kind::Handle)),
            None => Err(UseError::Unbound {
                similar: super::suggest::closest(name, self.names.keys().map(String::as_str))
                    .map(|s| format!("${s}")),
            }),
            Some(b) if kinds.contains(&b.kind) => Ok(b.kind),
            Some(b) => Err(UseError::WrongKind { found: b.clone() }),
        }
    }
}
