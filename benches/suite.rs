//! The corpus on the in-process mock (`jetconform run`), the same with 10x and 100x as many
//! scenarios, and start-up on one scenario: each a child process, timed from spawn to exit,
//! its own peak memory read by `wait4`.

use crate::measure::{fail, median, mib, run_child, workspace_root, ChildCost, OrFail};
use crate::table::Table;
use std::path::Path;
use std::process::Command;

const SECTION_SUITE: &str = "suite";
const SECTION_SCALING: &str = "scaling";
const SECTION_STARTUP: &str = "start-up";

/// `jetconform run --quiet PATHS...`, which must pass (exit 0) for its time to count.
fn run(jetconform: &Path, args: &[&std::ffi::OsStr]) -> ChildCost {
    let cost = run_child(
        Command::new(jetconform)
            .arg("run")
            .arg("--quiet")
            .args(args),
    );
    if !cost.success {
        fail(&format!(
            "`jetconform run {args:?}` failed:\n{}",
            cost.stdout
        ));
    }
    cost
}

/// Trials in a run, from its summary line (`1592 trials: ...`).
fn trials(cost: &ChildCost) -> u64 {
    cost.stdout
        .lines()
        .rev()
        .find_map(|l| {
            l.split_once(" trials:")
                .and_then(|(n, _)| n.trim().parse().ok())
        })
        .unwrap_or_else(|| fail(&format!("no summary line in:\n{}", cost.stdout)))
}

/// `runs` runs of `jetconform run` on `path`: its trials, the median wall time in seconds and
/// the highest peak memory in KiB.
fn runs_on(jetconform: &Path, path: &Path, runs: usize) -> (u64, f64, u64) {
    let costs: Vec<ChildCost> = (0..runs)
        .map(|_| run(jetconform, &[path.as_os_str()]))
        .collect();
    let wall = median(costs.iter().map(|c| c.wall.as_secs_f64()).collect());
    let peak = costs.iter().map(|c| c.peak_kib).max().unwrap_or(0);
    (trials(&costs[0]), wall, peak)
}

/// The whole corpus, every version each scenario applies to: median of `runs`.
pub fn suite(table: &mut Table, jetconform: &Path, runs: usize) {
    let (n, wall, peak) = runs_on(jetconform, &workspace_root().join("cases"), runs);
    table.target(
        SECTION_SUITE,
        format!("`jetconform run`: corpus x every version, mock, {n} trials (median of {runs})"),
        format!("{:.3} s", wall),
        "< 1 s",
        wall < 1.0,
    );
    table.context(
        SECTION_SUITE,
        "per trial; peak memory",
        format!("{:.0} µs; {:.0} MiB", wall / n as f64 * 1e6, mib(peak)),
    );
}

/// The corpus copied `factor` times under one root (shared fixtures, `copy-K/` folders, so
/// every scenario id stays unique).
fn copies(factor: usize) -> tempfile::TempDir {
    let cases = workspace_root().join("cases");
    let dir = tempfile::tempdir().or_fail("temp dir");
    copy_tree(&cases.join("fixtures"), &dir.path().join("fixtures"));
    for k in 0..factor {
        let root = dir.path().join(format!("copy-{k:03}"));
        for entry in std::fs::read_dir(&cases).or_fail("cases/") {
            let p = entry.or_fail("cases/").path();
            if p.is_dir() && p.file_name().is_some_and(|n| n != "fixtures") {
                copy_tree(&p, &root.join(p.file_name().unwrap_or_default()));
            }
        }
    }
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    let what = format!("copying {}", from.display());
    std::fs::create_dir_all(to).or_fail(&what);
    for entry in std::fs::read_dir(from).or_fail(&what) {
        let p = entry.or_fail(&what).path();
        let target = to.join(p.file_name().unwrap_or_default());
        if p.is_dir() {
            copy_tree(&p, &target);
        } else {
            std::fs::copy(&p, &target).or_fail(&what);
        }
    }
}

/// The same run on 1x, 10x (and 100x unless `quick`) copies: time and memory per trial must
/// not grow with the suite's size.
pub fn scaling(table: &mut Table, jetconform: &Path, quick: bool) {
    let factors: &[usize] = if quick { &[1, 10] } else { &[1, 10, 100] };
    let mut base: Option<(f64, u64, u64)> = None;
    for &factor in factors {
        let dir = copies(factor);
        let runs = if factor >= 100 { 1 } else { 3 };
        let (n, wall, peak) = runs_on(jetconform, dir.path(), runs);
        let per_trial_us = wall / n as f64 * 1e6;
        match base {
            None => {
                base = Some((per_trial_us, peak, n));
                table.context(
                    SECTION_SCALING,
                    format!("1x: {n} trials"),
                    format!(
                        "{wall:.2} s ({per_trial_us:.0} µs per trial), {:.0} MiB",
                        mib(peak)
                    ),
                );
            }
            Some((base_us, base_peak, base_n)) => {
                let time_ratio = per_trial_us / base_us;
                // Memory "linear" means at most proportional to the trials; what grows with
                // them, per 1,000 trials, is the figure that says whether a record is kept.
                let grown = peak.saturating_sub(base_peak) as f64 / (n - base_n) as f64 * 1000.0;
                let mem_ratio = peak as f64 / (base_peak as f64 * factor as f64);
                table.target(
                    SECTION_SCALING,
                    format!("{factor}x: {n} trials, time per trial vs 1x"),
                    format!("{wall:.2} s ({per_trial_us:.0} µs per trial): {time_ratio:.2}x"),
                    "linear: ≤ 1.25x",
                    time_ratio <= 1.25,
                );
                table.target(
                    SECTION_SCALING,
                    format!("{factor}x: peak memory vs {factor} x 1x"),
                    format!(
                        "{:.0} MiB: {mem_ratio:.2}x ({grown:.0} KiB more per 1,000 trials)",
                        mib(peak)
                    ),
                    "linear: ≤ 1x",
                    mem_ratio <= 1.0,
                );
            }
        }
    }
}

/// One scenario, one version: `runs` times in a row, median and fastest.
pub fn startup(table: &mut Table, jetconform: &Path, runs: usize) {
    let one = workspace_root().join("cases/end-external-backup/abort.toml");
    let args = [one.as_os_str(), "--version".as_ref(), "win10".as_ref()];
    run(jetconform, &args);
    let walls: Vec<f64> = (0..runs)
        .map(|_| run(jetconform, &args).wall.as_secs_f64() * 1e3)
        .collect();
    let fastest = walls.iter().copied().fold(f64::INFINITY, f64::min);
    let med = median(walls);
    table.target(
        SECTION_STARTUP,
        format!("`jetconform run` on one scenario, one version (median of {runs})"),
        format!("{med:.1} ms (fastest {fastest:.1} ms)"),
        "< 20 ms",
        med < 20.0,
    );
}
