//! A call as a runner receives it: the function and one typed argument per C parameter, in
//! the catalogue's order. No raw pointers: buffers by size and alignment, paths relative to
//! the scenario's sandbox, deliberately bad values as values.

use crate::functions::Function;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Call {
    pub function: Function,
    /// One per parameter of `function.info().params`, same order.
    pub args: Vec<Arg>,
}

impl Call {
    /// One argument per parameter of the function, as every runner requires before it looks
    /// at them; the error is the text runners report the call as not modelled with. (A
    /// runner reads them through [`crate::args::Args`], which makes this check.)
    pub fn check_arity(&self) -> Result<(), String> {
        crate::args::Args::of(self)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// One argument. The variant must fit the parameter's `ParamType`:
///
/// | ParamType | Arg |
/// |---|---|
/// | Instance, Sesid, TableId, FileHandle, ApiPtr | `Handle` |
/// | Dbid, ULong, Grbit, ParamId | `U32` |
/// | ColumnDef | `U32` (the `JET_coltyp`) |
/// | Long | `I32` |
/// | U64 | `U64` |
/// | Str | `Str` |
/// | InstanceOut, SesidOut, TableIdOut, DbidOut, FileHandleOut, OutULong, OutLong | `Out` |
/// | InstanceInOut | `InOut` |
/// | OutBuffer | `Buffer` |
/// | LogInfo | `LogInfo` |
/// | RstMap | `RstMap` |
/// | SetSysParams | `SetSysParams` |
/// | RstInfo | `RstInfo` |
/// | Callback | `Callback` |
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Arg {
    /// A pointer-sized handle value (`JET_instanceNil` is `u64::MAX`; x86 runners truncate).
    Handle(u64),
    U32(u32),
    I32(i32),
    U64(u64),
    /// An input string; `None` is NULL.
    Str(Option<Text>),
    /// An output pointer: `true` a valid pointer, `false` NULL.
    Out(bool),
    /// An in/out `JET_INSTANCE*`: `None` is NULL, `Some(v)` points at `v`.
    InOut(Option<u64>),
    /// An output buffer; `None` is NULL.
    Buffer(Option<Buffer>),
    LogInfo(Option<LogInfo>),
    RstMap(Option<Vec<RstMapEntry>>),
    SetSysParams(Option<Vec<SysParamEntry>>),
    RstInfo(Option<RstInfo>),
    /// A `JET_PFNSTATUS`; `None` is NULL.
    Callback(Option<Callback>),
}

/// Text handed to the engine, encoded A or W by the function's charset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Text {
    /// Passed as written.
    Plain(String),
    /// Relative to the scenario's sandbox, `/`-separated, never `..` nor absolute: the runner
    /// makes it absolute in its own world. `.` is the sandbox itself (an empty
    /// name is `Plain("")`).
    Path {
        path: String,
        /// Pad the final component so the absolute path has exactly this many characters
        /// (to provoke path-length limits); `None` leaves it as is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pad_to: Option<u32>,
        /// Append the platform separator (folders that the engine wants with a trailing `\`).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        trailing_separator: bool,
    },
    /// A string the runner itself produced earlier (an item of a listed szz), echoed back.
    Raw(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Buffer {
    /// Bytes allocated.
    pub size: u32,
    /// Offset of the pointer passed from a 4096-aligned allocation (0: page-aligned).
    #[serde(default)]
    pub offset: u32,
    /// Append the bytes the call delivered (per pcbActual) to this sandbox file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_to: Option<String>,
}

/// `JET_LOGINFO_A/W` as passed in (cbSize may be deliberately wrong).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LogInfo {
    #[serde(rename = "cbSize")]
    pub cb_size: u32,
    #[serde(rename = "ulGenLow", default)]
    pub gen_low: u32,
    #[serde(rename = "ulGenHigh", default)]
    pub gen_high: u32,
    /// Up to 3 characters.
    #[serde(rename = "szBaseName", default)]
    pub base_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RstMapEntry {
    #[serde(rename = "szDatabaseName")]
    pub database_name: Option<Text>,
    #[serde(rename = "szNewDatabaseName")]
    pub new_database_name: Option<Text>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SysParamEntry {
    pub paramid: u32,
    #[serde(rename = "lParam", default)]
    pub lparam: u64,
    #[serde(rename = "sz", default)]
    pub sz: Option<Text>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RstInfo {
    #[serde(rename = "cbStruct")]
    pub cb_struct: u32,
    #[serde(rename = "rgrstmap", default)]
    pub rstmap: Vec<RstMapEntry>,
    #[serde(rename = "pfnStatus", default)]
    pub callback: Option<Callback>,
}

/// A status callback. The runner records every invocation; if `nested` is given it makes
/// that call from inside the first invocation and reports its observation.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Callback {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nested: Option<Box<Call>>,
}
