//! A scenario after loading and validation: every name resolved against the catalogues,
//! every default filled in, every binding type-checked, every expectation expanded per
//! version. The executor and the reports work on this, never on TOML.

use jetconform_interface::{
    Arg, ErrorCode, Function, LogInfo, Provenance, Text, VersionSet, WinVersion,
};
use std::path::PathBuf;
use std::sync::Arc;

/// A position in a scenario or fixture file (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<PathBuf>,
    pub line: u32,
    pub col: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

#[derive(Clone, Debug)]
pub struct Scenario {
    /// Path under the corpus root without `.toml`, `/`-separated (`end-external-backup/abort`).
    pub id: String,
    pub file: Arc<PathBuf>,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub evidence: Vec<String>,
    /// The versions the scenario applies to.
    pub versions: VersionSet,
    pub fixture: Option<String>,
    /// Needs the `fault` verb's hooks.
    pub requires_fault_hooks: bool,
    /// Where the scenario (or its fixture) first passes a path that Windows reserves on
    /// purpose (`{ path = "CON", deliberate = true }`): only runners that keep such names
    /// inside their sandbox (`RunnerInfo::reserved_names`) run it; others skip it.
    pub reserved_names: Option<Location>,
    /// Harness verbs used (fixture included), so runners lacking one can skip with a reason.
    pub verbs: Vec<Function>,
    /// Fixture steps first, then the scenario's own.
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug)]
pub struct Step {
    /// Where the step's `call` (or `for_each`) key is.
    pub location: Location,
    /// `Some(name)` for a step that comes from a fixture.
    pub fixture: Option<String>,
    /// 1-based position among the steps of its own file (nested `do` steps count too).
    pub number: u32,
    pub kind: StepKind,
}

impl Step {
    /// The same step written `lines` lines further down its file (or up, when negative):
    /// explore builds a sequence's plan from steps it loaded as parts of earlier sequences,
    /// where they stood elsewhere (`explore::plans`).
    pub fn shifted(mut self, lines: i64) -> Step {
        fn shift(l: &mut Location, by: i64) {
            l.line = (i64::from(l.line) + by).clamp(1, i64::from(u32::MAX)) as u32;
        }
        shift(&mut self.location, lines);
        match &mut self.kind {
            StepKind::Call(c) => {
                shift(&mut c.expect.location, lines);
                for e in c.expect.entries.as_mut_slice() {
                    shift(&mut e.location, lines);
                }
                for k in &mut c.checks {
                    shift(&mut k.location, lines);
                }
            }
            StepKind::ForEach(f) => {
                f.body = std::mem::take(&mut f.body)
                    .into_iter()
                    .map(|s| s.shifted(lines))
                    .collect();
            }
        }
        self
    }
}

// Steps are built once and only ever matched by reference: boxing the larger variant would
// buy nothing but an indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum StepKind {
    Call(CallStep),
    ForEach(ForEach),
}

#[derive(Clone, Debug)]
pub struct ForEach {
    /// A binding holding a list (`$logs`).
    pub list: String,
    /// The name each item is bound to (`$log`), as text.
    pub item: String,
    pub body: Vec<Step>,
}

#[derive(Clone, Debug)]
pub struct CallStep {
    pub function: Function,
    /// One per parameter of the function, in catalogue order, defaults filled in.
    pub args: Vec<ArgExpr>,
    pub expect: Expectation,
    /// (output parameter name, binding name without `$`).
    pub bind: Vec<(String, String)>,
    pub checks: Vec<Check>,
    pub repeat: Option<Repeat>,
    /// Codes of spec 13 this step is the recipe for even where its expectation is another
    /// code or `unknown` (e.g. -553/-554, which the engine source computes and overwrites).
    pub provokes: Vec<ErrorCode>,
    /// `key = true`: the step the reports show for the scenario.
    pub key: bool,
}

