//! Windows versions, their short ids, server aliases, ranges and sets.
//!
//! Every version a scenario can name. The order is release order; ranges use it.
//! `JET_VERSION` values are those of `jethdr.w` (spec, version table at the top).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Windows release, as scenarios, runners and reports name it.
#[derive(
    Copy,
    Clone,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum WinVersion {
    Win2000,
    Xp,
    Server2003,
    Vista,
    Win7,
    Win8,
    Win81,
    Win10,
    Win11,
}

impl WinVersion {
    /// Every version, oldest first.
    pub const ALL: [WinVersion; 9] = [
        WinVersion::Win2000,
        WinVersion::Xp,
        WinVersion::Server2003,
        WinVersion::Vista,
        WinVersion::Win7,
        WinVersion::Win8,
        WinVersion::Win81,
        WinVersion::Win10,
        WinVersion::Win11,
    ];

    /// The short id used everywhere (`win2000`, `xp`, ..., `win11`).
    pub const fn id(self) -> &'static str {
        match self {
            WinVersion::Win2000 => "win2000",
            WinVersion::Xp => "xp",
            WinVersion::Server2003 => "server2003",
            WinVersion::Vista => "vista",
            WinVersion::Win7 => "win7",
            WinVersion::Win8 => "win8",
            WinVersion::Win81 => "win81",
            WinVersion::Win10 => "win10",
            WinVersion::Win11 => "win11",
        }
    }

    /// The product name, for people.
    pub const fn product(self) -> &'static str {
        match self {
            WinVersion::Win2000 => "Windows 2000",
            WinVersion::Xp => "Windows XP",
            WinVersion::Server2003 => "Windows Server 2003",
            WinVersion::Vista => "Windows Vista / Server 2008",
            WinVersion::Win7 => "Windows 7 / Server 2008 R2",
            WinVersion::Win8 => "Windows 8 / Server 2012",
            WinVersion::Win81 => "Windows 8.1 / Server 2012 R2",
            WinVersion::Win10 => "Windows 10 / Server 2016-2022",
            WinVersion::Win11 => "Windows 11 / Server 2025",
        }
    }

    /// `JET_VERSION` of the release's `esent.h` (spec, version table).
    pub const fn jet_version(self) -> u32 {
        match self {
            WinVersion::Win2000 => 0x0500,
            WinVersion::Xp => 0x0501,
            WinVersion::Server2003 => 0x0502,
            WinVersion::Vista => 0x0600,
            WinVersion::Win7 => 0x0601,
            WinVersion::Win8 => 0x0602,
            WinVersion::Win81 => 0x0603,
            WinVersion::Win10 | WinVersion::Win11 => 0x0A00,
        }
    }

    pub const fn index(self) -> usize {
        self as usize
    }

    /// Parses an id or a server alias (`server2008r2` is `win7`), also in the common
    /// spellings of product names: any case, with `windows` for `win` and spaces, dashes,
    /// underscores or dots between the words (`Windows 10`, `windows10`, `winxp`, `Win 8.1`,
    /// `windows-server-2019`).
    pub fn parse(text: &str) -> Option<WinVersion> {
        let t = spelling(text);
        if let Some(v) = WinVersion::ALL.iter().find(|v| v.id() == t) {
            return Some(*v);
        }
        ALIASES.iter().find(|(a, _)| *a == t).map(|(_, v)| *v)
    }

    /// Every name `parse` accepts, for suggestions.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        WinVersion::ALL
            .iter()
            .map(|v| v.id())
            .chain(ALIASES.iter().map(|(a, _)| *a))
    }
}

/// A version name reduced to the form of the ids: lower case, no separators, `windows` and
/// `win` before `xp`, `vista` or `server` dropped, `windows` shortened to `win`.
fn spelling(text: &str) -> String {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
        .collect::<String>()
        .to_ascii_lowercase();
    let t = match t.strip_prefix("windows") {
        Some(rest) => format!("win{rest}"),
        None => t,
    };
    match t.strip_prefix("win") {
        Some(rest) if rest == "xp" || rest == "vista" || rest.starts_with("server") => {
            rest.to_string()
        }
        _ => t,
    }
}

/// Server releases share the engine of a client release.
pub const ALIASES: &[(&str, WinVersion)] = &[
    ("server2008", WinVersion::Vista),
    ("server2008r2", WinVersion::Win7),
    ("server2012", WinVersion::Win8),
    ("server2012r2", WinVersion::Win81),
    ("server2016", WinVersion::Win10),
    ("server2019", WinVersion::Win10),
    ("server2022", WinVersion::Win10),
    ("server2025", WinVersion::Win11),
];

impl fmt::Display for WinVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A set of versions (a bit per version).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Default)]
pub struct VersionSet(u16);

impl VersionSet {
    pub const EMPTY: VersionSet = VersionSet(0);
    pub const ALL: VersionSet = VersionSet((1 << 9) - 1);

    pub const fn single(v: WinVersion) -> VersionSet {
        VersionSet(1 << v as u16)
    }

    /// `from..=to`, inclusive on both ends.
    pub fn range(from: WinVersion, to: WinVersion) -> VersionSet {
        let mut s = VersionSet::EMPTY;
        for v in WinVersion::ALL {
            if v >= from && v <= to {
                s.insert(v);
            }
        }
        s
    }

