//! The `Runner` / `Execution` implementation: a fresh sandbox and a fresh engine per trial.

use crate::engine::Engine;
use jetconform_interface::{
    Call, EngineBuild, Execution, MachineInfo, Observation, Runner, RunnerError, RunnerInfo,
    ScenarioStart, VersionSet,
};

/// The mock runner: models every version.
#[derive(Debug, Default)]
pub struct MockRunner {
    /// Where sandboxes are created (`None`: `jetconform_interface::sandbox::folder()`:
    /// `$JETCONFORM_SANDBOX_DIR`, else `/dev/shm`, else the temporary folder).
    base: Option<std::path::PathBuf>,
    /// Models this engine build instead of `esent.dll` (spec 15.8).
    build: Option<EngineBuild>,
}

impl MockRunner {
    pub fn new() -> MockRunner {
        MockRunner::default()
    }

    /// Models another engine build (`--profile ese-oss`), judged as the release it follows.
    pub fn with_build(mut self, build: Option<EngineBuild>) -> MockRunner {
        self.build = build;
        self
    }

    /// Sandboxes under `base` instead of the default folder. Trials are dominated by file
    /// creation and removal: a memory-backed folder makes them several times faster than a
    /// journaling disk file system.
    pub fn in_dir(base: impl Into<std::path::PathBuf>) -> MockRunner {
        MockRunner {
            base: Some(base.into()),
            build: None,
        }
    }
}

impl Runner for MockRunner {
    fn info(&self) -> RunnerInfo {
        RunnerInfo {
            name: "mock".into(),
            versions: match self.build {
                Some(b) => VersionSet::single(b.judged_as()),
                None => VersionSet::ALL,
            },
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
            // Files are the host's: off Windows, `CON` or `db.edb:evil` is a plain name in
            // the sandbox; on Windows std::fs would hand it to Win32 as it is.
            reserved_names: !cfg!(windows),
            profile: self.build.map(|b| b.name().to_string()),
        }
    }

    fn start(&self, start: &ScenarioStart) -> Result<Box<dyn Execution>, RunnerError> {
        let dir =
            jetconform_interface::sandbox::create("mock", self.base.as_deref()).map_err(|e| {
                RunnerError::Start {
                    message: format!("cannot create the sandbox: {e}"),
                }
            })?;
        let sandbox = dir.path().to_string_lossy().into_owned();
        let engine = match self.build {
            Some(b) => Engine::with_profile(crate::profile::Profile::for_build(b), dir.path()),
            None => Engine::new(start.version, dir.path()),
        };
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
