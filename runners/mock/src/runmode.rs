//! The process run mode of spec 4.1. In ESENT it is a process global; here it lives in the
//! per-execution `Engine`, so hundreds of trials can run side by side in one process.

/// `g_runInstMode` (spec 4.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum RunMode {
    /// Nothing chose a mode yet (or the last instance was freed).
    #[default]
    NoSet,
    /// Legacy single-instance mode: set by the first JetInit without a created instance, or
    /// the first legacy JetRestore.
    OneInst,
    /// Set by JetCreateInstance*, JetEnableMultiInstance*, JetRestoreInstance(NULL/nil) or
    /// JetExternalRestore* (the last two only from NoSet).
    MultiInst,
}
