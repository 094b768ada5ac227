//! `repeat = { until = ..., max = ..., sum = ... }` of a call step (decided in
//! `verdict/repeat.rs`).

use super::model::Repeat;
use super::outputs::{no_such_output, scalar_output};
use super::source::Cx;
use super::suggest::did_you_mean;
use super::tree::{self, Node};
use jetconform_interface::functions::FunctionInfo;

/// `repeat = { until = { output = n }, max = n, sum = { output = "$name" } }`.
pub(super) fn repeat(cx: &mut Cx<'_>, info: &FunctionInfo, v: &Node<'_>) -> Option<Repeat> {
    let Some(t) = v.get_ref().as_table() else {
        cx.error(
            v.span(),
            "`repeat` is a table { until = ..., max = ..., sum = ... }",
            "expected a table",
            None,
        );
        return None;
    };
    let before = cx.count();
    let mut r = Repeat {
        until: Vec::new(),
        max: 1_000_000,
        sum: Vec::new(),
    };
    for e in tree::entries(t) {
        match e.key {
            "max" => match tree::int(e.value.get_ref())
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n > 0)
            {
                Some(n) => r.max = n,
                None => cx.error(
                    e.value.span(),
                    "`max` is a positive number of iterations",
                    "expected a number >= 1",
                    None,
                ),
            },
            "until" | "sum" => {
                let Some(inner) = e.value.get_ref().as_table() else {
                    cx.error(
                        e.value.span(),
                        format!("`{}` is a table {{ output = ... }}", e.key),
                        "expected a table",
                        None,
                    );
                    continue;
                };
                for o in tree::entries(inner) {
                    if !scalar_output(info, o.key) {
                        no_such_output(
                            cx,
                            info,
                            o.key,
                            o.key_span.clone(),
                            if e.key == "sum" { "sum" } else { "wait for" },
                        );
                        continue;
                    }
                    if e.key == "until" {
                        match tree::int(o.value.get_ref()).and_then(|n| i64::try_from(n).ok()) {
                            Some(n) => r.until.push((o.key.to_string(), n)),
                            None => cx.error(
                                o.value.span(),
                                "`until` compares with a number",
                                "expected a number",
                                None,
                            ),
                        }
                    } else {
                        match tree::binding(o.value.get_ref()) {
                            Some(name) => r.sum.push((o.key.to_string(), name.to_string())),
                            None => cx.error(
                                o.value.span(),
                                "`sum` binds a name written \"$name\"",
                                "expected \"$name\"",
                                None,
                            ),
                        }
                    }
                }
            }
            _ => cx.error(
                e.key_span.clone(),
                format!("unknown key `{}` in repeat", e.key),
                "not until, max or sum",
                did_you_mean(e.key, ["until", "max", "sum"]),
            ),
        }
    }
    (cx.count() == before).then_some(r)
}
