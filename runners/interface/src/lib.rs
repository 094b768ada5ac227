//! The vocabulary every jetconform runner and the harness share (see the crate description).
//! It holds no harness logic: a third party can implement a runner by depending on it alone.
//!
//! Section numbers (`spec 6.3`) refer to the ESENT backup API specification the project
//! follows.
//!
//! # Writing a runner
//!
//! A runner answers one call at a time. Depend on this crate alone and implement two traits:
//!
//! * [`Runner`] lives for the whole run. [`Runner::info`] says what it is: its name, the
//!   Windows versions it can be judged as (all of them for a model, the machine's own for a
//!   real engine), the harness verbs it implements (scenarios using others are skipped with
//!   the reason) and whether it has the mock's fault hooks. [`Runner::start`] gives an
//!   [`Execution`] for one scenario on one version.
//! * [`Execution`] owns one scenario's engine state and sandbox folder. [`Execution::call`]
//!   gets a typed [`Call`]: the [`Function`] and one [`Arg`] per parameter of
//!   `call.function.info().params`, in that order (handles, sizes, buffers, sandbox-relative
//!   paths and deliberately bad values are already values; no raw pointer reaches a runner).
//!   Read them through [`Args`]: [`Args::enter_call`] is the prologue every runner shares
//!   (not exported, then the wrong number of arguments, each answered as the harness
//!   expects), and `args.u32("cbMax")`, `args.instance("instance")`, `args.text("szFileName")`
//!   read a parameter by its C name, refusing a name the function does not have, an accessor
//!   that does not fit the parameter's type, and an argument of the wrong form ([`ArgError`]).
//!   It answers an [`Observation`]: [`Observation::returned`] with the `JET_ERR`, plus
//!   [`Observation::with_output`] for each output written; [`Observation::not_exported`]
//!   when the library lacks the function (spec 11.1); [`Observation::not_modelled`] for what
//!   the runner cannot do, which the harness reports as an error, never as a pass.
//!   [`RunnerError`] is for the runner itself failing (crashed, timed out, protocol).
//!
//! Engine state belongs to the `Execution`, never to a static: the harness runs many
//! scenarios in parallel in one process. An engine with process-global state (ESENT's run
//! mode, spec 4.1) is served from another process instead, one per scenario, over the
//! JSON-lines protocol of [`protocol`] (`docs/protocol.md`), which any program can speak.
//!
//! ```
//! use jetconform_interface::*;
//!
//! struct Stub;
//! struct StubExecution;
//!
//! impl Runner for Stub {
//!     fn info(&self) -> RunnerInfo {
//!         RunnerInfo {
//!             name: "stub".into(),
//!             versions: VersionSet::ALL,
//!             machine: MachineInfo::default(),
//!             verbs: vec![],
//!             fault_hooks: false,
//!             reserved_names: false,
//!             profile: None,
//!         }
//!     }
//!     fn start(&self, _: &ScenarioStart) -> Result<Box<dyn Execution>, RunnerError> {
//!         Ok(Box::new(StubExecution))
//!     }
//! }
//!
//! impl Execution for StubExecution {
//!     fn sandbox(&self) -> &str {
//!         "/tmp/stub-sandbox"
//!     }
//!     fn call(&mut self, call: &Call) -> Result<Observation, RunnerError> {
//!         // The stub "exports" one function; the others are not_exported.
//!         let exported = call.function == Function::JetBeginExternalBackup;
//!         let args = match Args::enter_call(call, exported) {
//!             Ok(args) => args,
//!             Err(refused) => return Ok(refused),
//!         };
//!         Ok(match args.u32("grbit") {
//!             // The legacy Begin in a fresh process: the run mode is not set (spec 4.2).
//!             Ok(_) => Observation::returned(ErrorCode(-1003)),
//!             Err(e) => Observation::not_modelled(e.to_string()),
//!         })
//!     }
//!     fn finish(self: Box<Self>) -> Result<(), RunnerError> {
//!         Ok(())
//!     }
//! }
//!
//! let mut exec = Stub
//!     .start(&ScenarioStart { scenario: "x".into(), version: WinVersion::Win10 })
//!     .unwrap();
//! let call = Call { function: Function::JetBeginExternalBackup, args: vec![Arg::U32(0)] };
//! assert_eq!(exec.call(&call).unwrap().code(), Some(ErrorCode(-1003)));
//! let other = Call { function: Function::JetTruncateLog, args: vec![] };
//! assert_eq!(exec.call(&other).unwrap(), Observation::not_exported());
//! ```
//!
//! To make the harness build it, jetconform's `src/runners.rs` gets a `RunnerSpec` variant;
//! every question the harness asks of a runner kind is an exhaustive `match` there, so the
//! compiler lists each one the new variant must answer.

pub mod args;
pub mod build;
pub mod call;
pub mod confine;
pub mod errors;
pub mod functions;
pub mod grbits;
pub mod marshal;
pub mod observation;
pub mod protocol;
pub mod provenance;
pub mod runner;
pub mod sandbox;
pub mod sysparams;
pub mod version;

pub use args::{ArgError, Args, Params};
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
