//! Redo of the log: crash recovery at JetInit, and the roll-forward of restores.
//!
//! Recovery reads the generations from a starting position and re-applies what they logged
//! (`redo.rs`): a database the logs created and that is gone is created again (ESENT's
//! redo of `lrtypCreateDB`), and each `Redo` record is applied to its database unless the
//! database's pages already include it (their `applied` position). At the end the data is
//! in the pages and the databases are consistent (clean), and detached: ESENT detaches the
//! databases at the end of recovery unless `JET_bitKeepDbAttachedAtEndOfRecovery`.
//!
//! Errors, in the order they are checked (a checkpoint of another log stream than its
//! generation's: `JET_errBadCheckpointSignature` -532, esent.h's description, inferred):
//! * the current log missing while the checkpoint is in an archived generation, or a
//!   generation missing between the checkpoint's and the newest present →
//!   `JET_errMissingLogFile` -528 (spec 3: "recovery");
//! * a generation of another log stream than the checkpoint's → `JET_errBadLogSignature`
//!   -530 (esent.h's description; inferred: the spec does not cover soft recovery);
//! * a database a `Redo` record needs is missing, or has another signature →
//!   `JET_errAttachedDatabaseMismatch` -1216 (esent.h: "an outstanding database attachment
//!   ... database is missing or does not match attachment info"; inferred), unless
//!   `JET_bitReplayIgnoreMissingDB`, which skips it (documented for JetInit2);
//! * a database whose header names another log stream → `JET_errDatabaseLogSetMismatch`
//!   -539 (esent.h: "database does not belong with the current set of log files"; inferred);
//! * a database that needs generations newer than the newest log (its header's
//!   genMaxCommitted) → `JET_errRequiredLogFilesMissing` -543 (the esent.h description;
//!   the spec lists the code for snapshot truncation only; inferred).

use crate::backup::restore::RstMap;
use crate::engine::Engine;
use crate::files::checkpoint;
use crate::files::data::{self, DbData, Lsn};
use crate::files::db::{self, DbHeader};
use crate::files::log::{self as logf, RecordKind};
use crate::redo::{DbRecord, Redo};
use crate::status::{StatusFn, SNP_RESTORE, SNT_BEGIN, SNT_COMPLETE};
use jetconform_interface::grbits::bits;
use jetconform_interface::ErrorCode;
use std::collections::btree_map::{BTreeMap, Entry};
use std::path::{Path, PathBuf};

type E = ErrorCode;

/// How a replay finds the databases and what it forgives.
pub struct Replay<'a> {
    /// The database file for a path the logs name (`None`: not replayed, e.g. a restore
    /// map that leaves it out).
    pub map: &'a dyn Fn(&str) -> Option<PathBuf>,
    /// `JET_bitReplayIgnoreMissingDB`.
    pub ignore_missing: bool,
}

struct Open {
    path: PathBuf,
    header: DbHeader,
    data: DbData,
}

