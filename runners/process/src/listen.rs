//! The TCP service (`jetconform serve --listen`): the same service as the C agent's
//! `--listen`, for machines where jetconform itself runs. Every accepted connection must
//! first present the token (`{"type":"auth","token":"..."}`); it is then served by a fresh
//! runner process, whose stdout and stdin are relayed to and from the connection, so each
//! connection (each scenario of a `tcp:` runner) gets its own process, as ESENT needs
//! (spec 4.1). When that process dies abnormally the connection's last line says how, as a
//! `crashed` error without an id; when the client goes away, the process is ended.

use crate::child::RunnerProcess;
use crate::exit;
use crate::spawn;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a client gets to send its auth line.
const AUTH_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest auth line read.
const MAX_AUTH: u64 = 4096;
/// How long a runner whose output or input ended gets to exit on its own.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// What the service answers a client without the right token.
pub const BAD_TOKEN: &str =
    r#"{"id":null,"type":"error","error":{"kind":"protocol","message":"bad or missing token"}}"#;

pub struct ListenOptions {
    /// The token clients must present.
    pub token: String,
    /// The runner process started for each connection (it speaks the protocol on stdio).
    pub command: Vec<String>,
    /// Log connections on stderr.
    pub log: bool,
}

/// Binds `ADDR:PORT`, or `PORT` alone on loopback (127.0.0.1).
pub fn bind(address: &str) -> io::Result<TcpListener> {
    if !address.contains(':') {
        let port: u16 = address.parse().map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("`{address}` is neither ADDR:PORT nor a port number"),
            )
        })?;
        return TcpListener::bind(("127.0.0.1", port));
    }
    TcpListener::bind(address)
}

/// What to tell the user once listening: where, and who can reach it.
pub fn listening_message(listener: &TcpListener) -> String {
    match listener.local_addr() {
        Ok(a) if a.ip().is_loopback() => format!(
            "listening on {a} (loopback only: connect from this machine, or through a tunnel)"
        ),
        Ok(a) => format!(
            "listening on {a}: any machine that reaches this port may connect with the token; \
             nothing on the connection is encrypted, the token included"
        ),
        Err(e) => format!("listening (address unknown: {e})"),
    }
}

/// Accepts connections for ever, each on a thread of its own.
pub fn serve_tcp(listener: TcpListener, options: ListenOptions) -> io::Result<()> {
    let options = Arc::new(options);
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            // A client that went away between connect and accept, or a full file table.
            Err(e) => {
                if options.log {
                    eprintln!("accept: {e}");
                }
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let options = options.clone();
        let spawned = std::thread::Builder::new()
            .name("connection".into())
            .spawn(move || {
                let peer = stream
                    .peer_addr()
                    .map(|a| a.to_string())
                    .unwrap_or_else(|_| "?".into());
                let result = connection(stream, &options);
                if options.log {
                    match result {
                        Ok(said) => eprintln!("{peer}: {said}"),
                        Err(e) => eprintln!("{peer}: {e}"),
                    }
                }
            });
        if let Err(e) = spawned {
            eprintln!("cannot start a thread for a connection: {e}");
        }
    }
    Ok(())
}

/// Compares in time independent of where the first difference is.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn authenticated(line: &str, token: &str) -> bool {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
        return false;
    };
    v.get("type").and_then(|t| t.as_str()) == Some("auth")
        && v.get("token")
            .and_then(|t| t.as_str())
            .is_some_and(|t| same(t.as_bytes(), token.as_bytes()))
}

