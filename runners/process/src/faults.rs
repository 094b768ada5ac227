//! Misbehaviour on purpose, for tests: a server told to crash, hang or garble its answer at
//! a chosen call proves that jetconform reports each failure and carries on. Used by the
//! `jetconform-test-runner` binary and by the harness's own process-runner tests; never by
//! `jetconform serve`.

use jetconform_interface::ScenarioStart;

/// What to do instead of answering a call.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Exit with this status.
    Exit(i32),
    /// Die of a segmentation fault (on Windows: exit with STATUS_ACCESS_VIOLATION).
    Crash,
    /// `abort()`.
    Abort,
    /// Never answer.
    Hang,
    /// Answer with a line that is not JSON.
    Garbage,
    /// Answer with another request's id.
    WrongId,
    /// Panic inside the runner (the server reports it as a crash and exits).
    Panic,
    /// Print a stray line on stdout, as a chatty library would, then answer normally.
    Print,
    /// Close stdout without answering, and live on.
    Close,
}

/// Which faults, when. Calls are counted from 1 within each scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// (call number, fault).
    pub at: Vec<(u32, Fault)>,
    /// Only in these scenarios (ids); empty: in every scenario.
    pub scenarios: Vec<String>,
    /// Only for these versions (ids); empty: for every version.
    pub versions: Vec<String>,
    /// Say hello with an unsupported protocol version.
    pub bad_version: bool,
    /// Start with a line that is not a hello.
    pub garbage_hello: bool,
}

/// The options `parse` accepts, for usage messages.
pub const USAGE: &str = "\
  --exit-at N [--exit-code C]   exit with status C (default 7) instead of answering call N
  --crash-at N                  die of SIGSEGV (Windows: exit 0xC0000005) at call N
  --abort-at N                  abort() at call N
  --hang-at N                   never answer call N
  --garbage-at N                answer call N with a line that is not JSON
  --wrong-id-at N               answer call N with another id
  --panic-at N                  panic in the runner at call N
  --print-at N                  print a stray line on stdout at call N, then answer
  --close-at N                  close stdout instead of answering call N, and live on
  --scenario ID                 only in this scenario (repeatable; default: all)
  --version VER                 only for this version (repeatable; default: all)
  --bad-version                 say hello with protocol version 99
  --garbage-hello               start with a line that is not a hello
Calls are counted from 1 in each scenario.";

impl Faults {
    /// Parses the options of `USAGE`; the error names the offending argument.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Faults, String> {
        let mut f = Faults::default();
        let mut exit_code = 7;
        let mut exits = Vec::new();
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
            let mut number = |name: &str| -> Result<u32, String> {
                let v = value(name)?;
                v.parse()
                    .map_err(|_| format!("{name}: `{v}` is not a call number"))
            };
            match a.as_str() {
                "--exit-at" => exits.push(number("--exit-at")?),
                "--crash-at" => f.at.push((number("--crash-at")?, Fault::Crash)),
                "--abort-at" => f.at.push((number("--abort-at")?, Fault::Abort)),
                "--hang-at" => f.at.push((number("--hang-at")?, Fault::Hang)),
                "--garbage-at" => f.at.push((number("--garbage-at")?, Fault::Garbage)),
                "--wrong-id-at" => f.at.push((number("--wrong-id-at")?, Fault::WrongId)),
                "--panic-at" => f.at.push((number("--panic-at")?, Fault::Panic)),
                "--print-at" => f.at.push((number("--print-at")?, Fault::Print)),
                "--close-at" => f.at.push((number("--close-at")?, Fault::Close)),
                "--exit-code" => {
                    let v = value("--exit-code")?;
                    exit_code = v
                        .parse()
                        .map_err(|_| format!("--exit-code: `{v}` is not a number"))?;
                }
                "--scenario" => f.scenarios.push(value("--scenario")?),
                "--version" => f.versions.push(value("--version")?),
                "--bad-version" => f.bad_version = true,
                "--garbage-hello" => f.garbage_hello = true,
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        f.at.extend(exits.into_iter().map(|n| (n, Fault::Exit(exit_code))));
        Ok(f)
    }

    /// Whether faults apply to this scenario at all.
    pub fn applies_to(&self, start: &ScenarioStart) -> bool {
        (self.scenarios.is_empty() || self.scenarios.contains(&start.scenario))
            && (self.versions.is_empty() || self.versions.iter().any(|v| v == start.version.id()))
    }

    /// The fault for the `n`th call (from 1) of a scenario they apply to.
    pub fn at_call(&self, n: u32) -> Option<Fault> {
        self.at.iter().find(|(at, _)| *at == n).map(|(_, f)| *f)
    }
}

/// Ends the process the way `fault` says (the ones that do not answer at all).
pub fn die(fault: Fault) -> ! {
    match fault {
        Fault::Exit(code) => std::process::exit(code),
        Fault::Crash => segfault(),
        Fault::Hang => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
        _ => std::process::abort(),
    }
}

#[cfg(unix)]
fn segfault() -> ! {
    // SAFETY: signal(2) and raise(3) have no memory-safety preconditions. The default action
    // is restored first: Rust's own SIGSEGV handler (stack-overflow detection) would return
    // from a raised signal and let the process go on.
    unsafe {
        libc::signal(libc::SIGSEGV, libc::SIG_DFL);
        libc::raise(libc::SIGSEGV);
    }
    std::process::abort()
}

#[cfg(not(unix))]
fn segfault() -> ! {
    // What a Windows process that dereferences NULL ends with.
    std::process::exit(0xC000_0005_u32 as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_and_rejects() {
        let f = Faults::parse(args(
            "--crash-at 3 --exit-at 2 --exit-code 5 --scenario a/b",
        ))
        .unwrap();
        assert_eq!(f.at_call(3), Some(Fault::Crash));
        assert_eq!(f.at_call(2), Some(Fault::Exit(5)));
        assert_eq!(f.at_call(1), None);
        assert_eq!(f.scenarios, ["a/b"]);
        assert_eq!(
            Faults::parse(args("--hang-at x")).unwrap_err(),
            "--hang-at: `x` is not a call number"
        );
        assert_eq!(
            Faults::parse(args("--hang-at")).unwrap_err(),
            "--hang-at needs a value"
        );
        assert_eq!(
            Faults::parse(args("--frobnicate")).unwrap_err(),
            "unknown option `--frobnicate`"
        );
    }
}
