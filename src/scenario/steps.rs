//! Steps: calls with their `bind`, `check`, `repeat` and `expect`, and `for_each` loops,
//! scanned in order so that bindings are checked where they are used
//! (docs/scenario-format.md, "Steps").

use super::args::{self, ArgEnv};
use super::bindings::{Kind, Scope};
use super::checks::checks;
use super::expect::{self, ExpectEnv};
use super::model::{CallStep, ExpectedOutcome, ForEach, Step, StepKind};
use super::outputs::{no_such_output, output_kind};
use super::repeat::repeat;
use super::source::Cx;
use super::suggest::did_you_mean;
use super::tree::{self, Entry, Node};
use jetconform_interface::functions::FunctionInfo;
use jetconform_interface::{Function, Provenance, VersionSet};
use smallvec::SmallVec;
use std::ops::Range;

/// Keys of a call step that are not arguments.
pub const CALL_KEYS: &[&str] = &[
    "call", "expect", "provokes", "bind", "check", "repeat", "key",
];
/// Keys of a loop step.
pub const LOOP_KEYS: &[&str] = &["for_each", "do"];

/// What steps of one file share while they are resolved.
pub struct StepEnv<'e> {
    pub expect: &'e ExpectEnv,
    /// Set for the steps of a fixture file.
    pub fixture: Option<String>,
    /// Harness verbs used so far.
    pub verbs: Vec<Function>,
    /// Where the `fault` verb is first used, if it is (a span of the file, not of a slice).
    pub fault_at: Option<(std::sync::Arc<std::path::PathBuf>, Range<usize>)>,
    /// 1-based number of the last step of this file.
    pub counter: u32,
    /// The line of the step marked `key = true`, once one is.
    pub key_at: Option<u32>,
}

/// Resolves the `[[step]]` (or `[[step.do]]`) array `v`.
pub fn resolve_list(
    cx: &mut Cx<'_>,
    env: &mut StepEnv<'_>,
    scope: &mut Scope,
    v: &Node<'_>,
) -> Vec<Step> {
    let Some(items) = v.get_ref().as_array() else {
        cx.error(
            v.span(),
            format!(
                "steps are an array of tables, found {}",
                tree::kind(v.get_ref())
            ),
            "expected [[step]] tables",
            None,
        );
        return Vec::new();
    };
    // Sized once: a step is a large value, and growing would move every step made so far.
    let mut out = Vec::with_capacity(items.len());
    push_each(cx, env, scope, items, &mut out);
    out
}

/// [`resolve_list`] onto the end of `out`: a file's steps go straight into the scenario's
/// list (after its fixture's), not into a list of their own copied over after.
pub fn resolve_onto(
    cx: &mut Cx<'_>,
    env: &mut StepEnv<'_>,
    scope: &mut Scope,
    v: &Node<'_>,
    out: &mut Vec<Step>,
) {
    match v.get_ref().as_array() {
        Some(items) => {
            out.reserve(items.len());
            push_each(cx, env, scope, items, out);
        }
        None => out.extend(resolve_list(cx, env, scope, v)),
    }
}

fn push_each(
    cx: &mut Cx<'_>,
    env: &mut StepEnv<'_>,
    scope: &mut Scope,
    items: &tree::Array<'_>,
    out: &mut Vec<Step>,
) {
    for item in items.iter() {
        if let Some(step) = resolve_one(cx, env, scope, item) {
            out.push(step);
        }
    }
}

