//! `jetconform serve --listen` and `jetconform run --runner tcp:` together, as a person uses
//! them: the service on an ephemeral loopback port, the corpus's verdicts over it the same as
//! in process, and the one-line errors (no token, wrong token) with exit status 2.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_jetconform");
const TOKEN: &str = "s3cret";

/// `jetconform serve --listen 127.0.0.1:0`, killed when dropped.
struct Service {
    child: Child,
    port: u16,
}

impl Service {
    fn start() -> Service {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("JETCONFORM_RUNNER_TOKEN", TOKEN)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.contains("loopback only"), "{line}");
        let port = line
            .split("listening on 127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Service { child, port }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(args: &[&str], token: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("JETCONFORM_RUNNER_TOKEN");
    if let Some(t) = token {
        cmd.env("JETCONFORM_RUNNER_TOKEN", t);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The summary line without its time.
fn summary(stdout: &str) -> String {
    let last = stdout.lines().last().unwrap_or("");
    last.split(" (").next().unwrap_or(last).to_string()
}

#[test]
fn tcp_runs_give_the_in_process_verdicts() {
    let service = Service::start();
    let spec = format!("tcp:127.0.0.1:{}", service.port);
    let dir = "cases/end-external-backup";
    let (code, tcp, err) = run(&["run", dir, "--runner", &spec, "-q"], Some(TOKEN));
    let (_, mock, _) = run(&["run", dir, "-q"], None);
    assert!(code == 0 || code == 1, "{code}: {err}");
    assert_eq!(summary(&tcp), summary(&mock));
    assert!(!summary(&tcp).starts_with("0 trials"));
}

#[test]
fn bad_tokens_and_missing_ones_are_one_line_errors() {
    let service = Service::start();
    let spec = format!("tcp:127.0.0.1:{}", service.port);
    let (code, _, err) = run(&["run", "--runner", &spec, "-q"], Some("wrong"));
    assert_eq!(code, 2);
    assert_eq!(
        err.trim(),
        format!(
            "error: cannot start {spec}: 127.0.0.1:{}: bad or missing token",
            service.port
        )
    );
    let (code, _, err) = run(&["run", "--runner", &spec, "-q"], None);
    assert_eq!(code, 2);
    assert!(err.contains("set JETCONFORM_RUNNER_TOKEN"), "{err}");
    // A token on the command line works, with a warning.
    let (code, _, err) = run(
        &[
            "run",
            "cases/end-external-backup",
            "--runner",
            &spec,
            "--runner-token",
            TOKEN,
            "-q",
        ],
        None,
    );
    assert!(code == 0 || code == 1, "{code}: {err}");
    assert!(err.contains("visible to other users"), "{err}");
}

#[test]
fn serving_on_tcp_needs_a_token() {
    let (code, _, err) = run(&["serve", "--listen", "127.0.0.1:0"], None);
    assert_eq!(code, 2);
    assert!(err.contains("needs a token"), "{err}");
}