    /// Every version from `v` on.
    pub fn since(v: WinVersion) -> VersionSet {
        VersionSet::range(v, WinVersion::Win11)
    }

    pub fn insert(&mut self, v: WinVersion) {
        self.0 |= 1 << v as u16;
    }
    pub const fn contains(self, v: WinVersion) -> bool {
        self.0 & (1 << v as u16) != 0
    }
    pub const fn union(self, o: VersionSet) -> VersionSet {
        VersionSet(self.0 | o.0)
    }
    pub const fn intersection(self, o: VersionSet) -> VersionSet {
        VersionSet(self.0 & o.0)
    }
    pub const fn difference(self, o: VersionSet) -> VersionSet {
        VersionSet(self.0 & !o.0)
    }
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
    pub fn iter(self) -> impl Iterator<Item = WinVersion> {
        WinVersion::ALL
            .into_iter()
            .filter(move |v| self.contains(*v))
    }

    /// Parses `xp`, `server2008`, `xp..`, `..vista`, `server2003..win7` or `all`.
    pub fn parse(text: &str) -> Result<VersionSet, VersionParseError> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("all") {
            return Ok(VersionSet::ALL);
        }
        let one = |s: &str| {
            WinVersion::parse(s).ok_or_else(|| VersionParseError {
                name: s.trim().to_string(),
                reversed: None,
            })
        };
        match t.split_once("..") {
            None => Ok(VersionSet::single(one(t)?)),
            Some((a, b)) => {
                let from = if a.trim().is_empty() {
                    WinVersion::Win2000
                } else {
                    one(a)?
                };
                let to = if b.trim().is_empty() {
                    WinVersion::Win11
                } else {
                    one(b)?
                };
                if from > to {
                    return Err(VersionParseError {
                        name: t.to_string(),
                        reversed: Some((to, from)),
                    });
                }
                Ok(VersionSet::range(from, to))
            }
        }
    }

    /// The shortest text that `parse` turns back into this set, when it is one range.
    pub fn describe(self) -> String {
        let v: Vec<WinVersion> = self.iter().collect();
        match v.as_slice() {
            [] => "none".into(),
            [one] => one.id().into(),
            _ if self == VersionSet::ALL => "all".into(),
            [first, .., last] if VersionSet::range(*first, *last) == self => {
                match (*first == WinVersion::Win2000, *last == WinVersion::Win11) {
                    (true, _) => format!("..{last}"),
                    (_, true) => format!("{first}.."),
                    _ => format!("{first}..{last}"),
                }
            }
            _ => v.iter().map(|v| v.id()).collect::<Vec<_>>().join(","),
        }
    }
}

impl fmt::Debug for VersionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VersionSet({})", self.describe())
    }
}

impl fmt::Display for VersionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl FromIterator<WinVersion> for VersionSet {
    fn from_iter<I: IntoIterator<Item = WinVersion>>(iter: I) -> Self {
        let mut s = VersionSet::EMPTY;
        for v in iter {
            s.insert(v);
        }
        s
    }
}

/// A version name or range that names no version, or a range written newest first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", match .reversed {
    Some((from, to)) => format!("`{name}` is a reversed range: write it oldest first, `{from}..{to}`"),
    None => format!("unknown Windows version or range `{name}`"),
})]
pub struct VersionParseError {
    pub name: String,
    /// For a reversed range, the range oldest first.
    pub reversed: Option<(WinVersion, WinVersion)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_aliases_and_ranges() {
        assert_eq!(WinVersion::parse("server2008r2"), Some(WinVersion::Win7));
        assert_eq!(WinVersion::parse("server2022"), Some(WinVersion::Win10));
        assert_eq!(WinVersion::parse("win81"), Some(WinVersion::Win81));
        assert_eq!(WinVersion::parse("win95"), None);
        let s = VersionSet::parse("server2003..win7").unwrap();
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            vec![WinVersion::Server2003, WinVersion::Vista, WinVersion::Win7]
        );
        assert_eq!(VersionSet::parse("xp..").unwrap().len(), 8);
        assert_eq!(VersionSet::parse("..vista").unwrap().len(), 4);
        assert_eq!(VersionSet::parse("all").unwrap(), VersionSet::ALL);
        assert_eq!(
            VersionSet::parse("win10..xp").unwrap_err().to_string(),
            "`win10..xp` is a reversed range: write it oldest first, `xp..win10`"
        );
        for (spelt, v) in [
            ("winxp", WinVersion::Xp),
            ("WinXP", WinVersion::Xp),
            ("Windows XP", WinVersion::Xp),
            ("windows10", WinVersion::Win10),
            ("Windows 10", WinVersion::Win10),
            ("win-11", WinVersion::Win11),
            ("Win 8.1", WinVersion::Win81),
            ("windows vista", WinVersion::Vista),
            ("windows-server-2019", WinVersion::Win10),
            ("Windows Server 2003", WinVersion::Server2003),
            ("windows2000", WinVersion::Win2000),
        ] {
            assert_eq!(WinVersion::parse(spelt), Some(v), "{spelt}");
        }
        assert_eq!(
            VersionSet::parse("winxp..windows7").unwrap(),
            VersionSet::range(WinVersion::Xp, WinVersion::Win7)
        );
        assert_eq!(
            VersionSet::parse("server2008..").unwrap().describe(),
            "vista.."
        );
        assert_eq!(VersionSet::ALL.describe(), "all");
    }
}