/// Serves one connection; returns what happened, for the log.
fn connection(stream: TcpStream, options: &ListenOptions) -> io::Result<String> {
    let _ = stream.set_nodelay(true);
    stream.set_read_timeout(Some(AUTH_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream.try_clone()?;
    let mut line = String::new();
    let read = (&mut reader).take(MAX_AUTH).read_line(&mut line);
    if read.is_err() || !authenticated(&line, &options.token) {
        let _ = writer.write_all(format!("{BAD_TOKEN}\n").as_bytes());
        let _ = stream.shutdown(Shutdown::Both);
        return Ok("refused (bad or missing token)".into());
    }
    stream.set_read_timeout(None)?;

    static MARKS: std::sync::OnceLock<crate::descendants::Marks> = std::sync::OnceLock::new();
    let mark = MARKS.get_or_init(Default::default).next();
    let s = match spawn::spawn(&options.command, &mark) {
        Ok(s) => s,
        Err(e) => {
            let detail = format!("cannot start the runner: {e}");
            let _ = writer.write_all(crashed_line(&detail).as_bytes());
            let _ = stream.shutdown(Shutdown::Both);
            return Ok(detail);
        }
    };
    let child = Arc::new(Mutex::new(s.process));
    let client_gone = Arc::new(AtomicBool::new(false));

    // Client to runner. When the client goes (done, or its watchdog gave up on us), the
    // runner's input ends; a runner that does not exit then is ended.
    let inbound = {
        let child = child.clone();
        let gone = client_gone.clone();
        let mut stdin = s.stdin;
        std::thread::Builder::new()
            .name("relay-in".into())
            .spawn(move || {
                relay(&mut reader, &mut stdin);
                gone.store(true, Ordering::SeqCst);
                drop(stdin);
                if wait_exit(&child, EXIT_GRACE).is_none() {
                    kill(&child);
                }
            })?
    };

    // Runner to client, then the runner's end (a descendant holding its stdout does not
    // hold the relay: it ends when the runner exits).
    relay(
        &mut crate::pipe::PipeReader::new(s.stdout, child.clone()),
        &mut writer,
    );
    let status = match wait_exit(&child, EXIT_GRACE) {
        Some(status) => status,
        None => {
            // It closed its output and lives on: of no more use to anyone.
            kill(&child);
            wait_exit(&child, EXIT_GRACE).unwrap_or_else(|| {
                // Killed and still not reaped: report what is known.
                std::process::ExitStatus::default()
            })
        }
    };
    let said = if client_gone.load(Ordering::SeqCst) {
        "done".to_string()
    } else if status.success() {
        "runner exited".to_string()
    } else {
        let mut detail = exit::describe(status);
        let tail = s.stderr.last_lines(Duration::from_millis(300));
        if !tail.is_empty() {
            detail.push_str("; stderr: ");
            detail.push_str(&tail);
        }
        let _ = writer.write_all(crashed_line(&detail).as_bytes());
        format!("runner {detail}")
    };
    let _ = stream.shutdown(Shutdown::Both);
    let _ = inbound.join();
    Ok(said)
}

/// Copies until end of input or an error on either side, each read passed on at once (the
/// protocol is one request, one answer: nothing may wait in a buffer).
fn relay(from: &mut impl Read, to: &mut impl Write) {
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if to.write_all(&buf[..n]).and_then(|_| to.flush()).is_err() {
            return;
        }
    }
}

/// `{"id":null,"type":"error","error":{"kind":"crashed","detail":"..."}}` and a newline.
pub fn crashed_line(detail: &str) -> String {
    let detail = serde_json::Value::String(detail.to_string());
    format!(
        "{{\"id\":null,\"type\":\"error\",\"error\":{{\"kind\":\"crashed\",\"detail\":{detail}}}}}\n"
    )
}

fn wait_exit(child: &Mutex<RunnerProcess>, within: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + within;
    loop {
        {
            let mut p = child.lock().ok()?;
            if p.exited() {
                return p.reap();
            }
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn kill(child: &Mutex<RunnerProcess>) {
    if let Ok(mut p) = child.lock() {
        p.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jetconform_interface::protocol::{Response, ResponseBody};
    use jetconform_interface::RunnerError;

    #[test]
    fn auth_lines() {
        assert!(authenticated(&crate::tcp::auth_line("k"), "k"));
        assert!(authenticated(r#"{"token":"k","type":"auth"}"#, "k"));
        assert!(!authenticated(&crate::tcp::auth_line("K"), "k"));
        assert!(!authenticated(&crate::tcp::auth_line("kk"), "k"));
        assert!(!authenticated(r#"{"type":"hello","token":"k"}"#, "k"));
        assert!(!authenticated("k", "k"));
    }

    #[test]
    fn error_lines_are_protocol_responses() {
        let r: Response = serde_json::from_str(BAD_TOKEN).unwrap();
        assert!(r.id.is_none());
        assert!(matches!(
            r.body,
            ResponseBody::Error {
                error: RunnerError::Protocol { .. }
            }
        ));
        let r: Response = serde_json::from_str(&crashed_line("exception \"x\"")).unwrap();
        match r.body {
            ResponseBody::Error {
                error: RunnerError::Crashed { detail, during },
            } => {
                assert_eq!(detail, "exception \"x\"");
                assert_eq!(during, None);
            }
            other => panic!("{other:?}"),
        }
    }
}
