//! Runner specs on the command line (`mock`, `esent`, `ffi:PATH`, `process:COMMAND`,
//! `tcp:HOST:PORT`), parsed
//! once into a `RunnerSpec`, and the runners they build. Everything the harness asks of a
//! runner kind is a method of `RunnerSpec`, so a new kind is one variant and the compiler
//! lists every question it must answer.

use jetconform_interface::{EngineBuild, Runner, RunnerInfo, WinVersion};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// A runner ready for a run: its spec as the user wrote it, and what it says of itself.
pub struct RunnerEntry {
    pub name: String,
    pub runner: Arc<dyn Runner>,
    pub info: RunnerInfo,
}

/// A runner as the user named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunnerSpec {
    /// `mock`: the model of ESENT, every version, in this process.
    Mock,
    /// `mock@VERSION`: the model of one version only, so that two versions of the model are
    /// two engines of one run (`explore --runner mock@xp --runner mock@win10`).
    MockAt(WinVersion),
    /// `esent`: the system's esent.dll (Windows).
    Esent,
    /// `ffi:PATH`: any library exporting ESENT's C ABI.
    Ffi(String),
    /// `process:COMMAND ARGS`: a runner in another process (docs/protocol.md).
    Process(String),
    /// `tcp:HOST:PORT`: an agent's TCP service (`agent.exe --listen`, `jetconform serve
    /// --listen`), a connection (a fresh runner process) per scenario.
    Tcp(String),
}

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("unknown runner `{spec}`{}", suggestion(.spec))]
    Unknown { spec: String },
    /// An out-of-process runner that could not be started or did not say hello properly.
    #[error("cannot start {spec}: {}", start_reason(.error))]
    Start {
        spec: String,
        error: jetconform_interface::RunnerError,
    },
    /// An `ffi:PATH` library that cannot be loaded, with the loader's reason.
    #[error("cannot load {spec}: {why}")]
    Load { spec: String, why: String },
    /// A runner that cannot run here (`esent` off Windows) or whose library cannot be loaded.
    #[error("runner `{spec}`: {why}")]
    Unavailable { spec: String, why: String },
}

/// Why a runner did not start, without repeating that it did not.
fn start_reason(e: &jetconform_interface::RunnerError) -> String {
    match e {
        jetconform_interface::RunnerError::Start { message } => message.clone(),
        other => other.to_string(),
    }
}

/// An I/O error as a person reads it: `No such file or directory`, without `(os error 2)`.
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The loader's reason in the `cannot load `PATH`: PATH: REASON` line a served library
/// prints when it cannot be loaded (the served process then exits before its hello).
fn load_reason(error: &jetconform_interface::RunnerError, path: &str) -> Option<String> {
    let text = error.to_string();
    let marker = format!("cannot load `{path}`: ");
    let rest = &text[text.find(&marker)? + marker.len()..];
    let line = rest.lines().next().unwrap_or_default().trim();
    let line = line.strip_prefix(&format!("{path}: ")).unwrap_or(line);
    Some(line.to_string())
}

/// Stands for a runner that could not start, so that the run goes on with the others: each
/// of its trials is an error with the reason.
struct NotStarted {
    info: RunnerInfo,
    why: String,
}

impl Runner for NotStarted {
    fn info(&self) -> RunnerInfo {
        self.info.clone()
    }
    fn start(
        &self,
        _: &jetconform_interface::ScenarioStart,
    ) -> Result<Box<dyn jetconform_interface::Execution>, jetconform_interface::RunnerError> {
        Err(jetconform_interface::RunnerError::Start {
            message: self.why.clone(),
        })
    }
}

/// The entry of a runner that could not start (`why`, the error as printed): planned like
/// any runner (every version, every verb), its every trial an error.
pub fn not_started(spec: &RunnerSpec, why: String) -> RunnerEntry {
    let info = RunnerInfo {
        name: spec.name(),
        versions: jetconform_interface::VersionSet::ALL,
        machine: Default::default(),
        verbs: jetconform_mock::dispatch::VERBS
            .iter()
            .map(|v| v.to_string())
            .collect(),
        fault_hooks: true,
        reserved_names: true,
        profile: None,
    };
    RunnerEntry {
        name: spec.name(),
        runner: Arc::new(NotStarted {
            info: info.clone(),
            why,
        }),
        info,
    }
}

