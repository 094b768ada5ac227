//! Typed views of a call's arguments and decoding of what list calls wrote.

use crate::backup::lists::ListCharset;
use crate::NotModelled;
use jetconform_interface::{Arg, Buffer, Call, LogInfo, OutValue, Text};

/// Typed views of a call's arguments, by position; a mismatch is a protocol problem that the
/// mock reports as not modelled rather than guessing.
pub(super) struct Args<'a> {
    pub(super) call: &'a Call,
}

pub(super) fn mismatch(call: &Call, i: usize) -> NotModelled {
    let name = call
        .function
        .info()
        .params
        .get(i)
        .map(|p| p.name)
        .unwrap_or("?");
    NotModelled(format!(
        "argument {i} ({name}) of {} has an unexpected form",
        call.function
    ))
}

impl<'a> Args<'a> {
    pub(super) fn get(&self, i: usize) -> Result<&'a Arg, NotModelled> {
        self.call.args.get(i).ok_or_else(|| mismatch(self.call, i))
    }
    pub(super) fn handle(&self, i: usize) -> Result<u64, NotModelled> {
        match self.get(i)? {
            Arg::Handle(h) => Ok(*h),
            Arg::U64(h) => Ok(*h),
            Arg::U32(v) => Ok(*v as u64),
            _ => Err(mismatch(self.call, i)),
        }
    }
    pub(super) fn u32(&self, i: usize) -> Result<u32, NotModelled> {
        match self.get(i)? {
            Arg::U32(v) => Ok(*v),
            Arg::I32(v) => Ok(*v as u32),
            Arg::Handle(v) | Arg::U64(v) => Ok(*v as u32),
            _ => Err(mismatch(self.call, i)),
        }
    }
    pub(super) fn i32(&self, i: usize) -> Result<i32, NotModelled> {
        match self.get(i)? {
            Arg::I32(v) => Ok(*v),
            Arg::U32(v) => Ok(*v as i32),
            _ => Err(mismatch(self.call, i)),
        }
    }
    pub(super) fn u64(&self, i: usize) -> Result<u64, NotModelled> {
        match self.get(i)? {
            Arg::U64(v) | Arg::Handle(v) => Ok(*v),
            Arg::U32(v) => Ok(*v as u64),
            _ => Err(mismatch(self.call, i)),
        }
    }
    pub(super) fn text(&self, i: usize) -> Result<Option<&'a Text>, NotModelled> {
        match self.get(i)? {
            Arg::Str(t) => Ok(t.as_ref()),
            _ => Err(mismatch(self.call, i)),
        }
    }
    pub(super) fn out(&self, i: usize) -> Result<bool, NotModelled> {
        match self.get(i)? {
            Arg::Out(b) => Ok(*b),
            _ => Err(mismatch(self.call, i)),
        }
    }
    pub(super) fn inout(&self, i: usize) -> Result<Option<u64>, NotModelled> {
        match self.get(i)? {
            Arg::InOut(v) => Ok(*v),
            _ => Err(mismatch(self.call, i)),
        }
    }
    pub(super) fn buffer(&self, i: usize) -> Result<Option<&'a Buffer>, NotModelled> {
        match self.get(i)? {
            Arg::Buffer(b) => Ok(b.as_ref()),
            _ => Err(mismatch(self.call, i)),
        }
    }
    pub(super) fn loginfo(&self, i: usize) -> Result<Option<&'a LogInfo>, NotModelled> {
        match self.get(i)? {
            Arg::LogInfo(l) => Ok(l.as_ref()),
            _ => Err(mismatch(self.call, i)),
        }
    }
    pub(super) fn name(&self, i: usize) -> &'static str {
        self.call
            .function
            .info()
            .params
            .get(i)
            .map(|p| p.name)
            .unwrap_or("?")
    }
}

/// Decodes what a list call wrote into `szz`.
pub(super) fn decode_szz(bytes: &[u8], charset: ListCharset) -> OutValue {
    jetconform_interface::marshal::decode_szz(bytes, matches!(charset, ListCharset::W))
}