fn resolve_one(
    cx: &mut Cx<'_>,
    env: &mut StepEnv<'_>,
    scope: &mut Scope,
    item: &Node<'_>,
) -> Option<Step> {
    env.counter += 1;
    let number = env.counter;
    let Some(t) = item.get_ref().as_table() else {
        cx.error(
            item.span(),
            format!("a step is a table, found {}", tree::kind(item.get_ref())),
            "expected a table",
            None,
        );
        return None;
    };
    let call = tree::get(t, "call");
    let for_each = tree::get(t, "for_each");
    match (call, for_each) {
        (Some(_), Some(f)) => {
            cx.error(
                f.key_span.clone(),
                "a step is either a call or a for_each loop",
                "also has `call`",
                Some("put the call in the loop's [[step.do]]".into()),
            );
            None
        }
        (Some(c), None) => {
            let location = cx.location(&c.key_span);
            let kind = call_step(cx, env, scope, t, &c)?;
            Some(Step {
                location,
                fixture: env.fixture.clone(),
                number,
                kind: StepKind::Call(kind),
            })
        }
        (None, Some(f)) => {
            let location = cx.location(&f.key_span);
            let kind = loop_step(cx, env, scope, t, &f)?;
            Some(Step {
                location,
                fixture: env.fixture.clone(),
                number,
                kind: StepKind::ForEach(kind),
            })
        }
        (None, None) => {
            let span = tree::entries(t)
                .next()
                .map(|e| e.key_span)
                .unwrap_or_else(|| item.span());
            cx.error(
                span,
                "a step needs `call`",
                "no `call` in this step",
                Some("add call = \"JetXxx\" (or for_each = ...)".into()),
            );
            None
        }
    }
}

fn call_step(
    cx: &mut Cx<'_>,
    env: &mut StepEnv<'_>,
    scope: &mut Scope,
    t: &tree::Table<'_>,
    call: &Entry<'_>,
) -> Option<CallStep> {
    let before = cx.count();
    let info = args::function(cx, call.value)?;
    if info.function.name() == "fault" && env.fault_at.is_none() {
        env.fault_at = Some((cx.src.path.clone(), cx.abs(&call.value.span())));
    }
    if info.is_verb() && !env.verbs.contains(&info.function) {
        env.verbs.push(info.function);
    }
    // The step's own keys taken out of its entries in one pass, rather than a search of the
    // table for each of them; what stays is the arguments, in file order, in a list on the
    // stack (a step has a handful: one on the heap was an allocation per step).
    let mut own = OwnKeys::default();
    let given: SmallVec<[Entry<'_>; 8]> = tree::entries(t).filter(|e| !own.take(e)).collect();
    let mut nested = Vec::new();
    let mut arg_env = ArgEnv {
        scope,
        nested: &mut nested,
    };
    let args = args::build(
        cx,
        &mut arg_env,
        info,
        &given,
        call.key_span.clone(),
        CALL_KEYS,
    );

    sandbox_itself(cx, info, &given);

    let implicit = env.fixture.is_some() || info.is_verb();
    let expect = match &own.expect {
        Some(e) => expect::parse(
            cx,
            env.expect,
            e.key_span.clone(),
            e.value,
            implicit.then_some(Provenance::Source),
        ),
        None if implicit => Some(expect::success(env.expect, cx.location(&call.key_span))),
        None => {
            cx.error(
                call.key_span.clone(),
                format!("missing `expect` on {}", info.name),
                "what must this call return?",
                Some("add expect = \"JET_errSuccess\" (or the code the spec gives, with its provenance)".into()),
            );
            None
        }
    };
    if let Some(expectation) = &expect {
        not_exported_check(
            cx,
            env,
            info,
            expectation,
            own.expect
                .as_ref()
                .map(|e| e.key_span.clone())
                .unwrap_or(call.key_span.clone()),
        );
    }

    let bind = own
        .bind
        .as_ref()
        .map(|e| binds(cx, info, e.value))
        .unwrap_or_default();
    let checks = own
        .check
        .as_ref()
        .map(|e| checks(cx, scope, info, e.value))
        .unwrap_or_default();
    let repeat = own.repeat.as_ref().and_then(|e| repeat(cx, info, e.value));
    let provokes = own
        .provokes
        .as_ref()
        .map(|e| expect::provoked_codes(cx, e.value))
        .unwrap_or_default();
    let key = own.key.as_ref().is_some_and(|e| key_step(cx, env, info, e));

    // The outputs are bound once the call has run: the step's own arguments cannot use them.
    for (_, name, kind) in &bind {
        scope.bind(name, *kind, cx.location(&call.key_span));
    }
    if let Some(r) = &repeat {
        for (_, name) in &r.sum {
            scope.bind(name, Kind::Number, cx.location(&call.key_span));
        }
    }
    if cx.count() > before {
        return None;
    }
    Some(CallStep {
        function: info.function,
        args: args?,
        expect: expect?,
        // Most steps bind nothing, and collecting even an empty list in place cost more
        // than the test.
        bind: if bind.is_empty() {
            Vec::new()
        } else {
            bind.into_iter().map(|(o, n, _)| (o, n)).collect()
        },
        checks,
        repeat,
        provokes,
        key,
    })
}

/// The keys of a call step that are not arguments (`CALL_KEYS`; `call` itself is read before).
#[derive(Default)]
struct OwnKeys<'a> {
    expect: Option<Entry<'a>>,
    provokes: Option<Entry<'a>>,
    bind: Option<Entry<'a>>,
    check: Option<Entry<'a>>,
    repeat: Option<Entry<'a>>,
    key: Option<Entry<'a>>,
}

