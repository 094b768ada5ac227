//! Shrinking a difference to a minimal sequence: delete steps (halves, quarters, ... then
//! single steps; steps whose bindings are gone go with them), then simplify arguments
//! (grbits to fewer bits, buffers to plain round sizes, defaults instead of given values),
//! until nothing more can go. A candidate counts when its first difference is at the same
//! function with the same code pair (or the same output, or the same outcome pair).

use super::compare::Difference;
use super::generator::Sequence;
use super::lockstep::{Outcome, Pair};

/// The result of shrinking.
pub struct Shrunk {
    pub sequence: Sequence,
    /// The trials of the last accepted candidate.
    pub outcome: Outcome,
    pub difference: Difference,
    /// Candidates tried.
    pub tries: usize,
}

/// Whether `candidate` shows the same difference as `target`.
pub fn same(target: &Difference, candidate: &Difference) -> bool {
    candidate.function == target.function && candidate.kind.class() == target.kind.class()
}

/// Shrinks `seq`, whose run `outcome` shows `target`, trying at most `budget` candidates.
pub fn shrink(
    pair: &Pair,
    seq: Sequence,
    outcome: Outcome,
    target: &Difference,
    budget: usize,
) -> Shrunk {
    let mut best = Shrunk {
        sequence: cut(seq, target),
        outcome,
        difference: target.clone(),
        tries: 0,
    };
    let tries = std::cell::Cell::new(0usize);
    let test = |cand: Sequence, best: &mut Shrunk| -> bool {
        if tries.get() >= budget || cand == best.sequence || cand.steps.is_empty() {
            return false;
        }
        tries.set(tries.get() + 1);
        let Ok(run) = pair.run(&cand) else {
            return false;
        };
        match run.difference.clone() {
            Some(d) if same(target, &d) => {
                best.sequence = cut(cand, &d);
                best.difference = d;
                best.outcome = run;
                true
            }
            _ => false,
        }
    };
    loop {
        let mut changed = false;
        // Deletions: chunks of halving size, then single steps.
        let mut size = (best.sequence.steps.len() / 2).max(1);
        loop {
            let mut i = 0;
            while i < best.sequence.steps.len() {
                let mut cand = best.sequence.clone();
                let end = (i + size).min(cand.steps.len());
                cand.steps.drain(i..end);
                let cand = cand.without_dangling();
                if test(cand, &mut best) {
                    changed = true;
                } else {
                    i += size;
                }
            }
            if size == 1 {
                break;
            }
            size /= 2;
        }
        // Simpler arguments.
        let mut i = 0;
        while i < best.sequence.steps.len() {
            let mut k = 0;
            while k < best.sequence.steps.get(i).map_or(0, |s| s.args.len()) {
                let (name, value) = best.sequence.steps[i].args[k].clone();
                for alt in simpler(&name, &value) {
                    let mut cand = best.sequence.clone();
                    match alt {
                        Some(v) => cand.steps[i].args[k].1 = v,
                        None => {
                            cand.steps[i].args.remove(k);
                        }
                    }
                    let cand = cand.without_dangling();
                    if test(cand, &mut best) {
                        changed = true;
                        break;
                    }
                }
                k += 1;
            }
            i += 1;
        }
        if !changed || tries.get() >= budget {
            break;
        }
    }
    best.tries = tries.get();
    best
}

/// The sequence up to and including the differing step.
fn cut(mut seq: Sequence, d: &Difference) -> Sequence {
    seq.steps.truncate(d.index + 1);
    seq
}