/// Settings of the runners that use them: `process:` runners' isolation and call timeout.
pub type Settings = jetconform_process::Options;

/// `--help` of `--runner`: every form with a sentence.
pub const FORMS_HELP: &str = "\
Runner to use; repeat for several (default: mock). Forms:
  mock             the model of ESENT in this program, every Windows version
  mock@VERSION     the model of one version only (mock@xp): two versions of
                   the model are two runners of one run
  esent            the system's esent.dll (Windows), a process per scenario
  ffi:PATH         any library exporting ESENT's C ABI (ffi:./libesent.so),
                   a process per scenario
  process:COMMAND  any program speaking the process protocol on stdin/stdout
                   (docs/protocol.md), e.g. process:agent-x64.exe; trials are
                   named after the program (agent-x64.exe), not the command
  tcp:HOST:PORT    an agent listening on TCP (agent.exe --listen, jetconform
                   serve --listen), with the token JETCONFORM_RUNNER_TOKEN";

/// The forms of a spec, for help and suggestions.
const FORMS: [&str; 6] = [
    "mock",
    "mock@VERSION",
    "esent",
    "ffi:PATH",
    "process:COMMAND",
    "tcp:HOST:PORT",
];

fn suggestion(spec: &str) -> String {
    match FORMS.iter().find(|k| strsim::levenshtein(k, spec) <= 2) {
        Some(k) => format!("; did you mean `{k}`?"),
        None => format!("; known runners: {}", FORMS.join(", ")),
    }
}

impl FromStr for RunnerSpec {
    type Err = SpecError;
    fn from_str(spec: &str) -> Result<RunnerSpec, SpecError> {
        if spec == "mock" {
            Ok(RunnerSpec::Mock)
        } else if let Some(v) = spec.strip_prefix("mock@") {
            WinVersion::parse(v)
                .map(RunnerSpec::MockAt)
                .ok_or_else(|| SpecError::Unknown {
                    spec: spec.to_string(),
                })
        } else if spec == "esent" {
            Ok(RunnerSpec::Esent)
        } else if let Some(path) = spec.strip_prefix("ffi:") {
            Ok(RunnerSpec::Ffi(path.to_string()))
        } else if let Some(command) = spec.strip_prefix("process:") {
            Ok(RunnerSpec::Process(command.to_string()))
        } else if let Some(address) = spec.strip_prefix("tcp:") {
            Ok(RunnerSpec::Tcp(address.to_string()))
        } else {
            Err(SpecError::Unknown {
                spec: spec.to_string(),
            })
        }
    }
}

/// The spec as the user wrote it: the runner's name in trial names and results.
impl fmt::Display for RunnerSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunnerSpec::Mock => f.write_str("mock"),
            RunnerSpec::MockAt(v) => write!(f, "mock@{v}"),
            RunnerSpec::Esent => f.write_str("esent"),
            RunnerSpec::Ffi(path) => write!(f, "ffi:{path}"),
            RunnerSpec::Process(command) => write!(f, "process:{command}"),
            RunnerSpec::Tcp(address) => write!(f, "tcp:{address}"),
        }
    }
}

impl RunnerSpec {
    /// For clap's `value_parser`: the error names the spec and suggests the nearest form.
    pub fn parse_arg(text: &str) -> Result<RunnerSpec, String> {
        text.parse().map_err(|e: SpecError| e.to_string())
    }

    /// Whether the runner keeps state across scenarios in its process, for the hello of
    /// `jetconform serve`. The mock gives every execution its own engine.
    pub fn keeps_process_state(&self) -> bool {
        match self {
            RunnerSpec::Mock | RunnerSpec::MockAt(_) => false,
            RunnerSpec::Esent
            | RunnerSpec::Ffi(_)
            | RunnerSpec::Process(_)
            | RunnerSpec::Tcp(_) => true,
        }
    }

