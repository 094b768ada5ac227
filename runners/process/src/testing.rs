//! A runner that does nothing, for testing the protocol rather than an engine: every call
//! returns `JET_errSuccess` and writes a fresh handle into each valid output pointer. With
//! `faults` it is what `jetconform-test-runner` serves.

use jetconform_interface::{
    Arg, Call, ErrorCode, Execution, MachineInfo, Observation, OutValue, Runner, RunnerError,
    RunnerInfo, ScenarioStart, VersionSet,
};

pub struct TrivialRunner;

impl Runner for TrivialRunner {
    fn info(&self) -> RunnerInfo {
        RunnerInfo {
            name: "trivial".into(),
            versions: VersionSet::ALL,
            machine: MachineInfo {
                os: std::env::consts::OS.into(),
                windows: None,
                esent: None,
                description: Some("answers JET_errSuccess to every call".into()),
                ..Default::default()
            },
            verbs: vec![],
            fault_hooks: false,
            reserved_names: false,
            profile: None,
        }
    }

    fn start(&self, start: &ScenarioStart) -> Result<Box<dyn Execution>, RunnerError> {
        // Never created: this runner touches no files.
        let sandbox = format!("/sandbox/{}/{}", start.scenario, start.version);
        Ok(Box::new(TrivialExecution {
            sandbox,
            next_handle: 0x10000,
        }))
    }
}

struct TrivialExecution {
    sandbox: String,
    next_handle: u64,
}

impl Execution for TrivialExecution {
    fn sandbox(&self) -> &str {
        &self.sandbox
    }

    fn call(&mut self, call: &Call) -> Result<Observation, RunnerError> {
        let mut obs = Observation::returned(ErrorCode::JET_errSuccess);
        for (param, arg) in call.function.info().params.iter().zip(&call.args) {
            if matches!(arg, Arg::Out(true)) {
                obs = obs.with_output(param.name, OutValue::Handle(self.next_handle));
                self.next_handle += 1;
            }
        }
        Ok(obs)
    }

    fn finish(self: Box<Self>) -> Result<(), RunnerError> {
        Ok(())
    }
}
