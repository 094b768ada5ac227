//! Turns argument expressions into the values a runner receives, using the bindings.

use super::bindings::Bindings;
use crate::scenario::model::{ArgExpr, NestedCall, Value};
use jetconform_interface::{Arg, Call, Callback, Text};

pub fn resolve_all(exprs: &[ArgExpr], b: &Bindings) -> Result<Vec<Arg>, String> {
    // Sized once: collecting through `Result` would start from no capacity and grow.
    let mut out = Vec::with_capacity(exprs.len());
    resolve_into(exprs, b, &mut out)?;
    Ok(out)
}

/// [`resolve_all`] into a list the caller keeps (emptied first), so that a trial can use
/// one list for the arguments of all its calls.
pub fn resolve_into(exprs: &[ArgExpr], b: &Bindings, out: &mut Vec<Arg>) -> Result<(), String> {
    out.clear();
    out.reserve(exprs.len());
    for e in exprs {
        out.push(resolve(e, b)?);
    }
    Ok(())
}

pub fn resolve(expr: &ArgExpr, b: &Bindings) -> Result<Arg, String> {
    Ok(match expr {
        ArgExpr::Fixed(Arg::Buffer(Some(buf)))
            if buf.save_to.as_deref().is_some_and(|s| s.contains("{$")) =>
        {
            let mut buf = buf.clone();
            buf.save_to = buf.save_to.map(|s| fill_placeholders(&s, b)).transpose()?;
            Arg::Buffer(Some(buf))
        }
        ArgExpr::Fixed(a) => a.clone(),
        ArgExpr::Handle(n) => Arg::Handle(handle(b, n)?),
        ArgExpr::InOut(n) => Arg::InOut(Some(handle(b, n)?)),
        ArgExpr::U32(n) => match b.get(n)? {
            Value::U32(v) => Arg::U32(*v),
            Value::Handle(h) => Arg::U32(
                u32::try_from(*h).map_err(|_| format!("${n} = {h:#x} does not fit 32 bits"))?,
            ),
            other => return Err(format!("${n} holds {other:?}, not a number")),
        },
        ArgExpr::I32(n) => match b.get(n)? {
            Value::I32(v) => Arg::I32(*v),
            Value::U32(v) => Arg::I32(*v as i32),
            other => return Err(format!("${n} holds {other:?}, not a number")),
        },
        ArgExpr::RawText(n) => match b.get(n)? {
            Value::Text(t) => Arg::Str(Some(Text::Raw(t.clone()))),
            other => return Err(format!("${n} holds {other:?}, not a name")),
        },
        ArgExpr::LogInfo(n) => match b.get(n)? {
            Value::LogInfo(li) => Arg::LogInfo(Some(li.clone())),
            other => return Err(format!("${n} holds {other:?}, not a JET_LOGINFO")),
        },
        ArgExpr::Callback(nested) => Arg::Callback(Some(Callback {
            nested: Some(Box::new(nested_call(nested, b)?)),
        })),
    })
}

fn nested_call(n: &NestedCall, b: &Bindings) -> Result<Call, String> {
    Ok(Call {
        function: n.function,
        args: resolve_all(&n.args, b)?,
    })
}

fn handle(b: &Bindings, name: &str) -> Result<u64, String> {
    match b.get(name)? {
        Value::Handle(h) => Ok(*h),
        Value::U32(v) => Ok(*v as u64),
        other => Err(format!("${name} holds {other:?}, not a handle")),
    }
}

/// `backup/{$log}` -> `backup/edb00001.log`: each placeholder becomes the file name (last
/// component, either separator) of the listed item bound to that name.
fn fill_placeholders(template: &str, b: &Bindings) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find("{$") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let (name, tail) = after
            .split_once('}')
            .ok_or_else(|| format!("unclosed placeholder in {template}"))?;
        match b.get(name)? {
            Value::Text(t) => out.push_str(t.rsplit(['/', '\\']).next().unwrap_or(t)),
            other => return Err(format!("${name} holds {other:?}, not a listed name")),
        }
        rest = tail;
    }
    out.push_str(rest);
    Ok(out)
}
