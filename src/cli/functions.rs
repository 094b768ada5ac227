//! `jetconform functions [NAME]`: the function catalogue, or one function's parameters in the
//! words of the scenario format (docs/scenario-format.md, "Arguments"): the C type, how a
//! step writes the argument, and what it gets when the step leaves it out.

use super::exit::Exit;
use jetconform_interface::functions::{
    BufferKind, FunctionInfo, ParamDefault, ParamType, StrKind, FUNCTIONS,
};
use jetconform_interface::grbits::GRBITS;
use std::io::Write;
use std::process::ExitCode;

pub(super) fn functions(name: Option<&str>) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let Some(n) = name else {
        for f in FUNCTIONS {
            let _ = writeln!(
                out,
                "{:<34} {:<8} since {:<10} spec {}",
                f.name,
                format!("{:?}", f.form).to_lowercase(),
                f.since,
                f.section
            );
        }
        return Exit::Success.into();
    };
    match jetconform_interface::Function::by_name(n) {
        Some(f) => {
            let _ = write!(out, "{}", describe(f.info()));
            Exit::Success.into()
        }
        None => {
            let best = FUNCTIONS
                .iter()
                .min_by_key(|f| strsim::levenshtein(f.name, n))
                .map(|f| f.name);
            eprintln!(
                "error: unknown function `{n}`{}",
                best.map(|b| format!("; did you mean {b}?"))
                    .unwrap_or_default()
            );
            Exit::Invalid.into()
        }
    }
}

/// One function: its spec section and first release, then per parameter its C type, how a
/// step writes it, and its default.
fn describe(i: &FunctionInfo) -> String {
    use jetconform_interface::functions::SinceSource;
    let since = match i.since_source {
        SinceSource::Documented => "documented",
        SinceSource::Header => "the header's JET_VERSION guard",
        SinceSource::Inferred => "inferred",
        SinceSource::Harness => "a harness verb",
    };
    let mut s = if i.is_verb() {
        format!(
            "{} (harness verb, spec {}): acts on the sandbox\n",
            i.name, i.section
        )
    } else {
        format!(
            "{} (spec {}), exported since {} ({since})\n",
            i.name, i.section, i.since
        )
    };
    if i.params.is_empty() {
        s.push_str("  no parameters\n");
        return s;
    }
    let width = i.params.iter().map(|p| p.name.len()).max().unwrap_or(0);
    for p in i.params {
        let (ty, how) = words(p.ty);
        s.push_str(&format!(
            "  {:<width$}  {ty}: {how}; {}\n",
            p.name,
            default_words(p.default, p.ty)
        ));
    }
    s
}

