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

fn many(seed: u64, n: u64, o: &GenOptions) -> Vec<Sequence> {
    (0..n).map(|i| generate(seed, i, o)).collect()
}

fn is_legacy(call: &str) -> bool {
    jetconform_interface::Function::by_name(call)
        .is_some_and(|f| f.info().form == jetconform_interface::functions::Form::Legacy)
}

/// Spec 4.2: the legacy single-instance forms, each without an instance argument, after
/// JetInit(NULL); and, as a misuse, in a multi-instance process.
#[test]
fn legacy_forms_are_generated_without_an_instance() {
    let seqs = many(3, 600, &GenOptions::default());
    let mut calls = std::collections::BTreeSet::new();
    let (mut in_legacy, mut in_multi) = (0, 0);
    for s in &seqs {
        let single = s.steps.iter().any(|st| {
            st.call == "JetInit" && st.args.contains(&("pinstance".into(), "\"null\"".into()))
        });
        for st in s.steps.iter().filter(|st| is_legacy(&st.call)) {
            assert!(
                st.args.iter().all(|(n, _)| n != "instance"),
                "{st:?} keeps its instance"
            );
            calls.insert(st.call.clone());
            if single {
                in_legacy += 1;
            } else {
                in_multi += 1;
            }
        }
    }
    for f in [
        "JetBeginExternalBackup",
        "JetGetAttachInfo",
        "JetOpenFile",
        "JetReadFile",
        "JetCloseFile",
        "JetGetLogInfo",
        "JetTruncateLog",
        "JetEndExternalBackup",
        "JetStopBackup",
        "JetBackup",
    ] {
        assert!(
            calls.iter().any(|c| c.starts_with(f)),
            "{f} never generated: {calls:?}"
        );
    }
    assert!(in_legacy > 0 && in_multi > 0, "{in_legacy} {in_multi}");
    // Off, no sequence starts from the legacy setup.
    let o = GenOptions {
        legacy: 0.0,
        ..GenOptions::default()
    };
    assert!(many(3, 300, &o)
        .iter()
        .flat_map(|s| &s.steps)
        .all(|st| !(st.call == "JetInit" && st.args.iter().any(|(_, v)| v == "\"null\""))));
}

/// Spec 10.2, spec 9: every page size is set, always as the first call, before any
/// JetCreateInstance or JetInit sets the run mode.
#[test]
fn page_sizes_are_set_before_the_run_mode() {
    let seqs = many(4, 400, &GenOptions::default());
    let mut sizes = std::collections::BTreeSet::new();
    for s in &seqs {
        for (i, st) in s.steps.iter().enumerate() {
            let sets_size = st
                .args
                .contains(&("paramid".into(), "\"JET_paramDatabasePageSize\"".into()));
            if sets_size && st.args.contains(&("pinstance".into(), "\"null\"".into())) {
                assert_eq!(i, 0, "the page size is set after the run mode: {s:?}");
                sizes.insert(st.args[2].1.clone());
            }
        }
    }
    let all: std::collections::BTreeSet<String> = super::super::setups::PAGE_SIZES
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(sizes, all);
    let o = GenOptions {
        page_size: 0.0,
        ..GenOptions::default()
    };
    assert!(many(4, 300, &o)
        .iter()
        .all(|s| s.steps.first().is_none_or(|st| {
            !st.args
                .iter()
                .any(|(_, v)| v == "\"JET_paramDatabasePageSize\"")
                || !st.args.iter().any(|(_, v)| v == "\"null\"")
        })));
}

/// Spec 9, spec 5.7: JetTerm and JetTerm2 with each grbit while a backup is in progress
/// (database or log phase, a file open or not); `--weight term=0` turns them off.
#[test]
fn term_is_generated_during_a_backup() {
    let during = |o: &GenOptions| -> std::collections::BTreeSet<(String, String, String)> {
        many(5, 600, o)
            .into_iter()
            .flat_map(|s| s.steps)
            .filter(|st| st.call.starts_with("JetTerm"))
            .filter(|st| st.state.starts_with("online/S") && !st.state.starts_with("online/S0"))
            .map(|st| {
                let grbit = st
                    .args
                    .iter()
                    .find(|(n, _)| n == "grbit")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                (st.call, st.state[..9].to_string(), grbit)
            })
            .collect()
    };
    let seen = during(&GenOptions::default());
    for (call, grbit) in [
        ("JetTerm", ""),
        ("JetTerm2", "[\"JET_bitTermAbrupt\"]"),
        ("JetTerm2", "[\"JET_bitTermStopBackup\"]"),
        ("JetTerm2", "[\"JET_bitTermComplete\"]"),
        ("JetTerm2", "0x8"),
    ] {
        assert!(
            seen.iter().any(|(c, _, g)| c == call && g == grbit),
            "{call} {grbit} never during a backup: {seen:?}"
        );
    }
    for phase in ["online/SD", "online/SL"] {
        assert!(seen.iter().any(|(_, p, _)| p == phase), "{phase}: {seen:?}");
    }
    let mut o = GenOptions::default();
    o.weights.insert("term".into(), 0);
    assert!(during(&o).is_empty());
}

/// Spec 6.1 step 12, spec 10.4: an incremental Begin after a truncating full backup in the
/// same sequence, both after JetBackup and after a streamed full backup ended normally
/// after TruncateLog.
#[test]
fn incremental_follows_a_truncating_full_backup() {
    let incremental = |st: &GenStep| {
        st.call.starts_with("JetBeginExternalBackup")
            && st
                .args
                .iter()
                .any(|(_, v)| v.contains("JET_bitBackupIncremental"))
    };
    let (mut after_jetbackup, mut after_streamed) = (0, 0);
    for s in many(6, 2000, &GenOptions::default()) {
        let Some(at) = s.steps.iter().position(incremental) else {
            continue;
        };
        let before = &s.steps[..at];
        if before.iter().any(|st| {
            st.call.starts_with("JetBackup") && st.args.contains(&("grbit".into(), "0".into()))
        }) {
            after_jetbackup += 1;
        }
        let full = before.iter().rposition(|st| {
            st.call.starts_with("JetBeginExternalBackup")
                && st.args.contains(&("grbit".into(), "0".into()))
        });
        if let Some(f) = full {
            let rest = &before[f..];
            let truncate = rest
                .iter()
                .position(|st| st.call.starts_with("JetTruncateLog"));
            let end = rest.iter().rposition(|st| {
                st.call == "JetEndExternalBackup"
                    || st.call == "JetEndExternalBackupInstance"
                    || st
                        .args
                        .iter()
                        .any(|(_, v)| v.contains("JET_bitBackupEndNormal"))
            });
            if matches!((truncate, end), (Some(t), Some(e)) if t < e) {
                after_streamed += 1;
            }
        }
    }
    assert!(after_jetbackup > 0, "never after JetBackup");
    assert!(
        after_streamed > 0,
        "never after a streamed truncating backup"
    );
    // Without the group, incremental Begins are rarer.
    let count = |o: &GenOptions| {
        many(6, 600, o)
            .iter()
            .flat_map(|s| &s.steps)
            .filter(|st| incremental(st))
            .count()
    };
    let mut off = GenOptions::default();
    off.weights.insert("incremental".into(), 0);
    assert!(count(&GenOptions::default()) > count(&off));
}
