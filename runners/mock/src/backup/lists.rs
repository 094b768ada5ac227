//! The list calls: JetGetAttachInfo (spec 6.2), JetGetLogInfo / Instance / Instance2 (6.6),
//! JetGetTruncateLogInfoInstance (6.7), and the "prepare" step that rolls the log and fixes
//! the copy and truncate ranges.

use crate::backup::state::Status;
use crate::engine::Engine;
use crate::entry::{answer, Answer, Target};
use crate::files::checkpoint;
use crate::files::db;
use crate::files::log::RecordKind;
use crate::profile::SmallBuffer;
use jetconform_interface::ErrorCode;

type E = ErrorCode;

/// The character set of a list call's output.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ListCharset {
    /// The A form (and undecorated names).
    A,
    /// The W form (UTF-16).
    W,
}

/// The caller's `szz` buffer and `cbMax`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ListArgs {
    pub charset: ListCharset,
    /// `szz` is non-NULL.
    pub buffer: bool,
    pub cb_max: u32,
}

/// `JET_LOGINFO` as written back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogInfoOut {
    pub gen_low: u32,
    pub gen_high: u32,
    pub base_name: String,
}

/// Outputs of a list call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListOut {
    /// Bytes written into `szz` (encoded A or W).
    pub written: Option<Vec<u8>>,
    pub cb_actual: Option<u32>,
    pub log_info: Option<LogInfoOut>,
    /// Set when the spec calls the situation undefined or unsettled.
    pub undefined: Option<String>,
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Which {
    Attach,
    Log,
    Truncate,
}

/// Encodes a multi-string: each item NUL-terminated, then one extra NUL.
pub fn encode_szz(items: &[String], charset: ListCharset) -> Result<Vec<u8>, ErrorCode> {
    let mut out = Vec::new();
    for it in items {
        match charset {
            ListCharset::W => {
                for u in it.encode_utf16() {
                    out.extend_from_slice(&u.to_le_bytes());
                }
                out.extend_from_slice(&[0, 0]);
            }
            ListCharset::A => {
                // The ANSI code page is modelled as ASCII: anything else fails to convert.
                if !it.is_ascii() {
                    return Err(E::JET_errUnicodeTranslationFail);
                }
                out.extend_from_slice(it.as_bytes());
                out.push(0);
            }
        }
    }
    match charset {
        ListCharset::W => out.extend_from_slice(&[0, 0]),
        ListCharset::A => out.push(0),
    }
    Ok(out)
}

impl Engine {
    /// `JetGetAttachInfoInstance[A|W]` (spec 6.2).
    pub fn get_attach_info(
        &mut self,
        target: Target,
        args: ListArgs,
        out: &mut ListOut,
    ) -> ErrorCode {
        answer(self.list_call(target, args, Which::Attach, out))
    }

    /// `JetGetLogInfoInstance[2][A|W]` (spec 6.6). `log_info_cb` is `pLogInfo->cbSize` when
    /// `pLogInfo` is non-NULL.
    pub fn get_log_info(
        &mut self,
        target: Target,
        args: ListArgs,
        log_info_cb: Option<u32>,
        out: &mut ListOut,
    ) -> ErrorCode {
        // step 0: the A form checks cbSize before the entry layer; W does not.
        if args.charset == ListCharset::A && matches!(log_info_cb, Some(cb) if cb != 16) {
            return E::JET_errInvalidParameter;
        }
        answer(self.list_call(target, args, Which::Log, out))
    }

    /// `JetGetTruncateLogInfoInstance[A|W]` (spec 6.7).
    pub fn get_truncate_log_info(
        &mut self,
        target: Target,
        args: ListArgs,
        out: &mut ListOut,
    ) -> ErrorCode {
        answer(self.list_call(target, args, Which::Truncate, out))
    }

    /// A -521 / -801 / prepare error of a list call: the backup survives in SRC, is cancelled
    /// where DOC says so (profile `sequence_error_cancels_backup`).
    fn sequence_error(&mut self, idx: usize, err: ErrorCode) -> ErrorCode {
        self.knob(&self.profile.sequence_error_cancels_backup);
        if self.profile.sequence_error_cancels_backup.value {
            self.backup_cleanup(idx, Some(err));
        }
        err
    }