    /// With `--version` given, whether the runner is judged against the versions asked
    /// for rather than only those it says it can run: the real engine is one version (this
    /// machine's Windows), judged against others on request.
    pub fn judged_on_any_version(&self) -> bool {
        match self {
            RunnerSpec::Esent => true,
            RunnerSpec::Mock
            | RunnerSpec::MockAt(_)
            | RunnerSpec::Ffi(_)
            | RunnerSpec::Process(_)
            | RunnerSpec::Tcp(_) => false,
        }
    }

    /// A library loaded into the process: ESENT's state is process-global (spec 4.1), so
    /// `run` gets it through the process runner, a fresh `jetconform serve` per scenario (a
    /// crash in the library then costs one trial).
    fn is_library(&self) -> bool {
        match self {
            RunnerSpec::Esent | RunnerSpec::Ffi(_) => true,
            RunnerSpec::Mock
            | RunnerSpec::MockAt(_)
            | RunnerSpec::Process(_)
            | RunnerSpec::Tcp(_) => false,
        }
    }

    /// Whether `--profile` (an engine build other than esent.dll, spec 15.8) applies: the
    /// mock models the build and an `ffi:` library is told it is one; a `process:` runner
    /// says its build in its hello, and `esent` is the system's esent.dll.
    fn takes_profile(&self) -> bool {
        match self {
            RunnerSpec::Mock | RunnerSpec::MockAt(_) | RunnerSpec::Ffi(_) => true,
            RunnerSpec::Esent | RunnerSpec::Process(_) | RunnerSpec::Tcp(_) => false,
        }
    }

    /// The runner of a run, for the engine build `profile` (`--profile`) when given.
    pub fn build(
        &self,
        settings: &Settings,
        profile: Option<EngineBuild>,
    ) -> Result<RunnerEntry, SpecError> {
        if let (Some(b), false) = (profile, self.takes_profile()) {
            return Err(self.unavailable(format!(
                "profile `{}` applies to `mock` and `ffi:PATH`; a `process:` runner names its \
                 engine build itself, and `esent` is the system's esent.dll",
                b.name()
            )));
        }
        crate::sandbox::remove_stale_once();
        let runner: Arc<dyn Runner> = match self {
            RunnerSpec::Mock => Arc::new(mock().with_build(profile)),
            RunnerSpec::MockAt(v) => Arc::new(OneVersion {
                inner: mock().with_build(profile),
                version: *v,
            }),
            RunnerSpec::Esent | RunnerSpec::Ffi(_) => {
                self.library_in_processes(settings, profile)?
            }
            RunnerSpec::Process(command) => Arc::new(self.process(command, settings)?),
            RunnerSpec::Tcp(address) => {
                let spec = self.to_string();
                Arc::new(
                    jetconform_process::ProcessRunner::tcp(&spec, address, settings)
                        .map_err(|error| SpecError::Start { spec, error })?,
                )
            }
        };
        Ok(self.entry(runner))
    }

    /// The runner `jetconform serve --runner SPEC` serves: `esent` and `ffi:PATH` in this
    /// very process (the process runner on the other side gives each scenario a fresh one).
    pub fn build_served(&self, profile: Option<EngineBuild>) -> Result<RunnerEntry, SpecError> {
        if !self.is_library() {
            return self.build(&Settings::default(), profile);
        }
        crate::sandbox::remove_stale_once();
        let runner = jetconform_ffi::FfiRunner::from_spec_with(&self.to_string(), profile)
            .map_err(|why| self.unavailable(why))?;
        Ok(self.entry(Arc::new(runner)))
    }

    fn entry(&self, runner: Arc<dyn Runner>) -> RunnerEntry {
        let mut info = runner.info();
        info.name = self.name();
        RunnerEntry {
            name: self.name(),
            runner,
            info,
        }
    }

    /// The runner's name in trial names and results: the spec as written, except for a
    /// `process:` runner, which is named after its program (`agent-x64.exe`, not
    /// `process:wine /home/me/build/agent-x64.exe --dll ...`).
    pub fn name(&self) -> String {
        match self {
            RunnerSpec::Process(command) => {
                program_name(command).unwrap_or_else(|| self.to_string())
            }
            _ => self.to_string(),
        }
    }

