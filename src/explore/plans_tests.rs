//! A plan assembled from kept steps is the plan loading the sequence's text gives.

use super::Plans;
use crate::explore::generator::{generate, GenOptions};
use crate::explore::lockstep::load;
use crate::explore::write::{render, Expectations};
use jetconform_interface::WinVersion;

/// Every kind of sequence the generator makes: legacy setups, page sizes, no setup, many
/// misuses, long sequences; for one version and for two.
#[test]
fn assembled_plans_are_the_loaded_plans() {
    let options = [
        GenOptions::default(),
        GenOptions {
            legacy: 0.5,
            page_size: 0.5,
            setup: 0.5,
            misuse: 0.6,
            max_steps: 30,
            ..GenOptions::default()
        },
    ];
    for versions in [
        vec![WinVersion::Win10],
        vec![WinVersion::Xp, WinVersion::Win10],
    ] {
        let plans = Plans::new(versions.clone());
        for (k, o) in options.iter().enumerate() {
            for index in 0..400 {
                let seq = generate(k as u64 + 7, index, o);
                if seq.steps.is_empty() {
                    continue;
                }
                let text = render(&seq, &Expectations::Explore(versions.clone()), None);
                let loaded = load(&text).expect("a generated sequence loads");
                let planned = plans.plan(&seq).expect("and has a plan");
                assert_eq!(
                    format!("{planned:?}"),
                    format!("{loaded:?}"),
                    "sequence {index}:\n{text}"
                );
            }
        }
        let (assembled, loaded) = plans.counts();
        assert!(
            assembled > loaded,
            "most plans are assembled: {assembled} assembled, {loaded} loaded"
        );
    }
}
