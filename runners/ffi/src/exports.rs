//! The loaded library and its exports, resolved by name once (spec 11.1: which names a
//! release exports is itself part of the behaviour, so a missing one is reported
//! `not_exported`, never an error), and the typed call of each export.

use crate::abi::AbiValue;
use jetconform_interface::functions::FUNCTIONS;
use jetconform_interface::Function;
use std::ffi::c_void;

/// Optional extension exports a library emulating ESENT may provide (the mock library does;
/// esent.dll does not). Both are looked up by name and are never required.
///
/// `int JetconformExported(const char* name)`: whether the release the library currently
/// emulates exports `name` (a library cannot hide its own symbols per release).
pub const EXT_EXPORTED: &str = "JetconformExported";
/// `JET_ERR JetconformVerbA(const char* verb, JET_API_PTR handle, const char* path1,
/// const char* path2, unsigned long n1, unsigned long n2)`: a harness verb carried out by the
/// library itself (UTF-8 absolute paths), so it acts on the library's own view of the files.
pub const EXT_VERB: &str = "JetconformVerbA";

/// `JET_ERR JetconformFault(JET_INSTANCE instance, const char* name)`: arms a fault hook of
/// the model behind the library (the mock library's `jetconform_mock::faults` names); its
/// presence means the library runs the `fault` verb (scenarios that require `fault_hooks`).
pub const EXT_FAULT: &str = "JetconformFault";

pub type FaultFn = unsafe extern "system" fn(usize, *const u8) -> i32;
pub type ExportedFn = unsafe extern "system" fn(*const u8) -> i32;
pub type VerbFn =
    unsafe extern "system" fn(*const u8, usize, *const u8, *const u8, u32, u32) -> i32;

/// A loaded library with every catalogue export resolved (or known to be missing).
pub struct Exports {
    /// Kept alive for as long as the symbol addresses are used.
    _library: libloading::Library,
    /// Indexed by `Function as usize`; verbs are never resolved.
    symbols: Vec<Option<usize>>,
    exported: Option<ExportedFn>,
    pub(crate) verb: Option<VerbFn>,
    pub(crate) fault: Option<FaultFn>,
    /// The calls `log_traffic` needs, when the library has them all.
    pub(crate) traffic: Option<crate::traffic::Traffic>,
    pub path: String,
}

impl Exports {
    pub fn load(path: &str) -> Result<Exports, String> {
        // SAFETY: loading a library runs its initialisers; loading the library the user
        // named is this runner's whole purpose, and crashes are contained by the process
        // runner that `jetconform run` puts around it.
        let library = unsafe { libloading::Library::new(path) }
            .map_err(|e| format!("cannot load `{path}`: {e}"))?;
        let symbols = FUNCTIONS
            .iter()
            .map(|f| {
                if f.is_verb() {
                    None
                } else {
                    lookup(&library, f.name)
                }
            })
            .collect();
        let exported = lookup(&library, EXT_EXPORTED).map(|p| {
            // SAFETY: the extension's documented signature (`EXT_EXPORTED`).
            unsafe { std::mem::transmute::<usize, ExportedFn>(p) }
        });
        let verb = lookup(&library, EXT_VERB).map(|p| {
            // SAFETY: the extension's documented signature (`EXT_VERB`).
            unsafe { std::mem::transmute::<usize, VerbFn>(p) }
        });
        let fault = lookup(&library, EXT_FAULT).map(|p| {
            // SAFETY: the extension's documented signature (`EXT_FAULT`).
            unsafe { std::mem::transmute::<usize, FaultFn>(p) }
        });
        let traffic = crate::traffic::Traffic::resolve(&library);
        Ok(Exports {
            fault,
            traffic,
            _library: library,
            symbols,
            exported,
            verb,
            path: path.to_string(),
        })
    }

    /// The address of `f`, if the library exports it (and, for an emulating library, the
    /// release it emulates has it).
    pub fn symbol(&self, f: Function) -> Option<usize> {
        let addr = self.symbols.get(f as usize).copied().flatten()?;
        if let Some(exported) = self.exported {
            let name = std::ffi::CString::new(f.name()).ok()?;
            // SAFETY: `name` is NUL-terminated and outlives the call.
            if unsafe { exported(name.as_ptr().cast()) } == 0 {
                return None;
            }
        }
        Some(addr)
    }

    /// Names of the catalogue functions the library exports.
    pub fn names(&self) -> Vec<String> {
        FUNCTIONS
            .iter()
            .filter(|f| self.symbol(f.function).is_some())
            .map(|f| f.name.to_string())
            .collect()
    }

    pub fn has_verb_extension(&self) -> bool {
        self.verb.is_some()
    }

    pub fn has_fault_hooks(&self) -> bool {
        self.fault.is_some()
    }
}

fn lookup(library: &libloading::Library, name: &str) -> Option<usize> {
    let mut bytes = name.as_bytes().to_vec();
    bytes.push(0);
    // SAFETY: the symbol is only read as an address here; it is called through the exact
    // signature of `signatures.rs` in `invoke`.
    let sym = unsafe { library.get::<*const c_void>(&bytes) }.ok()?;
    let addr = *sym as usize;
    (addr != 0).then_some(addr)
}

macro_rules! invokers {
    ($( $name:ident( $( $p:ident : $t:ty ),* ); )*) => {
        /// Calls export `f` at `addr` with `words` converted to its exact C parameter types.
        /// `None` when the word count does not fit the signature.
        ///
        /// # Safety
        /// `addr` must be the library's export of `f`, and every pointer word must point at
        /// memory laid out as the parameter's C type requires, alive for the call.
        #[allow(non_snake_case, unused_variables)]
        pub unsafe fn invoke(f: Function, addr: usize, words: &[u64]) -> Option<i32> {
            match f {
                $( Function::$name => {
                    let &[$($p),*] = words else { return None };
                    // SAFETY: per this function's contract, `addr` is this export, whose C
                    // signature is this row of the table.
                    let fp = unsafe {
                        std::mem::transmute::<usize, unsafe extern "system" fn($($t),*) -> i32>(addr)
                    };
                    // SAFETY: the caller guarantees the pointed-at memory (contract above).
                    Some(unsafe { fp($(<$t as AbiValue>::from_word($p)),*) })
                } )*
                _ => None,
            }
        }
    };
}
crate::for_each_export!(invokers);