/// An argument whose value may depend on what earlier steps bound.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgExpr {
    /// Known at load time.
    Fixed(Arg),
    /// `Arg::Handle` of a bound handle.
    Handle(String),
    /// `Arg::U32` of a bound number.
    U32(String),
    /// `Arg::I32` of a bound number.
    I32(String),
    /// `Arg::InOut(Some(handle))` of a bound handle.
    InOut(String),
    /// `Arg::Str(Some(Text::Raw(item)))` of a bound list item.
    RawText(String),
    /// `Arg::LogInfo(Some(..))` of a bound JET_LOGINFO.
    LogInfo(String),
    /// `Arg::Callback` whose nested call has arguments that depend on bindings.
    Callback(Box<NestedCall>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct NestedCall {
    pub function: Function,
    pub args: Vec<ArgExpr>,
}

/// What a binding holds at run time.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Handle(u64),
    U32(u32),
    I32(i32),
    /// A listed name, as the runner returned it.
    Text(String),
    List(Vec<String>),
    LogInfo(LogInfo),
}

/// The expected result of a step for every version. Most steps expect one thing of every
/// version, so each distinct expectation is kept once and the versions point at it (every
/// step of every scenario carries one of these: the per-version copies made up most of a
/// loaded corpus's memory).
#[derive(Clone, Debug)]
pub struct Expectation {
    pub location: Location,
    entries: Entries,
    /// Indexed by `WinVersion::index()`: the entry, or `NONE` for versions the scenario does
    /// not apply to.
    by_version: [u8; 9],
}

/// The distinct entries of an expectation. Nearly every step has one, kept in place: a list
/// for it was an allocation to make and free per step.
#[derive(Clone, Debug)]
enum Entries {
    Empty,
    One(Expected),
    Many(Vec<Expected>),
}

impl Entries {
    fn as_slice(&self) -> &[Expected] {
        match self {
            Entries::Empty => &[],
            Entries::One(e) => std::slice::from_ref(e),
            Entries::Many(v) => v,
        }
    }

    fn as_mut_slice(&mut self) -> &mut [Expected] {
        match self {
            Entries::Empty => &mut [],
            Entries::One(e) => std::slice::from_mut(e),
            Entries::Many(v) => v,
        }
    }

    fn push(&mut self, e: Expected) {
        *self = match std::mem::replace(self, Entries::Empty) {
            Entries::Empty => Entries::One(e),
            Entries::One(first) => Entries::Many(vec![first, e]),
            Entries::Many(mut v) => {
                v.push(e);
                Entries::Many(v)
            }
        };
    }
}

impl Expectation {
    const NONE: u8 = u8::MAX;

    pub fn new(location: Location) -> Expectation {
        Expectation {
            location,
            entries: Entries::Empty,
            by_version: [Self::NONE; 9],
        }
    }

    pub fn set(&mut self, v: WinVersion, e: Expected) {
        let at = match self.entries.as_slice().iter().position(|x| *x == e) {
            Some(i) => i,
            None => {
                self.entries.push(e);
                self.entries.as_slice().len() - 1
            }
        };
        self.by_version[v.index()] = at as u8;
    }

    /// `v` expects what `other` expects (set before).
    pub fn same_as(&mut self, v: WinVersion, other: WinVersion) {
        self.by_version[v.index()] = self.by_version[other.index()];
    }

    pub fn for_version(&self, v: WinVersion) -> Option<&Expected> {
        self.entries
            .as_slice()
            .get(usize::from(self.by_version[v.index()]))
    }

