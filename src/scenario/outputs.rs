//! The outputs of a function as scenarios name them: which can be bound (and to what kind
//! of value), which a `check` or a `repeat` can name, and the diagnostic for one that does
//! not exist.

use super::bindings::Kind;
use super::source::Cx;
use super::suggest::did_you_mean;
use jetconform_interface::functions::{BufferKind, FunctionInfo, ParamType};
use std::ops::Range;

/// What a binding of this output holds, if it can be bound.
pub(super) fn output_kind(ty: ParamType) -> Option<Kind> {
    match ty {
        ParamType::InstanceOut
        | ParamType::SesidOut
        | ParamType::TableIdOut
        | ParamType::FileHandleOut
        | ParamType::InstanceInOut
        // A JET_API_PTR: a value or an address the engine allocated (JetFreeBuffer takes it).
        | ParamType::OutApiPtr => Some(Kind::Handle),
        ParamType::DbidOut | ParamType::OutULong | ParamType::OutLong => Some(Kind::Number),
        // A column value reads as a list of one text (checked with `items`/`contains`).
        ParamType::OutBuffer(BufferKind::MultiString | BufferKind::Data) | ParamType::OutNames => {
            Some(Kind::List)
        }
        ParamType::LogInfo => Some(Kind::LogInfo),
        _ => None,
    }
}

pub(super) fn outputs(info: &FunctionInfo) -> Vec<&'static str> {
    info.params
        .iter()
        .filter(|p| checkable(p.ty))
        .map(|p| p.name)
        .collect()
}

/// Outputs a `check` can name: the bindable ones, data buffers, and status callbacks (the
/// result of their nested call).
pub(super) fn checkable(ty: ParamType) -> bool {
    output_kind(ty).is_some()
        || ty == ParamType::OutBuffer(BufferKind::Bytes)
        || ty == ParamType::Callback
}

pub(super) fn no_such_output(
    cx: &mut Cx<'_>,
    info: &FunctionInfo,
    key: &str,
    span: Range<usize>,
    what: &str,
) {
    let outs = outputs(info);
    let help = did_you_mean(key, outs.iter().copied()).or_else(|| {
        Some(if outs.is_empty() {
            format!("{} has no outputs", info.name)
        } else {
            format!("outputs of {}: {}", info.name, outs.join(", "))
        })
    });
    cx.error(
        span,
        format!("{} has no output `{key}` to {what}", info.name),
        "not an output",
        help,
    );
}

/// A single number `repeat` can sum or wait for.
pub(super) fn scalar_output(info: &FunctionInfo, name: &str) -> bool {
    info.param(name).is_some_and(|(_, p)| {
        matches!(
            p.ty,
            ParamType::OutULong
                | ParamType::OutApiPtr
                | ParamType::OutLong
                | ParamType::DbidOut
                | ParamType::OutBuffer(BufferKind::Bytes)
        )
    })
}
