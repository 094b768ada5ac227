//! Fault hooks: conditions ESENT reaches only through races or failing hardware (spec 14.26),
//! armed by the `fault` verb on one instance.
//!
//! | name | effect |
//! |---|---|
//! | `instance_unavailable` | every entry fails with -1090 (spec 4.4 step 2), unless the instance is already unavailable (the first cause is kept, spec 15.3) |
//! | `instance_unavailable_log_disk_full` | every entry fails with -1092 (same first-cause rule) |
//! | `term_in_progress` | entry fails with -1000 (API locked for term, spec 4.4 step 3) |
//! | `restore_in_progress` | entry fails with -506 |
//! | `init_in_progress` | entry fails with -1029 (API locked for init); JetInit -1031 |
//! | `log_write_fail` | Begin / JetBackup -510; log writes (log_traffic) -510 |
//! | `log_disk_full` | Begin -529 (spec 6.1 step 9) |
//! | `log_sequence_end` | Begin -519 (spec 6.1 step 9) |
//! | `checkpoint_corrupt` | Begin(full) and log prepare read a damaged checkpoint: -533 |
//! | `read_io_error` | the next database page read of ReadFile fails with -1022 |
//! | `out_of_memory` | Begin's allocation of the backup context fails: -1011 (DOC return code of spec 6.1; not provokable otherwise, spec 13) |
//! | `read_file_fail:N:CODE` | the Nth ReadFile of a database stream from now fails with CODE (a number or a JET_err name) as a failed page read does (spec 6.4 step 6) |
//! | `clear` | disarms every hook of the instance |

use jetconform_interface::ErrorCode;

/// API lock of `INST::ErrAPIEnter` step 3.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ApiLock {
    Term,
    Restore,
    Init,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    pub unavailable: Option<ErrorCode>,
    pub lock: Option<ApiLock>,
    pub log_write_fail: bool,
    pub log_disk_full: bool,
    pub log_sequence_end: bool,
    pub checkpoint_corrupt: bool,
    pub read_io_error: bool,
    pub out_of_memory: bool,
    /// `read_file_fail:N:CODE`: database ReadFiles left before the failing one, and its code.
    pub read_fail: Option<(u32, ErrorCode)>,
}

/// Every fault name the `fault` verb accepts.
pub const FAULT_NAMES: &[&str] = &[
    "instance_unavailable",
    "instance_unavailable_log_disk_full",
    "term_in_progress",
    "restore_in_progress",
    "init_in_progress",
    "log_write_fail",
    "log_disk_full",
    "log_sequence_end",
    "checkpoint_corrupt",
    "read_io_error",
    "out_of_memory",
    "read_file_fail:N:CODE",
    "clear",
];

impl Faults {
    /// Arms `name`; false if the name is unknown.
    pub fn arm(&mut self, name: &str) -> bool {
        match name {
            // spec 15.3: `INST::SetInstanceUnavailable` records only the first cause; a
            // later fatal error does not replace it.
            "instance_unavailable" => {
                self.unavailable
                    .get_or_insert(ErrorCode::JET_errInstanceUnavailable);
            }
            "instance_unavailable_log_disk_full" => {
                self.unavailable
                    .get_or_insert(ErrorCode::JET_errInstanceUnavailableDueToFatalLogDiskFull);
            }
            "term_in_progress" => self.lock = Some(ApiLock::Term),
            "restore_in_progress" => self.lock = Some(ApiLock::Restore),
            "init_in_progress" => self.lock = Some(ApiLock::Init),
            "log_write_fail" => self.log_write_fail = true,
            "log_disk_full" => self.log_disk_full = true,
            "log_sequence_end" => self.log_sequence_end = true,
            "checkpoint_corrupt" => self.checkpoint_corrupt = true,
            "read_io_error" => self.read_io_error = true,
            "out_of_memory" => self.out_of_memory = true,
            "clear" => *self = Faults::default(),
            other => match parse_read_fail(other) {
                Some(v) => self.read_fail = Some(v),
                None => return false,
            },
        }
        true
    }
}

impl Faults {
    /// Counts one database ReadFile; the code when this is the armed Nth one.
    pub fn read_fail_tick(&mut self) -> Option<ErrorCode> {
        let (left, code) = self.read_fail.as_mut()?;
        *left = left.saturating_sub(1);
        if *left == 0 {
            let c = *code;
            self.read_fail = None;
            return Some(c);
        }
        None
    }
}

/// `read_file_fail:N:CODE` with N >= 1 and CODE a negative number or a JET_err name.
fn parse_read_fail(name: &str) -> Option<(u32, ErrorCode)> {
    let rest = name.strip_prefix("read_file_fail:")?;
    let (n, code) = rest.split_once(':')?;
    let n: u32 = n.trim().parse().ok().filter(|n| *n >= 1)?;
    let code = code.trim();
    let code = match code.parse::<i32>() {
        Ok(c) if c < 0 => ErrorCode(c),
        Ok(_) => return None,
        Err(_) => ErrorCode::by_name(code).filter(|c| c.0 < 0)?,
    };
    Some((n, code))
}
