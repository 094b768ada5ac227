//! On 32-bit Windows, `extern "system"` (stdcall) functions are exported decorated
//! (`JetInit@4`); the real esent.dll exports them undecorated (`JetInit`), and that is what a
//! caller's `GetProcAddress` asks for. `--kill-at` makes the linker drop the decoration.

fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.starts_with("i686-") && target.ends_with("-windows-gnu") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,--kill-at");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
