//! The jetconform mock (`jetconform-mock`) as a C library exporting ESENT's functions with
//! ESENT's signatures: every function of the catalogue, in its A, W and undecorated forms
//! (signatures from `jetconform_ffi::signatures`, spec 6-9). Build it and you get
//! `libesent.so` (Linux) or `esent.dll` (Windows): a drop-in fake esent.dll for backup
//! software's own tests, and what the project's `ffi:` runner tests run against.
//!
//! Like ESENT, the state is process-global (spec 4.1): one engine per loaded library,
//! created at the first call, for the Windows version named by `JETCONFORM_MOCK_VERSION`
//! (`win2000` ... `win11`, server aliases too; default `win11`), with relative paths resolved
//! against the current directory of that moment.
//!
//! Bad pointers that ESENT answers with an error code get that code here, never a crash:
//! NULL strings, NULL output pointers where the spec says ESENT checks them; where ESENT
//! would fault (spec 6.3: NULL outputs of JetOpenFile; spec 6.4: NULL `pv` with `cb > 0`) the
//! mock answers as its in-process form does (`JET_errInvalidParameter`).
//!
//! Two extension exports serve the harness (ESENT has neither; see `jetconform_ffi::exports`):
//! `JetconformExported` says which exports the emulated release has, and `JetconformVerbA`
//! carries out harness verbs on the engine's own view of the files. A third,
//! `JetconformFault(instance, name)`, arms a fault hook of the model; the environment variable
//! `JETCONFORM_MOCK_FAULTS` (comma-separated hook names) arms hooks on every instance the
//! library initializes, so an application's tests get errors on demand.

mod args;
mod buffers;
mod exports;
mod ext;
mod global;
mod special;
