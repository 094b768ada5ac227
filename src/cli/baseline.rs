//! `jetconform baseline --from RESULTS --output FILE`: known divergences from a results file.

use super::exit::{invalid, Exit};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct BaselineArgs {
    /// A results file.
    #[arg(long, value_name = "RESULTS")]
    from: PathBuf,
    /// The baseline to write (TOML, or JSON when it ends in .json).
    #[arg(long, value_name = "FILE")]
    output: PathBuf,
}

pub(super) fn baseline(a: BaselineArgs) -> ExitCode {
    let file = match crate::results::load(&a.from) {
        Ok(f) => f,
        Err(e) => return invalid(e),
    };
    let (b, refused) = crate::baseline::from_results(&file);
    for r in &refused {
        eprintln!("warning: {r} did not fail on a result code and cannot be baselined");
    }
    match crate::baseline::save(&b, &a.output) {
        Ok(()) => {
            crate::output::sayln!(
                "wrote {} known divergence(s) to {}",
                b.known.len(),
                a.output.display()
            );
            Exit::Success.into()
        }
        Err(e) => invalid(e),
    }
}
