//! Execution: trials of scenario x runner x version, driven one call at a time.

mod args;
mod bindings;
mod checks;
pub mod display;
pub mod paths;
pub mod record;
mod trial;

pub use record::{StepRecord, TrialResult};
pub use trial::{not_run, run_trial, trial_name};
