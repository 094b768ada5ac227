use super::*;
use jetconform_interface::{Provenance, VersionSet, WinVersion};
use std::path::PathBuf;

const FILE: &str = r#"# A comment that must survive.
title = "t"
description = """
[[step]] inside a string is not a step
"""

[[step]]
call = "JetBeginExternalBackupInstance"   # trailing comment
instance = "$inst"
expect = "JET_errSuccess"

[[step]]
call = "JetEndExternalBackupInstance2"
expect = { default = "JET_errSuccess", "xp..win7" = "unknown" } # why
"#;

fn edit(line: u32, version: WinVersion, code: &str) -> Edit {
    Edit {
        file: PathBuf::from("x.toml"),
        line,
        step: 0,
        version,
        code: code.into(),
        provenance: Provenance::Observed("box".into()),
        applies: VersionSet::ALL,
        replaces: None,
    }
}

#[test]
fn a_plain_expectation_becomes_default_plus_the_version() {
    let out = rewrite(FILE, &[edit(8, WinVersion::Win7, "JET_errNoBackup")]).unwrap();
    assert!(out.contains(
        r#"expect = { default = "JET_errSuccess", win7 = { code = "JET_errNoBackup", provenance = "observed:box" } }"#
    ), "{out}");
    assert!(out.contains("# A comment that must survive."));
    assert!(out.contains("# trailing comment"));
    assert!(out.contains("\"xp..win7\" = \"unknown\" } # why"), "{out}");
}

#[test]
fn a_range_is_split_around_the_version() {
    let out = rewrite(FILE, &[edit(13, WinVersion::Vista, "JET_errSuccess")]).unwrap();
    assert!(out.contains(
        r#"expect = { default = "JET_errSuccess", "xp..server2003" = "unknown", vista = { code = "JET_errSuccess", provenance = "observed:box" }, win7 = "unknown" } # why"#
    ), "{out}");
    let out = rewrite(FILE, &[edit(13, WinVersion::Win10, "JET_errNoBackup")]).unwrap();
    assert!(out.contains(
        r#""xp..win7" = "unknown", win10 = { code = "JET_errNoBackup", provenance = "observed:box" } }"#
    ), "{out}");
}

#[test]
fn a_line_without_a_top_level_step_is_refused() {
    let e = rewrite(FILE, &[edit(4, WinVersion::Xp, "JET_errSuccess")]).unwrap_err();
    assert!(e.to_string().contains("no top-level [[step]]"), "{e}");
}

#[test]
fn successive_edits_keep_release_order() {
    let mut out = FILE.to_string();
    for v in [
        WinVersion::Server2003,
        WinVersion::Vista,
        WinVersion::Win7,
        WinVersion::Xp,
    ] {
        out = rewrite(&out, &[edit(13, v, "JET_errSuccess")]).unwrap();
    }
    let line = out.lines().find(|l| l.contains("default")).unwrap();
    let xp = line.find("xp =").unwrap();
    let s3 = line.find("server2003 =").unwrap();
    let vista = line.find("vista =").unwrap();
    let win7 = line.find("win7 =").unwrap();
    assert!(xp < s3 && s3 < vista && vista < win7, "{line}");
}

#[test]
fn a_key_whose_versions_all_changed_alike_is_rewritten_in_place() {
    let range: Vec<Edit> = [
        WinVersion::Xp,
        WinVersion::Server2003,
        WinVersion::Vista,
        WinVersion::Win7,
    ]
    .into_iter()
    .map(|v| edit(13, v, "JET_errNoBackup"))
    .collect();
    let out = rewrite(FILE, &range).unwrap();
    assert!(out.contains(
        r#"expect = { default = "JET_errSuccess", "xp..win7" = { code = "JET_errNoBackup", provenance = "observed:box" } } # why"#
    ), "{out}");
    let all: Vec<Edit> = WinVersion::ALL
        .into_iter()
        .map(|v| edit(8, v, "JET_errNoBackup"))
        .collect();
    let out = rewrite(FILE, &all).unwrap();
    assert!(
        out.contains("expect = { code = \"JET_errNoBackup\", provenance = \"observed:box\" }\n"),
        "{out}"
    );
}

const FORMS: &str = r#"title = "t"

[[step]]
call = "JetBeginExternalBackupInstance"
expect = { any_of = ["JET_errInvalidInstance", "JET_errInvalidParameter"], provenance = "documented" }

[[step]]
call = "JetEndExternalBackupInstance2"
expect = { "vista.." = { any_of = [-1115, -1003] }, "xp..server2003" = "JET_errInvalidParameter" }
"#;

#[test]
fn an_any_of_entry_keeps_its_other_versions() {
    let out = rewrite(FORMS, &[edit(4, WinVersion::Win7, "JET_errSuccess")]).unwrap();
    assert!(out.contains(
        r#"expect = { default = { any_of = ["JET_errInvalidInstance", "JET_errInvalidParameter"], provenance = "documented" }, win7 = { code = "JET_errSuccess", provenance = "observed:box" } }"#
    ), "{out}");
    let out = rewrite(FORMS, &[edit(8, WinVersion::Win8, "JET_errSuccess")]).unwrap();
    assert!(out.contains(
        r#"expect = { "vista..win7" = { any_of = [-1115, -1003] }, win8 = { code = "JET_errSuccess", provenance = "observed:box" }, "win81.." = { any_of = [-1115, -1003] }, "xp..server2003" = "JET_errInvalidParameter" }"#
    ), "{out}");
}
