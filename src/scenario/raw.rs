//! The scenario file as plain serde types: the shape of the format, for the JSON Schema
//! editors use (`schema.rs`). The loader itself walks toml's spanned tree instead (`tree.rs`),
//! so that every diagnostic can point at the exact text; a test keeps both in agreement by
//! deserializing the corpus into these types too.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A jetconform scenario: a sequence of calls into ESENT's backup API and the JET_ERR each
/// call must return, per Windows version, with the evidence (docs/scenario-format.md).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "jetconform scenario")]
pub struct RawScenario {
    /// One line: the edge case.
    pub title: String,
    /// Plain words: what happens and why ESENT answers as it does.
    pub description: String,
    /// Free words for filtering.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Spec sections ("spec 6.3"), documentation pages, engine source functions.
    pub evidence: Vec<String>,
    /// A version, a range or a list of them. Default: every version that exports every
    /// function the scenario and its fixture call (spec 11.1).
    #[serde(default)]
    pub versions: Option<RawVersions>,
    /// A shared setup from a `fixtures/` folder, with optional parameters.
    #[serde(default)]
    pub fixture: Option<RawFixtureRef>,
    /// Default provenance of the expectations that do not give one: one for all versions,
    /// or per version like `expect`.
    #[serde(default)]
    pub provenance: Option<RawProvenance>,
    /// Runner capabilities the scenario needs.
    #[serde(default)]
    pub requires: Vec<RawRequirement>,
    /// The steps, in order.
    pub step: Vec<RawStep>,
}

/// A version id, a server alias, a range (`xp..`, `..vista`, `server2003..win7`) or `all`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(rename = "Version")]
pub struct RawVersion(pub String);

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Versions")]
pub enum RawVersions {
    One(RawVersion),
    Many(Vec<RawVersion>),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "FixtureReference")]
pub enum RawFixtureRef {
    /// The fixture's file name without `.toml`.
    Name(String),
    /// The fixture and values for its `[params]`.
    WithParams {
        name: String,
        #[serde(flatten)]
        params: BTreeMap<String, Value>,
    },
}

/// `source`, `documented`, `inferred`, `unknown` or `observed:<machine>`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(rename = "ProvenanceName")]
pub struct RawProvenanceName(pub String);

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Provenance")]
pub enum RawProvenance {
    All(RawProvenanceName),
    /// Keys: `default` and versions or ranges.
    PerVersion(BTreeMap<String, RawProvenanceName>),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Requirement")]
pub enum RawRequirement {
    /// The mock's fault hooks (the `fault` verb).
    FaultHooks,
}

/// One step: a call of an ESENT function or harness verb with its arguments (by the C
/// parameter names of the spec), or a `for_each` loop over a bound list.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(rename = "Step")]
pub struct RawStep {
    /// The exact export name (A/W suffix included) or a harness verb.
    #[serde(default)]
    pub call: Option<String>,
    /// What the call must return, per version. Required on ESENT calls outside fixtures.
    #[serde(default)]
    pub expect: Option<RawExpect>,
    /// Codes of spec 13 the step is the recipe for, whatever its expectation.
    #[serde(default)]
    pub provokes: Option<RawProvokes>,
    /// Names outputs for later steps: `{ phfFile = "$h" }`.
    #[serde(default)]
    pub bind: Option<BTreeMap<String, RawBinding>>,
    /// What outputs must be: `{ pcbActual = 0 }`, `{ szz = { count = 1 } }`.
    #[serde(default)]
    pub check: Option<BTreeMap<String, Value>>,
    /// Calls the step again until outputs have given values.
    #[serde(default)]
    pub repeat: Option<RawRepeat>,
    /// Marks the step the scenario's title is about: the reports show its result (default:
    /// the first own call whose expected code differs between versions or is an error).
    #[serde(default)]
    pub key: Option<bool>,
    /// Runs the `do` steps once for every name of a bound list.
    #[serde(default)]
    pub for_each: Option<RawForEach>,
    /// The body of a `for_each` loop.
    #[serde(default, rename = "do")]
    pub body: Option<Vec<RawStep>>,
    /// The arguments, by C parameter name.
    #[serde(flatten)]
    pub args: BTreeMap<String, Value>,
}

/// A fixture: a shared setup in a `fixtures/` folder, whose steps run before a scenario's
/// own (docs/scenario-format.md, "Fixtures").
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "jetconform fixture")]
pub struct RawFixture {
    /// Plain words: what the fixture sets up and the names its steps bind.
    pub description: String,
    /// Parameters with their defaults; a step value `"@name"` is replaced by the value.
    #[serde(default)]
    pub params: BTreeMap<String, Value>,
    /// The steps, in order (`expect` defaults to JET_errSuccess with provenance `source`).
    pub step: Vec<RawStep>,
}

