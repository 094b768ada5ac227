//! Execution: trials of scenario x runner x version, driven one call at a time.

mod args;
mod bindings;
pub mod caps;
pub mod display;
mod trial;

pub use caps::Limits;
pub use trial::{not_run, run_trial, run_trial_with, trial_name, StepDetail};
