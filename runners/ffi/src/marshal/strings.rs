//! Strings across the ABI (spec 1.1): ANSI (`char*`, undecorated and A forms) and UTF-16
//! (`WCHAR*`, W forms, VISTA+), NUL-terminated; and the double-NUL-terminated lists (`szz`)
//! the list calls write (spec 6.2, 6.6, 6.7).
//!
//! ANSI text is ASCII passed as is; other text is converted to the ANSI code page on Windows
//! (what ESENT's A forms expect) and passed as UTF-8 elsewhere (the mock library decodes
//! UTF-8). Lists are decoded byte by byte (each byte one character), exactly as the mock
//! decodes its own A lists, so both report the same strings.

/// A NUL-terminated string in the function's character set, owned for the call.
pub enum CString {
    A(Vec<u8>),
    W(Vec<u16>),
}

impl CString {
    pub fn new(text: &str, wide: bool) -> CString {
        if wide {
            let mut v: Vec<u16> = text.encode_utf16().collect();
            v.push(0);
            CString::W(v)
        } else {
            let mut v = ansi(text);
            v.push(0);
            CString::A(v)
        }
    }

    pub fn as_ptr(&self) -> *const std::ffi::c_void {
        match self {
            CString::A(v) => v.as_ptr().cast(),
            CString::W(v) => v.as_ptr().cast(),
        }
    }
}

/// `text` in the ANSI code page (Windows) or UTF-8 (elsewhere), without the NUL.
#[cfg(windows)]
fn ansi(text: &str) -> Vec<u8> {
    use windows_sys::Win32::Globalization::{WideCharToMultiByte, CP_ACP};
    if text.is_ascii() {
        return text.as_bytes().to_vec();
    }
    let wide: Vec<u16> = text.encode_utf16().collect();
    let Ok(len) = i32::try_from(wide.len()) else {
        return text.as_bytes().to_vec();
    };
    let call = |out: *mut u8, size: i32| {
        // SAFETY: `wide` has `len` units; `out` is NULL (size query) or has `size` bytes.
        unsafe {
            WideCharToMultiByte(
                CP_ACP,
                0,
                wide.as_ptr(),
                len,
                out,
                size,
                std::ptr::null(),
                std::ptr::null_mut(),
            )
        }
    };
    let size = call(std::ptr::null_mut(), 0);
    if size <= 0 {
        return text.as_bytes().to_vec();
    }
    let mut out = vec![0u8; size as usize];
    let written = call(out.as_mut_ptr(), size);
    out.truncate(written.max(0) as usize);
    out
}

#[cfg(not(windows))]
fn ansi(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

pub use jetconform_interface::marshal::decode_szz;

/// Reads a NUL-terminated ANSI string (UTF-8, lossy).
///
/// # Safety
/// `p` must be NULL or point at a NUL-terminated byte string.
pub unsafe fn read_a(p: *const u8) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: per the contract, `p` is a NUL-terminated string.
    let c = unsafe { std::ffi::CStr::from_ptr(p.cast()) };
    Some(String::from_utf8_lossy(c.to_bytes()).into_owned())
}

/// Reads a NUL-terminated UTF-16 string (lossy).
///
/// # Safety
/// `p` must be NULL or point at a NUL-terminated UTF-16 string.
pub unsafe fn read_w(p: *const u16) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let mut len = 0usize;
    // SAFETY: per the contract the string is NUL-terminated: reading up to the NUL is in
    // bounds.
    while unsafe { *p.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: `len` units were just read.
    let units = unsafe { std::slice::from_raw_parts(p, len) };
    Some(String::from_utf16_lossy(units))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let a = CString::new("ab", false);
        // SAFETY: `a` is NUL-terminated and alive.
        assert_eq!(unsafe { read_a(a.as_ptr().cast()) }.as_deref(), Some("ab"));
        let w = CString::new("é", true);
        // SAFETY: `w` is NUL-terminated and alive.
        assert_eq!(unsafe { read_w(w.as_ptr().cast()) }.as_deref(), Some("é"));
    }
}
