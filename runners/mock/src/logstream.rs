//! The instance's log stream on disk: `<base>.log` is the current generation, archived
//! generations are `<base>XXXXX.log` (spec 10.1), the checkpoint `<base>.chk` sits in the
//! system folder.
//!
//! The checkpoint trails the current generation (spec 15.9): it advances on a log roll only
//! as far as the oldest unflushed page change allows, and to the current generation on a clean
//! termination. The mock's flush policy: the page changes logged in a generation are written
//! back at the roll that follows the one closing that generation, so after a roll the
//! checkpoint is the generation just closed if it logged page changes (commits, database
//! creation, attach, detach), else the new current one. The lag is one generation at most,
//! always within the checkpoint depth, which the mock therefore does not model as a bound.

use crate::engine::Engine;
use crate::files::checkpoint::{self, Checkpoint};
use crate::files::log::{self as logf, LogHeader, Record, RecordKind};
use jetconform_interface::ErrorCode;
use std::path::PathBuf;

impl Engine {
    pub(crate) fn current_log_path(&self, idx: usize) -> PathBuf {
        let i = &self.instances[idx];
        i.log.dir.join(i.params.names().current())
    }
    pub(crate) fn archived_log_path(&self, idx: usize, gen: u32) -> PathBuf {
        let i = &self.instances[idx];
        i.log.dir.join(i.params.names().archived(gen))
    }
    pub(crate) fn checkpoint_path(&self, idx: usize) -> PathBuf {
        let i = &self.instances[idx];
        i.log.system_dir.join(i.params.names().checkpoint())
    }

