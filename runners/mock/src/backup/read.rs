//! JetReadFile(Instance) and JetCloseFile(Instance) (spec 6.4, 6.5, 5.4).
//!
//! Streaming reads pages straight from the file into the caller's buffer (a read per 128 KiB
//! of pages, each checksummed right after it is read), so memory stays flat whatever the size.

use crate::backup::state::SlotFile;
use crate::backup::stream::{read_at, read_full, ReadOut};
use crate::engine::Engine;
use crate::entry::{answer, Answer, Target};
use crate::files::db::{self, BkInfo, Trailer};
use crate::files::log as logf;
use jetconform_interface::ErrorCode;
use std::fs::File;

type E = ErrorCode;

impl Engine {
    /// `JetReadFileInstance` (spec 6.4). `buf` is the caller's buffer (`cb` = its length),
    /// `aligned` whether its address is OS-page aligned.
    pub fn read_file(
        &mut self,
        target: Target,
        hf: u64,
        buf: &mut [u8],
        aligned: bool,
        out: &mut ReadOut,
    ) -> ErrorCode {
        // The steps after the entry, whose `?` and `return` give the code.
        let mut steps = || -> Answer {
            let idx = self.backup_entry(target)?;
            let cb_page = self.page_size() as usize;
            let b = &self.instances[idx].backup;
            if b.stop {
                return Ok(E::JET_errBackupAbortByServer);
            }
            // step 5
            if !aligned && self.profile.read_alignment_rule.value {
                return Ok(E::JET_errInvalidParameter);
            }
            // spec 5.4: no validation of hfFile in SRC.
            if hf != 0 {
                out.undefined =
                    Some("spec 5.4: ReadFile with hfFile != 0 reads out of bounds".into());
                return Ok(E::JET_errInvalidParameter);
            }
            if !b.slot.in_use && b.slot.file.is_some() {
                out.undefined =
                    Some("spec 5.4: ReadFile on the stale slot of an ended backup".into());
                return Ok(E::JET_errInvalidParameter);
            }
            let cb = buf.len();
            let rules = self.profile.read_size_rules.value;
            let is_db = matches!(b.slot.file, Some(SlotFile::Db { .. }));
            if is_db {
                // step 6
                if rules && (cb % cb_page != 0 || cb == 0 || (b.slot.ib == 0 && cb <= 2 * cb_page))
                {
                    return Ok(E::JET_errInvalidParameter);
                }
                return Ok(self.read_db(idx, buf, out));
            }
            // step 7 (logs, other files, and the empty slot of spec 5.4); the first-call minimum is
            // 2 pages in SRC and 3 in DOC (spec 12 item 3), per the version's profile.
            let min_pages = self.profile.log_first_read_min_pages.value;
            if rules && (cb % cb_page != 0 || (b.slot.ib == 0 && cb < min_pages * cb_page)) {
                return Ok(E::JET_errInvalidParameter);
            }
            if b.slot.file.is_none() {
                out.cb_actual = Some(0);
                return Ok(E::JET_errSuccess);
            }
            Ok(self.read_log(idx, buf, out))
        };
        answer(steps())
    }

