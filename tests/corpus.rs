//! `cargo test` runs every trial of the corpus (every scenario under `cases/` on the mock,
//! for every version it applies to) as a test of its own, through libtest-mimic: `--list`,
//! name filters, `--exact`, `--skip`, `--format json` and `cargo nextest run` all work.
//!
//! A scenario that does not load is a failing test named `check::<file>` with the
//! diagnostic, so a broken corpus cannot pass silently.

use jetconform::exec::{run_trial, TrialResult};
use jetconform::output::human::{details, Style};
use jetconform::plan::{plan, VersionFilter};
use jetconform::scenario::{self, model::Scenario};
use jetconform::verdict::Outcome;
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::PathBuf;
use std::sync::Arc;

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
    let infos = vec![runner.info.clone()];
    let scenarios: Arc<Vec<Scenario>> = Arc::new(loaded.scenarios);
    let mock: Arc<dyn jetconform_interface::Runner> = runner.runner.clone();
    for t in plan(&scenarios, &infos, VersionFilter::Applicable) {
        let name = jetconform::exec::trial_name(&scenarios[t.scenario].id, "mock", t.version);
        let (scenarios, mock) = (scenarios.clone(), mock.clone());
        let skip = t.skip.clone();
        let test = Trial::test(name, move || {
            if let Some(why) = skip {
                return Err(Failed::from(format!("cannot run on the mock: {why}")));
            }
            judge(run_trial(
                &scenarios[t.scenario],
                mock.as_ref(),
                "mock",
                t.version,
            ))
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
