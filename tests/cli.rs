//! The command line as users script against it: exit status 0 / 1 / 2, `--format json`,
//! `check`, `list`, bad runner and version names.

mod common;

use common::{
    corpus, exits, exits_printing, exits_saying, has, jetconform, stderr, stdout, FAILING, PASSING,
};

#[test]
fn all_passing_exits_0_and_names_trials() {
    let dir = corpus(&[("ok.toml", PASSING)]);
    let out = jetconform(&["run"], dir.path());
    exits_printing(&out, 0, "2 trials: 2 passed, 0 failed");
    let list = jetconform(&["list"], dir.path());
    assert_eq!(stdout(&list), "ok[mock@win10]\nok[mock@win11]\n");
}

#[test]
fn a_failing_step_exits_1_with_file_line_call_expected_and_observed() {
    let failing = PASSING.replace("\"JET_errInvalidParameter\"", "\"JET_errSuccess\"");
    let dir = corpus(&[("bad.toml", &failing)]);
    let out = jetconform(&["run", "--version", "win10"], dir.path());
    exits(&out, 1);
    let text = stdout(&out);
    has(&text, "FAIL bad[mock] on win10\n");
    has(&text, "bad.toml:9:1");
    has(&text, "JetBeginExternalBackup(grbit=0x0)");
    has(&text, "expected  JET_errSuccess (0)");
    has(&text, "observed  JET_errInvalidParameter (-1003)");
}

#[test]
fn json_format_has_summary_and_results() {
    let failing = PASSING.replace("\"JET_errInvalidParameter\"", "\"JET_errSuccess\"");
    let dir = corpus(&[("ok.toml", PASSING), ("bad.toml", &failing)]);
    let out = jetconform(
        &["run", "--format", "json", "--version", "win11"],
        dir.path(),
    );
    exits(&out, 1);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["summary"]["pass"], 1);
    assert_eq!(doc["summary"]["fail"], 1);
    let bad = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["scenario"] == "bad")
        .unwrap();
    assert_eq!(bad["runner"], "mock");
    assert_eq!(bad["version"], "win11");
    assert_eq!(bad["outcome"], "fail");
    assert_eq!(bad["steps"][0]["expected"]["code"], 0);
    assert_eq!(bad["steps"][0]["observed"]["code"], -1003);
}

#[test]
fn versions_outside_the_scenario_are_skips() {
    let dir = corpus(&[("ok.toml", PASSING)]);
    let out = jetconform(
        &["run", "--version", "win8..", "--format", "json"],
        dir.path(),
    );
    exits(&out, 0);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["skip"], 2);
    assert_eq!(doc["summary"]["pass"], 2);
}

#[test]
fn invalid_input_exits_2_and_valid_scenarios_still_run() {
    let broken = PASSING.replace("JET_errInvalidParameter", "JET_errInvalidParamter");
    let dir = corpus(&[("ok.toml", PASSING), ("broken.toml", &broken)]);
    let out = jetconform(&["run"], dir.path());
    exits_saying(&out, 2, "did you mean JET_errInvalidParameter");
    has(stdout(&out), "2 passed");
    let check = jetconform(&["check"], dir.path());
    exits(&check, 2);
    let check = jetconform(&["check", "cases/ok.toml"], dir.path());
    exits(&check, 0);
}

#[test]
fn unknown_runner_and_version_exit_2_with_a_suggestion() {
    let dir = corpus(&[("ok.toml", PASSING)]);
    let out = jetconform(&["run", "--runner", "mokc"], dir.path());
    exits_saying(&out, 2, "did you mean `mock`");
    let out = jetconform(&["run", "--version", "win95"], dir.path());
    exits_saying(&out, 2, "win95");
    let out = jetconform(&["run", "nowhere"], dir.path());
    exits(&out, 2);
}

