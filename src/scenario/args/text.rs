//! Text arguments: strings and sandbox paths.

use super::*;

/// Checks a sandbox path and reports it if it escapes, or if it is a name Windows reserves
/// (a device, a stream, a trailing dot or space) that the scenario does not pass on purpose.
pub fn sandbox_path(cx: &mut Cx<'_>, name: &str, path: &str, span: Range<usize>) -> bool {
    sandbox_path_as(cx, name, path, span, None)
}

/// [`sandbox_path`] with the value's `deliberate` flag, if it has one (and its span).
fn sandbox_path_as(
    cx: &mut Cx<'_>,
    name: &str,
    path: &str,
    span: Range<usize>,
    deliberate: Option<Range<usize>>,
) -> bool {
    // A C string ends at its first NUL: the ffi runner would open the part before it, the
    // mock the whole, so one scenario would name two files.
    if path.contains('\0') {
        cx.error(
            span,
            format!("`{name}` contains a NUL byte"),
            "a C path ends at the first NUL: runners would read different paths",
            Some("remove the \\u0000 from the path".into()),
        );
        return false;
    }
    match escape_reason(path) {
        None => match (reserved_reason(path), deliberate) {
            (None, None) => true,
            (Some(_), Some(flag)) => {
                // Passed on purpose: only runners that keep it inside the sandbox run it.
                let flag = cx.abs(&flag);
                cx.deliberate.get_or_insert(flag);
                true
            }
            (None, Some(flag)) => {
                cx.warn(
                    flag,
                    format!("`deliberate` on an ordinary path: {path}"),
                    "Windows does not reserve this name",
                    Some(
                        "remove `deliberate = true`: it keeps the scenario off runners that cannot take reserved names"
                            .into(),
                    ),
                );
                true
            }
            (Some(why), None) => {
                let shown = path.replace('"', "\\\"");
                cx.error(
                    span,
                    format!("`{name}` is a name Windows reserves: {path}"),
                    why,
                    Some(format!(
                        "rename it; to give the engine this name on purpose, write {{ path = \"{shown}\", deliberate = true }} (then only runners that keep such names inside the sandbox run the scenario)"
                    )),
                );
                false
            }
        },
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
pub(super) fn string_arg(
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
pub(super) fn text_value(
    cx: &mut Cx<'_>,
    name: &str,
    path: bool,
    v: &Node<'_>,
) -> Option<Option<Text>> {
    match v.get_ref() {
        Value::String(s) if s == "null" => Some(None),
        // The empty string is passed as it is, never turned into the sandbox folder: it is
        // how scenarios give ESENT an empty name (spec 6.3 step 5); the sandbox is ".".
        Value::String(s) if s.is_empty() => Some(Some(Text::Plain(String::new()))),
        Value::String(s) => {
            if path {
                sandbox_path(cx, name, s, v.span()).then(|| Some(plain_path(s)))
            } else {
                Some(Some(Text::Plain(s.to_string())))
            }
        }
        Value::Table(t) => text_table(cx, name, path, v, t),
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

pub(super) fn plain_path(s: &str) -> Text {
    Text::Path {
        path: s.to_string(),
        pad_to: None,
        trailing_separator: false,
    }
}

/// `{ text = "null" }` (literal text) or `{ path = ..., pad_to = ..., trailing_separator = ... }`.
pub(super) fn text_table(
    cx: &mut Cx<'_>,
    name: &str,
    path: bool,
    v: &Node<'_>,
    t: &tree::Table<'_>,
) -> Option<Option<Text>> {
    let allowed: &[&str] = if path {
        &["path", "pad_to", "trailing_separator", "text", "deliberate"]
    } else {
        &["text"]
    };
    let before = cx.count();
    let deliberate = match tree::get(t, "deliberate") {
        None => None,
        Some(e) => match e.value.get_ref().as_bool() {
            Some(true) => Some(e.key_span.start..e.value.span().end),
            Some(false) => None,
            None => {
                expected(cx, e.value, "deliberate", "true or false");
                None
            }
        },
    };
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
            return sandbox_path_as(cx, name, s, e.value.span(), deliberate)
                .then(|| Some(plain_path(s)));
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
    sandbox_path_as(cx, name, ps, p.value.span(), deliberate);
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
