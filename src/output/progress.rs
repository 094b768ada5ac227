//! A progress bar on stderr for runs longer than a moment, only when stderr is a terminal and
//! the run is not `--quiet`. It appears after half a second, so short runs print nothing
//! extra, and it is cleared when the run ends.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const DELAY: Duration = Duration::from_millis(500);

pub struct Progress {
    bar: Option<ProgressBar>,
    shown: AtomicBool,
    started: Instant,
}

impl Progress {
    pub fn new(total: u64, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{bar:40} {pos}/{len} trials  {elapsed}  {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            shown: AtomicBool::new(false),
            started: Instant::now(),
        }
    }

    /// One more trial finished.
    pub fn done(&self, name: &str) {
        if let Some(bar) = &self.bar {
            if !self.shown.load(Ordering::Relaxed) && self.started.elapsed() >= DELAY {
                self.shown.store(true, Ordering::Relaxed);
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            bar.set_message(name.to_string());
            bar.inc(1);
        }
    }

    /// Prints a line on stdout without tearing the bar.
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) if self.shown.load(Ordering::Relaxed) => {
                bar.suspend(|| crate::output::sayln!("{line}"))
            }
            _ => crate::output::sayln!("{line}"),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl super::sink::Sink for &Progress {
    /// Shows trial names only.
    fn reads_passing_steps(&self) -> bool {
        false
    }
    fn trial(&mut self, e: &super::sink::TrialEvent) {
        self.done(&e.trial.name);
    }
    fn end(&mut self, _: &super::sink::RunEnd) -> Result<(), super::sink::SinkError> {
        self.finish();
        Ok(())
    }
}
