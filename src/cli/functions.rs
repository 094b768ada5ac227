//! `jetconform functions [NAME]`: the function catalogue, or one function's parameters.

use super::exit::Exit;
use jetconform_interface::functions::FUNCTIONS;
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
            let i = f.info();
            let _ = writeln!(
                out,
                "{} (spec {}), exported since {} ({:?})",
                i.name, i.section, i.since, i.since_source
            );
            for p in i.params {
                let _ = writeln!(out, "  {:<32} {:?}  default: {:?}", p.name, p.ty, p.default);
            }
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
