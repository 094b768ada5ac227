//! Limits on what a trial copies and writes, so that an engine that never says "done" cannot
//! fill the disk. A `repeat` of JetReadFile until `pcbActual = 0` stops once it has been given
//! more than twice the size OpenFile reported for the handle (plus 64 KiB); every trial stops
//! once it has written more than `--max-write` bytes (`save_to` appends, `write_file`). A call
//! that says it wrote more bytes than it was given room for (`pcbActual` larger than `cb`,
//! spec 6.4) fails its step: those bytes are not data.

use crate::verdict::Failure;
use jetconform_interface::functions::BufferKind;
use jetconform_interface::{Arg, Buffer, Call, Function, Observation, Op, OutValue, ParamType};
use std::collections::HashMap;

/// The default `--max-write`: 1 GiB per trial, far above what the corpus writes (a few MB).
pub const DEFAULT_MAX_WRITE: u64 = 1 << 30;

/// Slack over twice the reported size, for files of a few pages.
const READ_SLACK: u64 = 64 << 10;

/// Limits of every trial of a run.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes a trial may write (`--max-write`).
    pub max_write: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_write: DEFAULT_MAX_WRITE,
        }
    }
}

/// What one trial has written, and the sizes OpenFile reported per file handle.
pub struct Budget {
    limits: Limits,
    written: u64,
    sizes: HashMap<u64, u64>,
}

impl Budget {
    pub fn new(limits: Limits) -> Budget {
        Budget {
            limits,
            written: 0,
            sizes: HashMap::new(),
        }
    }

    /// Before a call: a `write_file` that would take the trial past `--max-write` is not made.
    pub fn before(&self, call: &Call) -> Option<Failure> {
        if call.function != Function::write_file {
            return None;
        }
        let size = call.args.iter().find_map(|a| match a {
            Arg::U32(n) => Some(u64::from(*n)),
            _ => None,
        })?;
        let total = self.written + size;
        (total > self.limits.max_write).then(|| self.over(total, "write_file"))
    }

    /// After each call (each iteration of a repeat): remembers the sizes OpenFile reports,
    /// counts what the call delivered into `copied` (the step's total) and what it saved,
    /// and fails the step once a limit is passed.
    pub fn after(&mut self, call: &Call, obs: &Observation, copied: &mut u64) -> Option<Failure> {
        let info = call.function.info();
        match info.op {
            Op::OpenFile => self.opened(obs),
            Op::Verb if call.function == Function::write_file => {
                self.written += call.args.iter().find_map(|a| match a {
                    Arg::U32(n) => Some(u64::from(*n)),
                    _ => None,
                })?;
                return None;
            }
            _ => {}
        }
        let (buffer, delivered) = delivered(call, obs)?;
        *copied += delivered;
        if buffer.save_to.is_some() {
            self.written += delivered.min(u64::from(buffer.size));
        }
        if info.op == Op::ReadFile {
            if let Some(size) = handle_arg(call, "hfFile").and_then(|h| self.sizes.get(&h)) {
                let cap = size.saturating_mul(2) + READ_SLACK;
                if *copied > cap {
                    return Some(Failure::Capped(format!(
                        "{} delivered {copied} bytes of a file OpenFile reported as {size} bytes \
                         (more than twice its size): the step was stopped",
                        call.function
                    )));
                }
            }
        }
        (self.written > self.limits.max_write).then(|| self.over(self.written, "save_to"))
    }

    fn opened(&mut self, obs: &Observation) {
        let u32_out = |name: &str| match obs.outputs.get(name) {
            Some(OutValue::U32(n)) => Some(u64::from(*n)),
            _ => None,
        };
        if let (Some(OutValue::Handle(h)), Some(low)) =
            (obs.outputs.get("phfFile"), u32_out("pulFileSizeLow"))
        {
            let high = u32_out("pulFileSizeHigh").unwrap_or(0);
            self.sizes.insert(*h, low | (high << 32));
        }
    }

    fn over(&self, total: u64, what: &str) -> Failure {
        Failure::Capped(format!(
            "the trial has written {total} bytes ({what}), more than --max-write allows ({} \
             bytes): the step was stopped",
            self.limits.max_write
        ))
    }
}

/// `pcbActual` larger than the `cb` of a data buffer: the call claims bytes it had no room for.
pub fn contract(call: &Call, obs: &Observation) -> Option<Failure> {
    let (_, delivered) = delivered(call, obs)?;
    let cb = u32_arg(call, "cb")?;
    (delivered > u64::from(cb)).then(|| {
        Failure::Contract(format!(
            "pcbActual is {delivered}, more than the cb of {cb} bytes the call was given"
        ))
    })
}

/// The data buffer of a call (`pv` of JetReadFile) and the bytes the call says it delivered.
fn delivered<'a>(call: &'a Call, obs: &Observation) -> Option<(&'a Buffer, u64)> {
    let info = call.function.info();
    let buffer = info
        .params
        .iter()
        .zip(&call.args)
        .find_map(|(p, a)| match (p.ty, a) {
            (ParamType::OutBuffer(BufferKind::Bytes), Arg::Buffer(Some(b))) => Some(b),
            _ => None,
        })?;
    let n = match obs.outputs.get("pcbActual") {
        Some(OutValue::U32(n)) => u64::from(*n),
        _ => return None,
    };
    Some((buffer, n))
}

fn arg<'a>(call: &'a Call, name: &str) -> Option<&'a Arg> {
    let info = call.function.info();
    info.params
        .iter()
        .zip(&call.args)
        .find(|(p, _)| p.name == name)
        .map(|(_, a)| a)
}

fn handle_arg(call: &Call, name: &str) -> Option<u64> {
    match arg(call, name)? {
        Arg::Handle(h) | Arg::U64(h) => Some(*h),
        _ => None,
    }
}

fn u32_arg(call: &Call, name: &str) -> Option<u32> {
    match arg(call, name)? {
        Arg::U32(n) => Some(*n),
        Arg::I32(n) => Some(*n as u32),
        _ => None,
    }
}
