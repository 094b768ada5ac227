//! A call as people read it in failure reports: `JetEndExternalBackupInstance2($inst=0x10000,
//! grbit=JET_bitBackupEndAbort)`.

use crate::scenario::model::ArgExpr;
use jetconform_interface::functions::{BufferKind, ParamType};
use jetconform_interface::{grbits, Arg, Call, Text, INSTANCE_NIL};

/// Renders `call`; `exprs` (same order) says which arguments came from bindings.
pub fn call(call: &Call, exprs: Option<&[ArgExpr]>) -> String {
    let info = call.function.info();
    let args: Vec<String> = info
        .params
        .iter()
        .zip(&call.args)
        .enumerate()
        .map(|(i, (p, a))| {
            let bound = exprs.and_then(|e| e.get(i)).and_then(binding_name);
            let v = arg(p.ty, a);
            match bound {
                Some(n) => format!("{}=${n}={v}", p.name),
                None => format!("{}={v}", p.name),
            }
        })
        .collect();
    format!("{}({})", info.name, args.join(", "))
}

fn binding_name(e: &ArgExpr) -> Option<&str> {
    match e {
        ArgExpr::Handle(n)
        | ArgExpr::U32(n)
        | ArgExpr::I32(n)
        | ArgExpr::InOut(n)
        | ArgExpr::RawText(n)
        | ArgExpr::LogInfo(n) => Some(n),
        _ => None,
    }
}

fn handle(h: u64) -> String {
    match h {
        INSTANCE_NIL => "nil".into(),
        0 => "0".into(),
        h => format!("{h:#x}"),
    }
}

pub fn arg(ty: ParamType, a: &Arg) -> String {
    match (ty, a) {
        (ParamType::Grbit(group), Arg::U32(v)) => {
            let (names, rest) = grbits::describe(group, *v);
            let mut parts: Vec<String> = names.into_iter().map(String::from).collect();
            if rest != 0 || parts.is_empty() {
                parts.push(format!("{rest:#x}"));
            }
            parts.join("|")
        }
        (_, Arg::Handle(h)) => handle(*h),
        (_, Arg::U32(v)) => v.to_string(),
        (_, Arg::I32(v)) => v.to_string(),
        (_, Arg::U64(v)) => v.to_string(),
        (_, Arg::Str(None)) => "NULL".into(),
        (_, Arg::Str(Some(t))) => text(t),
        (_, Arg::Out(true)) => "&out".into(),
        (_, Arg::Out(false)) | (_, Arg::InOut(None)) => "NULL".into(),
        (_, Arg::InOut(Some(h))) => format!("&{}", handle(*h)),
        (_, Arg::Buffer(None)) => "NULL".into(),
        (ParamType::OutBuffer(kind), Arg::Buffer(Some(b))) => {
            let k = if kind == BufferKind::MultiString {
                "list "
            } else {
                ""
            };
            let off = if b.offset != 0 {
                format!(" +{}", b.offset)
            } else {
                String::new()
            };
            format!("[{k}{} B{off}]", b.size)
        }
        (_, Arg::Buffer(Some(b))) => format!("[{} B]", b.size),
        (_, Arg::LogInfo(None)) => "NULL".into(),
        (_, Arg::LogInfo(Some(li))) => format!(
            "{{cbSize {}, gen {}..{}}}",
            li.cb_size, li.gen_low, li.gen_high
        ),
        (_, Arg::RstMap(None))
        | (_, Arg::SetSysParams(None))
        | (_, Arg::RstInfo(None))
        | (_, Arg::Callback(None)) => "NULL".into(),
        (_, Arg::RstMap(Some(m))) => format!("[{} map entries]", m.len()),
        (_, Arg::SetSysParams(Some(p))) => format!("[{} params]", p.len()),
        (_, Arg::RstInfo(Some(_))) => "{JET_RSTINFO}".into(),
        (_, Arg::Callback(Some(c))) => match &c.nested {
            Some(n) => format!("callback{{{}}}", call(n, None)),
            None => "callback".into(),
        },
    }
}

fn text(t: &Text) -> String {
    match t {
        Text::Plain(s) | Text::Raw(s) => format!("{s:?}"),
        Text::Path {
            path,
            pad_to,
            trailing_separator,
        } => {
            let mut s = format!("{:?}", if path.is_empty() { "." } else { path });
            if *trailing_separator {
                s.insert(s.len() - 1, '/');
            }
            if let Some(n) = pad_to {
                s.push_str(&format!(" padded to {n} chars"));
            }
            s
        }
    }
}
