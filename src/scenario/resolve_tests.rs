//! Loading a file a slice of steps at a time gives what loading it whole gives.

use super::{load_in_slices, Source};
use std::path::Path;
use std::sync::Arc;

/// Loads `path` with one step per slice and whole, and compares the scenarios and the
/// diagnostics.
fn same_either_way(path: &Path, text: &str) {
    let load = |slice_bytes| {
        let src = Source::new(Arc::new(path.to_path_buf()), text.to_string());
        let (scenario, diags) = load_in_slices(path, "s".into(), &src, slice_bytes);
        (format!("{scenario:#?}"), diags)
    };
    let (sliced, whole) = (load(0), load(usize::MAX));
    assert_eq!(sliced.0, whole.0, "{}", path.display());
    assert_eq!(sliced.1, whole.1, "{}", path.display());
}

#[test]
fn every_corpus_and_bad_input_file_loads_the_same_in_slices() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files =
        crate::scenario::corpus::discover(&[root.join("cases"), root.join("tests/bad-input")])
            .files;
    assert!(files.len() > 100);
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        same_either_way(&f, &text);
    }
}

const HEAD: &str = "title = \"t\"\ndescription = \"d\"\nevidence = [\"spec 6.9\"]\n\
                    fixture = \"online-instance\"\nprovenance = \"source\"\n";
const BEGIN: &str = "\n[[step]]\ncall = \"JetBeginExternalBackupInstance\"\n\
                     instance = \"$inst\"\ngrbit = 0\nexpect = \"JET_errSuccess\"\n";

/// Spans kept past the slice they were read in (the fault verb's, a deliberate path's, the
/// key step's) and errors in later slices point where they do in the whole file; layouts
/// the slices cannot take alone (a table after the steps, a syntax error) are loaded whole.
#[test]
fn later_slices_point_at_the_same_places() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/s.toml");
    let bodies = [
        "\n[[step]]\ncall = \"fault\"\ninstance = \"$inst\"\nfault = \"log_write\"\n",
        "\n[[step]]\ncall = \"JetOpenFileInstance\"\ninstance = \"$inst\"\n\
         szFileName = { path = \"COM1.log\", deliberate = true }\nexpect = \"JET_errSuccess\"\n",
        "\n[[step]]\ncall = \"JetBeginExternalBackupInstance\"\ninstance = \"$inst\"\n\
         grbit = 0\nkey = true\nexpect = \"JET_errSuccess\"\n",
        "\n[[step]]\ncall = \"JetBeginExternalBackupInstanse\"\ngrbit = -1\n",
        "\n[[step]]\ncall = \"JetBeginExternalBackupInstance\"\ninstance = \"$inst\"\n\
         grbit = 0\nexpect = \"JET_errSuccess\"\n[fixture]\nname = \"x\"\n",
        "\n[[step]]\ncall = \"JetBeginExternalBackupInstance\"\ninstance = \n",
        "\n[[step]]\nfor_each = \"$nothing\"\nas = \"$x\"\n[[step.do]]\ncall = \"JetX\"\n",
    ];
    for body in bodies {
        let text = format!("{HEAD}{BEGIN}{BEGIN}{body}{BEGIN}");
        same_either_way(&cases, &text);
        // With versions given, the calls are not collected first.
        let with_versions = text.replace("provenance =", "versions = \"xp..\"\nprovenance =");
        same_either_way(&cases, &with_versions);
        // Windows line ends split the same way.
        same_either_way(&cases, &text.replace('\n', "\r\n"));
    }
}