/// Re-applies the records of `gens` (generation, file) from `from` on, logged by the log
/// stream `signature`.
pub fn replay(
    gens: &[(u32, PathBuf)],
    from: Lsn,
    signature: u64,
    r: &Replay,
) -> Result<(), ErrorCode> {
    let last_gen = gens.last().map(|g| g.0).unwrap_or(0);
    let mut open: BTreeMap<u64, Open> = BTreeMap::new();
    let mut skipped: Vec<u64> = Vec::new();
    for (gen, file) in gens {
        match logf::read_header(file) {
            Ok(Some(h)) if h.signature != signature => return Err(E::JET_errBadLogSignature),
            Ok(Some(_)) => {}
            _ => return Err(E::JET_errLogFileCorrupt),
        }
        let records = logf::read_records(file).map_err(|_| E::JET_errLogFileCorrupt)?;
        for rec in records.into_iter().filter(|x| (*gen, x.index) >= from) {
            let lsn = (*gen, rec.index);
            match rec.kind {
                RecordKind::CreateDb => {
                    let Some(d) = DbRecord::decode(&rec.payload) else {
                        continue;
                    };
                    let Some(path) = (r.map)(&d.path) else {
                        continue;
                    };
                    if !path.exists() {
                        recreate(&path, &d, signature, *gen)?;
                    }
                }
                RecordKind::Redo => {
                    let Some(redo) = Redo::decode(&rec.payload) else {
                        return Err(E::JET_errLogFileCorrupt);
                    };
                    if skipped.contains(&redo.db) {
                        continue;
                    }
                    let o = match open.entry(redo.db) {
                        Entry::Occupied(e) => e.into_mut(),
                        Entry::Vacant(e) => match load(&redo, signature, last_gen, r)? {
                            Some(o) => e.insert(o),
                            None => {
                                skipped.push(redo.db);
                                continue;
                            }
                        },
                    };
                    if lsn > o.data.applied {
                        for op in &redo.ops {
                            crate::redo::apply(&mut o.data, op);
                        }
                        o.data.applied = lsn;
                    }
                }
                _ => {}
            }
        }
    }
    for o in open.into_values() {
        data::write(&o.path, &o.data).map_err(|_| E::JET_errDiskIO)?;
        let mut h = db::read_header(&o.path).map_err(|_| E::JET_errDiskIO)?;
        h.clean = true;
        h.gen_max_committed = h.gen_max_committed.max(o.header.gen_max_committed);
        db::write_header(&o.path, &h).map_err(|_| E::JET_errDiskIO)?;
    }
    Ok(())
}

fn recreate(path: &Path, d: &DbRecord, signature: u64, gen: u32) -> Result<(), ErrorCode> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|_| E::JET_errInvalidPath)?;
    }
    let hdr = DbHeader {
        page_size: d.page_size,
        pgno_last: db::INITIAL_DATA_PAGES,
        db_signature: d.db,
        log_signature: signature,
        gen_min_required: gen,
        gen_max_required: gen,
        gen_max_committed: gen,
        original_path: path.to_string_lossy().into_owned(),
        ..Default::default()
    };
    db::create(path, &hdr).map_err(|_| E::JET_errDiskIO)
}

fn load(redo: &Redo, signature: u64, last_gen: u32, r: &Replay) -> Result<Option<Open>, ErrorCode> {
    let Some(path) = (r.map)(&redo.path) else {
        return Ok(None);
    };
    let header = match db::read_header(&path) {
        Ok(h) if h.db_signature == redo.db => h,
        _ if r.ignore_missing => return Ok(None),
        _ => return Err(E::JET_errAttachedDatabaseMismatch),
    };
    if header.log_signature != signature && !header.recovery_off {
        return Err(E::JET_errDatabaseLogSetMismatch);
    }
    if header.gen_max_committed > last_gen {
        return Err(E::JET_errRequiredLogFilesMissing);
    }
    let data = data::read(&path).map_err(|_| E::JET_errDatabaseCorrupted)?;
    Ok(Some(Open { path, header, data }))
}

