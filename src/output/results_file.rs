//! `--output FILE`: the results file, every trial with every step (docs/results.schema.json).
//! The only sink that keeps whole trials: the file holds them all.

use super::sink::{RunEnd, Sink, SinkError, TrialEvent};
use crate::results::{ResultsFile, RunRecord, Trial};
use std::path::PathBuf;

pub struct ResultsFileSink {
    path: PathBuf,
    run: RunRecord,
    trials: Vec<Trial>,
}

impl ResultsFileSink {
    pub fn new(path: PathBuf, run: RunRecord) -> ResultsFileSink {
        ResultsFileSink {
            path,
            run,
            trials: Vec::new(),
        }
    }
}

impl Sink for ResultsFileSink {
    fn trial(&mut self, _: &TrialEvent) {}
    fn keeps_whole(&self) -> bool {
        true
    }
    fn keep(&mut self, _: usize, trial: Trial) {
        // The file sorts its trials by name: plan order does not matter here.
        self.trials.push(trial);
    }
    fn end(&mut self, end: &RunEnd) -> Result<(), SinkError> {
        let mut run = self.run.clone();
        run.interrupted = end.interrupted.map(str::to_string);
        let file = ResultsFile::new(run, std::mem::take(&mut self.trials));
        file.write(&self.path).map_err(|source| SinkError {
            what: self.path.display().to_string(),
            source,
        })
    }
}
