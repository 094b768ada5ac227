//! Structured arguments: buffers, JET_LOGINFO, restore maps, system parameters, JET_RSTINFO.

use super::*;

/// Reports keys of a structure that are not among `allowed`.
pub(super) fn check_keys(
    cx: &mut Cx<'_>,
    what: impl std::fmt::Display,
    t: &tree::Table<'_>,
    allowed: &[&str],
) {
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

pub(super) fn buffer(
    cx: &mut Cx<'_>,
    scope: &Scope,
    name: &str,
    v: &Node<'_>,
) -> Option<Option<Buffer>> {
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
        format_args!("the buffer `{name}`"),
        t,
        &["size", "offset", "save_to"],
    );
    let size = match tree::get(t, "size") {
        Some(e) => size_value(cx, "size", e.value),
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
    let offset = tree::get(t, "offset").map_or(Some(0), |e| size_value(cx, "offset", e.value));
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
    // Every runner allocates the buffer (size plus offset) for every call of the step.
    if let (Some(size), Some(offset)) = (size, offset) {
        let cap = super::super::limits::max_buffer_size();
        let total = u64::from(size) + u64::from(offset);
        if total > cap {
            let (key, span) = match tree::get(t, "size") {
                Some(e) if u64::from(size) > cap || tree::get(t, "offset").is_none() => {
                    ("size", e.value.span())
                }
                _ => (
                    "offset",
                    tree::get(t, "offset").map_or(v.span(), |e| e.value.span()),
                ),
            };
            cx.error(
                span,
                format!(
                    "the buffer `{name}` is larger than the cap of {}: {total} bytes",
                    super::super::limits::human(cap)
                ),
                format!("{key}: every runner allocates size + offset bytes per call"),
                Some(format!(
                    "buffers are at most {cap} bytes; to allow more, pass --max-buffer-size or set {}",
                    super::super::limits::MAX_BUFFER_SIZE_ENV
                )),
            );
        }
    }
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

pub(super) fn loginfo(
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

pub(super) fn rstmap(
    cx: &mut Cx<'_>,
    name: &str,
    v: &Node<'_>,
) -> Option<Option<Vec<RstMapEntry>>> {
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

pub(super) fn setsysparams(
    cx: &mut Cx<'_>,
    name: &str,
    v: &Node<'_>,
) -> Option<Option<Vec<SysParamEntry>>> {
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

pub(super) fn rstinfo(cx: &mut Cx<'_>, name: &str, v: &Node<'_>) -> Option<Option<RstInfo>> {
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
