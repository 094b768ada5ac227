//! Per-version behaviour as data: one `Profile` per Windows version, built from the knobs of
//! spec 11.5 and the tables 11.1 / 11.4. Every knob value carries its provenance; where the
//! spec says "?" the mock takes the nearest documented behaviour and marks it `Inferred`.
//!
//! The engine never tests the version itself: it reads these knobs.

use jetconform_interface::functions::Function;
use jetconform_interface::{EngineBuild, ErrorCode, Provenance, WinVersion};

/// One knob value, where it comes from, and its name (`end_return.abort`), the one a trial's
/// notes show when the knob decided a result (`Engine::knob`).
#[derive(Clone, Debug, PartialEq)]
pub struct Knob<T> {
    pub name: &'static str,
    pub value: T,
    pub provenance: Provenance,
    /// Why this value (spec section, or the reasoning behind an inferred choice).
    pub why: &'static str,
}

/// What an A-variant list function does with a too-small buffer (spec 6.2, 11.4).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SmallBuffer {
    /// Copies what fits, no error (the W behaviour; pre-VISTA A functions were native).
    Truncate,
    /// `JET_errBufferTooSmall` (-1038), the VISTA+ A wrapper.
    Error,
}

/// Names of the reserve log files (spec 10.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ReserveLogs {
    /// `res1.log`, `res2.log` (S03 and earlier).
    Legacy,
    /// `<base>res00001.jrs`, `<base>res00002.jrs` (VISTA+).
    Jrs,
}

/// A function whose export status differs from the catalogue's `since`.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOverride {
    pub function: Function,
    pub exported: bool,
    pub provenance: Provenance,
    pub why: &'static str,
}