/// The C type of a parameter and how a step writes it.
fn words(ty: ParamType) -> (String, String) {
    let handle = "\"$name\" (a bound handle), \"nil\", 0 or any number";
    let number = "a number or \"$name\" (a bound number)";
    let (c, how) = match ty {
        ParamType::Instance => ("JET_INSTANCE", handle.to_string()),
        ParamType::Sesid => ("JET_SESID", handle.to_string()),
        ParamType::TableId => ("JET_TABLEID", handle.to_string()),
        ParamType::TableIdOut => ("JET_TABLEID* (output)", out_words()),
        ParamType::ColumnDef => (
            "const JET_COLUMNDEF*",
            "a column type name (\"JET_coltypLongText\"); the rest of the structure is filled in"
                .to_string(),
        ),
        ParamType::OutNames => (
            "list (output)",
            "leave out; bind = { entries = \"$list\" } keeps the names, check counts and patterns"
                .to_string(),
        ),
        ParamType::FileHandle => ("JET_HANDLE", handle.to_string()),
        ParamType::ApiPtr => ("JET_API_PTR", "a number or \"$name\"".to_string()),
        ParamType::InstanceInOut => (
            "JET_INSTANCE* (in/out)",
            "\"$inst\" (points at that handle), \"nil\", 0 or \"null\"; bind it to get the handle"
                .to_string(),
        ),
        ParamType::InstanceOut => ("JET_INSTANCE* (output)", out_words()),
        ParamType::SesidOut => ("JET_SESID* (output)", out_words()),
        ParamType::DbidOut => ("JET_DBID* (output)", out_words()),
        ParamType::FileHandleOut => ("JET_HANDLE* (output)", out_words()),
        ParamType::OutULong => ("unsigned long* (output)", out_words()),
        ParamType::OutApiPtr => ("JET_API_PTR* (output)", out_words()),
        ParamType::OutLong => ("long* (output)", out_words()),
        ParamType::Dbid => ("JET_DBID", number.to_string()),
        ParamType::ULong => (
            "unsigned long",
            format!("{number}; a negative number is its 32-bit two's complement"),
        ),
        ParamType::Long => ("long", number.to_string()),
        ParamType::U64 => ("unsigned __int64", "a number".to_string()),
        ParamType::Grbit(group) => {
            let names: Vec<&str> = GRBITS
                .iter()
                .filter(|g| g.group == group && g.public)
                .map(|g| g.name)
                .collect();
            let names = if names.is_empty() {
                "a number (the engine ignores it)".to_string()
            } else {
                format!("a list of names and numbers, one name or a number; names: {}", names.join(", "))
            };
            ("JET_GRBIT", names)
        }
        ParamType::ParamId => ("paramid", "a JET_paramXxx name or a number".to_string()),
        ParamType::Str(StrKind::Path) => (
            "path",
            "relative to the sandbox, /-separated (\"logs/edb00001.log\"), { path = ..., pad_to = N, trailing_separator = true }, \"$item\", or \"null\"".to_string(),
        ),
        ParamType::Str(StrKind::Text) => (
            "string",
            "\"text\", \"$item\", or \"null\" ({ text = \"null\" } for the four letters)".to_string(),
        ),
        ParamType::Str(StrKind::Data) => (
            "column value (const void* pvData, cbData)",
            "\"text\" (its bytes, no terminating NUL) or \"null\"".to_string(),
        ),
        ParamType::Str(StrKind::ParamValue) => (
            "string or path",
            "a path (relative to the sandbox) when paramid is a path parameter, text otherwise; \"null\"".to_string(),
        ),
        ParamType::OutBuffer(BufferKind::Bytes) => (
            "buffer (output)",
            "{ size = 65536 }, with offset = N (misaligned) and save_to = \"file\" (append what was read), or \"null\"".to_string(),
        ),
        ParamType::OutBuffer(BufferKind::Data) => (
            "column value buffer (output)",
            "{ size = 256 } or \"null\"; check = { pvData = { items = [\"text\"] } } reads the value as a one-item list".to_string(),
        ),
        ParamType::OutBuffer(BufferKind::MultiString) => (
            "list buffer (output)",
            "{ size = 4096 } or \"null\"; bind = { szz = \"$list\" } names the listed files".to_string(),
        ),
        ParamType::LogInfo => (
            "JET_LOGINFO*",
            "{ cbSize = 16, ulGenLow = 1, ulGenHigh = 3, szBaseName = \"edb\" } (fields left out: 0, \"\", the right cbSize), \"$li\" or \"null\"".to_string(),
        ),
        ParamType::RstMap => (
            "JET_RSTMAP*",
            "[{ szDatabaseName = \"db.edb\", szNewDatabaseName = \"restore/db.edb\" }] or \"null\"".to_string(),
        ),
        ParamType::SetSysParams => (
            "JET_SETSYSPARAM*",
            "[{ paramid = \"JET_paramCircularLog\", lParam = 1 }], with sz for text and paths, or \"null\"".to_string(),
        ),
        ParamType::RstInfo => (
            "JET_RSTINFO*",
            "{ cbStruct = 40, rgrstmap = [...], pfnStatus = \"record\" } or \"null\"".to_string(),
        ),
        ParamType::Callback => (
            "JET_PFNSTATUS",
            "\"null\", \"record\" (records its invocations) or { nested = { call = \"...\", ... } }".to_string(),
        ),
    };
    (c.to_string(), how)
}

fn out_words() -> String {
    "leave out (a valid pointer) or \"null\"; bind = { NAME = \"$x\" } keeps what it wrote".into()
}

/// What a step gets when it leaves the parameter out.
fn default_words(d: ParamDefault, ty: ParamType) -> String {
    match d {
        ParamDefault::Required => "required".into(),
        ParamDefault::NullOrZero => match ty {
            ParamType::Str(_)
            | ParamType::LogInfo
            | ParamType::RstMap
            | ParamType::SetSysParams
            | ParamType::RstInfo
            | ParamType::Callback => "default NULL".into(),
            _ => "default 0".into(),
        },
        ParamDefault::Present => "default: a valid pointer".into(),
        ParamDefault::Buffer(n) => format!("default: {n} bytes, page-aligned"),
        ParamDefault::SizeOf(other) => format!("default: the size of {other}"),
        ParamDefault::LogInfoSized => "default: the right cbSize (16 for A, 20 for W)".into(),
    }
}

#[cfg(test)]
mod tests {
    use jetconform_interface::Function;

    /// Parameters in the scenario format's words, not Rust's `Debug` of the catalogue.
    #[test]
    fn parameters_are_described_in_the_formats_words() {
        let f = Function::by_name("JetReadFileInstance").unwrap();
        let text = super::describe(f.info());
        assert!(
            text.starts_with("JetReadFileInstance (spec 6.4), exported since xp (documented)\n"),
            "{text}"
        );
        assert!(
            text.contains("  instance   JET_INSTANCE: \"$name\" (a bound handle)"),
            "{text}"
        );
        assert!(
            text.contains("  pv         buffer (output): { size = 65536 }"),
            "{text}"
        );
        assert!(
            text.contains("default: 65536 bytes, page-aligned"),
            "{text}"
        );
        assert!(
            text.contains("  cb         unsigned long: a number or \"$name\""),
            "{text}"
        );
        assert!(text.contains("default: the size of pv"), "{text}");
        for debug in [
            "OutBuffer(",
            "Required",
            "SizeOf(",
            "Present",
            "ULong",
            "FileHandle",
        ] {
            assert!(!text.contains(debug), "{debug} in {text}");
        }
        let end = super::describe(
            Function::by_name("JetEndExternalBackupInstance2")
                .unwrap()
                .info(),
        );
        assert!(
            end.contains("JET_GRBIT: a list of names and numbers"),
            "{end}"
        );
        assert!(end.contains("JET_bitBackupEndAbort"), "{end}");
    }
}