/// The default output of the corpus on the mock: no failure, one `?` line per scenario with
/// unknown results (naming its versions), then the summary; `--quiet` only the summary.
#[test]
fn default_output_of_the_corpus_is_one_line_per_scenario_with_unknowns() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = jetconform(&["run", "cases"], root);
    exits(&out, 0);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let (summary, unknown) = lines.split_last().expect("a summary line");
    assert!(summary.contains(" trials: "), "{text}");
    assert!(!unknown.is_empty(), "the corpus has unknowns: {text}");
    let mut seen = std::collections::BTreeSet::new();
    for line in unknown {
        let rest = line.strip_prefix("? ").unwrap_or_else(|| panic!("{line}"));
        let (scenario, versions) = rest.split_once(": unknown on ").expect(line);
        assert!(!versions.is_empty(), "{line}");
        assert!(seen.insert(scenario), "{scenario} twice:\n{text}");
    }
    let quiet = jetconform(&["run", "--quiet", "cases"], root);
    exits(&quiet, 0);
    assert_eq!(stdout(&quiet).lines().count(), 1, "{}", stdout(&quiet));
}

/// A path that does not exist, an empty folder and a folder holding only fixtures: exit 2
/// with one line saying so, nothing run (a mistyped path must not turn CI green).
#[test]
fn missing_or_empty_paths_exit_2_with_one_message() {
    let dir = corpus(&[("fixtures/f.toml", "[[step]]\n")]);
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    for (args, message) in [
        (
            &["run", "nosuch"][..],
            "error: nosuch: no such file or directory",
        ),
        (
            &["check", "nosuch"][..],
            "error: nosuch: no such file or directory",
        ),
        (
            &["run", "empty"][..],
            "error: no scenarios in empty (no *.toml file outside fixtures folders)",
        ),
        (
            &["check", "empty"][..],
            "error: no scenarios in empty (no *.toml file outside fixtures folders)",
        ),
        (
            &["run", "cases"][..],
            "error: no scenarios in cases (no *.toml file outside fixtures folders)",
        ),
    ] {
        let out = jetconform(args, dir.path());
        exits(&out, 2);
        assert_eq!(stderr(&out), format!("{message}\n"), "{args:?}");
        assert!(
            !stdout(&out).contains("trials"),
            "{args:?}: {}",
            stdout(&out)
        );
    }
}

/// `--jobs` is bounded: 0, a huge number and a non-number are refused in one line, exit 2.
#[test]
fn jobs_out_of_range_is_a_clear_error() {
    let dir = corpus(&[("ok.toml", PASSING)]);
    for jobs in ["0", "1025", "99999999999", "many"] {
        let out = jetconform(&["run", "--jobs", jobs], dir.path());
        exits(&out, 2);
        assert!(
            stderr(&out).contains(&format!(
                "`{jobs}` is not a number of workers from 1 to 1024"
            )),
            "{jobs}: {}",
            stderr(&out)
        );
    }
    let out = jetconform(&["run", "--jobs", "1024"], dir.path());
    exits(&out, 0);
}

