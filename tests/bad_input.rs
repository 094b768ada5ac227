//! Every kind of bad scenario input yields one precise diagnostic: the message, where
//! (line, column, the text underlined) and the suggestion. One small file per kind lives in
//! `tests/bad-input/`, next to two good scenarios and the fixture they share.

use jetconform::scenario::diagnostic::Diagnostic;
use jetconform::scenario::{load, render};
use rstest::rstest;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input")
}

/// Loads one file, which must yield no scenario and exactly one diagnostic.
fn only_diagnostic(file: &str) -> (Diagnostic, String) {
    let path = corpus().join(file);
    let loaded = load(std::slice::from_ref(&path));
    assert!(
        loaded.scenarios.is_empty(),
        "{file} loaded although it is bad"
    );
    assert_eq!(
        loaded.diagnostics.len(),
        1,
        "{file}: {:#?}",
        loaded.diagnostics
    );
    let d = loaded.diagnostics[0].clone();
    let text = std::fs::read_to_string(&d.file).expect("the diagnostic names a readable file");
    let spanned = text
        .get(d.span.clone())
        .expect("the span lies within the file")
        .to_string();
    (d, spanned)
}

#[rstest]
#[case::syntax(
    "syntax.toml",
    "invalid TOML: invalid basic string, expected `\"`",
    9,
    18,
    "",
    None
)]
#[case::unknown_function(
    "unknown-function.toml",
    "unknown function JetEndExternalBakupInstance",
    8,
    8,
    "\"JetEndExternalBakupInstance\"",
    Some("did you mean JetEndExternalBackupInstance?")
)]
#[case::unknown_error(
    "unknown-error.toml",
    "unknown error JET_errNoBakup",
    10,
    10,
    "\"JET_errNoBakup\"",
    Some("did you mean JET_errNoBackup?")
)]
#[case::unknown_grbit(
    "unknown-grbit.toml",
    "unknown grbit JET_bitBackupEndAbrot",
    10,
    10,
    "\"JET_bitBackupEndAbrot\"",
    Some("did you mean JET_bitBackupEndAbort?")
)]
#[case::foreign_grbit(
    "foreign-grbit.toml",
    "JET_bitTermAbrupt is not a grbit of JetEndExternalBackupInstance2",
    10,
    36,
    "\"JET_bitTermAbrupt\"",
    Some("to pass this bit deliberately, write it as a number: 0x2")
)]
#[case::unknown_version(
    "unknown-version.toml",
    "unknown version or range `vitsa..`",
    6,
    12,
    "\"vitsa..\"",
    Some("did you mean vista..?")
)]
#[case::unknown_fixture(
    "unknown-fixture.toml",
    "unknown fixture online-instanse",
    4,
    11,
    "\"online-instanse\"",
    Some("did you mean online-instance?")
)]
#[case::unknown_fixture_param(
    "unknown-fixture-param.toml",
    "unknown parameter `circular_logg` of fixture online-instance",
    4,
    39,
    "circular_logg",
    Some("did you mean circular_log?")
)]
#[case::fixture_param_type(
    "fixture-param-type.toml",
    "wrong type for fixture parameter `circular_log`: expected an integer, found a string",
    4,
    54,
    "\"yes\"",
    None
)]
#[case::unknown_paramid(
    "unknown-paramid.toml",
    "unknown system parameter JET_paramCircularLogs",
    9,
    11,
    "\"JET_paramCircularLogs\"",
    Some("did you mean JET_paramCircularLog?")
)]
#[case::unknown_provenance(
    "unknown-provenance.toml",
    "unknown provenance sauce",
    5,
    14,
    "\"sauce\"",
    Some("did you mean source?")
)]
#[case::unknown_top_key(
    "unknown-top-key.toml",
    "unknown top-level key `titel`",
    6,
    1,
    "titel",
    Some("did you mean title?")
)]
#[case::unknown_argument(
    "unknown-argument.toml",
    "unknown argument `szFilename` for JetOpenFileInstance",
    10,
    1,
    "szFilename",
    Some("did you mean szFileName?")
)]
#[case::wrong_type_number(
    "wrong-type-number.toml",
    "wrong type for `cb`: expected a number, found a string",
    11,
    6,
    "\"lots\"",
    None
)]
#[case::wrong_type_instance(
    "wrong-type-instance.toml",
    "wrong type for `instance`: expected a bound handle \"$name\", \"nil\" or a number, found a table",
    9,
    12,
    "{ handle = 1 }",
    None
)]
#[case::missing_argument(
    "missing-argument.toml",
    "missing argument `szFileName` of JetOpenFileInstance",
    8,
    1,
    "call",
    Some("add `szFileName = ...` (a sandbox path, \"null\" or a table { path = ... })")
)]
#[case::missing_title(
    "missing-title.toml",
    "missing `title`",
    1,
    1,
    "",
    Some("add title = \"...\"")
)]
#[case::missing_evidence(
    "missing-evidence.toml",
    "missing `evidence`",
    1,
    1,
    "",
    Some("add evidence = [\"spec 6.3\", ...]")
)]
#[case::missing_expect(
    "missing-expect.toml",
    "missing `expect` on JetEndExternalBackupInstance",
    8,
    1,
    "call",
    Some("add expect = \"JET_errSuccess\" (or the code the spec gives, with its provenance)")
)]
#[case::unbound(
    "unbound.toml",
    "`$h` is used before it is bound",
    10,
    10,
    "\"$h\"",
    Some("bind it in an earlier step, e.g. `bind = { <output> = \"$h\" }`")
)]
#[case::binding_kind(
    "binding-kind.toml",
    "`$logs` holds a list of names, but a handle is needed here",
    15,
    12,
    "\"$logs\"",
    None
)]
#[case::bind_no_output(
    "bind-no-output.toml",
    "JetOpenFileInstance has no output `phFile` to bind",
    11,
    10,
    "phFile",
    Some("did you mean phfFile?")
)]
#[case::item_out_of_scope(
    "item-out-of-scope.toml",
    "`$log` is used before it is bound",
    25,
    14,
    "\"$log\"",
    Some("did you mean $logs?")
)]
#[case::empty_expect(
    "empty-expect.toml",
    "empty expectation",
    10,
    10,
    "{}",
    Some("write a code, e.g. expect = \"JET_errSuccess\", or per-version keys")
)]
#[case::contradictory_expect(
    "contradictory-expect.toml",
    "contradictory expectation: `vista..win7` and `xp..` both cover vista..win7 with different outcomes",
    10,
    40,
    "\"vista..win7\"",
    Some("make the version ranges disjoint")
)]
#[case::any_of_and_code(
    "any-of-and-code.toml",
    "an expectation has either `code` or `any_of`, not both",
    10,
    38,
    "any_of",
    Some("put the code into the `any_of` list, or remove `any_of`")
)]
#[case::any_of_bare_list(
    "any-of-bare-list.toml",
    "wrong type for an expectation: expected a JET_ERR name or number, found an array",
    10,
    10,
    "[\"JET_errNoBackup\", \"JET_errSuccess\"]",
    Some("for one of several codes, write { any_of = [\"JET_err...\", \"JET_err...\"] }")
)]
#[case::any_of_contradictory(
    "any-of-contradictory.toml",
    "contradictory expectation: `vista..` and `xp..` both cover vista.. with different outcomes",
    10,
    73,
    "\"vista..\"",
    Some("make the version ranges disjoint")
)]
#[case::any_of_duplicate(
    "any-of-duplicate.toml",
    "JET_errInvalidParameter (-1003) is listed twice in `any_of`",
    10,
    49,
    "-1003",
    Some("remove the second one (a name and its number are the same code)")
)]
#[case::any_of_empty(
    "any-of-empty.toml",
    "empty `any_of`: no result could pass",
    10,
    21,
    "[]",
    Some("list two or more codes (e.g. any_of = [\"JET_errInvalidInstance\", \"JET_errInvalidParameter\"])")
)]
#[case::any_of_form(
    "any-of-form.toml",
    "`any_of` lists JET_ERR codes; `success` is not one",
    10,
    22,
    "\"success\"",
    Some("write expect = \"success\" on its own, without any_of")
)]
#[case::any_of_single(
    "any-of-single.toml",
    "`any_of` with a single code",
    10,
    21,
    "[\"JET_errNoBackup\"]",
    Some("write the code itself: expect = \"JET_errNoBackup\"")
)]
#[case::any_of_unknown_name(
    "any-of-unknown-name.toml",
    "unknown error JET_errInvalidParamter",
    10,
    48,
    "\"JET_errInvalidParamter\"",
    Some("did you mean JET_errInvalidParameter?")
)]
#[case::success_misspelt(
    "success-misspelt.toml",
    "unknown error sucess",
    10,
    10,
    "\"sucess\"",
    Some("did you mean success?")
)]
#[case::matching_bad_glob(
    "matching-bad-glob.toml",
    "`logs/edb[0-9.log` is not a valid glob: unclosed character class; missing ']'",
    11,
    30,
    "\"logs/edb[0-9.log\"",
    Some("globs use *, ?, [abc], [!abc] and {a,b}; `*` stops at `/`")
)]
#[case::count_unknown_bound(
    "count-unknown-bound.toml",
    "unknown bound `least` of `count`",
    11,
    29,
    "least",
    Some("count = { min = N } is at least N names, { max = N } at most N")
)]
#[case::delete_dir_sandbox(
    "delete-dir-sandbox.toml",
    "delete_dir does not act on the sandbox folder itself",
    8,
    8,
    "\".\"",
    Some("name a folder inside it, e.g. \"backup\"")
)]
#[case::uncovered_expect(
    "uncovered-expect.toml",
    "the expectation does not cover xp..server2003",
    10,
    1,
    "expect",
    Some("add `default = ...` or a `\"xp..server2003\" = ...` entry")
)]
#[case::missing_provenance(
    "missing-provenance.toml",
    "missing provenance (for xp)",
    9,
    10,
    "\"JET_errNoBackup\"",
    Some("add `provenance = \"source\"` (or documented, inferred, observed:<machine>) to the entry, or once at the top of the file")
)]
#[case::not_exported(
    "not-exported.toml",
    "JetStopServiceInstance2 is not exported by xp..win7 (exported since win8, spec 11.1)",
    12,
    1,
    "expect",
    Some("add `\"xp..win7\" = \"not_exported\"` to expect, or narrow `versions` to `win8..`")
)]
#[case::sandbox_dotdot(
    "sandbox-dotdot.toml",
    "`szFileName` leaves the sandbox: ../outside.edb",
    10,
    14,
    "\"../outside.edb\"",
    Some("write paths relative to the trial's sandbox, `/`-separated, without `..`")
)]
#[case::sandbox_absolute(
    "sandbox-absolute.toml",
    "`szBackupPath` leaves the sandbox: C:\\backup",
    10,
    16,
    "\"C:\\\\backup\"",
    Some("write paths relative to the trial's sandbox, `/`-separated, without `..`")
)]
#[case::sandbox_unc(
    "sandbox-unc.toml",
    "`to` leaves the sandbox: \\\\server\\share\\db.edb",
    10,
    6,
    "\"\\\\\\\\server\\\\share\\\\db.edb\"",
    Some("write paths relative to the trial's sandbox, `/`-separated, without `..`")
)]
#[case::sandbox_save_to(
    "sandbox-save-to.toml",
    "`save_to` leaves the sandbox: /srv/db.edb",
    11,
    32,
    "\"/srv/db.edb\"",
    Some("write paths relative to the trial's sandbox, `/`-separated, without `..`")
)]
#[case::save_to_unbound(
    "save-to-unbound.toml",
    "`$log` is used before it is bound",
    11,
    32,
    "\"backup/{$log}\"",
    Some("bind it in an earlier step, e.g. `bind = { <output> = \"$log\" }`")
)]
#[case::sandbox_sysparam(
    "sandbox-sysparam.toml",
    "`szParam` leaves the sandbox: /var/logs/",
    10,
    11,
    "\"/var/logs/\"",
    Some("write paths relative to the trial's sandbox, `/`-separated, without `..`")
)]
#[case::sandbox_rstmap(
    "sandbox-rstmap.toml",
    "`szNewDatabaseName` leaves the sandbox: restore/../../db.edb",
    10,
    62,
    "\"restore/../../db.edb\"",
    Some("write paths relative to the trial's sandbox, `/`-separated, without `..`")
)]
#[case::suggest_function_number(
    "suggest-function-number.toml",
    "unknown function JetEndExternalBackupInstance3",
    8,
    8,
    "\"JetEndExternalBackupInstance3\"",
    Some("did you mean JetEndExternalBackupInstance2?")
)]
#[case::suggest_function_typo(
    "suggest-function-typo.toml",
    "unknown function JetTruncateLogInstanse",
    8,
    8,
    "\"JetTruncateLogInstanse\"",
    Some("did you mean JetTruncateLogInstance?")
)]
#[case::reversed_range(
    "reversed-range.toml",
    "`win10..xp` is a reversed range",
    6,
    12,
    "\"win10..xp\"",
    Some("write it oldest first: xp..win10")
)]
#[case::uncovered_gaps(
    "uncovered-gaps.toml",
    "the expectation does not cover xp,server2003,win8",
    11,
    1,
    "expect",
    Some("add `default = ...` or entries `\"xp..server2003\" = ...` and `\"win8\" = ...`")
)]
#[case::size_negative(
    "size-negative.toml",
    "`size` is negative",
    11,
    15,
    "-65536",
    Some("write a number of bytes: size = 65536")
)]
#[case::sandbox_nul(
    "sandbox-nul.toml",
    "`to` contains a NUL byte",
    10,
    6,
    "\"db.edb\\u0000.bak\"",
    Some("remove the \\u0000 from the path")
)]
#[case::buffer_unknown_field(
    "buffer-unknown-field.toml",
    "unknown field `offest` of the buffer `pv`",
    11,
    21,
    "offest",
    Some("did you mean offset?")
)]
#[case::cb_too_large(
    "cb-too-large.toml",
    "`cb` is larger than the buffer `pv` of JetReadFileInstance (4096 bytes)",
    12,
    6,
    "65536",
    Some("give `pv` at least 65536 bytes: pv = { size = 65536 }")
)]
#[case::count_too_large(
    "count-too-large.toml",
    "`crstfilemap` is larger than the list `rgrstmap` (1 entries)",
    9,
    15,
    "3",
    Some("leave `crstfilemap` out to pass the list's length, or give `rgrstmap` = \"null\"")
)]
#[case::error_inside_a_fixture(
    "fixture-broken.toml",
    "unknown fixture parameter @circular",
    15,
    10,
    "\"@circular\"",
    Some("did you mean @circular_log?")
)]
#[case::fault_without_requires(
    "fault-without-requires.toml",
    "the fault verb needs the mock's fault hooks",
    8,
    8,
    "\"fault\"",
    Some("add requires = [\"fault_hooks\"] at the top of the scenario")
)]
fn bad_input_is_reported_precisely(
    #[case] file: &str,
    #[case] message: &str,
    #[case] line: u32,
    #[case] col: u32,
    #[case] spanned: &str,
    #[case] help: Option<&str>,
) {
    let (d, text) = only_diagnostic(file);
    assert_eq!(d.message, message, "{file}");
    assert_eq!((d.line, d.col), (line, col), "{file}: position");
    assert_eq!(text, spanned, "{file}: underlined text");
    assert_eq!(d.help.as_deref(), help, "{file}: help");
    assert!(!d.label.is_empty(), "{file}: every diagnostic has a label");
}

