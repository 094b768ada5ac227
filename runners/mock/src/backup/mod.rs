//! The streaming ("external") backup family: the per-instance context (spec 5.1) and one file
//! per group of calls.

pub mod begin;
pub mod end;
pub mod external_restore;
pub mod jetbackup;
pub mod lists;
pub mod read;
pub mod restore;
pub mod state;
pub mod stop;
pub mod stream;
pub mod truncate;
