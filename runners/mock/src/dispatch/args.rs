//! The arguments of a call, read through the interface's typed view
//! ([`jetconform_interface::Args`]: by parameter name, with arity and type checks), and
//! decoding of what list calls wrote.

use crate::backup::lists::ListCharset;
use crate::NotModelled;
use jetconform_interface::{Call, OutValue};

pub(super) use jetconform_interface::Args;

/// The error for argument `i` of `call` having an unexpected form. Kept for code written
/// before the named view: prefer `args.mismatch("name")`, or an accessor, which checks the
/// form itself.
#[allow(dead_code)]
pub(super) fn mismatch(call: &Call, i: usize) -> NotModelled {
    match Args::of(call) {
        Ok(a) => a.mismatch(i).into(),
        Err(e) => e.into(),
    }
}

/// Decodes what a list call wrote into `szz`.
pub(super) fn decode_szz(bytes: &[u8], charset: ListCharset) -> OutValue {
    jetconform_interface::marshal::decode_szz(bytes, matches!(charset, ListCharset::W))
}
