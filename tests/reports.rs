//! `jetconform report`: generation is deterministic, `--check` finds stale reports (CI runs it
//! on the committed `reports/`), and the HTML page renders its matrix in a real browser
//! (headless Chromium).

mod common;
use common::*;

#[test]
fn reports_are_deterministic_and_checked() {
    let dir = corpus(&[("ok.toml", PASSING), ("bad.toml", FAILING)]);
    let out = jetconform(&["report"], dir.path());
    exits(&out, 0);
    let reports = dir.path().join("reports");
    let first = std::fs::read_to_string(reports.join("matrix.md")).unwrap();
    has(&first, "| [ok](../cases/ok.toml)");
    has(&first, "JET_errInvalidParameter · source");
    has(
        &first,
        "✗ JET_errInvalidParameter · source (expected JET_errSuccess)",
    );
    let page =
        std::fs::read_to_string(reports.join("functions/JetBeginExternalBackup.md")).unwrap();
    has(&page, "## Legacy Begin in a fresh process");
    has(&page, "| win10 | JET_errInvalidParameter | source |");
    let readme = std::fs::read_to_string(reports.join("README.md")).unwrap();
    has(&readme, "| mock | 4 | 4 | 0 | 0 | 0 | 0 | 2 |");
    let html = std::fs::read_to_string(reports.join("index.html")).unwrap();
    assert!(!html.contains(&dir.path().display().to_string()));
    assert!(!html.contains("http://") && !html.contains("https://"));

    let out = jetconform(&["report", "--check"], dir.path());
    exits(&out, 0);
    assert_eq!(
        std::fs::read_to_string(reports.join("matrix.md")).unwrap(),
        first
    );

    std::fs::write(
        dir.path().join("cases/ok.toml"),
        PASSING.replace("fresh", "new"),
    )
    .unwrap();
    let out = jetconform(&["report", "--check"], dir.path());
    exits_saying(&out, 1, "stale reports");
    has(stderr(&out), "functions/JetBeginExternalBackup.md");
}

#[test]
fn observed_results_files_get_their_own_table() {
    let dir = corpus(&[("ok.toml", PASSING)]);
    std::fs::create_dir_all(dir.path().join("reports/observed")).unwrap();
    let out = jetconform(
        &["run", "--output", "reports/observed/testbox-win10.json"],
        dir.path(),
    );
    exits(&out, 0);
    let out = jetconform(&["report"], dir.path());
    exits(&out, 0);
    let m = std::fs::read_to_string(dir.path().join("reports/matrix.md")).unwrap();
    has(&m, "## testbox-win10");
    std::fs::write(dir.path().join("reports/observed/broken.json"), "{}").unwrap();
    let out = jetconform(&["report"], dir.path());
    exits_saying(&out, 2, "broken.json");
}

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_string)
}

#[test]
fn html_matrix_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is missing in CI: .ci/run installs it before the tests"
        );
        eprintln!("skipped: no chromium on this machine (CI installs it: .ci/run)");
        return;
    };
    let dir = corpus(&[("ok.toml", PASSING), ("bad.toml", FAILING)]);
    let out = jetconform(&["report"], dir.path());
    exits(&out, 0);
    let page = dir.path().join("reports/index.html");
    let dom = dump_dom(&browser, &format!("file://{}", page.display()));
    assert!(
        dom.contains(r#"data-rows="2""#),
        "the matrix was not rendered:\n{dom}"
    );
    has(
        &dom,
        r#"<td title="Legacy Begin, wrongly expected to succeed"><a href="../cases/bad.toml">bad</a></td>"#,
    );
    has(
        &dom,
        "JET_errInvalidParameter<span class=\"prov\">source</span>",
    );
    // A filter given in the fragment: only the failing scenario is left.
    let dom = dump_dom(&browser, &format!("file://{}#outcome=fail", page.display()));
    has(&dom, r#"data-rows="1""#);
    has(&dom, "1 of 2 rows");
}

fn dump_dom(browser: &str, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("chromium runs");
    if stdout(&out).is_empty() {
        panic!("chromium printed nothing: {}", stderr(&out));
    }
    stdout(&out)
}