    fn unavailable(&self, why: impl Into<String>) -> SpecError {
        SpecError::Unavailable {
            spec: self.to_string(),
            why: why.into(),
        }
    }

    fn process(
        &self,
        command: &str,
        settings: &Settings,
    ) -> Result<jetconform_process::ProcessRunner, SpecError> {
        let spec = self.to_string();
        jetconform_process::ProcessRunner::new(&spec, command, settings)
            .map_err(|error| SpecError::Start { spec, error })
    }

    fn library_in_processes(
        &self,
        settings: &Settings,
        profile: Option<EngineBuild>,
    ) -> Result<Arc<dyn Runner>, SpecError> {
        if *self == RunnerSpec::Esent && !cfg!(windows) {
            return Err(self.unavailable(jetconform_ffi::machine::NOT_WINDOWS));
        }
        // A path that names no file: say so here, rather than through the served process.
        if let RunnerSpec::Ffi(path) = self {
            if path.contains(['/', '\\']) {
                if let Err(e) = std::fs::metadata(path) {
                    return Err(SpecError::Load {
                        spec: self.to_string(),
                        why: io_reason(&e),
                    });
                }
            }
        }
        let exe = std::env::current_exe().map_err(|e| {
            self.unavailable(format!("cannot find jetconform's own executable: {e}"))
        })?;
        let mut command = format!(
            "{} serve --runner {}",
            quote(&exe.to_string_lossy()),
            quote(&self.to_string())
        );
        if let Some(b) = profile {
            command.push_str(&format!(" --profile {}", b.name()));
        }
        let options = Settings {
            isolate: Some(jetconform_process::Isolation::Scenario),
            ..settings.clone()
        };
        match self.process(&command, &options) {
            Ok(runner) => Ok(Arc::new(runner)),
            Err(SpecError::Start { spec, error }) => {
                let path = match self {
                    RunnerSpec::Ffi(path) => path.as_str(),
                    _ => "esent.dll",
                };
                Err(match load_reason(&error, path) {
                    Some(why) => SpecError::Load { spec, why },
                    None => SpecError::Start { spec, error },
                })
            }
            Err(e) => Err(e),
        }
    }
}

/// The mock, its sandboxes where `jetconform_interface::sandbox::folder()` says.
fn mock() -> jetconform_mock::MockRunner {
    jetconform_mock::MockRunner::new()
}

/// A runner that runs as one version only: it says so in its info, and every scenario it
/// starts runs as that version.
struct OneVersion<R> {
    inner: R,
    version: WinVersion,
}

impl<R: Runner> Runner for OneVersion<R> {
    fn info(&self) -> RunnerInfo {
        let mut info = self.inner.info();
        info.versions = jetconform_interface::VersionSet::single(self.version);
        info.machine.description = Some(format!("jetconform mock, as {} only", self.version));
        info
    }
    fn start(
        &self,
        start: &jetconform_interface::ScenarioStart,
    ) -> Result<Box<dyn jetconform_interface::Execution>, jetconform_interface::RunnerError> {
        let mut start = start.clone();
        start.version = self.version;
        self.inner.start(&start)
    }
}

