//! The machine a real engine runs on: the Windows version (mapped to the corpus's versions,
//! spec 11), the file version of the library, and where the system's esent.dll lives.

use jetconform_interface::WinVersion;

/// What `--runner esent` means off Windows, and how to get there.
pub const NOT_WINDOWS: &str = "the system esent.dll exists only on Windows, and this machine runs \
    another system; run the corpus on a Windows machine with `jetconform run --runner esent`, or \
    from here through ssh: --runner 'process:ssh winbox jetconform.exe serve --runner esent' \
    (see \"Real ESENT\" in README.md)";

/// The corpus version of a Windows release (`major.minor.build`); server releases share
/// their client's engine (spec 11: server2022 is win10, server2025 is win11).
pub fn version_of(major: u32, minor: u32, build: u32) -> Option<WinVersion> {
    Some(match (major, minor) {
        (5, 0) => WinVersion::Win2000,
        (5, 1) => WinVersion::Xp,
        (5, 2) => WinVersion::Server2003,
        (6, 0) => WinVersion::Vista,
        (6, 1) => WinVersion::Win7,
        (6, 2) => WinVersion::Win8,
        (6, 3) => WinVersion::Win81,
        // Windows 11 and Server 2025 are builds 22000 and later of 10.0; Server 2022 is
        // 20348, a Windows 10 engine.
        (10, 0) if build >= 22000 => WinVersion::Win11,
        (10, 0) => WinVersion::Win10,
        _ => return None,
    })
}

#[cfg(windows)]
mod imp {
    use windows_sys::Win32::Storage::FileSystem::{
        GetFileVersionInfoSizeW, GetFileVersionInfoW, VerQueryValueW, VS_FIXEDFILEINFO,
    };
    use windows_sys::Win32::System::SystemInformation::{GetSystemDirectoryW, OSVERSIONINFOW};

    fn wide(s: &str) -> Vec<u16> {
        s.encode_utf16().chain(std::iter::once(0)).collect()
    }

    /// `major.minor.build` from `RtlGetVersion` (GetVersionEx lies to unmanifested programs).
    pub fn windows_version() -> Option<(u32, u32, u32)> {
        type RtlGetVersion = unsafe extern "system" fn(*mut OSVERSIONINFOW) -> i32;
        // SAFETY: ntdll is always loaded; its initialisers have run.
        let ntdll = unsafe { libloading::Library::new("ntdll.dll") }.ok()?;
        // SAFETY: RtlGetVersion has this signature in every Windows release.
        let f = unsafe { ntdll.get::<RtlGetVersion>(b"RtlGetVersion\0") }.ok()?;
        // SAFETY: OSVERSIONINFOW is plain data; all-zero is a valid value.
        let mut info: OSVERSIONINFOW = unsafe { std::mem::zeroed() };
        info.dwOSVersionInfoSize = std::mem::size_of::<OSVERSIONINFOW>() as u32;
        // SAFETY: `info` is a valid, sized OSVERSIONINFOW.
        if unsafe { f(&mut info) } != 0 {
            return None;
        }
        Some((info.dwMajorVersion, info.dwMinorVersion, info.dwBuildNumber))
    }

    /// `C:\Windows\System32\esent.dll` (the system directory of this process's bitness).
    pub fn system_esent() -> Option<String> {
        let mut buf = vec![0u16; 512];
        // SAFETY: `buf` has room for the length passed.
        let n = unsafe { GetSystemDirectoryW(buf.as_mut_ptr(), buf.len() as u32) } as usize;
        if n == 0 || n >= buf.len() {
            return None;
        }
        Some(format!(
            "{}\\esent.dll",
            String::from_utf16_lossy(&buf[..n])
        ))
    }

    /// The file version resource of `path` (`10.0.22621.1`).
    pub fn file_version(path: &str) -> Option<String> {
        let name = wide(path);
        let mut handle = 0u32;
        // SAFETY: `name` is NUL-terminated.
        let size = unsafe { GetFileVersionInfoSizeW(name.as_ptr(), &mut handle) };
        if size == 0 {
            return None;
        }
        let mut data = vec![0u8; size as usize];
        // SAFETY: `data` has `size` bytes.
        if unsafe { GetFileVersionInfoW(name.as_ptr(), 0, size, data.as_mut_ptr().cast()) } == 0 {
            return None;
        }
        let root = wide("\\");
        let mut p: *mut std::ffi::c_void = std::ptr::null_mut();
        let mut len = 0u32;
        // SAFETY: `data` holds the version resource just read; VerQueryValueW points `p`
        // into it.
        if unsafe { VerQueryValueW(data.as_ptr().cast(), root.as_ptr(), &mut p, &mut len) } == 0
            || p.is_null()
            || (len as usize) < std::mem::size_of::<VS_FIXEDFILEINFO>()
        {
            return None;
        }
        // SAFETY: `p` points at a VS_FIXEDFILEINFO inside `data` (checked length).
        let v = unsafe { std::ptr::read_unaligned(p as *const VS_FIXEDFILEINFO) };
        Some(format!(
            "{}.{}.{}.{}",
            v.dwFileVersionMS >> 16,
            v.dwFileVersionMS & 0xFFFF,
            v.dwFileVersionLS >> 16,
            v.dwFileVersionLS & 0xFFFF
        ))
    }
}

#[cfg(not(windows))]
mod imp {
    pub fn windows_version() -> Option<(u32, u32, u32)> {
        None
    }
    pub fn system_esent() -> Option<String> {
        None
    }
    pub fn file_version(_path: &str) -> Option<String> {
        None
    }
}

pub use imp::{file_version, system_esent, windows_version};

/// The architecture this runner calls the library as, in the protocol's words (`x86`, `x64`);
/// `None` on others.
pub fn arch() -> Option<&'static str> {
    if cfg!(target_arch = "x86") {
        Some("x86")
    } else if cfg!(target_arch = "x86_64") {
        Some("x64")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases() {
        assert_eq!(version_of(10, 0, 20348), Some(WinVersion::Win10));
        assert_eq!(version_of(10, 0, 26100), Some(WinVersion::Win11));
        assert_eq!(version_of(6, 1, 7601), Some(WinVersion::Win7));
        assert_eq!(version_of(4, 0, 0), None);
    }
}