impl Engine {
    /// Crash recovery at JetInit (before the log stream is opened for writing): replays the
    /// generations from the checkpoint's position when the log holds records after it.
    ///
    /// With a `JET_RSTINFO` map (JetInit3), a database the logs name at `szDatabaseName` is
    /// recovered at `szNewDatabaseName`, and one the map leaves out is skipped unless
    /// `JET_bitReplayMissingMapEntryDB` (as JetExternalRestore recovers only mapped databases,
    /// spec 8.2; inferred for JetInit3). The status callback hears `(JET_snpRestore,
    /// JET_sntBegin)` and `(JET_snpRestore, JET_sntComplete)` around a replay, as restores'
    /// recoveries report (spec 7.2 step 8; inferred for JetInit3).
    pub(crate) fn recover_at_init(
        &mut self,
        idx: usize,
        grbit: u32,
        rstmap: &[RstMap],
        status: &mut StatusFn,
    ) -> Result<(), ErrorCode> {
        if !self.instances[idx].params.logging() {
            return Ok(());
        }
        let Ok(chk) = checkpoint::read(&self.checkpoint_path(idx)) else {
            // No checkpoint: a new log stream, or one a restore left to the next start.
            return Ok(());
        };
        let mut gens: Vec<(u32, PathBuf)> = self
            .archived_gens(idx)
            .into_iter()
            .filter(|g| *g >= chk.gen)
            .map(|g| (g, self.archived_log_path(idx, g)))
            .collect();
        let cur = self.current_log_path(idx);
        if let Ok(Some(h)) = logf::read_header(&cur) {
            if h.gen >= chk.gen && !gens.iter().any(|(g, _)| *g == h.gen) {
                gens.push((h.gen, cur.clone()));
            }
        }
        gens.sort_by_key(|g| g.0);
        match gens.first() {
            // The checkpoint's own generation must be there to start from (a restore that
            // leaves the logs elsewhere replays them itself).
            Some((g, _)) if *g == chk.gen => {}
            _ => return Ok(()),
        }
        // The checkpoint in an archived generation means the stream did not stop cleanly
        // (a clean stop puts it in the current one): the current log must be there.
        if gens.first().map(|g| g.1 != cur) == Some(true) && !cur.exists() {
            return Err(E::JET_errMissingLogFile);
        }
        for w in gens.windows(2) {
            if w[1].0 != w[0].0 + 1 {
                return Err(E::JET_errMissingLogFile);
            }
        }
        // A checkpoint of another log stream: -532 (esent.h's description; inferred).
        if let Ok(Some(h)) = logf::read_header(&gens[0].1) {
            if h.signature != chk.signature {
                return Err(E::JET_errBadCheckpointSignature);
            }
        }
        let root = self.root.clone();
        let pairs: Vec<(PathBuf, Option<PathBuf>)> = rstmap
            .iter()
            .filter_map(|m| {
                let from = crate::paths::resolve(&root, m.database_name.as_deref()?);
                let to = m
                    .new_database_name
                    .as_deref()
                    .map(|t| crate::paths::resolve(&root, t));
                Some((from, to))
            })
            .collect();
        let keep_unmapped = pairs.is_empty() || grbit & bits::JET_bitReplayMissingMapEntryDB != 0;
        let map = move |p: &str| {
            let logged = crate::paths::resolve(&root, p);
            match pairs
                .iter()
                .find(|(from, _)| crate::paths::same(from, &logged))
            {
                Some((_, to)) => to.clone(),
                None => keep_unmapped.then_some(logged),
            }
        };
        let r = Replay {
            map: &map,
            ignore_missing: grbit & bits::JET_bitReplayIgnoreMissingDB != 0,
        };
        self.notify(status, SNP_RESTORE, SNT_BEGIN, None);
        replay(&gens, (chk.gen, chk.index), chk.signature, &r)?;
        self.notify(status, SNP_RESTORE, SNT_COMPLETE, None);
        Ok(())
    }
}

/// The generations a restore replays: `lo..=hi` of the backup folder, then, as long as they
/// follow on and belong to the same stream, the generations of `roll_forward` (the instance's
/// log folder) and its current log (spec 7.2 step 8: "redo of the backup logs, then the logs
/// in the instance's log path if contiguous").
pub fn restore_gens(
    dir: &Path,
    names: &logf::LogNames,
    lo: u32,
    hi: u32,
    roll_forward: Option<&Path>,
    signature: u64,
) -> Vec<(u32, PathBuf)> {
    let mut gens: Vec<(u32, PathBuf)> = (lo..=hi)
        .map(|g| (g, dir.join(names.archived(g))))
        .filter(|(_, p)| p.is_file())
        .collect();
    let Some(rf) = roll_forward else { return gens };
    let same = |p: &Path, g: u32| matches!(logf::read_header(p), Ok(Some(h)) if h.signature == signature && h.gen == g);
    let mut next = hi + 1;
    loop {
        let p = rf.join(names.archived(next));
        if !same(&p, next) {
            break;
        }
        gens.push((next, p));
        next += 1;
    }
    let cur = rf.join(names.current());
    if same(&cur, next) {
        gens.push((next, cur));
    }
    gens
}

/// The restored file for a path the logs name, among `(original, restored)` pairs.
pub fn restored_path(pairs: &[(PathBuf, PathBuf)], logged: &str) -> Option<PathBuf> {
    pairs
        .iter()
        .find(|(orig, _)| crate::paths::same(orig, Path::new(logged)))
        .map(|(_, out)| out.clone())
}
