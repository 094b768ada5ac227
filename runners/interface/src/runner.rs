//! The Runner trait: one call in, one observation out.
//!
//! A `Runner` is a factory that lives for the whole run; `start` gives an `Execution` for one
//! scenario on one Windows version, with its own sandbox directory and its own engine state
//! (ESENT's run mode is process-global, spec 4.1, so a real engine needs a fresh process per
//! execution).

use crate::call::Call;
use crate::observation::Observation;
use crate::version::{VersionSet, WinVersion};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RunnerInfo {
    /// As given on the command line (`mock`, `ffi:PATH`, `process:...`).
    pub name: String,
    /// Versions this runner can run: all for a model, the machine's own for a real engine.
    #[schemars(with = "Vec<WinVersion>")]
    #[serde(with = "version_set_serde")]
    pub versions: VersionSet,
    /// The machine it runs on or models.
    pub machine: MachineInfo,
    /// Harness verbs it implements (by name); scenarios using others are skipped with a reason.
    pub verbs: Vec<String>,
    /// Whether it implements the `fault` verb's hooks (only models do).
    pub fault_hooks: bool,
    /// Whether a sandbox path that Windows reserves (a device name such as `CON` or
    /// `COM1.log`, stream syntax such as `db.edb:evil`, a trailing dot or space) stays a
    /// plain file name inside its sandbox. Scenarios that pass such names on purpose
    /// (`deliberate = true`) are skipped, with the reason, on runners that do not say so:
    /// on Windows the name would reach the device or another file. Absent means `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reserved_names: bool,
    /// The engine build it runs when that is not `esent.dll` (`ese-oss`, spec 15.8): the
    /// harness then judges with that build's expectations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MachineInfo {
    /// `linux`, `windows`, ...
    pub os: String,
    /// Windows version string of the machine, when real (e.g. `10.0.22631`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows: Option<String>,
    /// `esent.dll` file version, when real.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esent: Option<String>,
    /// Free text (host name, model name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The architecture of the process that calls `esent.dll`: `x86` or `x64` (a 32-bit
    /// runner on 64-bit Windows loads the 32-bit `esent.dll` of `SysWOW64`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// SHA-256 of the `esent.dll` loaded, in lowercase hex, when real: the file version alone
    /// does not tell two builds of a hotfix apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esent_sha256: Option<String>,
}

/// What the harness tells a runner when a scenario starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScenarioStart {
    /// Scenario id (`end-external-backup/abort`).
    pub scenario: String,
    /// The version to behave as (a model) or that the trial is judged against (a real engine).
    pub version: WinVersion,
}

/// Ways a runner can fail other than by returning a JET_ERR.
#[derive(
    Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RunnerError {
    #[error("runner could not start: {message}")]
    Start { message: String },
    #[error("runner crashed{}: {detail}", during.as_ref().map(|c| format!(" during {c}")).unwrap_or_default())]
    Crashed {
        detail: String,
        during: Option<String>,
    },
    #[error("runner did not answer within {seconds} s{}", during.as_ref().map(|c| format!(" during {c}")).unwrap_or_default())]
    Timeout {
        seconds: f64,
        during: Option<String>,
    },
    #[error("runner protocol error: {message}")]
    Protocol { message: String },
    #[error("runner error: {message}")]
    Other { message: String },
}

pub trait Runner: Send + Sync {
    fn info(&self) -> RunnerInfo;
    fn start(&self, start: &ScenarioStart) -> Result<Box<dyn Execution>, RunnerError>;
}

pub trait Execution: Send {
    /// The sandbox root in the runner's own world; returned paths are made relative to it.
    fn sandbox(&self) -> &str;
    fn call(&mut self, call: &Call) -> Result<Observation, RunnerError>;
    /// Tears the sandbox down.
    fn finish(self: Box<Self>) -> Result<(), RunnerError>;
}

mod version_set_serde {
    use super::*;
    use serde::{Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &VersionSet, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<VersionSet, D::Error> {
        Ok(Vec::<WinVersion>::deserialize(d)?.into_iter().collect())
    }
}
