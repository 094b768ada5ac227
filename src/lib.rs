//! jetconform: a conformance harness for the ESENT external backup and restore API.
//!
//! Layers, top to bottom (a module uses only those below it; no import circle, between files
//! or between sibling folders; no file over 600 lines but the data table `coverage::rows`):
//! `scenario` (load and validate TOML) -> `plan` (scenario x runner x version = trial) ->
//! `session` (runs the trials on workers; one thread hands each finished `results::Trial`
//! to every `output::Sink`) -> `exec` (drive a runner one call at a time) -> `verdict`
//! (pure judgement: codes, checks, repeats, structured failures). Runners live in
//! `runners/`; `runners.rs` parses their specs (`RunnerSpec`).
//!
//! What reads a run's trials: the sinks in `output` (terminal, JSON, JUnit, GitHub, the
//! results file), `baseline` (known divergences), `diff` (between versions or runners),
//! `report` (the committed `reports/`), `record` (observed results back into the scenario
//! files, with `toml_edit`). They return values and typed errors; only `cli` and the sinks
//! it gives a writer print, and only `cli` chooses exit codes.

pub mod atomic;
pub mod baseline;
pub mod cli;
pub mod coverage;
pub mod diff;
pub mod exec;
pub mod explore;
pub mod interrupt;
pub mod output;
pub mod partition;
pub mod plan;
pub mod profile;
pub mod record;
pub mod report;
pub mod results;
pub mod runners;
pub mod sandbox;
pub mod scenario;
pub mod session;
pub mod verdict;
