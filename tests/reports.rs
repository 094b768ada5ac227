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
    assert!(m.contains("## testbox-win10"), "{m}");
    // The HTML page puts the runners of one version side by side, a column each.
    if let Some(browser) = chromium() {
        let page = dir.path().join("reports/index.html");
        let dom = dump_dom(
            &browser,
            &format!("file://{}#version=win10", page.display()),
        );
        assert!(
            dom.contains("<th>win10:</th><th>mock</th><th>testbox-win10</th>"),
            "{dom}"
        );
        assert!(
            dom.contains("1 scenarios on win10, 2 runners side by side"),
            "{dom}"
        );
        let dom = dump_dom(&browser, &format!("file://{}", page.display()));
        assert!(dom.contains(r#"data-rows="2""#), "{dom}");
    }
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
    // A failing cell shows what was observed and what was expected; versions with the same
    // result share a cell.
    assert!(
        dom.contains(r#"<td class="cell fail" title="expected JET_errSuccess (source), outcome fail" colspan="2">✗ JET_errInvalidParameter<span class="exp">expected JET_errSuccess</span>"#),
        "{dom}"
    );
    // A filter given in the fragment: only the failing scenario is left.
    let dom = dump_dom(&browser, &format!("file://{}#outcome=fail", page.display()));
    assert!(dom.contains(r#"data-rows="1""#), "{dom}");
    assert!(dom.contains("1 of 2 rows"), "{dom}");
    // The filter for rows that differ between versions: none here.
    assert!(dom.contains(r#"id="f-differs""#), "{dom}");
    let dom = dump_dom(&browser, &format!("file://{}#differs=1", page.display()));
    assert!(dom.contains(r#"data-rows="0""#), "{dom}");
}

/// The committed reports/index.html (the whole corpus) fits a 1,400 px window: no horizontal
/// scrolling, versions in order, the differing-rows filter there. A screenshot is left in
/// the target folder for a person to look at.
#[test]
fn html_matrix_fits_a_1400_px_window() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is missing in CI: .ci/run installs it before the tests"
        );
        eprintln!("skipped: no chromium on this machine (CI installs it: .ci/run)");
        return;
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(root.join("reports/index.html")).unwrap();
    // A copy with a script that records the page's width once it is built (the page itself
    // carries no test hooks).
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("index.html");
    let probe = "<script>document.body.dataset.width = String(document.documentElement.scrollWidth);</script>\n</body>";
    std::fs::write(&page, committed.replacen("</body>", probe, 1)).unwrap();
    let dom = render(
        &browser,
        &format!("file://{}", page.display()),
        &["--window-size=1400,900"],
    );
    let width: u32 = dom
        .split(r#"data-width=""#)
        .nth(1)
        .and_then(|w| w.split('"').next())
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no width recorded:\n{}", &dom[..dom.len().min(2000)]));
    assert!(
        width <= 1400,
        "the page is {width} px wide at a 1,400 px window"
    );
    let header = dom
        .split("<thead>")
        .nth(1)
        .and_then(|h| h.split("</thead>").next())
        .unwrap_or("");
    let order: Vec<usize> = [
        "win2000",
        "xp",
        "server2003",
        "vista",
        "win7",
        "win8",
        "win81",
        "win10",
        "win11",
    ]
    .iter()
    .map(|v| {
        header
            .find(&format!("<th>{v}</th>"))
            .unwrap_or_else(|| panic!("{v}: {header}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{header}");
    assert!(dom.contains(r#"id="f-differs""#));
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports-index-1400.png");
    let _ = std::fs::remove_file(&shot);
    render(
        &browser,
        &format!("file://{}", root.join("reports/index.html").display()),
        &[
            "--window-size=1400,900",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    assert!(
        std::fs::metadata(&shot).is_ok_and(|m| m.len() > 1000),
        "no screenshot at {}",
        shot.display()
    );
}

fn dump_dom(browser: &str, url: &str) -> String {
    render(browser, url, &["--dump-dom"])
}

/// Headless Chromium on `url` with `extra` flags (`--dump-dom`, `--screenshot=...`): its stdout.
fn render(browser: &str, url: &str, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut extra: Vec<&str> = extra.to_vec();
    if !extra.iter().any(|a| a.starts_with("--screenshot")) && !extra.contains(&"--dump-dom") {
        extra.push("--dump-dom");
    }
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
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(&extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    if extra.contains(&"--dump-dom") && stdout(&out).is_empty() {
        panic!("chromium printed nothing: {}", stderr(&out));
    }
    stdout(&out)
}
