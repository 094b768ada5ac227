//! Scalar arguments: handles, numbers, grbits and system parameter ids.

use super::*;

pub(super) fn handle(cx: &mut Cx<'_>, scope: &Scope, p: &Param, v: &Node<'_>) -> Option<ArgExpr> {
    if let Some(name) = tree::binding(v.get_ref()) {
        return use_binding(cx, scope, name, v.span(), &[Kind::Handle])
            .then(|| ArgExpr::Handle(name.to_string()));
    }
    match v.get_ref() {
        Value::String(s) if s == "nil" => Some(ArgExpr::Fixed(Arg::Handle(INSTANCE_NIL))),
        Value::Integer { .. } => Some(ArgExpr::Fixed(Arg::Handle(handle_number(cx, p.name, v)?))),
        _ => {
            expected(cx, v, p.name, describe(p.ty));
            None
        }
    }
}

/// A handle or pointer-sized number; negative numbers are the two's complement (-1 = nil).
pub(super) fn handle_number(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Option<u64> {
    let n = tree::int(v.get_ref())?;
    if let Ok(u) = u64::try_from(n) {
        return Some(u);
    }
    if let Ok(i) = i64::try_from(n) {
        return Some(i as u64);
    }
    cx.error(
        v.span(),
        format!("`{name}` is out of range"),
        "does not fit 64 bits",
        None,
    );
    None
}

/// An `unsigned long`. Negative numbers down to i32::MIN are accepted as their 32-bit two's
/// complement, so deliberately wrong sizes such as -1 can be written naturally.
pub fn u32_value(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Option<u32> {
    let Some(n) = tree::int(v.get_ref()) else {
        expected(cx, v, name, "a number");
        return None;
    };
    if let Ok(u) = u32::try_from(n) {
        Some(u)
    } else if let Ok(i) = i32::try_from(n) {
        Some(i as u32)
    } else {
        cx.error(
            v.span(),
            format!("`{name}` is out of range"),
            "does not fit 32 bits",
            None,
        );
        None
    }
}

/// A size or offset of a buffer the harness allocates: a number from 0 to u32::MAX. A
/// negative one is refused (read as 32 bits it would be a buffer of nearly 4 GiB).
pub fn size_value(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Option<u32> {
    let Some(n) = tree::int(v.get_ref()) else {
        expected(cx, v, name, "a number");
        return None;
    };
    if n < 0 {
        cx.error(
            v.span(),
            format!("`{name}` is negative"),
            "a buffer's size and offset are counted in bytes from 0",
            Some(format!(
                "write a number of bytes: {name} = {}",
                n.unsigned_abs()
            )),
        );
        return None;
    }
    u32_value(cx, name, v)
}

/// A `long`. Numbers up to u32::MAX are accepted as their 32-bit two's complement (the
/// mirror of `u32_value`), so both read the same 32 bits.
pub(super) fn i32_value(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Option<i32> {
    u32_value(cx, name, v).map(|u| u as i32)
}

/// The calls a grbit group belongs to, for "belongs to" messages.
pub(super) fn group_calls(g: GrbitGroup) -> &'static str {
    match g {
        GrbitGroup::Backup => "JetBackup* and JetBeginExternalBackup*",
        GrbitGroup::BackupEnd => "JetEndExternalBackupInstance2",
        GrbitGroup::Term => "JetTerm2",
        GrbitGroup::StopService => "JetStopServiceInstance2",
        GrbitGroup::Init => "JetInit2 and JetInit3",
        GrbitGroup::Database => "JetCreateDatabase and JetAttachDatabase",
        GrbitGroup::Unused => "calls whose grbit is unused",
    }
}

/// Grbits: a name, a number, or a list of both, OR-ed together (spec 2).
pub(super) fn grbit(
    cx: &mut Cx<'_>,
    info: &FunctionInfo,
    group: GrbitGroup,
    v: &Node<'_>,
) -> Option<u32> {
    match v.get_ref() {
        Value::Array(items) => {
            let mut value = 0u32;
            let mut ok = true;
            for item in items.iter() {
                match grbit_one(cx, info, group, item) {
                    Some(bits) => value |= bits,
                    None => ok = false,
                }
            }
            ok.then_some(value)
        }
        _ => grbit_one(cx, info, group, v),
    }
}

pub(super) fn grbit_one(
    cx: &mut Cx<'_>,
    info: &FunctionInfo,
    group: GrbitGroup,
    v: &Node<'_>,
) -> Option<u32> {
    match v.get_ref() {
        Value::Integer { .. } => u32_value(cx, "grbit", v),
        Value::String(name) => match grbits::by_name(name) {
            Some(g) if g.group == group => Some(g.value),
            Some(g) => {
                cx.error(
                    v.span(),
                    format!("{} is not a grbit of {}", g.name, info.name),
                    format!("a grbit of {}", group_calls(g.group)),
                    Some(format!(
                        "to pass this bit deliberately, write it as a number: {:#x}",
                        g.value
                    )),
                );
                None
            }
            None => {
                let own = GRBITS.iter().filter(|g| g.group == group).map(|g| g.name);
                let help = did_you_mean(name, own)
                    .or_else(|| did_you_mean(name, GRBITS.iter().map(|g| g.name)));
                cx.error(
                    v.span(),
                    format!("unknown grbit {name}"),
                    "not a JET_bit name",
                    help,
                );
                None
            }
        },
        _ => {
            expected(cx, v, "grbit", describe(ParamType::Grbit(group)));
            None
        }
    }
}

pub(super) fn paramid(cx: &mut Cx<'_>, v: &Node<'_>) -> Option<u32> {
    match v.get_ref() {
        Value::Integer { .. } => u32_value(cx, "paramid", v),
        Value::String(name) => match sysparams::by_name(name) {
            Some(p) => Some(p.id),
            None => {
                cx.error(
                    v.span(),
                    format!("unknown system parameter {name}"),
                    "not a JET_param name",
                    did_you_mean(name, SYSPARAMS.iter().map(|p| p.name))
                        .or_else(|| Some("write other parameters by number".into())),
                );
                None
            }
        },
        _ => {
            expected(cx, v, "paramid", describe(ParamType::ParamId));
            None
        }
    }
}
