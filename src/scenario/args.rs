//! Arguments: from the `name = value` keys of a step to one `ArgExpr` per C parameter, in
//! catalogue order, defaults filled in (docs/scenario-format.md, "Arguments"; the
//! ParamType -> Arg table of `jetconform_interface::call`).

use super::bindings::{Kind, Scope, UseError};
use super::model::{ArgExpr, NestedCall};
use super::paths::escape_reason;
use super::source::Cx;
use super::suggest::did_you_mean;
use super::tree::{self, Entry, Node};
use jetconform_interface::functions::{
    BufferKind, Charset, FunctionInfo, Param, ParamDefault, ParamType, StrKind, FUNCTIONS,
};
use jetconform_interface::grbits::{self, GrbitGroup, GRBITS};
use jetconform_interface::sysparams::{self, ParamKind, SYSPARAMS};
use jetconform_interface::{
    Arg, Buffer, Call, Callback, Function, LogInfo, RstInfo, RstMapEntry, SysParamEntry, Text,
    INSTANCE_NIL,
};
use std::ops::Range;
use toml::de::DeValue;

/// What argument building needs besides the values.
pub struct ArgEnv<'s> {
    pub scope: &'s Scope,
    /// Functions called from callbacks (`nested`), for the default `versions`.
    pub nested: &'s mut Vec<Function>,
}

