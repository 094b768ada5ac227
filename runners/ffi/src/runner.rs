//! The `Runner`: `ffi:PATH` (any library exporting ESENT's C ABI) and `esent` (the system's
//! esent.dll). Each execution owns a temporary sandbox (`jetconform_interface::sandbox`: named
//! with this process's pid, in the same folder as the mock's), which becomes the process's
//! current directory (ESENT resolves its default paths, `.\`, against it, spec 10.1) until it ends.
//!
//! ESENT's run mode and instance table are process-global (spec 4.1): one process should run
//! one scenario. `jetconform run` therefore puts this runner behind the process runner with
//! a fresh process per scenario (src/runners.rs); `jetconform serve --runner ffi:PATH` is the
//! in-process form that it starts.

use crate::caller::Caller;
use crate::exports::Exports;
use crate::machine;
use jetconform_interface::{
    Call, EngineBuild, Execution, MachineInfo, Observation, Runner, RunnerError, RunnerInfo,
    ScenarioStart, VersionSet,
};
use std::sync::{Arc, Mutex};

/// The environment variable through which a library that emulates several releases (the mock
/// library) learns the one to behave as; libraries that are not emulators ignore it.
pub const VERSION_ENV: &str = "JETCONFORM_MOCK_VERSION";

/// The environment variable through which an emulating library learns the engine build to
/// behave as (`ese-oss`, spec 15.8); unset for `esent.dll`.
pub const PROFILE_ENV: &str = "JETCONFORM_MOCK_PROFILE";

pub struct FfiRunner {
    exports: Arc<Exports>,
    info: RunnerInfo,
    /// Where sandboxes are created (`None`: `jetconform_interface::sandbox::folder()`, as
    /// for the mock: `$JETCONFORM_SANDBOX_DIR`, else `/dev/shm`, else the temporary folder).
    base: Option<std::path::PathBuf>,
}

impl FfiRunner {
    /// Builds the runner a spec names: `esent` or `ffi:PATH`.
    pub fn from_spec(spec: &str) -> Result<FfiRunner, String> {
        FfiRunner::from_spec_with(spec, None)
    }

    /// As `from_spec`, for an engine build other than `esent.dll` (`--profile ese-oss`). A
    /// library named `ese.dll` or `libese.so` is taken to be the open-source build without
    /// being told.
    pub fn from_spec_with(spec: &str, build: Option<EngineBuild>) -> Result<FfiRunner, String> {
        if spec == "esent" {
            if let Some(b) = build {
                return Err(format!(
                    "`esent` is the system's esent.dll; profile `{}` needs `ffi:PATH`",
                    b.name()
                ));
            }
            return FfiRunner::system_esent();
        }
        match spec.strip_prefix("ffi:") {
            Some(path) if !path.is_empty() => {
                let mut r = FfiRunner::library(spec, path)?;
                if let Some(b) = build.or_else(|| EngineBuild::from_library_path(path)) {
                    r.info.profile = Some(b.name().to_string());
                    r.info.versions = VersionSet::single(b.judged_as());
                }
                Ok(r)
            }
            _ => Err(format!(
                "`{spec}`: expected `ffi:PATH` (a library exporting ESENT's C ABI) or `esent`"
            )),
        }
    }

    /// `esent`: the system's esent.dll, judged against this machine's Windows version.
    pub fn system_esent() -> Result<FfiRunner, String> {
        if !cfg!(windows) {
            return Err(machine::NOT_WINDOWS.to_string());
        }
        let path = machine::system_esent()
            .ok_or_else(|| "cannot find the Windows system directory".to_string())?;
        let mut r = FfiRunner::library("esent", &path)?;
        if let Some(v) =
            machine::windows_version().and_then(|(a, b, c)| machine::version_of(a, b, c))
        {
            r.info.versions = VersionSet::single(v);
        }
        r.info.machine.description = Some(format!("the system's esent.dll ({path})"));
        Ok(r)
    }

