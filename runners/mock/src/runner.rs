//! The `Runner` / `Execution` implementation: a fresh sandbox and a fresh engine per trial.

use crate::engine::Engine;
use jetconform_interface::{
    Call, Execution, MachineInfo, Observation, Runner, RunnerError, RunnerInfo, ScenarioStart,
    VersionSet,
};

/// The mock runner: models every version.
#[derive(Debug, Default)]
pub struct MockRunner {
    /// Where sandboxes are created (`None`: the system's temporary directory).
    base: Option<std::path::PathBuf>,
}

impl MockRunner {
    pub fn new() -> MockRunner {
        MockRunner { base: None }
    }

    /// Sandboxes under `base` instead of the system's temporary directory. Trials are
    /// dominated by file creation and removal: a memory-backed folder makes them several
    /// times faster than a journaling disk file system.
    pub fn in_dir(base: impl Into<std::path::PathBuf>) -> MockRunner {
        MockRunner {
            base: Some(base.into()),
        }
    }

    /// The knobs the mock uses for `version` (for reports).
    pub fn profile(version: jetconform_interface::WinVersion) -> crate::profile::Profile {
        crate::profile::Profile::for_version(version)
    }
}

impl Runner for MockRunner {
    fn info(&self) -> RunnerInfo {
        RunnerInfo {
            name: "mock".into(),
            versions: VersionSet::ALL,
            machine: MachineInfo {
                os: std::env::consts::OS.into(),
                windows: None,
                esent: None,
                description: Some("model of esent.dll".into()),
                ..Default::default()
            },
            verbs: crate::dispatch::VERBS
                .iter()
                .map(|v| v.to_string())
                .collect(),
            fault_hooks: true,
        }
    }

    fn start(&self, start: &ScenarioStart) -> Result<Box<dyn Execution>, RunnerError> {
        let mut b = tempfile::Builder::new();
        b.prefix("jetconform-mock-");
        let dir = match &self.base {
            Some(base) => b.tempdir_in(base),
            None => b.tempdir(),
        }
        .map_err(|e| RunnerError::Start {
            message: format!("cannot create the sandbox: {e}"),
        })?;
        let sandbox = dir.path().to_string_lossy().into_owned();
        let engine = Engine::new(start.version, dir.path());
        Ok(Box::new(MockExecution {
            dir: Some(dir),
            sandbox,
            engine,
        }))
    }
}

/// One trial: owns its sandbox (removed by `finish`, or on drop) and its engine.
#[derive(Debug)]
pub struct MockExecution {
    dir: Option<tempfile::TempDir>,
    sandbox: String,
    engine: Engine,
}

impl MockExecution {
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}

impl Execution for MockExecution {
    fn sandbox(&self) -> &str {
        &self.sandbox
    }

    fn call(&mut self, call: &Call) -> Result<Observation, RunnerError> {
        Ok(self.engine.dispatch(call))
    }

    fn finish(mut self: Box<Self>) -> Result<(), RunnerError> {
        match self.dir.take() {
            Some(d) => d.close().map_err(|e| RunnerError::Other {
                message: format!("cannot remove the sandbox: {e}"),
            }),
            None => Ok(()),
        }
    }
}