/// Sizes known after the first pass, for `SizeOf` defaults and the overflow check. A call
/// has one or two of each at most: short lists, searched in place.
#[derive(Default)]
struct Sizes {
    /// Buffer parameter -> its size (`None`: NULL).
    buffers: Vec<(&'static str, Option<u32>)>,
    /// List parameter -> its length (`None`: NULL).
    lists: Vec<(&'static str, Option<usize>)>,
    /// The paramid of the call, which decides whether szParam is a path.
    paramid: Option<u32>,
}

/// Builds the arguments of a call. `given` holds every key of the step that is not a step
/// keyword; keys naming no parameter are reported. `None` when anything was wrong.
fn lookup<'e, 'a>(by_name: &[(&str, &'e Entry<'a>)], name: &str) -> Option<&'e Entry<'a>> {
    by_name.iter().find(|(k, _)| *k == name).map(|(_, e)| *e)
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
    // A handful of parameters: a list searched in place beats hashing every key.
    let mut by_name: Vec<(&str, &Entry<'_>)> = Vec::with_capacity(given.len());
    // Parameters suggested for a misspelt key are not reported missing as well.
    let mut suggested: Vec<&str> = Vec::new();
    for e in given {
        if info.param(e.key).is_some() {
            by_name.push((e.key, e));
        } else {
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

    // First pass: everything but the sizes and szParam, which depend on other arguments.
    let mut sizes = Sizes::default();
    let mut args: Vec<Option<ArgExpr>> = vec![None; info.params.len()];
    for (i, p) in info.params.iter().enumerate() {
        if matches!(p.default, ParamDefault::SizeOf(_))
            || p.ty == ParamType::Str(StrKind::ParamValue)
        {
            continue;
        }
        args[i] = match lookup(&by_name, p.name) {
            Some(e) => given_arg(cx, env, info, p, e.value, &mut sizes),
            None if suggested.contains(&p.name) => None,
            None => default_arg(cx, info, p, &call_span, &mut sizes),
        };
    }
    for (i, p) in info.params.iter().enumerate() {
        if let ParamDefault::SizeOf(of) = p.default {
            args[i] = size_arg(
                cx,
                env,
                info,
                p,
                of,
                lookup(&by_name, p.name).map(|e| e.value),
                &sizes,
            );
        } else if p.ty == ParamType::Str(StrKind::ParamValue) {
            let path = sizes
                .paramid
                .and_then(sysparams::by_id)
                .is_some_and(|s| s.kind == ParamKind::Path);
            args[i] = match lookup(&by_name, p.name) {
                Some(e) => string_arg(cx, env.scope, p.name, path, e.value),
                None => Some(ArgExpr::Fixed(Arg::Str(None))),
            };
        }
    }
    if cx.count() > before {
        return None;
    }
    args.into_iter().collect()
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
        ParamType::Instance | ParamType::Sesid | ParamType::FileHandle | ParamType::ApiPtr => {
            Arg::Handle(0)
        }
        ParamType::Dbid | ParamType::ULong | ParamType::Grbit(_) | ParamType::ParamId => {
            Arg::U32(0)
        }
        ParamType::Long => Arg::I32(0),
        ParamType::U64 => Arg::U64(0),
        ParamType::Str(_) => Arg::Str(None),
        ParamType::InstanceOut
        | ParamType::SesidOut
        | ParamType::DbidOut
        | ParamType::FileHandleOut
        | ParamType::OutULong
        | ParamType::OutApiPtr
        | ParamType::OutLong => Arg::Out(false),
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
        ParamType::Instance | ParamType::Sesid | ParamType::FileHandle => {
            "a bound handle \"$name\", \"nil\" or a number"
        }
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
        | ParamType::DbidOut
        | ParamType::FileHandleOut
        | ParamType::OutULong
        | ParamType::OutApiPtr
        | ParamType::OutLong => "\"null\" (leave it out for a valid pointer)",
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
        ParamType::Instance | ParamType::Sesid | ParamType::FileHandle | ParamType::ApiPtr => {
            handle(cx, env.scope, p, v)
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
        | ParamType::DbidOut
        | ParamType::FileHandleOut
        | ParamType::OutULong
        | ParamType::OutApiPtr
        | ParamType::OutLong => {
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
                DeValue::String(s) if s == "null" => fixed(Arg::InOut(None)),
                DeValue::String(s) if s == "nil" => fixed(Arg::InOut(Some(INSTANCE_NIL))),
                DeValue::Integer(_) => fixed(Arg::InOut(Some(handle_number(cx, p.name, v)?))),
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

fn handle(cx: &mut Cx<'_>, scope: &Scope, p: &Param, v: &Node<'_>) -> Option<ArgExpr> {
    if let Some(name) = tree::binding(v.get_ref()) {
        return use_binding(cx, scope, name, v.span(), &[Kind::Handle])
            .then(|| ArgExpr::Handle(name.to_string()));
    }
    match v.get_ref() {
        DeValue::String(s) if s == "nil" => Some(ArgExpr::Fixed(Arg::Handle(INSTANCE_NIL))),
        DeValue::Integer(_) => Some(ArgExpr::Fixed(Arg::Handle(handle_number(cx, p.name, v)?))),
        _ => {
            expected(cx, v, p.name, describe(p.ty));
            None
        }
    }
}

/// A handle or pointer-sized number; negative numbers are the two's complement (-1 = nil).
fn handle_number(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Option<u64> {
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

/// A `long`. Numbers up to u32::MAX are accepted as their 32-bit two's complement (the
/// mirror of `u32_value`), so both read the same 32 bits.
fn i32_value(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Option<i32> {
    u32_value(cx, name, v).map(|u| u as i32)
}

/// The calls a grbit group belongs to, for "belongs to" messages.
fn group_calls(g: GrbitGroup) -> &'static str {
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
fn grbit(cx: &mut Cx<'_>, info: &FunctionInfo, group: GrbitGroup, v: &Node<'_>) -> Option<u32> {
    match v.get_ref() {
        DeValue::Array(items) => {
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

fn grbit_one(cx: &mut Cx<'_>, info: &FunctionInfo, group: GrbitGroup, v: &Node<'_>) -> Option<u32> {
    match v.get_ref() {
        DeValue::Integer(_) => u32_value(cx, "grbit", v),
        DeValue::String(name) => match grbits::by_name(name) {
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

fn paramid(cx: &mut Cx<'_>, v: &Node<'_>) -> Option<u32> {
    match v.get_ref() {
        DeValue::Integer(_) => u32_value(cx, "paramid", v),
        DeValue::String(name) => match sysparams::by_name(name) {
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

/// Checks a sandbox path and reports it if it escapes.
pub fn sandbox_path(cx: &mut Cx<'_>, name: &str, path: &str, span: Range<usize>) -> bool {
    match escape_reason(path) {
        None => true,
        Some(why) => {
            cx.error(
                span,
                format!("`{name}` leaves the sandbox: {path}"),
                why,
                Some(
                    "write paths relative to the trial's sandbox, `/`-separated, without `..`"
                        .into(),
                ),
            );
            false
        }
    }
}

/// A string parameter: text, a sandbox path, NULL, or a listed name echoed back.
fn string_arg(
    cx: &mut Cx<'_>,
    scope: &Scope,
    name: &str,
    path: bool,
    v: &Node<'_>,
) -> Option<ArgExpr> {
    if let Some(item) = tree::binding(v.get_ref()) {
        return use_binding(cx, scope, item, v.span(), &[Kind::Item])
            .then(|| ArgExpr::RawText(item.to_string()));
    }
    Some(ArgExpr::Fixed(Arg::Str(text_value(cx, name, path, v)?)))
}

/// A string value without bindings (also used inside structures). `Some(None)` is NULL.
fn text_value(cx: &mut Cx<'_>, name: &str, path: bool, v: &Node<'_>) -> Option<Option<Text>> {
    match v.get_ref() {
        DeValue::String(s) if s == "null" => Some(None),
        // The empty string is passed as it is, never turned into the sandbox folder: it is
        // how scenarios give ESENT an empty name (spec 6.3 step 5); the sandbox is ".".
        DeValue::String(s) if s.is_empty() => Some(Some(Text::Plain(String::new()))),
        DeValue::String(s) => {
            if path {
                sandbox_path(cx, name, s, v.span()).then(|| Some(plain_path(s)))
            } else {
                Some(Some(Text::Plain(s.to_string())))
            }
        }
        DeValue::Table(t) => text_table(cx, name, path, v, t),
        _ => {
            let what = if path {
                describe(ParamType::Str(StrKind::Path))
            } else {
                "a string or \"null\""
            };
            expected(cx, v, name, what);
            None
        }
    }
}

fn plain_path(s: &str) -> Text {
    Text::Path {
        path: s.to_string(),
        pad_to: None,
        trailing_separator: false,
    }
}

/// `{ text = "null" }` (literal text) or `{ path = ..., pad_to = ..., trailing_separator = ... }`.
fn text_table(
    cx: &mut Cx<'_>,
    name: &str,
    path: bool,
    v: &Node<'_>,
    t: &tree::Table<'_>,
) -> Option<Option<Text>> {
    let allowed: &[&str] = if path {
        &["path", "pad_to", "trailing_separator", "text"]
    } else {
        &["text"]
    };
    let before = cx.count();
    for e in tree::entries(t) {
        if !allowed.contains(&e.key) {
            cx.error(
                e.key_span.clone(),
                format!("unknown key `{}` in the value of `{name}`", e.key),
                "not allowed here",
                did_you_mean(e.key, allowed.iter().copied())
                    .or_else(|| Some(format!("allowed: {}", allowed.join(", ")))),
            );
        }
    }
    if let Some(e) = tree::get(t, "text") {
        let Some(s) = e.value.get_ref().as_str() else {
            expected(cx, e.value, "text", "a string");
            return None;
        };
        if path && !s.is_empty() {
            // A path given as literal text still may not leave the sandbox.
            return sandbox_path(cx, name, s, e.value.span()).then(|| Some(plain_path(s)));
        }
        return (cx.count() == before).then(|| Some(Text::Plain(s.to_string())));
    }
    let Some(p) = tree::get(t, "path") else {
        cx.error(
            v.span(),
            format!("the value of `{name}` needs `path`"),
            "no `path` key",
            Some("write { path = \"relative/path\", ... }".into()),
        );
        return None;
    };
    let Some(ps) = p.value.get_ref().as_str() else {
        expected(cx, p.value, "path", "a string");
        return None;
    };
    sandbox_path(cx, name, ps, p.value.span());
    let pad_to = tree::get(t, "pad_to").and_then(|e| u32_value(cx, "pad_to", e.value));
    let trailing_separator = match tree::get(t, "trailing_separator") {
        None => false,
        Some(e) => match e.value.get_ref().as_bool() {
            Some(b) => b,
            None => {
                expected(cx, e.value, "trailing_separator", "true or false");
                false
            }
        },
    };
    (cx.count() == before).then(|| {
        Some(Text::Path {
            path: ps.to_string(),
            pad_to,
            trailing_separator,
        })
    })
}

/// Reports keys of a structure that are not among `allowed`.
fn check_keys(cx: &mut Cx<'_>, what: &str, t: &tree::Table<'_>, allowed: &[&str]) {
    for e in tree::entries(t) {
        if !allowed.contains(&e.key) {
            cx.error(
                e.key_span.clone(),
                format!("unknown field `{}` of {what}", e.key),
                "no such field",
                did_you_mean(e.key, allowed.iter().copied())
                    .or_else(|| Some(format!("fields: {}", allowed.join(", ")))),
            );
        }
    }
}

fn buffer(cx: &mut Cx<'_>, scope: &Scope, name: &str, v: &Node<'_>) -> Option<Option<Buffer>> {
    if is_null(v) {
        return Some(None);
    }
    let Some(t) = v.get_ref().as_table() else {
        expected(
            cx,
            v,
            name,
            describe(ParamType::OutBuffer(BufferKind::Bytes)),
        );
        return None;
    };
    let before = cx.count();
    check_keys(
        cx,
        &format!("the buffer `{name}`"),
        t,
        &["size", "offset", "save_to"],
    );
    let size = match tree::get(t, "size") {
        Some(e) => u32_value(cx, "size", e.value),
        None => {
            cx.error(
                v.span(),
                format!("the buffer `{name}` needs a `size`"),
                "no size",
                Some("write { size = 65536 }".into()),
            );
            None
        }
    };
    let offset = tree::get(t, "offset").map_or(Some(0), |e| u32_value(cx, "offset", e.value));
    let save_to = match tree::get(t, "save_to") {
        None => None,
        Some(e) => match e.value.get_ref().as_str() {
            Some(s) => {
                // `{$log}` stands for the file name of a listed item, so a `for_each` over
                // the logs can save each one under its own name (spec 6.6 lists full paths).
                for item in save_to_placeholders(s) {
                    use_binding(cx, scope, item, e.value.span(), &[Kind::Item]);
                }
                sandbox_path(cx, "save_to", &s.replace("{$", "{"), e.value.span());
                Some(s.to_string())
            }
            None => {
                expected(cx, e.value, "save_to", "a sandbox path");
                None
            }
        },
    };
    if cx.count() > before {
        return None;
    }
    Some(Some(Buffer {
        size: size?,
        offset: offset?,
        save_to,
    }))
}

/// The binding names of the `{$name}` placeholders of a `save_to` path.
pub fn save_to_placeholders(s: &str) -> impl Iterator<Item = &str> {
    s.split("{$")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

fn loginfo(
    cx: &mut Cx<'_>,
    info: &FunctionInfo,
    name: &str,
    v: &Node<'_>,
) -> Option<Option<LogInfo>> {
    if is_null(v) {
        return Some(None);
    }
    let Some(t) = v.get_ref().as_table() else {
        expected(cx, v, name, describe(ParamType::LogInfo));
        return None;
    };
    let before = cx.count();
    check_keys(
        cx,
        "JET_LOGINFO",
        t,
        &["cbSize", "ulGenLow", "ulGenHigh", "szBaseName"],
    );
    let mut li = sized_loginfo(info);
    if let Some(e) = tree::get(t, "cbSize") {
        li.cb_size = u32_value(cx, "cbSize", e.value).unwrap_or(0);
    }
    if let Some(e) = tree::get(t, "ulGenLow") {
        li.gen_low = u32_value(cx, "ulGenLow", e.value).unwrap_or(0);
    }
    if let Some(e) = tree::get(t, "ulGenHigh") {
        li.gen_high = u32_value(cx, "ulGenHigh", e.value).unwrap_or(0);
    }
    if let Some(e) = tree::get(t, "szBaseName") {
        match e.value.get_ref().as_str() {
            // spec 1.2: szBaseName[4], 3 characters and the NUL.
            Some(s) if s.chars().count() <= 3 => li.base_name = s.to_string(),
            Some(_) => cx.error(
                e.value.span(),
                "szBaseName has room for 3 characters",
                "too long",
                Some("JET_BASE_NAME_LENGTH is 3 (spec 1.2)".into()),
            ),
            None => expected(cx, e.value, "szBaseName", "a string"),
        }
    }
    (cx.count() == before).then_some(Some(li))
}

fn rstmap(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Option<Option<Vec<RstMapEntry>>> {
    if is_null(v) {
        return Some(None);
    }
    let Some(items) = v.get_ref().as_array() else {
        expected(cx, v, name, describe(ParamType::RstMap));
        return None;
    };
    let before = cx.count();
    let mut out = Vec::new();
    for item in items.iter() {
        let Some(t) = item.get_ref().as_table() else {
            expected(
                cx,
                item,
                name,
                "a table { szDatabaseName = ..., szNewDatabaseName = ... }",
            );
            continue;
        };
        check_keys(
            cx,
            "JET_RSTMAP",
            t,
            &["szDatabaseName", "szNewDatabaseName"],
        );
        let mut field = |key: &str| match tree::get(t, key) {
            None => None,
            Some(e) => text_value(cx, key, true, e.value).flatten(),
        };
        let database_name = field("szDatabaseName");
        let new_database_name = field("szNewDatabaseName");
        out.push(RstMapEntry {
            database_name,
            new_database_name,
        });
    }
    (cx.count() == before).then_some(Some(out))
}

fn setsysparams(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Option<Option<Vec<SysParamEntry>>> {
    if is_null(v) {
        return Some(None);
    }
    let Some(items) = v.get_ref().as_array() else {
        expected(cx, v, name, describe(ParamType::SetSysParams));
        return None;
    };
    let before = cx.count();
    let mut out = Vec::new();
    for item in items.iter() {
        let Some(t) = item.get_ref().as_table() else {
            expected(cx, item, name, "a table { paramid = ..., lParam = ... }");
            continue;
        };
        check_keys(cx, "JET_SETSYSPARAM", t, &["paramid", "lParam", "sz"]);
        let Some(id_entry) = tree::get(t, "paramid") else {
            cx.error(
                item.span(),
                "JET_SETSYSPARAM needs a `paramid`",
                "no paramid",
                None,
            );
            continue;
        };
        let Some(paramid) = self::paramid(cx, id_entry.value) else {
            continue;
        };
        let lparam = match tree::get(t, "lParam") {
            None => 0,
            Some(e) => handle_number(cx, "lParam", e.value).unwrap_or(0),
        };
        let is_path = sysparams::by_id(paramid).is_some_and(|p| p.kind == ParamKind::Path);
        let sz = tree::get(t, "sz")
            .and_then(|e| text_value(cx, "sz", is_path, e.value))
            .flatten();
        out.push(SysParamEntry {
            paramid,
            lparam,
            sz,
        });
    }
    (cx.count() == before).then_some(Some(out))
}

fn rstinfo(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Option<Option<RstInfo>> {
    if is_null(v) {
        return Some(None);
    }
    let Some(t) = v.get_ref().as_table() else {
        expected(cx, v, name, describe(ParamType::RstInfo));
        return None;
    };
    let before = cx.count();
    check_keys(cx, "JET_RSTINFO", t, &["cbStruct", "rgrstmap", "pfnStatus"]);
    let cb_struct = match tree::get(t, "cbStruct") {
        Some(e) => u32_value(cx, "cbStruct", e.value),
        None => {
            cx.error(
                v.span(),
                "JET_RSTINFO needs `cbStruct`",
                "no cbStruct",
                None,
            );
            None
        }
    };
    let rstmap = tree::get(t, "rgrstmap")
        .and_then(|e| rstmap(cx, "rgrstmap", e.value))
        .flatten();
    let callback = match tree::get(t, "pfnStatus") {
        None => None,
        Some(e) => match e.value.get_ref().as_str() {
            Some("null") => None,
            Some("record") => Some(Callback::default()),
            _ => {
                expected(cx, e.value, "pfnStatus", "\"null\" or \"record\"");
                None
            }
        },
    };
    if cx.count() > before {
        return None;
    }
    Some(Some(RstInfo {
        cb_struct: cb_struct?,
        rstmap: rstmap.unwrap_or_default(),
        callback,
    }))
}

/// `"null"`, `"record"`, or `{ nested = { call = ..., args... } }`.
fn callback(cx: &mut Cx<'_>, env: &mut ArgEnv<'_>, name: &str, v: &Node<'_>) -> Option<ArgExpr> {
    match v.get_ref() {
        DeValue::String(s) if s == "null" => return Some(ArgExpr::Fixed(Arg::Callback(None))),
        DeValue::String(s) if s == "record" => {
            return Some(ArgExpr::Fixed(Arg::Callback(Some(Callback::default()))))
        }
        DeValue::Table(_) => {}
        _ => {
            expected(cx, v, name, describe(ParamType::Callback));
            return None;
        }
    }
    let t = v.get_ref().as_table()?;
    check_keys(cx, "a callback", t, &["nested"]);
    let Some(nested) = tree::get(t, "nested") else {
        cx.error(
            v.span(),
            "a callback table needs `nested`",
            "no nested call",
            Some("write { nested = { call = \"...\", ... } }".into()),
        );
        return None;
    };
    let Some(nt) = nested.value.get_ref().as_table() else {
        expected(
            cx,
            nested.value,
            "nested",
            "a table { call = \"...\", ... }",
        );
        return None;
    };
    let Some(call) = tree::get(nt, "call") else {
        cx.error(
            nested.value.span(),
            "a nested call needs `call`",
            "no call",
            None,
        );
        return None;
    };
    let info = function(cx, call.value)?;
    env.nested.push(info.function);
    let given: Vec<Entry<'_>> = tree::entries(nt)
        .into_iter()
        .filter(|e| e.key != "call")
        .collect();
    let args = build(cx, env, info, &given, call.key_span.clone(), &[])?;
    let fixed: Option<Vec<Arg>> = args
        .iter()
        .map(|a| match a {
            ArgExpr::Fixed(a) => Some(a.clone()),
            _ => None,
        })
        .collect();
    Some(match fixed {
        Some(args) => ArgExpr::Fixed(Arg::Callback(Some(Callback {
            nested: Some(Box::new(Call {
                function: info.function,
                args,
            })),
        }))),
        None => ArgExpr::Callback(Box::new(NestedCall {
            function: info.function,
            args,
        })),
    })
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