    fn read_db(&mut self, idx: usize, buf: &mut [u8], out: &mut ReadOut) -> ErrorCode {
        let io_fault = std::mem::take(&mut self.instances[idx].faults.read_io_error);
        let armed_fail = self.instances[idx].faults.read_fail_tick();
        let cur_gen = self.instances[idx].log.current_gen;
        let log_sig = self.instances[idx].log.signature;
        let mark = self.instances[idx].backup.mark;
        let b = &mut self.instances[idx].backup;
        let Some(SlotFile::Db {
            file,
            header,
            page_size,
            pgno_last,
            next_pgno,
            headers_sent,
            trailer_sent,
            gen_low,
            dbid,
            path: db_path,
        }) = b.slot.file.as_mut()
        else {
            return E::JET_errInvalidParameter;
        };
        let ps = *page_size as usize;
        let pages = buf.len() / ps;
        let mut filled = 0usize;
        let mut failure = None;
        if !*headers_sent && pages >= 2 {
            buf[..ps].copy_from_slice(&header[..ps]);
            buf[ps..2 * ps].copy_from_slice(&header[..ps]);
            filled = 2;
            *headers_sent = true;
        }
        // Data pages, read straight into the caller's buffer and verified there.
        if *headers_sent && *next_pgno <= *pgno_last && filled < pages {
            let run = ((*pgno_last - *next_pgno + 1) as usize).min(pages - filled);
            let dst = &mut buf[filled * ps..(filled + run) * ps];
            let at = db::page_offset(*next_pgno, *page_size);
            failure = if io_fault {
                // The `read_io_error` hook is an I/O failure: -1022, not a short read's -1018
                // (spec 6.4 step 6, faults.rs).
                Some(E::JET_errDiskIO)
            } else if armed_fail.is_some() {
                // `read_file_fail:N:CODE`: the page read fails with the armed code.
                armed_fail
            } else {
                read_verified(file, at, dst, ps, *next_pgno).err()
            };
            if failure.is_none() {
                *next_pgno += run as u32;
                filled += run;
            }
        }
        if let Some(err) = failure {
            // spec 6.4 step 6: slot closed automatically, DB leaves the session, backup
            // continues (W2K: whole backup cancelled).
            let dbid = *dbid;
            b.slot = Default::default();
            if let Some(d) = self.instances[idx].dbs.iter_mut().find(|d| d.dbid == dbid) {
                d.in_backup_session = false;
            }
            self.knob(&self.profile.db_error_cancels_backup);
            if self.profile.db_error_cancels_backup.value {
                self.backup_cleanup(idx, Some(err));
            }
            return err;
        }
        let patch = self.profile.patch_files.value;
        if *headers_sent && *next_pgno > *pgno_last && !*trailer_sent && (filled < pages || patch) {
            let hdr = db::DbHeader::decode(&header[..ps]).unwrap_or_default();
            let t = Trailer {
                db_signature: hdr.db_signature,
                log_signature: log_sig,
                bkinfo: BkInfo {
                    gen_low: *gen_low,
                    gen_high: cur_gen.max(hdr.gen_max_committed),
                    mark,
                },
                gen_min_required: hdr.gen_min_required,
                gen_max_required: hdr.gen_max_required,
                gen_max_committed: hdr.gen_max_committed,
                page_size: *page_size,
                pgno_last: *pgno_last,
            };
            if patch {
                // W2K: the patch header goes to the patch file, not into the stream.
                let pat = db::patch_name(db_path);
                if std::fs::write(&pat, t.encode()).is_err() {
                    return E::JET_errDiskIO;
                }
            } else {
                buf[filled * ps..(filled + 1) * ps].copy_from_slice(&t.encode());
                filled += 1;
            }
            *trailer_sent = true;
        }
        let n = filled * ps;
        b.slot.ib += n as u64;
        out.cb_actual = Some(n as u32);
        E::JET_errSuccess
    }

    fn read_log(&mut self, idx: usize, buf: &mut [u8], out: &mut ReadOut) -> ErrorCode {
        if !self.profile.log_verify_on_read.value {
            self.knob(&self.profile.log_verify_on_read);
        }
        let verify =
            self.profile.log_verify_on_read.value && !self.globals.disable_block_verification;
        let b = &mut self.instances[idx].backup;
        let (ib, cb) = (b.slot.ib, b.slot.cb);
        let Some(SlotFile::Log { file, gen, .. }) = b.slot.file.as_mut() else {
            return E::JET_errInvalidParameter;
        };
        let want = (buf.len() as u64).min(cb.saturating_sub(ib)) as usize;
        if want == 0 {
            out.cb_actual = Some(0);
            return E::JET_errSuccess;
        }
        let gen = *gen;
        let dst = &mut buf[..want];
        let err = match read_at(file, ib, dst) {
            Ok(n) if n == want => {
                let ok = match gen {
                    Some(g) if verify => verify_log_range(file, g, ib, dst),
                    _ => true,
                };
                if ok {
                    None
                } else {
                    Some(E::JET_errLogReadVerifyFailure)
                }
            }
            Ok(_) => Some(E::JET_errLogReadVerifyFailure),
            Err(_) => Some(E::JET_errDiskIO),
        };
        if let Some(err) = err {
            // spec 6.4 step 7: backup cancelled.
            return self.fail_and_end(idx, err);
        }
        let is_patch = self.profile.patch_files.value
            && self
                .slot_path(idx)
                .and_then(|p| p.extension().map(|e| e.eq_ignore_ascii_case("pat")))
                == Some(true);
        if gen.is_none() && !is_patch {
            out.undefined =
                Some("spec 14.8: reading a non-log file opened in the log phase".into());
        }
        self.instances[idx].backup.slot.ib += want as u64;
        out.cb_actual = Some(want as u32);
        E::JET_errSuccess
    }

