//! `cargo test` runs every trial of the corpus (every scenario under `cases/` on the mock,
//! for every version it applies to) as a test of its own, through libtest-mimic: `--list`,
//! name filters, `--exact`, `--skip`, `--format json` and `cargo nextest run` all work.
//!
//! A scenario that does not load is a failing test named `check::<file>` with the
//! diagnostic, so a broken corpus cannot pass silently.

use jetconform::output::human::{details, Style};
use jetconform::plan::VersionFilter;
use jetconform::results::Trial as TrialResult;
use jetconform::scenario::{self, model::Scenario};
use jetconform::session::Session;
use jetconform::verdict::Outcome;
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::PathBuf;

fn main() {
    let args = Arguments::from_args();
    let cases = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cases");
    let loaded = scenario::load(&[cases]);
    let mut tests: Vec<Trial> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            let text = scenario::render(d, false);
            Trial::test(format!("check::{}", d.file.display()), move || {
                Err(Failed::from(text))
            })
        })
        .collect();

    let runner = jetconform::runners::build("mock").expect("the mock runner always builds");
    // The session plans the trials and runs each one; libtest-mimic schedules them.
    let scenarios: &'static [Scenario] = Box::leak(loaded.scenarios.into_boxed_slice());
    let session: &'static Session<'static> = Box::leak(Box::new(Session::plan(
        scenarios,
        vec![runner],
        VersionFilter::Applicable,
        None,
    )));
    for t in &session.trials {
        let name = session.trial_name(t);
        let test = Trial::test(name, move || {
            if let Some(why) = &t.skip {
                return Err(Failed::from(format!("cannot run on the mock: {why}")));
            }
            judge(session.run_one(t))
        });
        tests.push(test);
    }
    libtest_mimic::run(&args, tests).exit();
}

/// Pass and unknown (recorded, not judged) pass; everything else fails with the details.
fn judge(r: TrialResult) -> Result<(), Failed> {
    match r.outcome {
        Outcome::Pass | Outcome::Unknown => Ok(()),
        _ => Err(Failed::from(details(&r, &Style { color: false }))),
    }
}