    fn list_call(
        &mut self,
        target: Target,
        args: ListArgs,
        which: Which,
        out: &mut ListOut,
    ) -> Answer {
        let idx = self.backup_entry(target)?;
        let b = &self.instances[idx].backup;
        if b.stop {
            return Ok(self.sequence_error(idx, E::JET_errBackupAbortByServer));
        }
        let items: Vec<String> = match which {
            Which::Attach => {
                // spec 6.2 step 4: not a full backup → -521 (returns directly).
                if !b.full {
                    return Ok(self.sequence_error(idx, E::JET_errInvalidBackupSequence));
                }
                self.instances[idx]
                    .dbs
                    .iter()
                    .filter(|d| !d.unlogged)
                    .map(|d| d.path.to_string_lossy().into_owned())
                    .collect()
            }
            Which::Log | Which::Truncate => {
                // spec 6.6 step 4
                if b.slot.in_use {
                    return Ok(self.sequence_error(idx, E::JET_errInvalidBackupSequence));
                }
                if !b.began_new_log {
                    if let Err(e) = self.prepare_log_info(idx) {
                        return Ok(self.sequence_error(idx, e));
                    }
                }
                // After a failed prepare copyMic may be 0: the list then starts at generation
                // 0 (spec 15.5, settling 14 q3).
                let b = &self.instances[idx].backup;
                let (lo, hi) = if which == Which::Log {
                    (b.copy_mic, b.copy_mac)
                } else {
                    (b.delete_mic, b.delete_mac)
                };
                let dir = crate::paths::folder_text(&self.instances[idx].log.dir);
                let names = self.instances[idx].params.names();
                let mut items: Vec<String> = (lo..hi)
                    .map(|g| format!("{dir}{}", names.archived(g)))
                    .collect();
                if which == Which::Log && self.profile.patch_files.value {
                    // W2K: the patch files of the databases copied follow the logs (the
                    // order is spec 14.9's open question; JetBackup's order is taken).
                    self.knob(&self.profile.patch_files);
                    items.extend(
                        self.instances[idx]
                            .dbs
                            .iter()
                            .filter(|d| d.in_backup_session && d.backup_done)
                            .map(|d| db::patch_name(&d.path).to_string_lossy().into_owned()),
                    );
                }
                items
            }
        };
        let bytes = match encode_szz(&items, args.charset) {
            Ok(b) => b,
            Err(e) => return Ok(e),
        };
        let needed = bytes.len() as u32;
        // spec 6.2 / 6.6 step 7: output rules.
        let a_error = args.charset == ListCharset::A
            && self.profile.a_variant_small_buffer.value == SmallBuffer::Error;
        if args.charset == ListCharset::A && args.buffer && args.cb_max > 0 && args.cb_max < needed
        {
            self.knob(&self.profile.a_variant_small_buffer);
        }
        if a_error {
            // VISTA+ A wrapper: size query, then fetch, then convert.
            if !args.buffer || args.cb_max == 0 {
                out.cb_actual = Some(needed);
            } else if which == Which::Attach && needed.checked_sub(1) == Some(args.cb_max) {
                // spec 15.6: one byte short, the conversion copies the names and their
                // terminators and drops only the final list terminator: success. (15.6 does not
                // say what *pcbActual is then; the mock reports the bytes written.)
                out.written = Some(bytes[..args.cb_max as usize].to_vec());
                out.cb_actual = Some(args.cb_max);
            } else if args.cb_max < needed {
                return Ok(E::JET_errBufferTooSmall);
            } else {
                out.written = Some(bytes);
                out.cb_actual = Some(needed);
            }
        } else {
            let n = args.cb_max.min(needed) as usize;
            if args.buffer {
                out.written = Some(bytes[..n].to_vec());
            }
            out.cb_actual = Some(match which {
                // GetAttachInfo always reports the full size (spec 12 item 5).
                Which::Attach => needed,
                _ if args.buffer => n as u32,
                _ => needed,
            });
        }
        // spec 6.6 step 8: the range is always given to the caller, which writes it only where
        // the call had a `pLogInfo` (dispatch/outputs.rs, the library's exports).
        if which == Which::Log {
            let b = &self.instances[idx].backup;
            out.log_info = Some(LogInfoOut {
                gen_low: b.copy_mic,
                gen_high: b.copy_mac.saturating_sub(1),
                base_name: self.instances[idx].params.base_name.clone(),
            });
        }
        if which != Which::Attach {
            // step 9
            self.instances[idx].backup.status = Status::LogsAndPatches;
        }
        Ok(E::JET_errSuccess)
    }

    /// spec 6.6 step 5: roll the log, fix copy and delete ranges. Partial state persists on
    /// error (spec 15.5).
    fn prepare_log_info(&mut self, idx: usize) -> Result<(), ErrorCode> {
        let _ = self.log_append(idx, RecordKind::BackupPrepare, 0, 1);
        self.log_roll(idx)?;
        let cur = self.instances[idx].log.current_gen;
        {
            let b = &mut self.instances[idx].backup;
            b.began_new_log = true;
            b.copy_mac = cur;
        }
        let archived = self.archived_gens(idx);
        let Some(&lowest) = archived.first() else {
            return Err(E::JET_errFileNotFound);
        };
        let full = self.instances[idx].backup.full;
        self.instances[idx].backup.delete_mic = lowest;
        let headers: Vec<(bool, bool, Option<db::DbHeader>)> = self.instances[idx]
            .dbs
            .iter()
            .map(|d| {
                (
                    d.unlogged,
                    d.in_backup_session && d.backup_done,
                    db::read_header(&d.path).ok(),
                )
            })
            .collect();
        if !full {
            // Logs since the previous backup were lost (SRC does not filter on logging).
            // spec 15.5: this test runs before copyMic is assigned, so after -569 copyMic stays
            // 0: TruncateLog answers -521 and a second GetLogInfo lists from generation 0.
            for (_, _, h) in &headers {
                let prev = h
                    .as_ref()
                    .map(|h| h.full_prev.gen_high.max(h.inc_prev.gen_high))
                    .unwrap_or(0);
                if lowest > prev.saturating_add(1) {
                    return Err(E::JET_errMissingFileToBackup);
                }
            }
            self.instances[idx].backup.copy_mic = lowest;
        }
        if self.instances[idx].faults.checkpoint_corrupt {
            return Err(E::JET_errCheckpointCorrupt);
        }
        let chk = match checkpoint::read(&self.checkpoint_path(idx)) {
            Ok(c) => c.gen,
            Err(checkpoint::CheckpointError::NotFound) => {
                return Err(E::JET_errCheckpointFileNotFound)
            }
            Err(_) => return Err(E::JET_errCheckpointCorrupt),
        };
        let b = &mut self.instances[idx].backup;
        let mut delete_mac = chk.min(b.copy_mac);
        if full {
            for (unlogged, copied, h) in &headers {
                if !unlogged && !copied {
                    delete_mac =
                        delete_mac.min(h.as_ref().map(|h| h.full_prev.gen_high).unwrap_or(0));
                }
            }
        }
        b.delete_mac = delete_mac;
        b.delete_mic = b.delete_mic.min(delete_mac);
        Ok(())
    }
}