/// A binding name: `"$name"`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(rename = "Binding")]
pub struct RawBinding(pub String);

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Expectation")]
pub enum RawExpect {
    Outcome(RawOutcome),
    Entry(RawExpectEntry),
    /// Keys: `default` and versions or ranges.
    PerVersion(BTreeMap<String, RawExpectValue>),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "ExpectationForVersion")]
pub enum RawExpectValue {
    Outcome(RawOutcome),
    Entry(RawExpectEntry),
}

/// `provokes`: one code or a list.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Provokes")]
pub enum RawProvokes {
    One(RawOutcome),
    Many(Vec<RawOutcome>),
}

/// A JET_ERR name or number, `success` (any code >= 0), `any` (recorded, not judged, passes),
/// `unknown` (run and record, do not judge: the trial is unknown) or `not_exported`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "ResultCode")]
pub enum RawOutcome {
    Name(String),
    Number(i32),
}

/// One expectation with its provenance: `code`, or `any_of` (two or more JET_ERR codes, any
/// one of which passes).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ExpectationEntry")]
pub struct RawExpectEntry {
    #[serde(default)]
    pub code: Option<RawOutcome>,
    #[serde(default)]
    pub any_of: Option<Vec<RawOutcome>>,
    #[serde(default)]
    pub provenance: Option<RawProvenanceName>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Repeat")]
pub struct RawRepeat {
    /// Stop once every output named has this value.
    #[serde(default)]
    pub until: BTreeMap<String, i64>,
    /// Bound on the number of calls (default 1,000,000).
    #[serde(default)]
    pub max: Option<u32>,
    /// Binds the total of an output over every iteration: `{ pcbActual = "$total" }`.
    #[serde(default)]
    pub sum: BTreeMap<String, RawBinding>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ForEach")]
pub struct RawForEach {
    /// A bound list: `"$logs"`.
    #[serde(rename = "in")]
    pub list: RawBinding,
    /// The name each item is bound to in the body: `"$log"`.
    #[serde(rename = "as")]
    pub item: RawBinding,
}

#[cfg(test)]
mod tests {
    use super::RawScenario;
    use std::path::Path;

    /// Every fixture of the corpus fits the fixture type (and so its schema).
    #[test]
    fn every_fixture_fits_the_raw_type() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/fixtures");
        let mut n = 0;
        for e in std::fs::read_dir(root).expect("cases/fixtures").flatten() {
            let text = std::fs::read_to_string(e.path()).expect("readable");
            if let Err(err) = toml::from_str::<super::RawFixture>(&text) {
                panic!("{}: {err}", e.path().display());
            }
            n += 1;
        }
        assert!(n > 0);
    }

    /// The raw types (and so the schema) accept every scenario the loader accepts.
    #[test]
    fn every_valid_scenario_fits_the_raw_types() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let files =
            crate::scenario::corpus::discover(&[root.join("cases"), root.join("tests/bad-input")])
                .files;
        let loaded = super::super::load(&files);
        assert!(!loaded.scenarios.is_empty());
        for s in &loaded.scenarios {
            let text = std::fs::read_to_string(s.file.as_ref()).expect("a loaded file is readable");
            if let Err(e) = toml::from_str::<RawScenario>(&text) {
                panic!("{}: {e}", s.file.display());
            }
        }
    }
}
