//! Baselines are checked like scenarios: every key, trial name, step and code, with the
//! file, line and column of each problem and the closest accepted name. TOML baselines are
//! read through toml's spanned tree; JSON ones through a small parser that keeps the span of
//! every value (the file is valid JSON by then: serde_json said so).

use crate::scenario::diagnostic::{Diagnostic, Severity};
use jetconform_interface::errors::ERRORS;
use jetconform_interface::ErrorCode;
use std::ops::Range;
use std::path::Path;

/// A value of either format with the byte span of its text.
pub(super) struct Node {
    pub span: Range<usize>,
    pub v: V,
}

pub(super) enum V {
    Str(String),
    Int(i128),
    /// Floats, booleans, null, dates: only named in messages.
    Other(&'static str),
    /// `(key, key span, value)`, in file order.
    Table(Vec<(String, Range<usize>, Node)>),
    Array(Vec<Node>),
}

impl V {
    fn kind(&self) -> &'static str {
        match self {
            V::Str(_) => "a string",
            V::Int(_) => "an integer",
            V::Other(k) => k,
            V::Table(_) => "a table",
            V::Array(_) => "an array",
        }
    }
}

/// Where each entry of `known` is written (its table's start), and the problems found.
pub(super) struct Checked {
    pub entries: Vec<Range<usize>>,
    pub diagnostics: Vec<Diagnostic>,
}

const TOP_KEYS: &[&str] = &["runner", "known"];
const ENTRY_KEYS: &[&str] = &["trial", "fixture", "step", "item", "observed", "code"];

/// Checks a baseline's text (already known to parse as its format).
pub(super) fn check(path: &Path, text: &str, json: bool) -> Checked {
    let mut cx = Cx {
        path,
        text,
        diags: Vec::new(),
    };
    let root = if json {
        match Json::new(text).document() {
            Some(n) => n,
            None => {
                cx.error(0..0, "cannot read the baseline as JSON".into(), "", None);
                return cx.done(Vec::new());
            }
        }
    } else {
        match toml::de::DeTable::parse(text) {
            Ok(t) => {
                let span = t.span();
                from_toml_table(t.into_inner(), span)
            }
            Err(e) => {
                cx.error(
                    e.span().unwrap_or(0..0),
                    format!("invalid TOML: {}", e.message().trim()),
                    "",
                    None,
                );
                return cx.done(Vec::new());
            }
        }
    };
    let mut entries = Vec::new();
    let V::Table(top) = &root.v else {
        cx.error(
            root.span.clone(),
            "a baseline is a table with `known` entries".into(),
            "expected a table",
            None,
        );
        return cx.done(entries);
    };
    for (key, key_span, value) in top {
        match key.as_str() {
            "runner" => {
                if !matches!(value.v, V::Str(_)) {
                    cx.wrong_type(value, "runner", "a string");
                }
            }
            "known" => match &value.v {
                V::Array(items) => {
                    for item in items {
                        entries.push(item.span.clone());
                        entry(&mut cx, item);
                    }
                }
                _ => cx.wrong_type(value, "known", "an array of entries"),
            },
            other => cx.unknown_key(key_span, other, "top-level key of a baseline", TOP_KEYS),
        }
    }
    cx.done(entries)
}

