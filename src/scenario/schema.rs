//! The JSON Schema of a scenario file: generated from the serde types of `raw.rs`, then
//! enriched with what serde types cannot say (the catalogues: functions, JET_ERR names,
//! versions, grbits, system parameters, and the argument names of every function).

use super::raw::{RawFixture, RawScenario};
use jetconform_interface::errors::ERRORS;
use jetconform_interface::functions::{ParamType, StrKind, FUNCTIONS};
use jetconform_interface::grbits::GRBITS;
use jetconform_interface::sysparams::SYSPARAMS;
use jetconform_interface::version::WinVersion;
use jetconform_interface::Provenance;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub fn json_schema() -> Value {
    let mut schema = schemars::schema_for!(RawScenario).to_value();
    enrich(&mut schema);
    schema
}

/// The JSON Schema of a fixture file: its steps are a scenario's, and any argument may be a
/// parameter placeholder `"@name"`.
pub fn fixture_schema() -> Value {
    let mut schema = schemars::schema_for!(RawFixture).to_value();
    enrich(&mut schema);
    let placeholder = json!({ "type": "string", "pattern": "^@[A-Za-z0-9_]+$" });
    if let Some(props) = schema
        .pointer_mut("/$defs/Step/properties")
        .and_then(Value::as_object_mut)
    {
        for (name, s) in props.iter_mut() {
            if !matches!(
                name.as_str(),
                "call"
                    | "expect"
                    | "bind"
                    | "check"
                    | "repeat"
                    | "for_each"
                    | "do"
                    | "key"
                    | "provokes"
            ) {
                *s = json!({ "anyOf": [s.clone(), placeholder.clone()] });
            }
        }
    }
    schema
}

fn set(schema: &mut Value, pointer: &str, value: Value) {
    if let Some(slot) = schema.pointer_mut(pointer) {
        *slot = value;
    }
}

/// `^(name|name..|..name|name..name|all)$` over every version id and alias.
fn version_pattern() -> String {
    let names: Vec<&str> = WinVersion::all_names().collect();
    let one = format!("({})", names.join("|"));
    format!("^(all|{one}|{one}?\\.\\.{one}?)$")
}

fn outcome_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = ERRORS.iter().map(|e| e.name).collect();
    names.extend([
        "JET_errBackupAbortByCaller",
        "success",
        "any",
        "unknown",
        "not_exported",
    ]);
    names
}

fn provenance_schema() -> Value {
    json!({
        "type": "string",
        "pattern": "^(source|documented|inferred|unknown|observed:.+)$",
        "examples": Provenance::NAMES,
    })
}

fn grbit_schema() -> Value {
    let names: Vec<&str> = GRBITS.iter().map(|g| g.name).collect();
    let one = json!({ "anyOf": [{ "type": "string", "enum": names }, { "type": "integer" }] });
    json!({ "anyOf": [one.clone(), { "type": "array", "items": one }] })
}

fn binding_schema() -> Value {
    json!({ "type": "string", "pattern": "^\\$[A-Za-z0-9_]+$" })
}

