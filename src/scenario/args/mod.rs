//! Arguments: from the `name = value` keys of a step to one `ArgExpr` per C parameter, in
//! catalogue order, defaults filled in (docs/scenario-format.md, "Arguments"; the
//! ParamType -> Arg table of `jetconform_interface::call`).

mod callbacks;
mod scalars;
mod structs;
mod text;

use callbacks::*;
use scalars::*;
use structs::*;
use text::*;

use super::bindings::{Kind, Scope, UseError};
use super::model::{ArgExpr, NestedCall};
use super::paths::{escape_reason, reserved_reason};
use super::source::Cx;
use super::suggest::did_you_mean;
use super::tree::{self, Entry, Node, Value};
use jetconform_interface::functions::{
    BufferKind, Charset, FunctionInfo, Param, ParamDefault, ParamType, StrKind, FUNCTIONS,
};
use jetconform_interface::grbits::{self, GrbitGroup, GRBITS};
use jetconform_interface::sysparams::{self, ParamKind, SYSPARAMS};
use jetconform_interface::{
    Arg, Buffer, Call, Callback, Function, LogInfo, RstInfo, RstMapEntry, SysParamEntry, Text,
    INSTANCE_NIL,
};
use smallvec::SmallVec;
use std::ops::Range;

/// What argument building needs besides the values.
pub struct ArgEnv<'s> {
    pub scope: &'s Scope,
    /// Functions called from callbacks (`nested`), for the default `versions`.
    pub nested: &'s mut Vec<Function>,
}

