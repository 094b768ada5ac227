//! The C types of ESENT's ABI (spec 1.1, 1.2) and the one-word representation the generic
//! marshalling layer uses for every argument.
//!
//! Every argument of every export is an integer or a pointer of at most 64 bits, so a call is
//! marshalled into a slice of `u64` words and each word is converted back to the exact C type
//! of its parameter (`AbiValue::from_word`) right at the typed call site generated from
//! `signatures.rs`. Nothing is ever passed through a generic all-u64 function pointer.

use std::ffi::c_void;

/// `JET_API_PTR` / `JET_INSTANCE` / `JET_SESID` / `JET_HANDLE`: pointer-sized (spec 1.1).
pub type JetApiPtr = usize;

/// `void`, for untyped pointers in signatures.
pub type Void = c_void;

/// `JET_PFNSTATUS` (spec 1.2): `JET_ERR (JET_API*)(JET_SESID, JET_SNP, JET_SNT, void*)`.
pub type JetPfnStatus = unsafe extern "system" fn(JetApiPtr, u32, u32, *mut c_void) -> i32;

/// A nullable `JET_PFNSTATUS` parameter (`Option<fn>` has the C pointer's layout).
pub type Pfn = Option<JetPfnStatus>;

/// `JET_SNPROG` (spec 1.2): 12 bytes.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default)]
pub struct JetSnprog {
    pub cb_struct: u32,
    pub cunit_done: u32,
    pub cunit_total: u32,
}

/// `JET_RSTMAP_A/W` (spec 1.2): two string pointers.
#[repr(C)]
#[derive(Copy, Clone, Debug)]
pub struct JetRstMap {
    pub database_name: *const c_void,
    pub new_database_name: *const c_void,
}

/// `JET_SETSYSPARAM_A/W` (spec 1.2).
#[repr(C)]
#[derive(Copy, Clone, Debug)]
pub struct JetSetSysParam {
    pub paramid: u32,
    pub lparam: JetApiPtr,
    pub sz: *const c_void,
    pub err: i32,
}

/// `JET_LGPOS` (spec 1.2): 8 bytes.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default)]
pub struct JetLgpos {
    pub ib: u16,
    pub isec: u16,
    pub l_generation: i32,
}

/// `JET_RSTINFO_A/W` (spec 1.2, VISTA+, JetInit3).
#[repr(C)]
#[derive(Copy, Clone, Debug)]
pub struct JetRstInfo {
    pub cb_struct: u32,
    pub rgrstmap: *const JetRstMap,
    pub crstmap: i32,
    pub lgpos_stop: JetLgpos,
    pub logtime_stop: [u8; 8],
    pub pfn_status: Pfn,
}

/// `JET_LOGINFO_A` (spec 1.2): 16 bytes.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct JetLogInfoA {
    pub cb_size: u32,
    pub ul_gen_low: u32,
    pub ul_gen_high: u32,
    pub sz_base_name: [u8; 4],
}

/// `JET_LOGINFO_W` (spec 1.2): 20 bytes.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct JetLogInfoW {
    pub cb_size: u32,
    pub ul_gen_low: u32,
    pub ul_gen_high: u32,
    pub sz_base_name: [u16; 4],
}

// spec 1.2: the sizes ESENT checks cbSize against.
const _: () = assert!(std::mem::size_of::<JetLogInfoA>() == 16);
const _: () = assert!(std::mem::size_of::<JetLogInfoW>() == 20);
const _: () = assert!(std::mem::size_of::<JetSnprog>() == 12);
const _: () = assert!(std::mem::size_of::<JetLgpos>() == 8);
const _: () = assert!(std::mem::size_of::<JetRstMap>() == 2 * std::mem::size_of::<usize>());
const _: () = assert!(std::mem::size_of::<Pfn>() == std::mem::size_of::<usize>());

/// Conversion between a C argument type and its marshalling word.
pub trait AbiValue: Sized {
    fn to_word(self) -> u64;
    fn from_word(word: u64) -> Self;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl AbiValue for $t {
            fn to_word(self) -> u64 {
                // Sign-extension of `long` is undone by `from_word`'s truncation.
                self as u64
            }
            fn from_word(word: u64) -> Self {
                // LLP64: `long` and `unsigned long` are 32 bits; the word's low bits are the
                // value (spec 1.1). On x86 a handle word is truncated to 32 bits.
                word as $t
            }
        }
    )*};
}
int_value!(usize, u32, i32, u64);

impl<T> AbiValue for *const T {
    fn to_word(self) -> u64 {
        self as usize as u64
    }
    fn from_word(word: u64) -> Self {
        word as usize as *const T
    }
}

impl<T> AbiValue for *mut T {
    fn to_word(self) -> u64 {
        self as usize as u64
    }
    fn from_word(word: u64) -> Self {
        word as usize as *mut T
    }
}

impl AbiValue for Pfn {
    fn to_word(self) -> u64 {
        self.map(|f| f as usize as u64).unwrap_or(0)
    }
    fn from_word(word: u64) -> Self {
        if word == 0 {
            return None;
        }
        // SAFETY: a non-zero callback word is only ever produced by `to_word` of a
        // `JetPfnStatus` (the marshaller's trampoline, or the caller's own pointer received
        // by an export), so turning it back yields the same function pointer.
        Some(unsafe { std::mem::transmute::<usize, JetPfnStatus>(word as usize) })
    }
}