/// Simpler values for an argument, simplest first; `None` leaves the argument out (its
/// default).
pub fn simpler(name: &str, value: &str) -> Vec<Option<String>> {
    let v = value.trim();
    let mut out = Vec::new();
    match name {
        "cb" | "szz" | "pv" => {
            out.push(None);
        }
        _ => {}
    }
    if name == "hfFile" && v.starts_with("\"$") {
        // ESENT's file handle is the slot index, always 0 (spec 5.1).
        out.push(Some("0".into()));
    }
    if name == "grbit" {
        if let Some(hex) = v.strip_prefix("0x") {
            if let Ok(bits) = u32::from_str_radix(hex, 16) {
                if bits.count_ones() > 1 {
                    for b in 0..32 {
                        if bits & (1 << b) != 0 {
                            out.push(Some(format!("{:#x}", 1u32 << b)));
                        }
                    }
                }
            }
        } else if v.starts_with('[') && v.contains(',') {
            for item in v.trim_matches(['[', ']']).split(',') {
                out.push(Some(format!("[{}]", item.trim())));
            }
        }
    }
    if v.starts_with("{ size") {
        if v.contains("offset") {
            if let Some(size) = v.split(',').next() {
                out.push(Some(format!("{} }}", size.trim())));
            }
        } else if v != "{ size = 65536 }" {
            out.push(Some("{ size = 65536 }".into()));
        }
    }
    if v.contains("pad_to") {
        out.push(Some("\"x\"".into()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::simpler;
    use crate::explore::generator::{setup, GenStep, Sequence};
    use crate::explore::lockstep::{Pair, Side};
    use jetconform_interface::WinVersion;

    fn side(spec: &str, version: WinVersion) -> Side {
        Side {
            entry: crate::runners::build(spec).expect("the mock builds"),
            version,
        }
    }

    /// XP documents -800 for an End with Abort, Windows 10 returns success (spec 11.2).
    /// Buried after the whole setup and a database read, the shrinker keeps only what the
    /// difference needs: an instance, JetInit, Begin and the End.
    #[test]
    fn shrinks_a_known_version_difference_to_its_four_calls() {
        let pair = Pair {
            a: side("mock@xp", WinVersion::Xp),
            b: side("mock@win10", WinVersion::Win10),
        };
        let st = "test";
        let mut steps = setup();
        steps.extend([
            GenStep::new("JetBeginExternalBackupInstance", st)
                .arg("instance", "\"$inst\"")
                .arg("grbit", "0"),
            GenStep::new("JetGetAttachInfoInstance", st).arg("instance", "\"$inst\""),
            GenStep::new("JetOpenFileInstance", st)
                .arg("instance", "\"$inst\"")
                .arg("szFileName", "\"db.edb\"")
                .bind("phfFile", "h1"),
            GenStep::new("JetReadFileInstance", st)
                .arg("instance", "\"$inst\"")
                .arg("hfFile", "\"$h1\"")
                .arg("pv", "{ size = 65536, offset = 512 }"),
            GenStep::new("JetStopBackupInstance", st).arg("instance", "\"$inst\""),
            GenStep::new("JetEndExternalBackupInstance2", st)
                .arg("instance", "\"$inst\"")
                .arg("grbit", "[\"JET_bitBackupEndAbort\"]"),
            GenStep::new("JetGetAttachInfoInstance", st).arg("instance", "\"$inst\""),
        ]);
        let seq = Sequence { steps };
        let run = pair.run(&seq).expect("the sequence loads");
        let d = run.difference.clone().expect("xp and win10 differ");
        assert_eq!(d.function, "JetEndExternalBackupInstance2");
        let shrunk = super::shrink(&pair, seq, run, &d, 500);
        let calls: Vec<&str> = shrunk
            .sequence
            .steps
            .iter()
            .map(|s| s.call.as_str())
            .collect();
        assert_eq!(
            calls,
            [
                "JetCreateInstance",
                "JetInit",
                "JetBeginExternalBackupInstance",
                "JetEndExternalBackupInstance2"
            ]
        );
        assert_eq!(
            shrunk.difference.kind.class(),
            "errBackupAbortByCaller vs JET_errSuccess"
        );
    }

    #[test]
    fn simpler_values() {
        assert_eq!(
            simpler("grbit", "0x5"),
            vec![Some("0x1".into()), Some("0x4".into())]
        );
        assert_eq!(
            simpler("pv", "{ size = 65536, offset = 512 }"),
            vec![None, Some("{ size = 65536 }".into())]
        );
        assert_eq!(simpler("hfFile", "\"$h1\""), vec![Some("0".into())]);
        assert!(simpler("instance", "\"$inst\"").is_empty());
    }
}