/// A runner that cannot start is one line on stderr; the other runners' trials still run and
/// are reported, its own trials are errors, and the run exits 2.
#[test]
fn a_runner_that_cannot_start_costs_only_its_own_trials() {
    let dir = corpus(&[("ok.toml", PASSING)]);
    std::fs::write(dir.path().join("text.so"), "not a library\n").unwrap();
    // Two scenarios: the runner's errors are one line, not one per scenario.
    let other = corpus(&[("ok.toml", PASSING), ("ok2.toml", PASSING)]);
    let out = jetconform(
        &["run", "--runner", "mock", "--runner", "ffi:/nonexistent.so"],
        other.path(),
    );
    exits(&out, 2);
    assert_eq!(
        stdout(&out).lines().next(),
        Some("ERROR ffi:/nonexistent.so: 2 scenarios on win10, win11  (runner could not start: cannot load ffi:/nonexistent.so: No such file or directory)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
    for (spec, message) in [
        (
            "ffi:/nonexistent.so",
            "error: cannot load ffi:/nonexistent.so: No such file or directory\n",
        ),
        ("ffi:./text.so", "error: cannot load ffi:./text.so: "),
    ] {
        let out = jetconform(&["run", "--runner", "mock", "--runner", spec], dir.path());
        exits(&out, 2);
        let err = stderr(&out);
        assert!(err.starts_with(message), "{spec}: {err}");
        assert_eq!(err.lines().count(), 1, "{spec}: {err}");
        let text = stdout(&out);
        assert!(
            text.contains("4 trials: 2 passed, 0 failed, 0 unknown, 0 skipped, 2 errors"),
            "{spec}: {text}"
        );
        assert!(
            text.contains(&format!("ERROR ok[{spec}] on win10, win11")),
            "{spec}: {text}"
        );
    }
}

/// Common spellings of versions are accepted (`winxp`, `windows10`, `Windows 10`); a range
/// written newest first is called reversed, with the range the tool accepts; a misspelt one
/// gets a suggestion that is itself accepted.
#[test]
fn version_spellings_reversed_ranges_and_accepted_hints() {
    let dir = corpus(&[("ok.toml", PASSING)]);
    for (spelt, trials) in [
        ("windows10", "1 trials: 1 passed"),
        ("Windows 10..win11", "2 trials: 2 passed"),
        (
            "winxp",
            "1 trials: 0 passed, 0 failed, 0 unknown, 1 skipped",
        ),
    ] {
        let out = jetconform(&["run", "--version", spelt], dir.path());
        exits(&out, 0);
        assert!(stdout(&out).contains(trials), "{spelt}: {}", stdout(&out));
    }
    let out = jetconform(&["run", "--version", "win10..xp"], dir.path());
    exits(&out, 2);
    assert_eq!(
        stderr(&out),
        "error: `win10..xp` is a reversed range: write it oldest first, `xp..win10`\n"
    );
    let out = jetconform(&["run", "--version", "xp..win10"], dir.path());
    exits(&out, 0);
    let out = jetconform(&["run", "--version", "winn10"], dir.path());
    exits_saying(&out, 2, "did you mean win10?");
}

/// Colour follows anstream's rules everywhere: `CLICOLOR_FORCE` forces it (also off a
/// terminal), `NO_COLOR` turns it off even then; the human output and the diagnostics alike.
#[test]
fn no_color_is_honoured_by_every_output() {
    let dir = corpus(&[("bad.toml", FAILING), ("typo.toml", "title = 3\n")]);
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_jetconform"));
        c.args(args)
            .current_dir(dir.path())
            .env_remove("CI")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let forced = run(&[("CLICOLOR_FORCE", "1")], &["run"]);
    assert!(stdout(&forced).contains("\x1b["), "{}", stdout(&forced));
    assert!(stderr(&forced).contains("\x1b["), "{}", stderr(&forced));
    let off = run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &["run"]);
    assert!(!stdout(&off).contains('\x1b'), "{}", stdout(&off));
    assert!(!stderr(&off).contains('\x1b'), "{}", stderr(&off));
    let plain = run(&[], &["check"]);
    assert!(!stderr(&plain).contains('\x1b'), "{}", stderr(&plain));
}

/// On a real terminal (a pseudo-terminal from `script`), NO_COLOR still means no colour.
#[test]
fn no_color_on_a_terminal() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no `script` (util-linux) to make a terminal");
        return;
    }
    let dir = corpus(&[("bad.toml", FAILING), ("typo.toml", "title = 3\n")]);
    let me = env!("CARGO_BIN_EXE_jetconform");
    for (no_color, colored) in [(true, false), (false, true)] {
        let mut c = std::process::Command::new("script");
        c.args(["-qec", &format!("'{me}' run"), "/dev/null"])
            .current_dir(dir.path())
            .env_remove("CI")
            .env_remove("CLICOLOR_FORCE")
            .env("TERM", "xterm-256color");
        if no_color {
            c.env("NO_COLOR", "1");
        } else {
            c.env_remove("NO_COLOR");
        }
        let out = c.output().unwrap();
        let text = stdout(&out);
        assert!(text.contains("FAIL"), "{text}");
        assert_eq!(
            text.contains('\x1b'),
            colored,
            "NO_COLOR={no_color}: {text:?}"
        );
    }
}