/// The file name of the program a `process:` command runs, past the launchers that run it
/// (`wine`, `ssh [OPTIONS] HOST`, `env VAR=VALUE`, `nice`, `timeout DURATION`, interpreters).
fn program_name(command: &str) -> Option<String> {
    let words = jetconform_process::words::split_words(command).ok()?;
    let file_name = |w: &str| -> String { w.rsplit(['/', '\\']).next().unwrap_or(w).to_string() };
    let mut rest = words.iter().map(String::as_str).peekable();
    while let Some(word) = rest.next() {
        let name = file_name(word);
        let launcher = name
            .strip_suffix(".exe")
            .unwrap_or(&name)
            .to_ascii_lowercase();
        // Options of the launcher; those of ssh and nice that take a value skip it too.
        let mut options = |takes_value: &str| {
            while let Some(o) = rest.next_if(|w| w.starts_with('-')) {
                if o.len() == 2 && takes_value.contains(&o[1..]) {
                    rest.next();
                }
            }
        };
        match launcher.as_str() {
            "wine" | "wine64" | "nohup" | "sudo" | "exec" | "stdbuf" | "python" | "python3"
            | "node" | "sh" | "bash" => options(""),
            "nice" => options("n"),
            "env" => {
                while rest
                    .next_if(|w| w.starts_with('-') || w.contains('='))
                    .is_some()
                {}
            }
            "timeout" => {
                options("sk");
                rest.next();
            }
            "ssh" => {
                options("bcDEeFIiJLlmOopQRSWw");
                rest.next();
            }
            _ if !name.is_empty() => return Some(name),
            _ => {}
        }
    }
    None
}

/// Gives runners of one run that would share a name (`process:` runners of one program)
/// distinct ones: the second is `NAME#2`, and so on.
pub fn distinct_names(entries: &mut [RunnerEntry]) {
    let mut seen: Vec<String> = Vec::new();
    for e in entries {
        let mut name = e.name.clone();
        let mut n = 1;
        while seen.contains(&name) {
            n += 1;
            name = format!("{}#{n}", e.name);
        }
        e.info.name = name.clone();
        e.name = name.clone();
        seen.push(name);
    }
}

/// Quotes a word for `process:` command lines (split like a POSIX shell, without expansion).
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// Parses and builds a spec with default settings.
pub fn build(spec: &str) -> Result<RunnerEntry, SpecError> {
    build_with(spec, &Settings::default())
}

/// Parses and builds a spec.
pub fn build_with(spec: &str, settings: &Settings) -> Result<RunnerEntry, SpecError> {
    spec.parse::<RunnerSpec>()?.build(settings, None)
}

/// With `--version` given, the real engine is judged against the versions asked for, not
/// only the one matching this machine's Windows.
pub fn accept_any_version(spec: &RunnerSpec, entry: &mut RunnerEntry) {
    if spec.judged_on_any_version() {
        entry.info.versions = jetconform_interface::VersionSet::ALL;
    }
}

#[cfg(test)]
mod tests {
    use super::RunnerSpec;

    #[test]
    fn specs_round_trip_and_unknown_ones_get_a_suggestion() {
        for s in [
            "mock",
            "mock@xp",
            "esent",
            "ffi:/x/libesent.so",
            "process:ssh box jc serve",
            "tcp:127.0.0.1:7000",
        ] {
            assert_eq!(s.parse::<RunnerSpec>().unwrap().to_string(), s);
        }
        let e = "mokc".parse::<RunnerSpec>().unwrap_err().to_string();
        assert_eq!(e, "unknown runner `mokc`; did you mean `mock`?");
    }

    /// Trials of a `process:` runner are named after its program, not the whole command.
    #[test]
    fn process_runners_are_named_after_their_program() {
        for (spec, name) in [
            ("process:agent-x64.exe", "agent-x64.exe"),
            (
                "process:'/home/me/build dir/agent.exe' --dll x.dll",
                "agent.exe",
            ),
            (r"process:'C:\tools\agent-x86.exe'", "agent-x86.exe"),
            (
                "process:wine /w/x64/agent.exe --dll /w/x64/esent.dll",
                "agent.exe",
            ),
            (
                "process:ssh -p 2222 winbox jetconform.exe serve --runner esent",
                "jetconform.exe",
            ),
            (
                "process:env RUST_LOG=1 timeout 10 ./runner --flag",
                "runner",
            ),
            ("process:python3 -u tools/fake_runner.py", "fake_runner.py"),
            ("mock@xp", "mock@xp"),
            ("ffi:/x/libesent.so", "ffi:/x/libesent.so"),
        ] {
            assert_eq!(spec.parse::<RunnerSpec>().unwrap().name(), name, "{spec}");
        }
        let e = "mokc".parse::<RunnerSpec>().unwrap_err().to_string();
        assert_eq!(e, "unknown runner `mokc`; did you mean `mock`?");
    }
}