#[test]
fn columns_count_characters_not_bytes() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("accents.toml");
    std::fs::write(
        &path,
        "title = \"t\"\ndescription = \"d\"\nevidence = [\"é\"]\nprovenance = \"source\"\n\n[[step]]\ncall = \"JetTerm\"\ninstance = 0\nexpect = { \"é\" = 0, default = 0 }\n",
    )
    .expect("writable");
    let loaded = load(&[path]);
    assert_eq!(loaded.diagnostics.len(), 1, "{:#?}", loaded.diagnostics);
    let d = &loaded.diagnostics[0];
    assert_eq!(d.message, "unknown version or range `é`");
    assert_eq!((d.line, d.col), (9, 12));
    assert_eq!(d.span.end - d.span.start, "\"é\"".len());
}

#[test]
fn good_files_load_next_to_bad_ones() {
    let loaded = load(&[corpus()]);
    let ids: Vec<&str> = loaded.scenarios.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["good-abort", "good-stream"]);
    // Every other file is reported, each on its own.
    let bad_files = std::fs::read_dir(corpus())
        .expect("the corpus is readable")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .filter(|e| !e.file_name().to_string_lossy().starts_with("good-"))
        .count();
    assert_eq!(loaded.files, bad_files + 2);
    let mut reported: Vec<&PathBuf> = loaded.diagnostics.iter().map(|d| &d.file).collect();
    reported.dedup();
    assert_eq!(reported.len(), bad_files);
}

#[test]
fn rendering_shows_position_source_label_and_help() {
    let (d, _) = only_diagnostic("unknown-error.toml");
    let out = render(&d, false);
    assert!(
        out.starts_with("error: unknown error JET_errNoBakup"),
        "{out}"
    );
    assert!(out.contains("unknown-error.toml:10:10"), "{out}");
    assert!(out.contains("expect = \"JET_errNoBakup\""), "{out}");
    assert!(out.contains("^^^^^^^^^^^^^^^^ not a JET_ERR name"), "{out}");
    assert!(
        out.contains("= help: did you mean JET_errNoBackup?"),
        "{out}"
    );
}
