//! The key step of a scenario (`model::key_step`) and the `key = true` marker.

use super::model::key_step;
use crate::scenario::model::Scenario;

const HEADER: &str = r#"
title = "t"
description = "d"
evidence = ["spec 6.1"]
provenance = "source"
versions = "xp.."

[[step]]
call = "JetCreateInstance"
szInstanceName = "bk"
bind = { pinstance = "$inst" }
expect = "JET_errSuccess"
"#;

/// The step most bodies start with, and one that fails with JET_errNoBackup.
const BEGIN: &str = r#"
[[step]]
call = "JetBeginExternalBackupInstance"
instance = "$inst"
grbit = 0
expect = "JET_errSuccess"
"#;
const END_NO_BACKUP: &str = r#"
[[step]]
call = "JetEndExternalBackupInstance"
instance = "$inst"
expect = "JET_errNoBackup"
"#;

fn load(body: &str) -> Result<Scenario, String> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(dir.path().join("fixtures")).expect("writable");
    std::fs::write(dir.path().join("s.toml"), format!("{HEADER}{body}")).expect("writable");
    let mut loaded = crate::scenario::load(&[dir.path().to_path_buf()]);
    match loaded.diagnostics.first() {
        Some(d) => Err(d.message.clone()),
        None => Ok(loaded.scenarios.remove(0)),
    }
}

/// The key step's number in its file.
fn key(body: &str) -> u32 {
    let s = load(body).unwrap_or_else(|e| panic!("{e}"));
    key_step(&s).expect("a key step").number
}

#[test]
fn a_difference_of_provenance_or_an_unknown_is_no_difference_of_code() {
    let body = &[r#"
[[step]]
call = "JetBeginExternalBackupInstance"
instance = "$inst"
grbit = 0
expect = { "xp..win81" = { code = "JET_errSuccess", provenance = "documented" }, default = "JET_errSuccess" }

[[step]]
call = "JetTruncateLogInstance"
instance = "$inst"
expect = { "xp..win7" = "unknown", default = "JET_errSuccess" }
"#, END_NO_BACKUP].concat();
    assert_eq!(key(body), 4);
}

#[test]
fn a_code_that_differs_between_versions_or_an_error_comes_first() {
    let body = &[
        BEGIN,
        r#"
[[step]]
call = "JetEndExternalBackupInstance2"
instance = "$inst"
grbit = ["JET_bitBackupEndAbort"]
expect = { xp = "errBackupAbortByCaller", default = "JET_errSuccess" }
"#,
        END_NO_BACKUP,
    ]
    .concat();
    assert_eq!(key(body), 3);
}

#[test]
fn calls_inside_for_each_count() {
    let body = &[
        BEGIN,
        r#"
[[step]]
call = "JetGetAttachInfoInstance"
instance = "$inst"
bind = { szz = "$dbs" }
expect = "JET_errSuccess"

[[step]]
for_each = { in = "$dbs", as = "$db" }

[[step.do]]
call = "JetOpenFileInstance"
instance = "$inst"
szFileName = "$db"
expect = "JET_errFileNotFound"

[[step]]
call = "JetEndExternalBackupInstance"
instance = "$inst"
expect = "JET_errSuccess"
"#,
    ]
    .concat();
    assert_eq!(key(body), 5);
}

#[test]
fn a_scenario_names_its_key_step() {
    let body = &[
        END_NO_BACKUP,
        BEGIN,
        r#"key = true
"#,
    ]
    .concat();
    assert_eq!(key(body), 3);
}

#[test]
fn a_wrong_key_marker_is_refused() {
    let two = &[
        BEGIN,
        r#"key = true

[[step]]
call = "JetEndExternalBackupInstance"
instance = "$inst"
expect = "JET_errSuccess"
key = true
"#,
    ]
    .concat();
    assert_eq!(load(two).unwrap_err(), "a second key step");
    let verb = r#"
[[step]]
call = "log_traffic"
sesid = 0
dbid = 1
commits = 1
key = true
"#;
    assert_eq!(
        load(verb).unwrap_err(),
        "log_traffic cannot be the key step"
    );
    let text = &[
        END_NO_BACKUP,
        r#"key = "yes"
"#,
    ]
    .concat();
    assert_eq!(load(text).unwrap_err(), "`key` is true or false");
}