impl<'a> OwnKeys<'a> {
    /// Keeps `e` if it is one of the step's own keys: true for every key of `CALL_KEYS`.
    fn take(&mut self, e: &Entry<'a>) -> bool {
        let slot = match e.key {
            "expect" => &mut self.expect,
            "provokes" => &mut self.provokes,
            "bind" => &mut self.bind,
            "check" => &mut self.check,
            "repeat" => &mut self.repeat,
            "key" => &mut self.key,
            other => return CALL_KEYS.contains(&other),
        };
        *slot = Some(e.clone());
        true
    }
}

/// `key = true`: the step the scenario's title is about, which the reports show (one per
/// scenario, an ESENT call of the scenario's own).
fn key_step(cx: &mut Cx<'_>, env: &mut StepEnv<'_>, info: &FunctionInfo, e: &Entry<'_>) -> bool {
    let Some(on) = e.value.get_ref().as_bool() else {
        cx.error(
            e.value.span(),
            "`key` is true or false",
            "expected a boolean",
            Some("write key = true on the step the scenario is about".into()),
        );
        return false;
    };
    if !on {
        return false;
    }
    let why = if env.fixture.is_some() {
        Some("a fixture step is set-up: mark the scenario's own step instead")
    } else if info.is_verb() {
        Some("a harness verb acts on the sandbox: mark the ESENT call the scenario is about")
    } else {
        None
    };
    if let Some(why) = why {
        cx.error(
            e.key_span.clone(),
            format!("{} cannot be the key step", info.name),
            "not an ESENT call of the scenario",
            Some(why.into()),
        );
        return false;
    }
    let line = cx.location(&e.key_span).line;
    if let Some(first) = env.key_at {
        cx.error(
            e.key_span.clone(),
            "a second key step",
            format!("the key step is already the one at line {first}"),
            Some("keep key = true on one step".into()),
        );
        return false;
    }
    env.key_at = Some(line);
    true
}

