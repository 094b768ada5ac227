//! Execution: trials of scenario x runner x version, driven one call at a time.

mod args;
mod bindings;
pub mod display;
mod trial;

pub use trial::{not_run, run_trial, trial_name};