    /// `ffi:PATH`: any library; every version can be asked for (an emulating library is told
    /// which through `VERSION_ENV`).
    pub fn library(name: &str, path: &str) -> Result<FfiRunner, String> {
        let exports = Arc::new(Exports::load(path)?);
        #[cfg(windows)]
        crate::stubs::end_process_at_wine_stubs();
        let windows = machine::windows_version().map(|(a, b, c)| format!("{a}.{b}.{c}"));
        let info = RunnerInfo {
            name: name.to_string(),
            versions: VersionSet::ALL,
            machine: MachineInfo {
                os: std::env::consts::OS.into(),
                windows,
                esent: machine::file_version(path),
                description: Some(format!("library {path}")),
                arch: machine::arch().map(str::to_string),
                esent_sha256: None,
            },
            verbs: crate::verbs::implemented(
                exports.has_verb_extension(),
                exports.traffic.is_some(),
                exports.has_fault_hooks(),
            ),
            fault_hooks: exports.has_fault_hooks(),
            // The library opens what it is given: off Windows no name is a device or a
            // stream; on Windows (esent.dll) `CON` would open the console.
            reserved_names: !cfg!(windows),
            profile: None,
        };
        Ok(FfiRunner {
            exports,
            info,
            base: None,
        })
    }

    /// Sandboxes under `base` instead of the default folder.
    pub fn in_dir(mut self, base: impl Into<std::path::PathBuf>) -> FfiRunner {
        self.base = Some(base.into());
        self
    }

    /// Catalogue names of the functions the library exports.
    pub fn functions(&self) -> Vec<String> {
        self.exports.names()
    }
}

impl Runner for FfiRunner {
    fn info(&self) -> RunnerInfo {
        self.info.clone()
    }

    fn start(&self, start: &ScenarioStart) -> Result<Box<dyn Execution>, RunnerError> {
        let err = |what: &str, e: std::io::Error| RunnerError::Start {
            message: format!("{what}: {e}"),
        };
        let dir = jetconform_interface::sandbox::create("ffi", self.base.as_deref())
            .map_err(|e| err("cannot create the sandbox", e))?;
        let previous = std::env::current_dir().map_err(|e| err("no current directory", e))?;
        std::env::set_current_dir(dir.path()).map_err(|e| err("cannot enter the sandbox", e))?;
        // Read by an emulating library when it creates its engine (its first call).
        std::env::set_var(VERSION_ENV, start.version.id());
        match &self.info.profile {
            Some(p) => std::env::set_var(PROFILE_ENV, p),
            None => std::env::remove_var(PROFILE_ENV),
        }
        let root = dir.path().to_string_lossy().into_owned();
        let caller = Arc::new(Caller {
            exports: Arc::clone(&self.exports),
            root: root.clone(),
            verbs: Mutex::new(Default::default()),
        });
        Ok(Box::new(FfiExecution {
            dir: Some(dir),
            previous,
            root,
            caller,
        }))
    }
}

pub struct FfiExecution {
    dir: Option<tempfile::TempDir>,
    previous: std::path::PathBuf,
    root: String,
    caller: Arc<Caller>,
}

impl Execution for FfiExecution {
    fn sandbox(&self) -> &str {
        &self.root
    }

    fn call(&mut self, call: &Call) -> Result<Observation, RunnerError> {
        Ok(self.caller.call(call))
    }

    fn finish(mut self: Box<Self>) -> Result<(), RunnerError> {
        // Files held by lock_file close first; Windows cannot remove the current directory.
        if let Ok(mut v) = self.caller.verbs.lock() {
            *v = Default::default();
        }
        let _ = std::env::set_current_dir(&self.previous);
        match self.dir.take() {
            // ESENT may still hold files of an instance the scenario never terminated:
            // leaving them behind is not the scenario's failure.
            Some(d) => {
                let _ = d.close();
                Ok(())
            }
            None => Ok(()),
        }
    }
}

impl Drop for FfiExecution {
    fn drop(&mut self) {
        if self.dir.is_some() {
            let _ = std::env::set_current_dir(&self.previous);
        }
    }
}