/// `run --help` names every runner form and every format with a sentence.
#[test]
fn run_help_lists_runner_forms_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let out = jetconform(&["run", "--help"], dir.path());
    exits(&out, 0);
    let text = stdout(&out);
    for form in [
        "mock ",
        "mock@VERSION",
        "esent ",
        "ffi:PATH",
        "process:COMMAND",
        "tcp:HOST:PORT",
    ] {
        assert!(
            text.contains(&format!("  {form}")),
            "{form} missing:\n{text}"
        );
    }
    for format in ["human:", "json:", "junit:", "github:"] {
        assert!(
            text.contains(&format!("- {format}")),
            "{format} missing:\n{text}"
        );
    }
    assert!(text.contains("$GITHUB_STEP_SUMMARY"), "{text}");
}

/// `completions SHELL` prints a completion script that knows the subcommands.
#[test]
fn shell_completions() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef jetconform"),
        ("fish", "complete -c jetconform"),
    ] {
        let out = jetconform(&["completions", shell], dir.path());
        exits(&out, 0);
        let text = stdout(&out);
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(text.contains("report"), "{shell}: {text}");
    }
    let out = jetconform(&["completions", "tcsh"], dir.path());
    exits(&out, 2);
}

/// Trials of a `process:` runner carry the program's name, not the whole command line; two
/// runners of one program get distinct names.
#[test]
fn process_runner_trials_are_named_after_the_program() {
    let dir = corpus(&[("ok.toml", PASSING)]);
    let me = env!("CARGO_BIN_EXE_jetconform");
    let spec = format!("process:'{me}' serve --runner mock");
    let out = jetconform(
        &[
            "run",
            "-v",
            "--runner",
            &spec,
            "--runner",
            &spec,
            "--version",
            "win10",
        ],
        dir.path(),
    );
    exits(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("PASS ok[jetconform@win10]"), "{text}");
    assert!(text.contains("PASS ok[jetconform#2@win10]"), "{text}");
    assert!(!text.contains("serve --runner"), "{text}");
}

/// A reader that stops early (`jetconform schema | head`) is no panic: every command that
/// prints goes on, or stops, quietly. The pipe's read end is closed before the command
/// starts, so every write fails.
#[cfg(unix)]
#[test]
fn a_closed_stdout_is_no_panic() {
    use std::os::fd::{FromRawFd, OwnedFd};
    let dir = corpus(&[("ok.toml", PASSING)]);
    let found = dir.path().join("found");
    let commands: &[&[&str]] = &[
        &["schema"],
        &["schema", "--fixture"],
        &["completions", "bash"],
        &["coverage"],
        &["check"],
        &["list"],
        &["functions"],
        &["run"],
        &[
            "explore",
            "--runner",
            "mock@xp",
            "--runner",
            "mock@win10",
            "--sequences",
            "3",
            "--out",
            found.to_str().expect("a UTF-8 path"),
        ],
    ];
    for args in commands {
        let mut fds = [0; 2];
        // SAFETY: pipe fills two new descriptors, which are owned from here on.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        drop(read);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_jetconform"))
            .args(*args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::from(write))
            .output()
            .expect("the binary runs");
        let err = stderr(&out);
        assert!(
            !err.contains("panicked") && out.status.code() != Some(101),
            "jetconform {}: {err}",
            args.join(" ")
        );
    }
}
