//! The TCP transport (`tcp:HOST:PORT`): a runner served on a socket, by the C agent
//! (`agent.exe --listen`) or by `jetconform serve --listen`. The client connects once per
//! scenario and first sends one line, `{"type":"auth","token":"..."}`; from then on the
//! protocol is exactly the one spoken over a child's pipes (docs/protocol.md, "TCP").
//!
//! The token keeps other users of the machines and stray clients out; it is sent in clear,
//! like everything else on the connection.

use jetconform_interface::RunnerError;
use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Where the token comes from when `--runner-token` is not given.
pub const TOKEN_VAR: &str = "JETCONFORM_RUNNER_TOKEN";

/// A runner's TCP address and the token it wants.
#[derive(Clone)]
pub struct Address {
    pub host: String,
    pub port: u16,
    pub token: String,
}

impl std::fmt::Debug for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token: Debug output ends up in logs.
        write!(f, "Address({})", self.shown())
    }
}

impl Address {
    /// `HOST:PORT` (an IPv6 host in brackets) and the token.
    pub fn parse(text: &str, token: String) -> Result<Address, String> {
        let (host, port) = text
            .rsplit_once(':')
            .ok_or_else(|| format!("`{text}` is not HOST:PORT"))?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err(format!("`{text}` has no host (HOST:PORT)"));
        }
        let port = match port.parse::<u16>() {
            Ok(p) if p != 0 => p,
            _ => return Err(format!("`{port}` is not a port number (1 to 65535)")),
        };
        Ok(Address {
            host: host.to_string(),
            port,
            token,
        })
    }

    /// `HOST:PORT`, for messages.
    pub fn shown(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// The token for `tcp:` runners: the one given, or the environment's.
pub fn token(given: Option<&str>) -> Result<String, String> {
    match given {
        Some(t) if !t.is_empty() => Ok(t.to_string()),
        _ => match std::env::var(TOKEN_VAR) {
            Ok(t) if !t.is_empty() => Ok(t),
            _ => Err(format!(
                "a tcp: runner needs the token its agent was started with: set {TOKEN_VAR} (or give --runner-token)"
            )),
        },
    }
}

/// The auth line, newline included: `{"type":"auth","token":"..."}` in that order.
pub fn auth_line(token: &str) -> String {
    let quoted = serde_json::Value::String(token.to_string()).to_string();
    format!("{{\"type\":\"auth\",\"token\":{quoted}}}\n")
}

/// Connects (within `timeout` per address) and sends the auth line.
pub fn connect(address: &Address, timeout: Duration) -> Result<TcpStream, RunnerError> {
    let shown = address.shown();
    let start = |message: String| RunnerError::Start { message };
    let addrs: Vec<_> = (address.host.as_str(), address.port)
        .to_socket_addrs()
        .map_err(|e| start(format!("cannot resolve host `{}`: {e}", address.host)))?
        .collect();
    if addrs.is_empty() {
        return Err(start(format!(
            "cannot resolve host `{}`: no address",
            address.host
        )));
    }
    let mut last = None;
    for a in &addrs {
        match TcpStream::connect_timeout(a, timeout) {
            Ok(mut stream) => {
                let _ = stream.set_nodelay(true);
                stream
                    .write_all(auth_line(&address.token).as_bytes())
                    .map_err(|e| start(format!("{shown}: cannot send the token: {e}")))?;
                return Ok(stream);
            }
            Err(e) => last = Some(e),
        }
    }
    let e = last.expect("at least one address was tried");
    Err(start(match e.kind() {
        std::io::ErrorKind::ConnectionRefused => {
            format!("cannot connect to {shown}: connection refused (is the agent listening there?)")
        }
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => format!(
            "cannot connect to {shown}: no answer within {} s",
            timeout.as_secs_f64()
        ),
        _ => format!("cannot connect to {shown}: {e}"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let a = Address::parse("winxp.lan:7000", "t".into()).unwrap();
        assert_eq!((a.host.as_str(), a.port), ("winxp.lan", 7000));
        let a = Address::parse("[::1]:7000", "t".into()).unwrap();
        assert_eq!(a.shown(), "[::1]:7000");
        assert!(Address::parse("host", "t".into()).is_err());
        assert!(Address::parse("host:0", "t".into()).is_err());
        assert!(Address::parse(":80", "t".into()).is_err());
        let secret = Address::parse("h:1", "s3cret".into()).unwrap();
        assert!(!format!("{secret:?}").contains("s3cret"));
    }

    #[test]
    fn auth_line_is_one_json_line() {
        assert_eq!(
            auth_line("a\"b"),
            "{\"type\":\"auth\",\"token\":\"a\\\"b\"}\n"
        );
    }
}