    /// The distinct expectations, whichever versions they are for.
    pub fn distinct(&self) -> &[Expected] {
        self.entries.as_slice()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    pub outcome: ExpectedOutcome,
    pub provenance: Provenance,
    pub note: Option<String>,
    /// Where this particular entry is written (the `xp = ...` key, or the `expect` key).
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectedOutcome {
    Code(ErrorCode),
    /// Any one of these codes: two or more, distinct, in the order written
    /// (`{ any_of = [...] }`).
    AnyOf(Vec<ErrorCode>),
    /// Any code >= 0, warnings included (`"success"`).
    Success,
    /// Any result: recorded, not judged, and the step passes (`"any"`), unlike `Unknown`,
    /// which makes the trial unknown.
    Any,
    Unknown,
    NotExported,
}

impl ExpectedOutcome {
    /// Whether a returned code satisfies this expectation (`Unknown` and `NotExported`
    /// admit no code: the first is not judged, the second wants no call at all).
    pub fn admits(&self, code: ErrorCode) -> bool {
        match self {
            ExpectedOutcome::Code(c) => *c == code,
            ExpectedOutcome::AnyOf(codes) => codes.contains(&code),
            ExpectedOutcome::Success => code.0 >= 0,
            ExpectedOutcome::Any => true,
            ExpectedOutcome::Unknown | ExpectedOutcome::NotExported => false,
        }
    }

    /// The same expectation, whatever order an `any_of` lists its codes in.
    pub fn same_as(&self, other: &ExpectedOutcome) -> bool {
        match (self, other) {
            (ExpectedOutcome::AnyOf(a), ExpectedOutcome::AnyOf(b)) => {
                a.len() == b.len() && a.iter().all(|c| b.contains(c))
            }
            (a, b) => a == b,
        }
    }

    /// How a scenario writes it, names only: `JET_errNoBackup`, `any_of [JET_errX,
    /// JET_errY]`, `success`, `any`, `unknown`, `not_exported`.
    pub fn written(&self) -> String {
        let name = |c: &ErrorCode| {
            c.name()
                .map(str::to_string)
                .unwrap_or_else(|| format!("JET_ERR({})", c.0))
        };
        match self {
            ExpectedOutcome::Code(c) => name(c),
            ExpectedOutcome::AnyOf(codes) => format!(
                "any_of [{}]",
                codes.iter().map(name).collect::<Vec<_>>().join(", ")
            ),
            ExpectedOutcome::Success => "success".into(),
            ExpectedOutcome::Any => "any".into(),
            ExpectedOutcome::Unknown => "unknown".into(),
            ExpectedOutcome::NotExported => "not_exported".into(),
        }
    }
}

/// With names and numbers, as results and failures show it: `JET_errNoBackup (-520)`,
/// `any_of [JET_errX (-1115), JET_errY (-1003)]`, `success (any code >= 0)`,
/// `any (not judged)`, `unknown`, `not_exported`.
impl std::fmt::Display for ExpectedOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExpectedOutcome::Code(c) => write!(f, "{c}"),
            ExpectedOutcome::AnyOf(codes) => {
                let shown: Vec<String> = codes.iter().map(ToString::to_string).collect();
                write!(f, "any_of [{}]", shown.join(", "))
            }
            ExpectedOutcome::Success => f.write_str("success (any code >= 0)"),
            ExpectedOutcome::Any => f.write_str("any (not judged)"),
            ExpectedOutcome::Unknown => f.write_str("unknown"),
            ExpectedOutcome::NotExported => f.write_str("not_exported"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub location: Location,
    /// Output parameter name (`pcbActual`).
    pub output: String,
    /// A field of a structured output (`ulGenLow` of `pLogInfo`).
    pub field: Option<String>,
    pub predicate: Predicate,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Number(i64),
    Binding(String),
    Text(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Predicate {
    Eq(Operand),
    Ne(Operand),
    Min(Operand),
    Max(Operand),
    Unwritten,
    Count(usize),
    /// At least this many names (`count = { min = N }`).
    CountMin(usize),
    /// At most this many names (`count = { max = N }`).
    CountMax(usize),
    /// Exactly these names, in order, sandbox-relative.
    Items(Vec<String>),
    Contains(Vec<String>),
    /// For every glob, some name matches it (`matching = "edb*.log"`; checked by
    /// `verdict::checks::name_matches`).
    Matching(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Repeat {
    /// Stop once every (output, value) holds.
    pub until: Vec<(String, i64)>,
    pub max: u32,
    /// (output, binding): bind the sum of the output over all iterations.
    pub sum: Vec<(String, String)>,
}

/// Builds an `Arg::Str` for a sandbox path, for tests and fixtures written in code.
pub fn path_arg(p: &str) -> Arg {
    Arg::Str(Some(Text::Path {
        path: p.to_string(),
        pad_to: None,
        trailing_separator: false,
    }))
}