    /// `JetCloseFileInstance` (spec 6.5): no stop check.
    pub fn close_file(&mut self, target: Target, hf: u64) -> ErrorCode {
        answer(self.close_steps(target, hf))
    }

    fn close_steps(&mut self, target: Target, hf: u64) -> Answer {
        let idx = self.backup_entry(target)?;
        let inst = &mut self.instances[idx];
        let b = &mut inst.backup;
        if hf >= b.slots_used as u64 || !b.slot.in_use {
            return Ok(E::JET_errInvalidParameter);
        }
        let complete = b.slot.ib >= b.slot.cb;
        match b.slot.file.take() {
            Some(SlotFile::Db {
                dbid,
                trailer_sent: true,
                ..
            }) => {
                if let Some(d) = inst.dbs.iter_mut().find(|d| d.dbid == dbid) {
                    d.backup_done = true;
                }
            }
            Some(SlotFile::Log { gen: Some(g), .. })
                if complete && b.copy_mic <= g && g < b.copy_mac =>
            {
                b.gen_copy_done_sum += g as u64;
            }
            _ => {}
        }
        b.slot = Default::default();
        Ok(E::JET_errSuccess)
    }
}

/// Verifies the log blocks covering `[at, at + data.len())`, re-reading partial blocks.
fn verify_log_range(file: &mut File, gen: u32, at: u64, data: &[u8]) -> bool {
    let blk = logf::BLOCK as u64;
    if at % blk == 0 && data.len() as u64 % blk == 0 {
        return logf::verify_blocks(gen, at, data);
    }
    let start = at / blk * blk;
    let end = (at + data.len() as u64).div_ceil(blk) * blk;
    let mut tmp = vec![0u8; (end - start) as usize];
    match read_at(file, start, &mut tmp) {
        Ok(n) if n == tmp.len() => logf::verify_blocks(gen, start, &tmp),
        _ => false,
    }
}

/// Bytes read and verified at a time: a chunk that stays in a core's L2 cache (512 KiB here)
/// is checksummed while the read has just brought it there. Verifying a whole 1 MiB buffer
/// after reading it went back to L3 for every page, and made the checksum cost a quarter of
/// the read itself (BENCHMARKS.md, "Streaming").
const VERIFY_CHUNK: usize = 128 * 1024;

/// Fills `dst` with the data pages from offset `at`, the first being `first_pgno`, checking
/// each page's number and checksum (spec 10.6). A short read or a bad page is -1018: ESENT's
/// 16 retries re-read the same bytes and the page stays bad; a read error is -1022.
fn read_verified(
    file: &mut File,
    at: u64,
    dst: &mut [u8],
    ps: usize,
    first_pgno: u32,
) -> Result<(), ErrorCode> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(at))
        .map_err(|_| E::JET_errDiskIO)?;
    let chunk = (VERIFY_CHUNK / ps).max(1) * ps;
    let mut pgno = first_pgno;
    for part in dst.chunks_mut(chunk) {
        match read_full(file, part) {
            Ok(n) if n == part.len() => {}
            Ok(_) => return Err(E::JET_errReadVerifyFailure),
            Err(_) => return Err(E::JET_errDiskIO),
        }
        for page in part.chunks_exact(ps) {
            if !db::verify_data_page(pgno, page) {
                return Err(E::JET_errReadVerifyFailure);
            }
            pgno += 1;
        }
    }
    Ok(())
}
