//! A call as people read it in failure reports: `JetEndExternalBackupInstance2($inst=0x10000,
//! grbit=JET_bitBackupEndAbort)`.

use crate::scenario::model::ArgExpr;
use jetconform_interface::functions::{BufferKind, ParamType};
use jetconform_interface::{grbits, Arg, Call, Text, INSTANCE_NIL};
use std::fmt::Write as _;

/// Renders `call`; `exprs` (same order) says which arguments came from bindings. Every step
/// of every trial is rendered, so it writes into one string instead of joining pieces.
pub fn call(call: &Call, exprs: Option<&[ArgExpr]>) -> String {
    let mut out = String::with_capacity(96);
    let _ = write_call(&mut out, call, exprs);
    out
}

fn write_call(out: &mut String, call: &Call, exprs: Option<&[ArgExpr]>) -> std::fmt::Result {
    let info = call.function.info();
    out.push_str(info.name);
    out.push('(');
    for (i, (p, a)) in info.params.iter().zip(&call.args).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(p.name);
        out.push('=');
        if let Some(n) = exprs.and_then(|e| e.get(i)).and_then(binding_name) {
            out.push('$');
            out.push_str(n);
            out.push('=');
        }
        write_arg(out, p.ty, a)?;
    }
    out.push(')');
    Ok(())
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

fn write_handle(out: &mut String, h: u64) {
    match h {
        INSTANCE_NIL => out.push_str("nil"),
        h => {
            let _ = if h == 0 {
                write!(out, "0")
            } else {
                write!(out, "{h:#x}")
            };
        }
    }
}

/// `write!` into a String cannot fail: the results are only there for `?`.
fn write_arg(out: &mut String, ty: ParamType, a: &Arg) -> std::fmt::Result {
    match (ty, a) {
        (ParamType::Grbit(group), Arg::U32(v)) => {
            let (names, rest) = grbits::describe(group, *v);
            out.push_str(&names.join("|"));
            if rest != 0 || names.is_empty() {
                if !names.is_empty() {
                    out.push('|');
                }
                write!(out, "{rest:#x}")
            } else {
                Ok(())
            }
        }
        (_, Arg::Handle(h)) => {
            write_handle(out, *h);
            Ok(())
        }
        (_, Arg::U32(v)) => write!(out, "{v}"),
        (_, Arg::I32(v)) => write!(out, "{v}"),
        (_, Arg::U64(v)) => write!(out, "{v}"),
        (_, Arg::Str(Some(t))) => {
            write_text(out, t);
            Ok(())
        }
        (_, Arg::Out(true)) => write!(out, "&out"),
        (_, Arg::InOut(Some(h))) => {
            out.push('&');
            write_handle(out, *h);
            Ok(())
        }
        (ParamType::OutBuffer(kind), Arg::Buffer(Some(b))) => {
            let k = if kind == BufferKind::MultiString {
                "list "
            } else {
                ""
            };
            write!(out, "[{k}{} B", b.size)?;
            if b.offset != 0 {
                write!(out, " +{}", b.offset)?;
            }
            write!(out, "]")
        }
        (_, Arg::Buffer(Some(b))) => write!(out, "[{} B]", b.size),
        (_, Arg::LogInfo(Some(li))) => write!(
            out,
            "{{cbSize {}, gen {}..{}}}",
            li.cb_size, li.gen_low, li.gen_high
        ),
        (_, Arg::RstMap(Some(m))) => write!(out, "[{} map entries]", m.len()),
        (_, Arg::SetSysParams(Some(p))) => write!(out, "[{} params]", p.len()),
        (_, Arg::RstInfo(Some(_))) => write!(out, "{{JET_RSTINFO}}"),
        (_, Arg::Callback(Some(c))) => match &c.nested {
            Some(n) => {
                out.push_str("callback{");
                write_call(out, n, None)?;
                write!(out, "}}")
            }
            None => write!(out, "callback"),
        },
        (_, Arg::Str(None))
        | (_, Arg::Out(false))
        | (_, Arg::InOut(None))
        | (_, Arg::Buffer(None))
        | (_, Arg::LogInfo(None))
        | (_, Arg::RstMap(None))
        | (_, Arg::SetSysParams(None))
        | (_, Arg::RstInfo(None))
        | (_, Arg::Callback(None)) => write!(out, "NULL"),
    }
}

fn write_text(out: &mut String, t: &Text) {
    let _ = match t {
        Text::Plain(s) | Text::Raw(s) => write!(out, "{s:?}"),
        Text::Path {
            path,
            pad_to,
            trailing_separator,
        } => {
            let quoted = format!("{:?}", if path.is_empty() { "." } else { path });
            match trailing_separator {
                // The separator goes inside the quotes.
                true => write!(out, "{}/\"", &quoted[..quoted.len() - 1]),
                false => write!(out, "{quoted}"),
            }
            .and_then(|_| match pad_to {
                Some(n) => write!(out, " padded to {n} chars"),
                None => Ok(()),
            })
        }
    };
}