/// spec 11.1: a version whose esent.dll lacks the function can only expect `not_exported`.
fn not_exported_check(
    cx: &mut Cx<'_>,
    env: &StepEnv<'_>,
    info: &FunctionInfo,
    expectation: &super::model::Expectation,
    span: Range<usize>,
) {
    if info.is_verb() {
        return;
    }
    let missing: VersionSet = env
        .expect
        .versions
        .iter()
        .filter(|v| *v < info.since)
        .filter(|v| {
            expectation
                .for_version(*v)
                .is_some_and(|e| e.outcome != ExpectedOutcome::NotExported)
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let exported = VersionSet::since(info.since).intersection(env.expect.versions);
    cx.error(
        span,
        format!(
            "{} is not exported by {} (exported since {}, spec 11.1)",
            info.name,
            missing.describe(),
            info.since
        ),
        format!("expects a result on {}", missing.describe()),
        Some(format!(
            "add `\"{}\" = \"not_exported\"` to expect, or narrow `versions` to `{}`",
            missing.describe(),
            if exported.is_empty() {
                format!("{}..", info.since)
            } else {
                exported.describe()
            }
        )),
    );
}

/// `bind = { output = "$name" }` -> (output, name, kind).
fn binds(cx: &mut Cx<'_>, info: &FunctionInfo, v: &Node<'_>) -> Vec<(String, String, Kind)> {
    let Some(t) = v.get_ref().as_table() else {
        cx.error(
            v.span(),
            "`bind` is a table { output = \"$name\" }",
            "expected a table",
            None,
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in tree::entries(t) {
        let kind = info.param(e.key).and_then(|(_, p)| output_kind(p.ty));
        let Some(kind) = kind else {
            no_such_output(cx, info, e.key, e.key_span.clone(), "bind");
            continue;
        };
        match tree::binding(e.value.get_ref()) {
            Some(name) => out.push((e.key.to_string(), name.to_string(), kind)),
            None => cx.error(
                e.value.span(),
                "a binding name is written \"$name\"",
                "expected \"$name\"",
                Some(format!("e.g. bind = {{ {} = \"$x\" }}", e.key)),
            ),
        }
    }
    out
}

fn loop_step(
    cx: &mut Cx<'_>,
    env: &mut StepEnv<'_>,
    scope: &mut Scope,
    t: &tree::Table<'_>,
    f: &Entry<'_>,
) -> Option<ForEach> {
    let before = cx.count();
    for e in tree::entries(t) {
        if !LOOP_KEYS.contains(&e.key) {
            cx.error(
                e.key_span.clone(),
                format!("unknown key `{}` in a for_each step", e.key),
                "a loop step has only for_each and do",
                Some("put calls and their keys in [[step.do]] tables".into()),
            );
        }
    }
    let Some(ft) = f.value.get_ref().as_table() else {
        cx.error(
            f.value.span(),
            "`for_each` is a table { in = \"$list\", as = \"$item\" }",
            "expected a table",
            None,
        );
        return None;
    };
    for e in tree::entries(ft) {
        if e.key != "in" && e.key != "as" {
            cx.error(
                e.key_span.clone(),
                format!("unknown key `{}` in for_each", e.key),
                "not in or as",
                did_you_mean(e.key, ["in", "as"]),
            );
        }
    }
    let name_of = |cx: &mut Cx<'_>, key: &str| -> Option<(String, Range<usize>)> {
        match tree::get(ft, key) {
            None => {
                cx.error(
                    f.value.span(),
                    format!("for_each needs `{key}`"),
                    format!("no `{key}`"),
                    Some("write for_each = { in = \"$list\", as = \"$item\" }".into()),
                );
                None
            }
            Some(e) => match tree::binding(e.value.get_ref()) {
                Some(n) => Some((n.to_string(), e.value.span())),
                None => {
                    cx.error(
                        e.value.span(),
                        format!("`{key}` is a binding written \"$name\""),
                        "expected \"$name\"",
                        None,
                    );
                    None
                }
            },
        }
    };
    let list = name_of(cx, "in");
    let item = name_of(cx, "as");
    if let Some((name, span)) = &list {
        args::use_binding(cx, scope, name, span.clone(), &[Kind::List]);
    }
    let Some(body) = tree::get(t, "do") else {
        cx.error(
            f.key_span.clone(),
            "for_each needs [[step.do]] steps",
            "no body",
            None,
        );
        return None;
    };
    // The item is visible in the body only (shadowing an outer name for that long).
    let (item_name, item_span) = item?;
    let shadowed = scope.remove(&item_name);
    scope.bind(&item_name, Kind::Item, cx.location(&item_span));
    let steps = resolve_list(cx, env, scope, body.value);
    scope.remove(&item_name);
    if let Some(b) = shadowed {
        scope.bind(&item_name, b.kind, b.at);
    }
    if cx.count() > before {
        return None;
    }
    Some(ForEach {
        list: list?.0,
        item: item_name,
        body: steps,
    })
}

/// `delete_dir` and `rename_dir` never act on the sandbox folder itself (`"."`): said when the
/// file loads (runners refuse it too, for names they listed).
fn sandbox_itself(cx: &mut Cx<'_>, info: &FunctionInfo, given: &[Entry<'_>]) {
    use jetconform_interface::Function;
    if !matches!(info.function, Function::delete_dir | Function::rename_dir) {
        return;
    }
    for e in given.iter().filter(|e| e.key == "path" || e.key == "from") {
        if e.value.get_ref().as_str().map(|s| s.trim_matches('/')) == Some(".") {
            cx.error(
                e.value.span(),
                format!("{} does not act on the sandbox folder itself", info.name),
                "the sandbox",
                Some("name a folder inside it, e.g. \"backup\"".into()),
            );
        }
    }
}
