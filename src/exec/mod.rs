//! Execution: trials of scenario x runner x version, driven one call at a time.

mod args;
mod bindings;
mod checks;
pub mod display;
pub mod paths;
mod trial;

pub use trial::{not_run, run_trial, trial_name};