/// Declares [`Profile`] with its knobs, each under the one name notes give it.
macro_rules! profile {
    ($( $(#[$doc:meta])* $field:ident: $ty:ty = $name:literal, )*) => {
        /// The knobs of one version (spec 11.5 and 11.4).
        #[derive(Clone, Debug)]
        pub struct Profile {
            pub version: WinVersion,
            /// A build other than `esent.dll` (spec 15.8), or `None` for ESENT itself.
            pub build: Option<EngineBuild>,
            $( $(#[$doc])* pub $field: Knob<$ty>, )*
            /// Exports that differ from the catalogue's `since`.
            pub export_overrides: Vec<ExportOverride>,
        }

        impl Profile {
            /// Gives every knob its name.
            fn named(mut self) -> Profile {
                $( self.$field.name = $name; )*
                self
            }

            /// Every knob's name, in the order declared.
            #[cfg(test)]
            fn knob_names(&self) -> Vec<&'static str> {
                vec![$( self.$field.name ),*]
            }
        }
    };
}

profile! {
    /// Return of End with `JET_bitBackupEndAbort` (internal reason -800).
    end_abort: ErrorCode = "end_return.abort",
    /// Return of End(Normal) before any GetLogInfo / GetTruncateLogInfo (reason -800).
    end_premature_normal: ErrorCode = "end_return.premature_normal",
    /// Return of End(Normal) after JetStopBackup (reason -801).
    end_after_stop: ErrorCode = "end_return.after_stop",
    /// TruncateLog after JetStopBackup: `Some(-801)` or `None` (proceeds).
    truncate_after_stop: Option<ErrorCode> = "truncate_after_stop",
    /// OpenFile of a missing file in the log phase.
    open_missing_file: ErrorCode = "open_missing_file",
    /// OpenFile of a non-attached file in the database phase.
    open_non_attached_in_db_phase: ErrorCode = "open_non_attached_in_db_phase",
    /// A database open/read error cancels the whole backup.
    db_error_cancels_backup: bool = "db_error_cancels_backup",
    /// -521 / -801 / prepare errors of GetAttachInfo, GetLogInfo*, GetTruncateLogInfo cancel
    /// the backup.
    sequence_error_cancels_backup: bool = "sequence_error_cancels_backup",
    /// ReadFile's page-multiple and first-call minimum rules.
    read_size_rules: bool = "read_size_rules",
    /// Pages a first ReadFile of a log must at least ask for (spec 12 item 3: DOC 3 for every
    /// file, SRC 2 for logs).
    log_first_read_min_pages: usize = "log_first_read_min_pages",
    /// ReadFile's buffer page-alignment rule.
    read_alignment_rule: bool = "read_alignment_rule",
    /// Log segment checksums verified while streaming (-612).
    log_verify_on_read: bool = "log_verify_on_read",
    /// W2K `.pat` patch files (not modelled: see the crate docs).
    patch_files: bool = "patch_files",
    /// Error for a non-zero, non-nil handle that is no live instance: `Some(-1115)` when the
    /// engine validates handles (spec 4.3), `None` when the lookup of 4.4 decides (-1003).
    invalid_handle_error: Option<ErrorCode> = "invalid_handle_error",
    /// A-variant list functions with a too-small buffer.
    a_variant_small_buffer: SmallBuffer = "a_variant_small_buffer",
    /// The A form of JetExternalRestore(2) converts the restore map to the engine's Unicode
    /// form first (spec 15.2): a negative count fails that allocation with -1011.
    a_form_converts_restore_map: bool = "a_form_converts_restore_map",
    /// TruncateLog enforces "every listed log was read" (-616).
    log_file_not_copied_check: bool = "log_file_not_copied_check",
    /// `JET_bitBackupTruncateDone` honoured by End.
    truncate_done_bit: bool = "truncate_done_bit",
    /// `JET_bitBackupNoDbHeaderUpdate` honoured by End.
    no_db_header_update_bit: bool = "no_db_header_update_bit",
    /// Legacy call in run mode NoSet (spec 4.2).
    legacy_call_before_init: ErrorCode = "legacy_call_before_init",
    /// Grbits Begin accepts (spec 2.1 validity rule).
    begin_valid_grbits: u32 = "begin_valid_grbits",
    /// Minimum `JET_paramLogFileSize` in KiB.
    log_file_size_min_kib: u32 = "log_file_size_min_kib",
    /// Accepted `JET_paramDatabasePageSize` values.
    page_sizes: &'static [u32] = "page_sizes",
    /// Reserve log naming.
    reserve_logs: ReserveLogs = "reserve_logs",
    /// `JET_paramLegacyFileNames` (id 136) exists.
    legacy_file_names_param: bool = "legacy_file_names_param",
    /// The default of `JET_paramLegacyFileNames` (ESENT 0x3: `.log`/`.chk`, 5-digit names).
    legacy_file_names_default: u32 = "legacy_file_names_default",
    /// `JET_bitTermDirty` exists (W7).
    term_dirty: bool = "term_dirty",
    /// JetInit re-attaches the databases attached at the last term (W2K).
    init_reattaches: bool = "init_reattaches",
}

use Provenance::{Documented as DOC, Inferred as INF, Source as SRC};

/// A knob's value; [`Profile::named`] gives it its name.
fn k<T>(value: T, provenance: Provenance, why: &'static str) -> Knob<T> {
    Knob {
        name: "",
        value,
        provenance,
        why,
    }
}

const ABORT: ErrorCode = ErrorCode::errBackupAbortByCaller;
const SERVER: ErrorCode = ErrorCode::JET_errBackupAbortByServer;
const OK: ErrorCode = ErrorCode::JET_errSuccess;

/// DOC page sizes (spec 10.2) and SRC's range.
const PAGES_DOC: &[u32] = &[2048, 4096, 8192];
const PAGES_SRC: &[u32] = &[4096, 8192, 16384, 32768];

impl Profile {
    /// The profile of `v` (spec 11.5; values per column, provenance per cell).
    pub fn for_version(v: WinVersion) -> Profile {
        use WinVersion::*;
        let modern = v >= Win8;
        let vista_plus = v >= Vista;
        let src_or = |p: Provenance| if v >= Win10 { SRC } else { p };
        Profile {
            version: v,
            build: None,
            end_abort: match v {
                Win2000 => k(
                    OK,
                    INF,
                    "W2K has no End grbit form; legacy End is Normal (spec 6.9)",
                ),
                Xp => k(
                    ABORT,
                    DOC,
                    "spec 11.2: XP returns -800 for a deliberate abort",
                ),
                Server2003 | Vista | Win7 => k(
                    OK,
                    INF,
                    "spec 11.5 '0?': -800 means premature end from S03 on (spec 11.2)",
                ),
                _ => k(OK, src_or(INF), "spec 5.5 step 11: End returns 0"),
            },
            end_premature_normal: match v {
                Win2000 | Xp => k(
                    OK,
                    INF,
                    "spec 11.5 '?': -800 documented only for deliberate aborts on XP",
                ),
                Server2003 => k(
                    ABORT,
                    DOC,
                    "spec 11.2: S03 returns -800 for a premature Normal end",
                ),
                Vista => k(OK, INF, "spec 11.5: 0 (W7 evidence, same code line)"),
                Win7 => k(
                    OK,
                    INF,
                    "spec 11.2: ManagedEsent W7-era test expects success",
                ),
                _ => k(OK, src_or(INF), "spec 5.5 step 11: End returns 0"),
            },
            end_after_stop: match v {
                Win2000 => k(
                    OK,
                    INF,
                    "W2K exports no JetStopBackup (spec 11.1): unreachable",
                ),
                Xp => k(OK, INF, "spec 11.3: XP not -801; 0 taken as nearest (SRC)"),
                Server2003 => k(SERVER, DOC, "spec 11.3: -801 from End is S03+"),
                Vista | Win7 => k(
                    OK,
                    INF,
                    "spec 11.5 '?': same End path as the W7 premature-end evidence",
                ),
                _ => k(
                    OK,
                    src_or(INF),
                    "spec 5.5 step 11: End returns 0 after a stop",
                ),
            },
            truncate_after_stop: match v {
                Win2000 => k(None, INF, "no JetStopBackup on W2K (spec 11.1)"),
                Xp => k(
                    None,
                    INF,
                    "spec 11.3: -801 from TruncateLog is S03+; XP proceeds",
                ),
                Server2003 | Vista | Win7 => {
                    k(Some(SERVER), DOC, "spec 11.3: TruncateLog -801 S03+")
                }
                _ => k(Some(SERVER), src_or(DOC), "spec 6.8 step 3"),
            },
            open_missing_file: match v {
                Win2000 => k(ErrorCode::JET_errFileNotFound, DOC, "spec 11.4: W2K -1811"),
                // One arm for XP on: a separate Win8+ arm gave the same value and provenance
                // (docs/corpus-strength.md).
                _ => k(
                    ErrorCode::JET_errMissingFileToBackup,
                    src_or(DOC),
                    "spec 11.4: XP+ -569; spec 6.3 step 9",
                ),
            },
            open_non_attached_in_db_phase: if v >= Win10 {
                k(ErrorCode::JET_errDatabaseNotFound, SRC, "spec 6.3 step 9")
            } else {
                k(
                    ErrorCode::JET_errDatabaseNotFound,
                    INF,
                    "spec 11.5 '?': SRC value taken",
                )
            },
            db_error_cancels_backup: if v == Win2000 {
                k(true, DOC, "spec 11.4: W2K cancels the whole backup")
            } else {
                k(
                    false,
                    src_or(DOC),
                    "spec 6.4: XP+ only the DB file is dropped",
                )
            },
            sequence_error_cancels_backup: match v {
                Win2000 | Xp | Server2003 => {
                    k(true, DOC, "spec 12 item 2: DOC says any failure cancels")
                }
                Vista | Win7 => k(true, INF, "spec 11.5 '?': nearest documented (DOC) taken"),
                _ => k(
                    false,
                    src_or(INF),
                    "spec 5.3 notes: sequence errors leave the backup alive",
                ),
            },
            read_size_rules: if v == Win2000 {
                k(
                    true,
                    INF,
                    "spec 14.10: DOC marks XP+; nearest documented taken",
                )
            } else {
                k(true, src_or(DOC), "spec 6.4 step 6/7")
            },
            log_first_read_min_pages: match v {
                Win2000 | Xp | Server2003 => k(
                    3,
                    DOC,
                    "spec 12 item 3: DOC, first call smaller than three pages (XP+)",
                ),
                Vista | Win7 | Win8 | Win81 => k(
                    3,
                    INF,
                    "spec 12 item 3 undecided for these releases: nearest documented (DOC) taken",
                ),
                _ => k(2, SRC, "spec 6.4 step 7: logs need two pages at offset 0"),
            },
            read_alignment_rule: if vista_plus {
                k(true, src_or(DOC), "spec 6.4 step 5")
            } else {
                k(true, INF, "spec 11.4 '?': DOC Instance page rule taken")
            },
            log_verify_on_read: match v {
                Win2000 => k(false, DOC, "spec 11.4: no log checksums on W2K"),
                Xp => k(
                    true,
                    DOC,
                    "spec 14.11: ReadFile page says XP (JetBackup page says S03)",
                ),
                _ => k(true, src_or(DOC), "spec 6.4 step 7"),
            },
            patch_files: if v == Win2000 {
                k(true, DOC, "spec 11.4: W2K patch files")
            } else {
                k(false, src_or(DOC), "spec 11.4: trailer page replaces .pat")
            },
            invalid_handle_error: if vista_plus {
                k(
                    Some(ErrorCode::JET_errInvalidInstance),
                    src_or(DOC),
                    "spec 4.3",
                )
            } else {
                k(None, DOC, "spec 4.3: before VISTA the lookup gives -1003")
            },
            a_variant_small_buffer: match v {
                Win2000 | Xp | Server2003 => {
                    k(SmallBuffer::Truncate, DOC, "spec 11.4: silent truncation")
                }
                Vista | Win7 => k(
                    SmallBuffer::Error,
                    INF,
                    "spec 11.4: inferred from the SRC wrapper",
                ),
                _ => k(SmallBuffer::Error, src_or(INF), "spec 6.2 A wrapper"),
            },
            a_form_converts_restore_map: if vista_plus {
                k(
                    true,
                    src_or(INF),
                    "spec 15.2: the A wrapper converts the map (engine Unicode from VISTA, 11.1)",
                )
            } else {
                k(
                    false,
                    INF,
                    "spec 11.1: A was native before VISTA; what it did is unknown",
                )
            },
            log_file_not_copied_check: match v {
                Win2000 | Xp | Server2003 => k(
                    false,
                    INF,
                    "spec 14.5: constant first seen in VISTA headers",
                ),
                Vista | Win7 => k(true, INF, "spec 14.5: code present in the VISTA-era header"),
                _ => k(true, src_or(INF), "spec 6.8 step 7"),
            },
            truncate_done_bit: if vista_plus {
                k(true, src_or(DOC), "spec 2.2: VISTA")
            } else {
                k(false, DOC, "spec 2.2: VISTA")
            },
            no_db_header_update_bit: if v >= Win7 {
                k(true, src_or(INF), "spec 2.2: private, W7")
            } else {
                k(false, INF, "spec 2.2: private, W7")
            },
            legacy_call_before_init: if v >= Win10 {
                k(ErrorCode::JET_errInvalidParameter, SRC, "spec 4.2")
            } else if modern {
                k(
                    ErrorCode::JET_errInvalidParameter,
                    INF,
                    "spec 11.5: SRC value taken for W8/W8.1",
                )
            } else {
                k(
                    ErrorCode::JET_errNotInitialized,
                    INF,
                    "spec 12 item 6: DOC implies -1029",
                )
            },
            begin_valid_grbits: if v >= Win7 {
                k(
                    0x61,
                    src_or(INF),
                    "spec 2.1: {Incremental, Surrogate (W7), InternalCopy}",
                )
            } else {
                k(
                    0x41,
                    INF,
                    "spec 2.1: Surrogate is W7; InternalCopy unguarded",
                )
            },
            log_file_size_min_kib: if vista_plus {
                k(64, DOC, "spec 11.4: 64-32768 KiB")
            } else {
                k(128, DOC, "spec 11.4: 128-32768 KiB")
            },
            page_sizes: if v >= Win10 {
                k(PAGES_SRC, SRC, "spec 10.2: 4-32 KiB")
            } else if modern {
                k(PAGES_SRC, INF, "spec 11.4: newer builds add 16/32 KiB")
            } else {
                k(PAGES_DOC, DOC, "spec 10.2: 2/4/8 KiB")
            },
            reserve_logs: if vista_plus {
                k(ReserveLogs::Jrs, src_or(DOC), "spec 10.1")
            } else {
                k(ReserveLogs::Legacy, DOC, "spec 10.1")
            },
            legacy_file_names_param: if vista_plus {
                k(
                    true,
                    src_or(INF),
                    "spec 10.1: .jtx names are a VISTA+ option",
                )
            } else {
                k(false, INF, "spec 10.1: .jtx names are a VISTA+ option")
            },
            legacy_file_names_default: k(0x3, src_or(DOC), "spec 9 / 10.1: ESENT default 0x3"),
            term_dirty: if v >= Win7 {
                k(true, src_or(DOC), "spec 2.3")
            } else {
                k(false, DOC, "spec 2.3: W7")
            },
            init_reattaches: if v == Win2000 {
                k(true, DOC, "spec 9 / 11.4")
            } else {
                k(false, src_or(DOC), "spec 9 / 11.4")
            },
            // spec 11.1: the header has no JET_VERSION guard for JetStopBackup but DOC says
            // XP; the catalogue's XP is kept and the choice recorded here.
            export_overrides: if v == Win2000 {
                vec![ExportOverride {
                    function: Function::JetStopBackup,
                    exported: false,
                    provenance: DOC,
                    why: "spec 11.1 / 14.20: DOC introduces JetStopBackup in XP (header: no guard)",
                }]
            } else {
                Vec::new()
            },
        }
        .named()
    }

    /// The profile of another engine build (spec 15.8), modelled on the release it is judged
    /// as.
    pub fn for_build(build: EngineBuild) -> Profile {
        let mut p = Profile::for_version(build.judged_as());
        p.build = Some(build);
        match build {
            EngineBuild::EseOss => {
                p.invalid_handle_error = k(
                    None,
                    SRC,
                    "spec 15.8: JET_VALIDATE_INSTANCE is compiled only under DEBUG || ESENT; \
                     a retail ese.dll looks the handle up (-1003) or reads freed memory",
                );
                p.legacy_file_names_default = k(
                    0x3,
                    Provenance::Unknown,
                    "spec 15.8: ese.dll has its own default, which the spec does not give; \
                     the mock keeps ESENT's",
                );
            }
        }
        p.named()
    }

    /// Whether this version's `esent.dll` exports `f` (catalogue `since`, then overrides).
    pub fn exports(&self, f: Function) -> bool {
        if let Some(o) = self.export_overrides.iter().find(|o| o.function == f) {
            return o.exported;
        }
        f.info().since <= self.version
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    /// The profiles of every version, oldest first.
    fn all_profiles() -> Vec<Profile> {
        WinVersion::ALL
            .iter()
            .map(|v| Profile::for_version(*v))
            .collect()
    }

    #[rstest]
    #[case(WinVersion::Win2000, Function::JetBeginExternalBackupInstance, false)]
    #[case(WinVersion::Xp, Function::JetBeginExternalBackupInstance, true)]
    #[case(WinVersion::Win2000, Function::JetStopBackup, false)]
    #[case(WinVersion::Server2003, Function::JetGetAttachInfoInstanceW, false)]
    #[case(WinVersion::Vista, Function::JetGetAttachInfoInstanceW, true)]
    #[case(WinVersion::Win7, Function::JetStopServiceInstance2, false)]
    #[case(WinVersion::Win8, Function::JetStopServiceInstance2, true)]
    fn exports_follow_the_catalogue(
        #[case] v: WinVersion,
        #[case] f: Function,
        #[case] exported: bool,
    ) {
        assert_eq!(Profile::for_version(v).exports(f), exported);
    }

    #[test]
    fn ese_oss_has_no_handle_validation() {
        let p = Profile::for_build(EngineBuild::EseOss);
        assert_eq!(p.version, WinVersion::Win11);
        assert_eq!(p.invalid_handle_error.value, None);
        assert_eq!(p.legacy_file_names_default.provenance, Provenance::Unknown);
        assert_eq!(p.build, Some(EngineBuild::EseOss));
    }

    #[test]
    fn every_knob_has_a_name_of_its_own() {
        let profiles = all_profiles()
            .into_iter()
            .chain([Profile::for_build(EngineBuild::EseOss)]);
        for p in profiles {
            let names = p.knob_names();
            assert!(names.iter().all(|n| !n.is_empty()), "{}", p.version);
            let unique: std::collections::BTreeSet<&str> = names.iter().copied().collect();
            assert_eq!(unique.len(), names.len(), "{}", p.version);
        }
        assert_eq!(
            Profile::for_version(WinVersion::Xp).end_abort.name,
            "end_return.abort"
        );
    }

    #[test]
    fn every_version_has_a_full_knob_table() {
        for p in all_profiles() {
            assert!(p.knob_names().len() >= 25, "{}", p.version);
        }
        let modern = Profile::for_version(WinVersion::Win11);
        let ends = [
            &modern.end_abort,
            &modern.end_premature_normal,
            &modern.end_after_stop,
        ];
        assert!(ends.iter().all(|k| k.value == OK));
    }
}