    /// Archived generations present in the log folder, ascending.
    pub(crate) fn archived_gens(&self, idx: usize) -> Vec<u32> {
        let i = &self.instances[idx];
        let names = i.params.names();
        let mut gens: Vec<u32> = std::fs::read_dir(&i.log.dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter_map(|e| names.parse(&e.file_name().to_string_lossy()))
                    .collect()
            })
            .unwrap_or_default();
        gens.sort_unstable();
        gens.dedup();
        gens
    }

    pub(crate) fn write_checkpoint(&self, idx: usize) -> Result<(), ErrorCode> {
        let i = &self.instances[idx];
        if !i.params.logging() {
            return Ok(());
        }
        let c = Checkpoint {
            gen: i.log.checkpoint_gen,
            index: i.log.checkpoint_index,
            signature: i.log.signature,
        };
        checkpoint::write(&self.checkpoint_path(idx), &c).map_err(|_| ErrorCode::JET_errDiskIO)
    }

    /// Opens (or starts) the log stream at JetInit.
    pub(crate) fn open_log_stream(&mut self, idx: usize) -> Result<(), ErrorCode> {
        if !self.instances[idx].params.logging() {
            return Ok(());
        }
        let cur = self.current_log_path(idx);
        let size_kib = self.instances[idx].params.log_file_size_kib;
        let capacity = logf::capacity(size_kib);
        if cur.exists() {
            let hdr = match logf::read_header(&cur) {
                Ok(Some(h)) => h,
                _ => return Err(ErrorCode::JET_errLogFileCorrupt),
            };
            let records =
                logf::count_records(&cur).map_err(|_| ErrorCode::JET_errLogFileCorrupt)?;
            let l = &mut self.instances[idx].log;
            l.signature = hdr.signature;
            l.current_gen = hdr.gen;
            l.current_created = hdr.created;
            l.records = records;
            l.capacity = capacity;
        } else {
            let archived = self.archived_gens(idx);
            let (gen, signature, prev) = match archived.last() {
                Some(&g) => match logf::read_header(&self.archived_log_path(idx, g)) {
                    Ok(Some(h)) => (g + 1, h.signature, h.created),
                    _ => return Err(ErrorCode::JET_errLogFileCorrupt),
                },
                None => (1, self.new_signature(), 0),
            };
            let created = self.tick();
            let base = self.instances[idx].params.base_name.clone();
            let hdr = LogHeader {
                gen,
                base,
                signature,
                created,
                prev_created: prev,
                size_kib,
            };
            logf::create(&cur, &hdr).map_err(|_| ErrorCode::JET_errDiskIO)?;
            let l = &mut self.instances[idx].log;
            l.signature = signature;
            l.current_gen = gen;
            l.current_created = created;
            l.records = 0;
            l.capacity = capacity;
        }
        // Recovery at init leaves a consistent state: nothing older is needed (spec 15.9).
        let l = &mut self.instances[idx].log;
        l.checkpoint_gen = l.current_gen;
        l.checkpoint_index = l.records;
        l.changed_in_current = false;
        self.write_checkpoint(idx)?;
        self.create_reserve_logs(idx)
    }

    /// Reserve logs by version (spec 10.1): small placeholders, never part of a backup.
    fn create_reserve_logs(&self, idx: usize) -> Result<(), ErrorCode> {
        use crate::profile::ReserveLogs;
        let i = &self.instances[idx];
        let names: Vec<String> = match self.profile.reserve_logs.value {
            ReserveLogs::Legacy => vec!["res1.log".into(), "res2.log".into()],
            ReserveLogs::Jrs => (1..=2)
                .map(|n| format!("{}res{:05}.jrs", i.params.base_name, n))
                .collect(),
        };
        if self.profile.reserve_logs.value == ReserveLogs::Jrs {
            // spec 10.1: the legacy reserve logs are deleted at init.
            for old in ["res1.log", "res2.log"] {
                let _ = std::fs::remove_file(i.log.dir.join(old));
            }
        }
        for n in names {
            // A placeholder of zeros, made only where nothing is: its length set, not written
            // (the same bytes read back), and one open instead of a look and an open.
            let made = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(i.log.dir.join(n))
                .and_then(|f| f.set_len(logf::BLOCK as u64));
            match made {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    return Err(ErrorCode::JET_errDiskIO)
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Appends records, rolling the log whenever a generation is logically full.
    pub(crate) fn log_append(
        &mut self,
        idx: usize,
        kind: RecordKind,
        dbid: u32,
        count: u32,
    ) -> Result<(), ErrorCode> {
        if !self.instances[idx].params.logging() {
            return Ok(());
        }
        if self.instances[idx].faults.log_write_fail {
            return Err(ErrorCode::JET_errLogWriteFail);
        }
        let changes_pages = matches!(
            kind,
            RecordKind::Commit | RecordKind::CreateDb | RecordKind::Attach | RecordKind::Detach
        );
        let mut left = count;
        while left > 0 {
            let l = &self.instances[idx].log;
            if l.records >= l.capacity {
                self.log_roll(idx)?;
            }
            let l = &self.instances[idx].log;
            let take = left.min(l.capacity - l.records);
            let (gen, existing) = (l.current_gen, l.records);
            let mut recs = Vec::with_capacity(take as usize);
            for _ in 0..take {
                recs.push(Record {
                    kind,
                    dbid,
                    stamp: self.tick(),
                });
            }
            logf::append(&self.current_log_path(idx), gen, existing, &recs)
                .map_err(|_| ErrorCode::JET_errLogWriteFail)?;
            self.instances[idx].log.records += take;
            if changes_pages {
                self.instances[idx].log.changed_in_current = true;
            }
            left -= take;
        }
        Ok(())
    }

    /// Appends one record with a payload (its slots stay in one generation) and returns its
    /// log position. Unlogged instances return (0, 0).
    pub(crate) fn log_append_payload(
        &mut self,
        idx: usize,
        kind: RecordKind,
        dbid: u32,
        payload: &[u8],
    ) -> Result<crate::files::data::Lsn, ErrorCode> {
        if !self.instances[idx].params.logging() {
            return Ok((0, 0));
        }
        if self.instances[idx].faults.log_write_fail {
            return Err(ErrorCode::JET_errLogWriteFail);
        }
        let stamp = self.tick();
        let slots = logf::slots(kind, dbid, stamp, payload);
        let l = &self.instances[idx].log;
        if l.records > 0 && l.records + slots.len() as u32 > l.capacity {
            self.log_roll(idx)?;
        }
        let l = &self.instances[idx].log;
        let (gen, existing) = (l.current_gen, l.records);
        logf::append_slots(&self.current_log_path(idx), gen, existing, &slots)
            .map_err(|_| ErrorCode::JET_errLogWriteFail)?;
        let l = &mut self.instances[idx].log;
        l.records += slots.len() as u32;
        l.changed_in_current = true;
        Ok((gen, existing))
    }

    /// Closes the current generation and starts the next (spec 10.5 "new generation").
    pub(crate) fn log_roll(&mut self, idx: usize) -> Result<(), ErrorCode> {
        if !self.instances[idx].params.logging() {
            return Ok(());
        }
        // The checkpoint advances past what is flushed: the data reaches the pages first.
        for d in 0..self.instances[idx].dbs.len() {
            self.flush_db(idx, d)?;
        }
        let old_gen = self.instances[idx].log.current_gen;
        let cur = self.current_log_path(idx);
        let archived = self.archived_log_path(idx, old_gen);
        std::fs::rename(&cur, &archived).map_err(|_| ErrorCode::JET_errLogWriteFail)?;
        let created = self.tick();
        let i = &self.instances[idx];
        let hdr = LogHeader {
            gen: old_gen + 1,
            base: i.params.base_name.clone(),
            signature: i.log.signature,
            created,
            prev_created: i.log.current_created,
            size_kib: i.params.log_file_size_kib,
        };
        logf::create(&cur, &hdr).map_err(|_| ErrorCode::JET_errLogWriteFail)?;
        let l = &mut self.instances[idx].log;
        l.current_gen = old_gen + 1;
        l.current_created = created;
        l.records = 0;
        // spec 15.9: changes of older generations are flushed now; those of the generation
        // just closed hold the checkpoint there (see the module comment).
        let held = if l.changed_in_current {
            old_gen
        } else {
            old_gen + 1
        };
        if held > l.checkpoint_gen {
            l.checkpoint_gen = held;
            l.checkpoint_index = 0;
        }
        l.changed_in_current = false;
        self.write_checkpoint(idx)?;
        // Circular logging deletes what the checkpoint has passed (spec 15.9); with the mock's
        // lag of at most one generation that is everything below the generation just archived.
        // A running backup holds back everything from its copy range on.
        let i = &self.instances[idx];
        if i.params.circular_log {
            let keep_from = if i.backup.in_progress && i.backup.copy_mic > 0 {
                i.backup.copy_mic.min(old_gen)
            } else {
                old_gen
            };
            for g in self
                .archived_gens(idx)
                .into_iter()
                .filter(|g| *g < keep_from)
            {
                let _ = std::fs::remove_file(self.archived_log_path(idx, g));
            }
        }
        Ok(())
    }
}