fn entry(cx: &mut Cx<'_>, item: &Node) {
    let V::Table(fields) = &item.v else {
        cx.wrong_type(item, "a `known` entry", "a table");
        return;
    };
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _, _)| key == k)
            .map(|(_, _, v)| v)
    };
    for (key, key_span, _) in fields {
        if !ENTRY_KEYS.contains(&key.as_str()) {
            cx.unknown_key(key_span, key, "key of a baseline entry", ENTRY_KEYS);
        }
    }
    match get("trial") {
        None => cx.missing(item, "trial", "add trial = \"scenario[runner@version]\""),
        Some(n) => match &n.v {
            V::Str(s) if s.ends_with(']') && s.contains('[') => {}
            V::Str(s) => cx.error(
                n.span.clone(),
                format!("`{s}` is not a trial name"),
                "expected scenario[runner@version]",
                Some("trial names are written as `jetconform list` prints them".into()),
            ),
            _ => cx.wrong_type(n, "trial", "a string"),
        },
    }
    for key in ["fixture", "item"] {
        if let Some(n) = get(key) {
            if !matches!(n.v, V::Str(_)) {
                cx.wrong_type(n, key, "a string");
            }
        }
    }
    match get("step") {
        None => cx.missing(item, "step", "add step = N (the step's number in its file)"),
        Some(n) => match n.v {
            V::Int(i) if (1..=i128::from(u32::MAX)).contains(&i) => {}
            V::Int(_) => cx.error(
                n.span.clone(),
                "`step` is a step number, from 1".into(),
                "out of range",
                None,
            ),
            _ => cx.wrong_type(n, "step", "a number"),
        },
    }
    let code = match get("code") {
        None => None,
        Some(n) => match n.v {
            V::Int(i) => match i32::try_from(i) {
                Ok(c) => Some((c, n)),
                Err(_) => {
                    cx.error(
                        n.span.clone(),
                        "a JET_ERR is a 32-bit number".into(),
                        "out of range",
                        None,
                    );
                    return;
                }
            },
            _ => {
                cx.wrong_type(n, "code", "a number");
                return;
            }
        },
    };
    let Some(observed) = get("observed") else {
        cx.missing(
            item,
            "observed",
            "add observed = \"JET_errName\" (or \"not_exported\")",
        );
        return;
    };
    let V::Str(name) = &observed.v else {
        cx.wrong_type(observed, "observed", "a string");
        return;
    };
    let named = if name == "not_exported" {
        if let Some((_, n)) = code {
            cx.error(
                n.span.clone(),
                "a function that is not exported returns no code".into(),
                "observed is not_exported",
                Some("remove `code`".into()),
            );
        }
        return;
    } else if let Some(c) = ErrorCode::by_name(name) {
        c
    } else if let Some(c) = name
        .strip_prefix("JET_ERR(")
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|n| n.trim().parse::<i32>().ok())
    {
        ErrorCode(c)
    } else {
        let names = ERRORS
            .iter()
            .map(|e| e.name)
            .chain(["JET_errBackupAbortByCaller", "not_exported"]);
        cx.error(
            observed.span.clone(),
            format!("unknown error {name}"),
            "not a JET_ERR name",
            crate::scenario::did_you_mean(name, names).or_else(|| {
                Some("write a JET_ERR name, JET_ERR(n) for a number the catalogue lacks, or not_exported".into())
            }),
        );
        return;
    };
    match code {
        None => cx.error(
            item.span.clone(),
            format!("the entry for {name} has no `code`"),
            "no code",
            Some(format!("add code = {} (the number of {name})", named.0)),
        ),
        Some((c, n)) if c != named.0 => cx.error(
            n.span.clone(),
            format!("`code` {c} is not the number of {name} ({})", named.0),
            "contradicts `observed`",
            Some(format!(
                "write code = {} or observed = \"{}\"",
                named.0,
                ErrorCode(c)
                    .name()
                    .map_or_else(|| format!("JET_ERR({c})"), str::to_string)
            )),
        ),
        Some(_) => {}
    }
}

struct Cx<'a> {
    path: &'a Path,
    text: &'a str,
    diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn error(&mut self, span: Range<usize>, message: String, label: &str, help: Option<String>) {
        let (line, col) = position(self.text, span.start);
        self.diags.push(Diagnostic {
            file: self.path.to_path_buf(),
            line,
            col,
            span,
            message,
            label: label.into(),
            help,
            severity: Severity::Error,
        });
    }
    fn wrong_type(&mut self, n: &Node, what: &str, expected: &str) {
        self.error(
            n.span.clone(),
            format!(
                "wrong type for `{what}`: expected {expected}, found {}",
                n.v.kind()
            ),
            &format!("expected {expected}"),
            None,
        );
    }
    fn missing(&mut self, item: &Node, key: &str, help: &str) {
        self.error(
            item.span.clone(),
            format!("a baseline entry without `{key}`"),
            &format!("no `{key}`"),
            Some(help.into()),
        );
    }
    fn unknown_key(&mut self, span: &Range<usize>, key: &str, what: &str, keys: &[&str]) {
        self.error(
            span.clone(),
            format!("unknown {what} `{key}`"),
            "not allowed here",
            crate::scenario::did_you_mean(key, keys.iter().copied())
                .or_else(|| Some(format!("keys: {}", keys.join(", ")))),
        );
    }
    fn done(self, entries: Vec<Range<usize>>) -> Checked {
        Checked {
            entries,
            diagnostics: self.diags,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn position(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line as u32, text[start..offset].chars().count() as u32 + 1)
}

fn from_toml(v: toml::Spanned<toml::de::DeValue<'_>>) -> Node {
    use toml::de::DeValue;
    let span = v.span();
    let v = match v.into_inner() {
        DeValue::String(s) => V::Str(s.into_owned()),
        DeValue::Integer(i) => match i128::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => V::Int(n),
            Err(_) => V::Other("an integer out of range"),
        },
        DeValue::Float(_) => V::Other("a float"),
        DeValue::Boolean(_) => V::Other("a boolean"),
        DeValue::Datetime(_) => V::Other("a date"),
        DeValue::Array(a) => V::Array(a.into_iter().map(from_toml).collect()),
        DeValue::Table(t) => return from_toml_table(t, span),
    };
    Node { span, v }
}

