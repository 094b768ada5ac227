//! `--runner ffi:PATH` and `--runner esent`: a jetconform runner that loads any library
//! exporting ESENT's C ABI (the real esent.dll on Windows, the mock library
//! `jetconform-mock-dll` anywhere) and calls its exports with their exact C signatures.
//!
//! * [`signatures`]: one table of every export's C signature (spec 6-9, types of spec 1.1),
//!   shared with the mock library that exports the same names.
//! * [`exports`]: loading the library, resolving each export by name (missing ones are
//!   `not_exported`, spec 11.1), and the typed call of each.
//! * [`marshal`]: arguments per catalogue `ParamType` (LLP64 integers, pointer-sized handles,
//!   ANSI and UTF-16 strings, `JET_LOGINFO_A/W`, `JET_RSTMAP`, `JET_SETSYSPARAM`,
//!   `JET_RSTINFO`), sentinel-filled outputs, outputs read back by C name.
//! * [`buffers`], [`callbacks`], [`verbs`], [`machine`], [`runner`].
//!
//! Section numbers (`spec 6.3`) refer to the project's ESENT backup API specification.

pub mod abi;
pub mod buffers;
pub mod callbacks;
pub mod caller;
pub mod exports;
pub mod machine;
pub mod marshal;
pub mod paths;
pub mod runner;
pub mod signatures;
#[cfg(windows)]
mod stubs;
pub mod traffic;
pub mod verbs;
#[cfg(windows)]
mod winconsts;

pub use runner::{FfiRunner, PROFILE_ENV, VERSION_ENV};