/// Sizes known after the first pass, for `SizeOf` defaults and the overflow check. A call
/// has one or two of each at most: short lists, searched in place, and kept on the stack
/// (a list on the heap was an allocation for every step with a buffer).
#[derive(Default)]
struct Sizes {
    /// Buffer parameter -> its size (`None`: NULL).
    buffers: SmallVec<[(&'static str, Option<u32>); 2]>,
    /// List parameter -> its length (`None`: NULL).
    lists: SmallVec<[(&'static str, Option<usize>); 2]>,
    /// The paramid of the call, which decides whether szParam is a path.
    paramid: Option<u32>,
}

/// Builds the arguments of a call. `given` holds every key of the step that is not a step
/// keyword; keys naming no parameter are reported. `None` when anything was wrong.
/// The given key named `name`. Searched among all the given keys, not only those naming a
/// parameter: `name` is always a parameter's, and keys are unique in a table, so the unknown
/// ones never match (and no separate list of the known ones need be built for each step).
fn lookup<'e, 'a>(given: &'e [Entry<'a>], name: &str) -> Option<&'e Entry<'a>> {
    given.iter().find(|e| e.key == name)
}

pub fn build(
    cx: &mut Cx<'_>,
    env: &mut ArgEnv<'_>,
    info: &'static FunctionInfo,
    given: &[Entry<'_>],
    call_span: Range<usize>,
    extra_keys: &[&str],
) -> Option<Vec<ArgExpr>> {
    let before = cx.count();
    // Parameters suggested for a misspelt key are not reported missing as well.
    let mut suggested: Vec<&str> = Vec::new();
    for e in given {
        if info.param(e.key).is_none() {
            let candidates = info
                .params
                .iter()
                .map(|p| p.name)
                .chain(extra_keys.iter().copied());
            if let Some(c) = super::suggest::closest(e.key, candidates.clone()) {
                suggested.push(c);
            }
            let help = did_you_mean(e.key, candidates).or_else(|| {
                Some(format!(
                    "{} takes {}",
                    info.name,
                    if info.params.is_empty() {
                        "no arguments".to_string()
                    } else {
                        info.params
                            .iter()
                            .map(|p| p.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ))
            });
            cx.error(
                e.key_span.clone(),
                format!("unknown argument `{}` for {}", e.key, info.name),
                "no such parameter",
                help,
            );
        }
    }

    // First pass: everything but the sizes and szParam, which depend on other arguments and
    // hold a placeholder until the second. One list, filled in place: a list of `Option`s
    // collected into another cost a second allocation per step.
    let placeholder = || ArgExpr::Fixed(Arg::Out(false));
    let mut sizes = Sizes::default();
    let mut missing = false;
    let mut args: Vec<ArgExpr> = Vec::with_capacity(info.params.len());
    for p in info.params {
        if matches!(p.default, ParamDefault::SizeOf(_))
            || p.ty == ParamType::Str(StrKind::ParamValue)
        {
            args.push(placeholder());
            continue;
        }
        let arg = match lookup(given, p.name) {
            Some(e) => given_arg(cx, env, info, p, e.value, &mut sizes),
            None if suggested.contains(&p.name) => None,
            None => default_arg(cx, info, p, &call_span, &mut sizes),
        };
        missing |= arg.is_none();
        args.push(arg.unwrap_or_else(placeholder));
    }
    for (i, p) in info.params.iter().enumerate() {
        let arg = if let ParamDefault::SizeOf(of) = p.default {
            size_arg(
                cx,
                env,
                info,
                p,
                of,
                lookup(given, p.name).map(|e| e.value),
                &sizes,
            )
        } else if p.ty == ParamType::Str(StrKind::ParamValue) {
            let path = sizes
                .paramid
                .and_then(sysparams::by_id)
                .is_some_and(|s| s.kind == ParamKind::Path);
            match lookup(given, p.name) {
                Some(e) => string_arg(cx, env.scope, p.name, path, e.value),
                None => Some(ArgExpr::Fixed(Arg::Str(None))),
            }
        } else {
            continue;
        };
        missing |= arg.is_none();
        args[i] = arg.unwrap_or_else(placeholder);
    }
    if missing || cx.count() > before {
        return None;
    }
    Some(args)
}

fn expected(cx: &mut Cx<'_>, v: &Node<'_>, param: &str, what: &str) {
    cx.error(
        v.span(),
        format!(
            "wrong type for `{param}`: expected {what}, found {}",
            tree::kind(v.get_ref())
        ),
        format!("expected {what}"),
        None,
    );
}

/// Reports a binding that is unbound or of the wrong kind; true when it is usable.
pub fn use_binding(
    cx: &mut Cx<'_>,
    scope: &Scope,
    name: &str,
    span: Range<usize>,
    kinds: &[Kind],
) -> bool {
    match scope.require(name, kinds) {
        Ok(_) => true,
        Err(UseError::Unbound { similar }) => {
            let help = similar.map(|s| format!("did you mean {s}?")).or_else(|| {
                Some(format!(
                    "bind it in an earlier step, e.g. `bind = {{ <output> = \"${name}\" }}`"
                ))
            });
            cx.error(
                span,
                format!("`${name}` is used before it is bound"),
                "not bound yet",
                help,
            );
            false
        }
        Err(UseError::WrongKind { found }) => {
            let wanted: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
            cx.error(
                span,
                format!(
                    "`${name}` holds {}, but {} is needed here",
                    found.kind,
                    wanted.join(" or ")
                ),
                format!("bound to {} at line {}", found.kind, found.at.line),
                None,
            );
            false
        }
    }
}

fn default_arg(
    cx: &mut Cx<'_>,
    info: &FunctionInfo,
    p: &Param,
    call_span: &Range<usize>,
    sizes: &mut Sizes,
) -> Option<ArgExpr> {
    let arg = match p.default {
        ParamDefault::Required => {
            cx.error(
                call_span.clone(),
                format!("missing argument `{}` of {}", p.name, info.name),
                format!("this call needs `{}`", p.name),
                Some(format!("add `{} = ...` ({})", p.name, describe(p.ty))),
            );
            return None;
        }
        ParamDefault::NullOrZero => null_or_zero(p.ty),
        ParamDefault::Present => match p.ty {
            ParamType::InstanceInOut => Arg::InOut(Some(0)),
            _ => Arg::Out(true),
        },
        ParamDefault::Buffer(size) => {
            sizes.buffers.push((p.name, Some(size)));
            Arg::Buffer(Some(Buffer {
                size,
                offset: 0,
                save_to: None,
            }))
        }
        ParamDefault::LogInfoSized => Arg::LogInfo(Some(sized_loginfo(info))),
        // Handled in the second pass.
        ParamDefault::SizeOf(_) => return None,
    };
    if let Arg::RstMap(None) | Arg::SetSysParams(None) = arg {
        sizes.lists.push((p.name, None));
    }
    if let Arg::Buffer(None) = arg {
        sizes.buffers.push((p.name, None));
    }
    Some(ArgExpr::Fixed(arg))
}

/// `cbSize` of the function's JET_LOGINFO variant (spec 1.2: A 16 bytes, W 20).
fn sized_loginfo(info: &FunctionInfo) -> LogInfo {
    let cb_size = if info.charset == Charset::W { 20 } else { 16 };
    LogInfo {
        cb_size,
        gen_low: 0,
        gen_high: 0,
        base_name: String::new(),
    }
}

fn null_or_zero(ty: ParamType) -> Arg {
    match ty {
        ParamType::Instance
        | ParamType::Sesid
        | ParamType::TableId
        | ParamType::FileHandle
        | ParamType::ApiPtr => Arg::Handle(0),
        ParamType::Dbid
        | ParamType::ULong
        | ParamType::Grbit(_)
        | ParamType::ParamId
        | ParamType::ColumnDef => Arg::U32(0),
        ParamType::Long => Arg::I32(0),
        ParamType::U64 => Arg::U64(0),
        ParamType::Str(_) => Arg::Str(None),
        ParamType::InstanceOut
        | ParamType::SesidOut
        | ParamType::TableIdOut
        | ParamType::DbidOut
        | ParamType::FileHandleOut
        | ParamType::OutULong
        | ParamType::OutApiPtr
        | ParamType::OutLong
        | ParamType::OutNames => Arg::Out(false),
        ParamType::InstanceInOut => Arg::InOut(None),
        ParamType::OutBuffer(_) => Arg::Buffer(None),
        ParamType::LogInfo => Arg::LogInfo(None),
        ParamType::RstMap => Arg::RstMap(None),
        ParamType::SetSysParams => Arg::SetSysParams(None),
        ParamType::RstInfo => Arg::RstInfo(None),
        ParamType::Callback => Arg::Callback(None),
    }
}

/// How to write a value of this type, for help texts.
pub fn describe(ty: ParamType) -> &'static str {
    match ty {
        ParamType::Instance | ParamType::Sesid | ParamType::TableId | ParamType::FileHandle => {
            "a bound handle \"$name\", \"nil\" or a number"
        }
        ParamType::ColumnDef => "a JET_coltypXxx name or a number",
        ParamType::Str(StrKind::Data) => "the value as a string, or \"null\"",
        ParamType::ApiPtr => "a number or a bound handle",
        ParamType::Dbid | ParamType::ULong | ParamType::Long | ParamType::U64 => {
            "a number or \"$name\""
        }
        ParamType::Grbit(_) => "grbit names and numbers: a list, a name or a number",
        ParamType::ParamId => "a JET_paramXxx name or a number",
        ParamType::Str(StrKind::Path) => "a sandbox path, \"null\" or a table { path = ... }",
        ParamType::Str(_) => "a string or \"null\"",
        ParamType::InstanceOut
        | ParamType::SesidOut
        | ParamType::TableIdOut
        | ParamType::DbidOut
        | ParamType::FileHandleOut
        | ParamType::OutULong
        | ParamType::OutApiPtr
        | ParamType::OutLong
        | ParamType::OutNames => "\"null\" (leave it out for a valid pointer)",
        ParamType::InstanceInOut => "\"$inst\", \"nil\", a number or \"null\"",
        ParamType::OutBuffer(_) => "{ size = ... } or \"null\"",
        ParamType::LogInfo => "{ cbSize = ... }, a bound \"$name\" or \"null\"",
        ParamType::RstMap => "[{ szDatabaseName = ..., szNewDatabaseName = ... }] or \"null\"",
        ParamType::SetSysParams => "[{ paramid = ..., lParam = ... }] or \"null\"",
        ParamType::RstInfo => "{ cbStruct = ... } or \"null\"",
        ParamType::Callback => "\"null\", \"record\" or { nested = { call = ... } }",
    }
}

fn is_null(v: &Node<'_>) -> bool {
    v.get_ref().as_str() == Some("null")
}

fn given_arg(
    cx: &mut Cx<'_>,
    env: &mut ArgEnv<'_>,
    info: &FunctionInfo,
    p: &Param,
    v: &Node<'_>,
    sizes: &mut Sizes,
) -> Option<ArgExpr> {
    let fixed = |a: Arg| Some(ArgExpr::Fixed(a));
    match p.ty {
        ParamType::Instance
        | ParamType::Sesid
        | ParamType::TableId
        | ParamType::FileHandle
        | ParamType::ApiPtr => handle(cx, env.scope, p, v),
        ParamType::ColumnDef => fixed(Arg::U32(coltyp(cx, p.name, v)?)),
        ParamType::Str(StrKind::Data) => {
            let a = string_arg(cx, env.scope, p.name, false, v)?;
            // The size that goes with the data defaults to its length, and may not exceed it.
            if let ArgExpr::Fixed(Arg::Str(t)) = &a {
                let len = t.as_ref().map(|t| match t {
                    Text::Plain(s) | Text::Raw(s) => s.len() as u32,
                    _ => 0,
                });
                sizes.buffers.push((p.name, len));
            }
            Some(a)
        }
        ParamType::Dbid | ParamType::ULong => match tree::binding(v.get_ref()) {
            Some(name) => use_binding(cx, env.scope, name, v.span(), &[Kind::Number])
                .then(|| ArgExpr::U32(name.to_string())),
            None => fixed(Arg::U32(u32_value(cx, p.name, v)?)),
        },
        ParamType::Long => match tree::binding(v.get_ref()) {
            Some(name) => use_binding(cx, env.scope, name, v.span(), &[Kind::Number])
                .then(|| ArgExpr::I32(name.to_string())),
            None => fixed(Arg::I32(i32_value(cx, p.name, v)?)),
        },
        ParamType::U64 => match tree::int(v.get_ref()) {
            Some(n) => match u64::try_from(n) {
                Ok(n) => fixed(Arg::U64(n)),
                Err(_) => {
                    cx.error(
                        v.span(),
                        format!("`{}` is out of range", p.name),
                        "not an unsigned 64-bit number",
                        None,
                    );
                    None
                }
            },
            None => {
                expected(cx, v, p.name, "a number");
                None
            }
        },
        ParamType::Grbit(group) => fixed(Arg::U32(grbit(cx, info, group, v)?)),
        ParamType::ParamId => {
            let id = paramid(cx, v)?;
            sizes.paramid = Some(id);
            fixed(Arg::U32(id))
        }
        ParamType::Str(kind) => string_arg(cx, env.scope, p.name, kind == StrKind::Path, v),
        ParamType::InstanceOut
        | ParamType::SesidOut
        | ParamType::TableIdOut
        | ParamType::DbidOut
        | ParamType::FileHandleOut
        | ParamType::OutULong
        | ParamType::OutApiPtr
        | ParamType::OutLong
        | ParamType::OutNames => {
            if is_null(v) {
                fixed(Arg::Out(false))
            } else {
                cx.error(
                    v.span(),
                    format!("`{}` is an output pointer: it takes only \"null\"", p.name),
                    "expected \"null\"",
                    Some(format!(
                        "leave it out for a valid pointer; to name what it returns use `bind = {{ {} = \"$name\" }}`",
                        p.name
                    )),
                );
                None
            }
        }
        ParamType::InstanceInOut => {
            if let Some(name) = tree::binding(v.get_ref()) {
                return use_binding(cx, env.scope, name, v.span(), &[Kind::Handle])
                    .then(|| ArgExpr::InOut(name.to_string()));
            }
            match v.get_ref() {
                Value::String(s) if s == "null" => fixed(Arg::InOut(None)),
                Value::String(s) if s == "nil" => fixed(Arg::InOut(Some(INSTANCE_NIL))),
                Value::Integer { .. } => fixed(Arg::InOut(Some(handle_number(cx, p.name, v)?))),
                _ => {
                    expected(cx, v, p.name, describe(p.ty));
                    None
                }
            }
        }
        ParamType::OutBuffer(_) => {
            let b = buffer(cx, env.scope, p.name, v)?;
            sizes.buffers.push((p.name, b.as_ref().map(|b| b.size)));
            fixed(Arg::Buffer(b))
        }
        ParamType::LogInfo => {
            if let Some(name) = tree::binding(v.get_ref()) {
                return use_binding(cx, env.scope, name, v.span(), &[Kind::LogInfo])
                    .then(|| ArgExpr::LogInfo(name.to_string()));
            }
            fixed(Arg::LogInfo(loginfo(cx, info, p.name, v)?))
        }
        ParamType::RstMap => {
            let map = rstmap(cx, p.name, v)?;
            sizes.lists.push((p.name, map.as_ref().map(Vec::len)));
            fixed(Arg::RstMap(map))
        }
        ParamType::SetSysParams => {
            let list = setsysparams(cx, p.name, v)?;
            sizes.lists.push((p.name, list.as_ref().map(Vec::len)));
            fixed(Arg::SetSysParams(list))
        }
        ParamType::RstInfo => fixed(Arg::RstInfo(rstinfo(cx, p.name, v)?)),
        ParamType::Callback => callback(cx, env, p.name, v),
    }
}
/// A `JET_COLUMNDEF` argument: its `JET_coltyp`, by name or number.
fn coltyp(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Option<u32> {
    use jetconform_interface::functions::COLTYPS;
    if let Some(s) = v.get_ref().as_str() {
        if let Some((_, n)) = COLTYPS.iter().find(|(k, _)| *k == s) {
            return Some(*n);
        }
        cx.error(
            v.span(),
            format!("unknown column type {s}"),
            "not a JET_coltyp name",
            did_you_mean(s, COLTYPS.iter().map(|(k, _)| *k)),
        );
        return None;
    }
    u32_value(cx, name, v)
}

/// Resolves a `call = "..."` value.
pub fn function(cx: &mut Cx<'_>, v: &Node<'_>) -> Option<&'static FunctionInfo> {
    let Some(name) = v.get_ref().as_str() else {
        expected(cx, v, "call", "a function or verb name");
        return None;
    };
    match Function::by_name(name) {
        Some(f) => Some(f.info()),
        None => {
            cx.error(
                v.span(),
                format!("unknown function {name}"),
                "not an ESENT export nor a harness verb",
                did_you_mean(name, FUNCTIONS.iter().map(|f| f.name)),
            );
            None
        }
    }
}

/// `SizeOf` parameters: given (checked against the buffer) or the size / length.
fn size_arg(
    cx: &mut Cx<'_>,
    env: &ArgEnv<'_>,
    info: &FunctionInfo,
    p: &Param,
    of: &'static str,
    given: Option<&Node<'_>>,
    sizes: &Sizes,
) -> Option<ArgExpr> {
    let known = sizes
        .buffers
        .iter()
        .find(|(k, _)| *k == of)
        .map(|(_, b)| b)
        .map(|b| b.unwrap_or(0) as usize)
        .or_else(|| {
            sizes
                .lists
                .iter()
                .find(|(k, _)| *k == of)
                .map(|(_, l)| l.unwrap_or(0))
        });
    let Some(v) = given else {
        let n = known.unwrap_or(0);
        return Some(ArgExpr::Fixed(match p.ty {
            ParamType::Long => Arg::I32(i32::try_from(n).unwrap_or(i32::MAX)),
            _ => Arg::U32(u32::try_from(n).unwrap_or(u32::MAX)),
        }));
    };
    if let Some(name) = tree::binding(v.get_ref()) {
        if !use_binding(cx, env.scope, name, v.span(), &[Kind::Number]) {
            return None;
        }
        return Some(match p.ty {
            ParamType::Long => ArgExpr::I32(name.to_string()),
            _ => ArgExpr::U32(name.to_string()),
        });
    }
    let value = match p.ty {
        ParamType::Long => i32_value(cx, p.name, v)? as i64,
        _ => u32_value(cx, p.name, v)? as i64,
    };
    // A size larger than the buffer given would let the engine write past it; a
    // deliberately short size is fine.
    if let Some((_, Some(size))) = sizes.buffers.iter().find(|(k, _)| *k == of) {
        if value > *size as i64 || value < 0 {
            cx.error(
                v.span(),
                format!(
                    "`{}` is larger than the buffer `{of}` of {} ({} bytes)",
                    p.name, info.name, size
                ),
                format!("the engine may write {} bytes into {size}", value as u32),
                Some(format!(
                    "give `{of}` at least {} bytes: {of} = {{ size = {} }}",
                    value as u32, value as u32
                )),
            );
            return None;
        }
    }
    // Likewise a count larger than the list given would make the engine read past it. A
    // count with a NULL list is a case of its own (spec 9: -1003) and stays allowed.
    if let Some((_, Some(len))) = sizes.lists.iter().find(|(k, _)| *k == of) {
        if value > *len as i64 {
            cx.error(
                v.span(),
                format!(
                    "`{}` is larger than the list `{of}` ({len} entries)",
                    p.name
                ),
                format!("the engine would read {value} entries"),
                Some(format!(
                    "leave `{}` out to pass the list's length, or give `{of}` = \"null\"",
                    p.name
                )),
            );
            return None;
        }
    }
    Some(ArgExpr::Fixed(match p.ty {
        ParamType::Long => Arg::I32(value as i32),
        _ => Arg::U32(value as u32),
    }))
}