fn from_toml_table(t: toml::de::DeTable<'_>, span: Range<usize>) -> Node {
    let mut fields: Vec<(String, Range<usize>, Node)> = t
        .into_iter()
        .map(|(k, v)| (k.get_ref().to_string(), k.span(), from_toml(v)))
        .collect();
    fields.sort_by_key(|(_, s, _)| s.start);
    Node {
        span,
        v: V::Table(fields),
    }
}

/// A JSON reader that keeps spans (for a text serde_json has accepted).
struct Json<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Json<'a> {
    fn new(text: &'a str) -> Json<'a> {
        Json { text, at: 0 }
    }
    fn document(&mut self) -> Option<Node> {
        self.value()
    }
    fn ws(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start().len();
    }
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }
    fn value(&mut self) -> Option<Node> {
        self.ws();
        let start = self.at;
        let v = match self.peek()? {
            b'{' => {
                self.at += 1;
                let mut fields = Vec::new();
                loop {
                    self.ws();
                    match self.peek()? {
                        b'}' => {
                            self.at += 1;
                            break;
                        }
                        b',' => self.at += 1,
                        b'"' => {
                            let ks = self.at;
                            let key = self.string()?;
                            let key_span = ks..self.at;
                            self.ws();
                            if self.peek()? != b':' {
                                return None;
                            }
                            self.at += 1;
                            fields.push((key, key_span, self.value()?));
                        }
                        _ => return None,
                    }
                }
                V::Table(fields)
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    match self.peek()? {
                        b']' => {
                            self.at += 1;
                            break;
                        }
                        b',' => self.at += 1,
                        _ => items.push(self.value()?),
                    }
                }
                V::Array(items)
            }
            b'"' => V::Str(self.string()?),
            _ => {
                let rest = &self.text[self.at..];
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))
                    .unwrap_or(rest.len());
                let word = &rest[..len];
                self.at += len;
                match word {
                    "true" | "false" => V::Other("a boolean"),
                    "null" => V::Other("null"),
                    w => match w.parse::<i128>() {
                        Ok(n) => V::Int(n),
                        Err(_) if w.parse::<f64>().is_ok() => V::Other("a float"),
                        Err(_) => return None,
                    },
                }
            }
        };
        Some(Node {
            span: start..self.at,
            v,
        })
    }
    /// A string literal at `self.at`, unescaped by serde_json.
    fn string(&mut self) -> Option<String> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut i = start + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => {
                    self.at = i + 1;
                    return serde_json::from_str(&self.text[start..=i]).ok();
                }
                _ => i += 1,
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_spans_point_at_values() {
        let text = "{\n  \"known\": [\n    { \"trial\": \"a[mock@xp]\", \"step\": 2, \"observed\": \"JET_errNoBakup\", \"code\": -520 }\n  ]\n}\n";
        let c = check(Path::new("b.json"), text, true);
        assert_eq!(c.entries.len(), 1);
        assert_eq!(c.diagnostics.len(), 1, "{:#?}", c.diagnostics);
        let d = &c.diagnostics[0];
        assert_eq!(&text[d.span.clone()], "\"JET_errNoBakup\"");
        assert_eq!((d.line, d.col), (3, 53));
        assert_eq!(d.help.as_deref(), Some("did you mean JET_errNoBackup?"));
    }
}
