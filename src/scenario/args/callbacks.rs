//! Callback arguments: `"null"`, `"record"`, or a nested call.

use super::*;

/// `"null"`, `"record"`, or `{ nested = { call = ..., args... } }`.
pub(super) fn callback(
    cx: &mut Cx<'_>,
    env: &mut ArgEnv<'_>,
    name: &str,
    v: &Node<'_>,
) -> Option<ArgExpr> {
    match v.get_ref() {
        Value::String(s) if s == "null" => return Some(ArgExpr::Fixed(Arg::Callback(None))),
        Value::String(s) if s == "record" => {
            return Some(ArgExpr::Fixed(Arg::Callback(Some(Callback::default()))))
        }
        Value::Table(_) => {}
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
    let given: Vec<Entry<'_>> = tree::entries(nt).filter(|e| e.key != "call").collect();
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
