//! The whole corpus through `--runner ffi:` against the mock built as a C library
//! (`jetconform-mock-dll`: libesent.so, esent.dll) gives the same verdicts as the in-process
//! mock: per trial the same outcome, per step the same observed code. This proves the ffi
//! runner's marshalling (spec 1) and the library's exports agree with the model, end to end
//! through `jetconform run` (a fresh `jetconform serve` process per scenario).
//!
//! Trials the ffi runner skips because they need a model's fault hooks are not compared.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// (scenario, version) -> (outcome, [(step, item, observed code)]) for one runner's results.
type Verdicts = BTreeMap<(String, String), (String, Vec<(i64, String, String)>, String)>;

fn verdicts(doc: &Value, runner: &str) -> Verdicts {
    let mut out = BTreeMap::new();
    for r in doc["results"].as_array().expect("results") {
        if r["runner"] != runner {
            continue;
        }
        let steps = r["steps"]
            .as_array()
            .map(|s| {
                s.iter()
                    .map(|s| {
                        (
                            s["step"].as_i64().unwrap_or(-1),
                            s["item"].to_string(),
                            s["observed"]["code"].to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.insert(
            (
                r["scenario"].as_str().unwrap_or("").to_string(),
                r["version"].as_str().unwrap_or("").to_string(),
            ),
            (
                r["outcome"].as_str().unwrap_or("").to_string(),
                steps,
                r["reason"].to_string(),
            ),
        );
    }
    out
}

#[test]
fn corpus_through_ffi_matches_the_in_process_mock() {
    let library = common::mock_library();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ffi = format!("ffi:{}", library.display());
    let out = Command::new(env!("CARGO_BIN_EXE_jetconform"))
        .args([
            "run", "--runner", "mock", "--runner", &ffi, "--format", "json",
        ])
        .current_dir(root)
        .output()
        .expect("jetconform runs");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "jetconform run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let mock = verdicts(&doc, "mock");
    let via_ffi = verdicts(&doc, &ffi);
    assert!(!mock.is_empty(), "the corpus ran on the mock");
    let mut compared = 0;
    let mut differences = Vec::new();
    for (key, m) in &mock {
        let Some(f) = via_ffi.get(key) else {
            continue;
        };
        if f.0 == "skip" && m.0 != "skip" {
            assert!(
                f.2.contains("fault hooks"),
                "{key:?}: skipped through ffi for another reason: {}",
                f.2
            );
            continue;
        }
        compared += 1;
        if (&m.0, &m.1) != (&f.0, &f.1) {
            differences.push(format!(
                "{}[{}]: mock {} {:?}, ffi {} {:?} {}",
                key.0, key.1, m.0, m.1, f.0, f.1, f.2
            ));
        }
    }
    assert!(
        compared * 10 >= mock.len() * 9,
        "only {compared} of {} trials compared",
        mock.len()
    );
    assert!(
        differences.is_empty(),
        "{} trial(s) differ:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

/// A library that faults costs one trial (`crashed`, with the signal or exception), and the
/// run goes on with a fresh process for the next scenario.
#[test]
fn a_crash_in_the_library_costs_one_trial() {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("crash.c");
    std::fs::write(
        &src,
        "long JetCreateInstance(void **p, const char *n) { (void)p; (void)n; \
         return *(volatile long *)0; }\n\
         long JetEnableMultiInstance(void *p, unsigned long c, unsigned long *s) \
         { (void)p; (void)c; (void)s; return 0; }\n",
    )
    .expect("write source");
    let library = dir.path().join(if cfg!(windows) {
        "crash.dll"
    } else {
        "libcrash.so"
    });
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let built = Command::new(&cc)
        .arg("-shared")
        .arg("-fPIC")
        .arg("-o")
        .arg(&library)
        .arg(&src)
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no C compiler (`{cc}`) to build the crashing library");
        return;
    }
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).expect("cases dir");
    let scenario = |call: &str, title: &str| {
        format!(
            "title = \"{title}\"\ndescription = \"{title}.\"\nevidence = [\"spec 1.1\"]\n\
             versions = \"win10\"\nprovenance = \"documented\"\n\n[[step]]\ncall = \"{call}\"\n\
             {}expect = \"JET_errSuccess\"\n",
            if call == "JetCreateInstance" {
                "szInstanceName = \"x\"\n"
            } else {
                ""
            }
        )
    };
    std::fs::write(
        cases.join("a-crash.toml"),
        scenario("JetCreateInstance", "The library faults"),
    )
    .expect("write scenario");
    std::fs::write(
        cases.join("b-after.toml"),
        scenario("JetEnableMultiInstance", "The run goes on"),
    )
    .expect("write scenario");
    let out = Command::new(env!("CARGO_BIN_EXE_jetconform"))
        .args(["run", "cases", "--format", "json", "--runner"])
        .arg(format!("ffi:{}", library.display()))
        .current_dir(dir.path())
        .output()
        .expect("jetconform runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let outcome = |id: &str| {
        doc["results"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["scenario"] == id).cloned())
            .unwrap_or(Value::Null)
    };
    let crash = outcome("a-crash");
    assert_eq!(crash["outcome"], "crashed", "{crash}");
    let reason = crash["reason"].as_str().unwrap_or("");
    assert!(
        reason.contains("JetCreateInstance")
            && (reason.contains("signal") || reason.contains("exception 0x")),
        "{reason}"
    );
    assert_eq!(outcome("b-after")["outcome"], "pass", "{doc}");
}
