//! The server against bad input: every line that is not blank gets exactly one answer, a
//! malformed one an `error` naming what was received, and nothing panics.

use jetconform_interface::protocol::{Hello, Response, ResponseBody};
use jetconform_interface::RunnerError;
use jetconform_process::faults::Faults;
use jetconform_process::testing::TrivialRunner;
use jetconform_process::{serve, ServeEnd, ServeOptions};

fn options() -> ServeOptions {
    ServeOptions {
        process_global_state: false,
        functions: None,
        faults: Faults::default(),
    }
}

/// Serves `input`; the hello and the answers.
fn session(input: &[u8]) -> (ServeEnd, Hello, Vec<Response>) {
    let mut out = Vec::new();
    let end =
        serve(&TrivialRunner, input, &mut out, &options()).expect("in-memory I/O does not fail");
    let text = String::from_utf8(out).expect("answers are UTF-8");
    let mut lines = text.lines();
    let hello: Hello = serde_json::from_str(lines.next().expect("a hello")).expect("a valid hello");
    let answers = lines
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (end, hello, answers)
}

fn protocol_error(r: &Response) -> &str {
    match &r.body {
        ResponseBody::Error {
            error: RunnerError::Protocol { message },
        } => message,
        other => panic!("expected a protocol error, got {other:?}"),
    }
}

#[test]
fn malformed_requests_get_errors_naming_what_was_received() {
    let input = concat!(
        "hello there\n",
        "{\"id\":1}\n",
        "{\"id\":2,\"type\":\"launch\"}\n",
        "{\"id\":3,\"type\":\"call\",\"call\":{\"function\":\"JetFrobnicate\",\"args\":[]}}\n",
        "{\"id\":4,\"type\":\"call\",\"call\":{\"function\":\"JetTerm\",\"args\":[{\"handle\":-1}]}}\n",
        "\n",
        "[1,2,3]\n",
        "{\"id\":5,\"type\":\"call\",\"call\":{\"function\":\"JetTerm\",\"args\":[{\"handle\":1}]}}\n",
        "{\"id\":6,\"type\":\"end\"}\n",
        "{\"id\":7,\"type\":\"start\",\"scenario\":\"s\",\"version\":\"win10\"}\n",
        "{\"id\":8,\"type\":\"start\",\"scenario\":\"s\",\"version\":\"win10\"}\n",
        "{\"id\":9,\"type\":\"start\",\"scenario\":\"s\",\"version\":\"win95\"}\n",
    );
    let (end, hello, answers) = session(input.as_bytes());
    assert_eq!(hello.protocol, 1);
    assert_eq!(end, ServeEnd::EndOfInput);
    let ids: Vec<Option<u64>> = answers.iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        [
            None,
            Some(1),
            Some(2),
            Some(3),
            Some(4),
            None,
            Some(5),
            Some(6),
            Some(7),
            Some(8),
            Some(9)
        ]
    );
    assert_eq!(
        protocol_error(&answers[0]),
        "malformed request (expected value at line 1 column 1): received `hello there`"
    );
    assert!(
        protocol_error(&answers[1]).contains("missing field `type`"),
        "{:?}",
        answers[1]
    );
    assert!(
        protocol_error(&answers[2]).contains("unknown variant `launch`"),
        "{:?}",
        answers[2]
    );
    assert!(
        protocol_error(&answers[3]).contains("unknown function `JetFrobnicate`"),
        "{:?}",
        answers[3]
    );
    assert!(
        protocol_error(&answers[4]).contains("received `{\"id\":4,"),
        "{:?}",
        answers[4]
    );
    assert!(protocol_error(&answers[5]).contains("received `[1,2,3]`"));
    assert_eq!(
        protocol_error(&answers[6]),
        "`call` of JetTerm: no scenario is started; send `start` first"
    );
    assert_eq!(protocol_error(&answers[7]), "`end`: no scenario is started");
    assert!(matches!(answers[8].body, ResponseBody::Started { .. }));
    assert_eq!(
        protocol_error(&answers[9]),
        "`start` of s: a scenario is already started; send `end` first"
    );
    assert!(protocol_error(&answers[10]).contains("unknown variant `win95`"));
}

#[test]
fn invalid_utf8_and_overlong_lines_are_answered_not_fatal() {
    let mut input = b"\xff\xfe not utf-8\n".to_vec();
    input.extend_from_slice(b"{\"id\":1,\"type\":\"shutdown\"}\n");
    let (end, _, answers) = session(&input);
    assert_eq!(protocol_error(&answers[0]), "request is not UTF-8");
    assert_eq!(answers[1].body, ResponseBody::Bye);
    assert_eq!(end, ServeEnd::Shutdown);
}

#[test]
fn random_lines_never_panic_and_each_gets_one_answer() {
    // A small deterministic generator: no dependency, same input every run.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let pieces: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        "\"id\":",
        "1",
        "-1",
        "1e400",
        "\"type\":",
        "\"call\"",
        "\"start\"",
        "\"end\"",
        ",",
        "\"call\":",
        "{\"function\":\"JetTerm\",\"args\":[]}",
        "null",
        "\"\\u0000\"",
        "\"é\"",
        ":",
        "true",
        "{\"id\":1,\"type\":\"start\",\"scenario\":\"x\",\"version\":\"xp\"}",
    ];
    let mut input = String::new();
    let mut lines = 0;
    for _ in 0..2000 {
        let n = 1 + next() % 12;
        let line: String = (0..n)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect();
        input.push_str(&line);
        input.push('\n');
        lines += 1;
    }
    let (_, _, answers) = session(input.as_bytes());
    assert_eq!(answers.len(), lines);
}

#[test]
fn messages_about_huge_requests_stay_short() {
    let name = "J".repeat(1 << 20);
    let input = format!(
        "{{\"id\":1,\"type\":\"call\",\"call\":{{\"function\":\"{name}\",\"args\":[]}}}}\n"
    );
    let (_, _, answers) = session(input.as_bytes());
    let m = protocol_error(&answers[0]);
    assert!(m.len() < 1200, "{} bytes", m.len());
    assert!(
        m.starts_with("malformed request (unknown function `JJJ"),
        "{}",
        m.chars().take(100).collect::<String>()
    );
}
