//! What a runner reports back for one call.

use crate::errors::ErrorCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Observation {
    pub result: CallResult,
    /// Output parameters by C name (`phfFile`, `pcbActual`, `szz`, `pLogInfo`, ...), for
    /// every non-NULL output pointer the call had.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub outputs: BTreeMap<String, OutValue>,
    /// Set when the spec calls this use undefined (e.g. spec 5.4) and the runner chose a
    /// result: says why, so reports can flag the result as a choice, not a fact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
    /// Remarks from the runner (e.g. the spec section that decided the result).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Writes outside the memory the call was given, seen by the runner (the ffi runner's
    /// guard regions around every output buffer): `wrote 16 byte(s) after the 65536 bytes
    /// pv was given (offsets +65536..+65551)`. The step fails with them, whatever the code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<String>,
}

impl Observation {
    pub fn returned(code: ErrorCode) -> Observation {
        Observation {
            result: CallResult::Returned(code),
            outputs: BTreeMap::new(),
            undefined: None,
            notes: vec![],
            violations: vec![],
        }
    }
    pub fn not_exported() -> Observation {
        Observation {
            result: CallResult::NotExported,
            ..Observation::returned(ErrorCode(0))
        }
    }
    pub fn not_modelled(why: impl Into<String>) -> Observation {
        Observation {
            result: CallResult::NotModelled(why.into()),
            ..Observation::returned(ErrorCode(0))
        }
    }
    pub fn with_output(mut self, name: &str, value: OutValue) -> Observation {
        self.outputs.insert(name.to_string(), value);
        self
    }
    pub fn code(&self) -> Option<ErrorCode> {
        match self.result {
            CallResult::Returned(c) => Some(c),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallResult {
    /// The function returned this JET_ERR.
    Returned(ErrorCode),
    /// The library (or the modelled version) does not export the function.
    NotExported,
    /// The runner does not implement this function or verb yet; never a success.
    NotModelled(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutValue {
    /// The pointer was valid but the call left the value as it was.
    Unwritten,
    /// A handle (`JET_INSTANCE`, `JET_SESID`, `JET_HANDLE`).
    Handle(u64),
    U32(u32),
    I32(i32),
    /// The strings of a multi-string buffer, in order, up to the double NUL or the end of
    /// what was written; `terminated` is false when the written bytes ended mid-list.
    Strings {
        items: Vec<String>,
        terminated: bool,
    },
    /// Bytes written into a data buffer.
    Bytes(u64),
    LogInfo(crate::call::LogInfo),
    /// Every invocation of a status callback, in order.
    Callbacks(Vec<CallbackEvent>),
    /// The observation of a call made from inside a callback.
    Nested(Box<Observation>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallbackEvent {
    pub snp: u32,
    pub snt: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
}
