//! Tests of the sequence generator.

use super::*;

#[test]
fn same_seed_same_sequences_other_seed_others() {
    let o = GenOptions::default();
    let a: Vec<_> = (0..50).map(|i| generate(7, i, &o)).collect();
    let b: Vec<_> = (0..50).map(|i| generate(7, i, &o)).collect();
    let c: Vec<_> = (0..50).map(|i| generate(8, i, &o)).collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn every_group_is_generated() {
    let o = GenOptions::default();
    let calls: std::collections::BTreeSet<String> = (0..500)
        .flat_map(|i| generate(2, i, &o).steps)
        .map(|s| s.call)
        .collect();
    for f in [
        "JetBackupInstance",
        "JetRestoreInstance",
        "JetReadFileInstance",
        "JetTruncateLogInstance",
        "JetTerm",
    ] {
        assert!(calls.contains(f), "{f} never generated: {calls:?}");
    }
}

#[test]
fn no_step_uses_a_name_not_bound_before() {
    let o = GenOptions::default();
    for i in 0..200 {
        let s = generate(1, i, &o);
        assert_eq!(s.clone().without_dangling(), s);
    }
}
