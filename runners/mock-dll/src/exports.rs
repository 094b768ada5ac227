//! ESENT's exports: one `extern "system"` function per catalogue entry, with the exact C
//! signature of `jetconform_ffi::signatures`, each handing its arguments to `special::entry`.

macro_rules! define_exports {
    ($( $name:ident( $( $p:ident : $t:ty ),* ); )*) => {
        $(
            /// ESENT's export of the same name (spec 6-9).
            ///
            /// # Safety
            /// Arguments as ESENT's header declares them: strings NULL or NUL-terminated,
            /// pointers NULL or valid for their type and the sizes passed with them.
            #[no_mangle]
            #[allow(non_snake_case)]
            pub unsafe extern "system" fn $name($($p: $t),*) -> i32 {
                // SAFETY: the caller's side of the ABI, as documented above.
                unsafe {
                    crate::special::entry(
                        jetconform_interface::Function::$name,
                        &[$(jetconform_ffi::abi::AbiValue::to_word($p)),*],
                    )
                }
            }
        )*
    };
}

jetconform_ffi::for_each_export!(define_exports);
