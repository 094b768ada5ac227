//! The vocabulary every jetconform runner and the harness share (see the crate description).
//! It holds no harness logic: a third party can implement a runner by depending on it alone.
//!
//! Section numbers (`spec 6.3`) refer to the ESENT backup API specification the project
//! follows.

pub mod build;
pub mod call;
pub mod errors;
pub mod functions;
pub mod grbits;
pub mod marshal;
pub mod observation;
pub mod protocol;
pub mod provenance;
pub mod runner;
pub mod sysparams;
pub mod version;

pub use build::EngineBuild;
pub use call::{Arg, Buffer, Call, Callback, LogInfo, RstInfo, RstMapEntry, SysParamEntry, Text};
pub use errors::ErrorCode;
pub use functions::{Function, FunctionInfo, Op, ParamType};
pub use observation::{CallResult, CallbackEvent, Observation, OutValue};
pub use provenance::Provenance;
pub use runner::{Execution, MachineInfo, Runner, RunnerError, RunnerInfo, ScenarioStart};
pub use version::{VersionSet, WinVersion};

/// `JET_instanceNil` (spec 1.1).
pub const INSTANCE_NIL: u64 = u64::MAX;
/// `JET_sesidNil` (spec 1.1).
pub const SESID_NIL: u64 = u64::MAX;