/// How an argument of this type may be written (docs/scenario-format.md, "Arguments").
fn param_schema(ty: ParamType) -> Value {
    let string = json!({ "type": "string" });
    let int = json!({ "type": "integer" });
    let path_table = json!({
        "type": "object",
        "properties": {
            "path": { "type": "string" },
            "pad_to": { "type": "integer" },
            "trailing_separator": { "type": "boolean" },
            "text": { "type": "string" },
        },
        "additionalProperties": false,
    });
    match ty {
        ParamType::Instance
        | ParamType::Sesid
        | ParamType::TableId
        | ParamType::FileHandle
        | ParamType::ApiPtr => json!({ "anyOf": [string, int] }),
        ParamType::ColumnDef => {
            let names: Vec<&str> = jetconform_interface::functions::COLTYPS
                .iter()
                .map(|(n, _)| *n)
                .collect();
            json!({ "anyOf": [{ "type": "string", "enum": names }, int] })
        }
        ParamType::Str(StrKind::Data) => string.clone(),
        ParamType::InstanceInOut => json!({ "anyOf": [string, int] }),
        ParamType::Dbid | ParamType::ULong | ParamType::Long | ParamType::U64 => {
            json!({ "anyOf": [int, binding_schema()] })
        }
        ParamType::Grbit(_) => grbit_schema(),
        ParamType::ParamId => {
            let names: Vec<&str> = SYSPARAMS.iter().map(|p| p.name).collect();
            json!({ "anyOf": [{ "type": "string", "enum": names }, int] })
        }
        ParamType::Str(StrKind::Text) => {
            json!({ "anyOf": [string, { "type": "object", "properties": { "text": string }, "additionalProperties": false }] })
        }
        ParamType::Str(_) => json!({ "anyOf": [string, path_table] }),
        ParamType::InstanceOut
        | ParamType::SesidOut
        | ParamType::TableIdOut
        | ParamType::DbidOut
        | ParamType::FileHandleOut
        | ParamType::OutULong
        | ParamType::OutApiPtr
        | ParamType::OutLong
        | ParamType::OutNames => json!({ "const": "null" }),
        ParamType::OutBuffer(_) => json!({ "anyOf": [{ "const": "null" }, {
            "type": "object",
            "properties": { "size": int, "offset": int, "save_to": string },
            "required": ["size"],
            "additionalProperties": false,
        }] }),
        ParamType::LogInfo => json!({ "anyOf": [string, {
            "type": "object",
            "properties": { "cbSize": int, "ulGenLow": int, "ulGenHigh": int, "szBaseName": { "type": "string", "maxLength": 3 } },
            "additionalProperties": false,
        }] }),
        ParamType::RstMap => json!({ "anyOf": [{ "const": "null" }, { "type": "array", "items": {
            "type": "object",
            "properties": { "szDatabaseName": string, "szNewDatabaseName": string },
            "additionalProperties": false,
        } }] }),
        ParamType::SetSysParams => {
            json!({ "anyOf": [{ "const": "null" }, { "type": "array", "items": {
            "type": "object",
            "properties": { "paramid": param_schema(ParamType::ParamId), "lParam": int, "sz": string },
            "required": ["paramid"],
            "additionalProperties": false,
        } }] })
        }
        ParamType::RstInfo => json!({ "anyOf": [{ "const": "null" }, {
            "type": "object",
            "properties": { "cbStruct": int, "rgrstmap": param_schema(ParamType::RstMap), "pfnStatus": { "enum": ["null", "record"] } },
            "required": ["cbStruct"],
            "additionalProperties": false,
        }] }),
        ParamType::Callback => json!({ "anyOf": [{ "enum": ["null", "record"] }, {
            "type": "object",
            "properties": { "nested": { "type": "object", "required": ["call"] } },
            "required": ["nested"],
            "additionalProperties": false,
        }] }),
    }
}

/// Every C parameter name of the catalogue with the ways to write it (names shared by
/// parameters of different types accept any of them).
fn argument_properties() -> Map<String, Value> {
    let mut by_name: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for f in FUNCTIONS {
        for p in f.params {
            let s = param_schema(p.ty);
            let entry = by_name.entry(p.name).or_default();
            if !entry.contains(&s) {
                entry.push(s);
            }
        }
    }
    by_name
        .into_iter()
        .map(|(name, mut schemas)| {
            let s = if schemas.len() == 1 {
                schemas.remove(0)
            } else {
                json!({ "anyOf": schemas })
            };
            (name.to_string(), s)
        })
        .collect()
}

