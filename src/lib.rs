//! jetconform: a conformance harness for the ESENT external backup and restore API.
//!
//! Layers, top to bottom: `scenario` (load and validate TOML), `plan` (scenario x runner x
//! version = trial), `exec` (drive a runner one call at a time), `verdict` (pure judgement),
//! `output` (terminal, JSON, JUnit, GitHub annotations). Runners live in `runners/`.
//!
//! Sinks of a run's results, each independent of the others: `results` (the versioned results
//! file every other sink can also read), `baseline` (known divergences), `diff` (between
//! versions or runners), `report` (the committed `reports/`), `record` (observed results back
//! into the scenario files, with `toml_edit`).

pub mod baseline;
pub mod cli;
pub mod commands;
pub mod coverage;
pub mod diff;
pub mod exec;
pub mod output;
pub mod partition;
pub mod plan;
pub mod profile;
pub mod record;
pub mod report;
pub mod results;
pub mod run;
pub mod runners;
pub mod sandbox;
pub mod scenario;
pub mod verdict;
