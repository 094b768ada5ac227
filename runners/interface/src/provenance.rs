//! Where a statement about ESENT's behaviour comes from.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provenance {
    /// Seen on a real machine, named.
    Observed(String),
    /// Read in the engine's source (spec: SRC).
    Source,
    /// Written in Microsoft's documentation (spec: DOC).
    Documented,
    /// Derived from the other sources; a guess, shown as one.
    Inferred,
    /// Nobody knows yet.
    Unknown,
}

impl Provenance {
    pub fn parse(text: &str) -> Option<Provenance> {
        match text {
            "source" => Some(Provenance::Source),
            "documented" => Some(Provenance::Documented),
            "inferred" => Some(Provenance::Inferred),
            "unknown" => Some(Provenance::Unknown),
            _ => text
                .strip_prefix("observed:")
                .filter(|m| !m.trim().is_empty())
                .map(|m| Provenance::Observed(m.trim().to_string())),
        }
    }
    /// The kind, without the machine name (for counting).
    pub fn kind(&self) -> &'static str {
        match self {
            Provenance::Observed(_) => "observed",
            Provenance::Source => "source",
            Provenance::Documented => "documented",
            Provenance::Inferred => "inferred",
            Provenance::Unknown => "unknown",
        }
    }
    pub const NAMES: &'static [&'static str] = &[
        "source",
        "documented",
        "inferred",
        "unknown",
        "observed:<machine>",
    ];
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Provenance::Observed(m) => write!(f, "observed:{m}"),
            other => f.write_str(other.kind()),
        }
    }
}

impl Serialize for Provenance {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Provenance {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let t = String::deserialize(d)?;
        Provenance::parse(&t)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown provenance `{t}`")))
    }
}