fn enrich(schema: &mut Value) {
    let functions: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
    let version = json!({ "type": "string", "pattern": version_pattern() });
    let outcome =
        json!({ "anyOf": [{ "type": "string", "enum": outcome_names() }, { "type": "integer" }] });
    let version_keyed = |value: Value| {
        json!({
            "type": "object",
            "properties": { "default": value.clone() },
            "patternProperties": { version_pattern(): value },
            "additionalProperties": false,
            "minProperties": 1,
        })
    };

    set(schema, "/$defs/Version", version.clone());
    set(schema, "/$defs/ProvenanceName", provenance_schema());
    set(schema, "/$defs/ResultCode", outcome);
    // `code` or `any_of`, exactly one; `any_of` lists two or more distinct codes.
    if let Some(entry) = schema
        .pointer_mut("/$defs/ExpectationEntry")
        .and_then(Value::as_object_mut)
    {
        entry.insert(
            "oneOf".into(),
            json!([{ "required": ["code"] }, { "required": ["any_of"] }]),
        );
    }
    if let Some(list) = schema
        .pointer_mut("/$defs/ExpectationEntry/properties/any_of")
        .and_then(Value::as_object_mut)
    {
        list.insert("minItems".into(), json!(2));
        list.insert("uniqueItems".into(), json!(true));
    }
    set(schema, "/$defs/Binding", binding_schema());
    set(
        schema,
        "/$defs/Step/properties/call",
        json!({ "type": "string", "enum": functions }),
    );
    if let Some(any_of) = schema
        .pointer_mut("/$defs/Provenance/anyOf")
        .and_then(Value::as_array_mut)
    {
        if let Some(per_version) = any_of.get_mut(1) {
            *per_version = version_keyed(json!({ "$ref": "#/$defs/ProvenanceName" }));
        }
    }
    if let Some(any_of) = schema
        .pointer_mut("/$defs/Expectation/anyOf")
        .and_then(Value::as_array_mut)
    {
        if let Some(per_version) = any_of.get_mut(2) {
            *per_version = version_keyed(json!({ "$ref": "#/$defs/ExpectationForVersion" }));
        }
    }
    if let Some(props) = schema
        .pointer_mut("/$defs/Step/properties")
        .and_then(Value::as_object_mut)
    {
        for (name, s) in argument_properties() {
            props.entry(name).or_insert(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/scenario.schema.json` and `docs/fixture.schema.json` are what editors read
    /// (`.taplo.toml`): they must be the generated schemas. `JETCONFORM_BLESS=1` rewrites them.
    #[test]
    fn committed_schema_is_current() {
        committed("docs/scenario.schema.json", json_schema());
        committed("docs/fixture.schema.json", fixture_schema());
    }

    fn committed(file: &str, schema: Value) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let fresh = serde_json::to_string_pretty(&schema).expect("a JSON value serializes") + "\n";
        if std::env::var_os("JETCONFORM_BLESS").is_some() {
            std::fs::write(&path, &fresh).expect("docs/ is writable");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is stale: run `JETCONFORM_BLESS=1 cargo test -p jetconform --lib scenario::schema` and commit it",
            path.display()
        );
    }

    /// Names in the schemas are the format's words (editors show them), not Rust's.
    #[test]
    fn schema_names_are_the_formats_words() {
        for schema in [json_schema(), fixture_schema()] {
            let defs = schema["$defs"].as_object().expect("definitions");
            assert!(
                defs.contains_key("Step") && defs.contains_key("Expectation"),
                "{defs:?}"
            );
            assert!(
                defs.keys().all(|k| !k.starts_with("Raw")),
                "{:?}",
                defs.keys()
            );
        }
        let f = fixture_schema();
        assert_eq!(f["title"], "jetconform fixture");
        let lparam = f.pointer("/$defs/Step/properties/lParam/anyOf/1/pattern");
        assert_eq!(lparam, Some(&json!("^@[A-Za-z0-9_]+$")));
    }

    #[test]
    fn enrichment_reaches_its_targets() {
        let s = json_schema();
        let calls = s
            .pointer("/$defs/Step/properties/call/enum")
            .and_then(Value::as_array);
        assert!(calls.is_some_and(|c| c.iter().any(|n| n == "JetReadFileInstance")));
        let outcomes = s
            .pointer("/$defs/ResultCode/anyOf/0/enum")
            .and_then(Value::as_array);
        assert!(outcomes.is_some_and(|c| c.iter().any(|n| n == "JET_errNoBackup")));
        assert!(s.pointer("/$defs/Version/pattern").is_some());
        assert!(s.pointer("/$defs/Step/properties/grbit/anyOf").is_some());
        assert!(s.pointer("/$defs/Step/properties/szFileName").is_some());
    }
}
