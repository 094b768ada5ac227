//! Every message shown in `docs/protocol.md` is a valid message of the protocol, and every
//! call shown there has one argument of the right kind per parameter: people write runners
//! from those examples.

use jetconform_interface::functions::ParamType;
use jetconform_interface::protocol::{Hello, Request, Response};
use jetconform_interface::{Arg, Call};
use std::path::PathBuf;

fn fits(ty: ParamType, arg: &Arg) -> bool {
    use ParamType as T;
    match ty {
        T::Instance | T::Sesid | T::TableId | T::FileHandle | T::ApiPtr => {
            matches!(arg, Arg::Handle(_))
        }
        T::Dbid | T::ULong | T::Grbit(_) | T::ParamId | T::ColumnDef => {
            matches!(arg, Arg::U32(_))
        }
        T::Long => matches!(arg, Arg::I32(_)),
        T::U64 => matches!(arg, Arg::U64(_)),
        T::Str(_) => matches!(arg, Arg::Str(_)),
        T::InstanceOut
        | T::SesidOut
        | T::TableIdOut
        | T::DbidOut
        | T::FileHandleOut
        | T::OutULong
        | T::OutApiPtr
        | T::OutLong
        | T::OutNames => {
            matches!(arg, Arg::Out(_))
        }
        T::InstanceInOut => matches!(arg, Arg::InOut(_)),
        T::OutBuffer(_) => matches!(arg, Arg::Buffer(_)),
        T::LogInfo => matches!(arg, Arg::LogInfo(_)),
        T::RstMap => matches!(arg, Arg::RstMap(_)),
        T::SetSysParams => matches!(arg, Arg::SetSysParams(_)),
        T::RstInfo => matches!(arg, Arg::RstInfo(_)),
        T::Callback => matches!(arg, Arg::Callback(_)),
    }
}

fn check_call(call: &Call, line: &str) {
    let info = call.function.info();
    assert_eq!(
        call.args.len(),
        info.params.len(),
        "{}: wrong number of arguments in {line}",
        info.name
    );
    for (p, a) in info.params.iter().zip(&call.args) {
        assert!(
            fits(p.ty, a),
            "{}: {} is {:?}, given {a:?} in {line}",
            info.name,
            p.name,
            p.ty
        );
    }
    let nested = call.args.iter().filter_map(|a| match a {
        Arg::Callback(Some(cb)) => cb.nested.as_deref(),
        Arg::RstInfo(Some(ri)) => ri.callback.as_ref().and_then(|cb| cb.nested.as_deref()),
        _ => None,
    });
    for n in nested {
        check_call(n, line);
    }
}

#[test]
fn every_example_is_a_valid_message() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/protocol.md");
    let text = std::fs::read_to_string(path).expect("docs/protocol.md");
    let (mut requests, mut answers, mut calls, mut hellos) = (0, 0, 0, 0);
    let mut in_block = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block {
            continue;
        }
        let (side, json) = match line.split_once(' ') {
            Some((">", j)) => (Some('>'), j),
            Some(("<", j)) => (Some('<'), j),
            _ => (None, line),
        };
        if !json.starts_with('{') {
            continue;
        }
        if json.starts_with("{\"function\"") {
            let call: Call = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
            check_call(&call, json);
            calls += 1;
        } else if json.starts_with("{\"type\":\"hello\"") {
            let _: Hello = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
            hellos += 1;
        } else if json.starts_with("{\"type\":\"auth\"") {
            // The TCP transport's first line, before the protocol proper.
            let v: serde_json::Value =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
            let token = v["token"].as_str().expect("an auth line has a token");
            assert_eq!(
                format!("{json}\n"),
                jetconform_process::tcp::auth_line(token)
            );
        } else if json.contains("\"type\":\"launch\"") || json.contains("\"win95\"}") {
            // The deliberately malformed requests of the session that goes wrong.
        } else if side == Some('>')
            || (side.is_none() && serde_json::from_str::<Request>(json).is_ok())
        {
            let r: Request = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
            if let jetconform_interface::protocol::RequestBody::Call { call } = &r.body {
                check_call(call, json);
            }
            requests += 1;
        } else {
            let _: Response = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
            answers += 1;
        }
    }
    assert!(
        requests >= 20 && answers >= 20 && calls >= 7 && hellos >= 1,
        "{requests} {answers} {calls} {hellos}"
    );
}
