#!/usr/bin/env bash
# The Windows builds, once, for .ci/wine.sh and .ci/agent.sh (each calls this; the second
# call finds everything up to date and builds nothing).
#
# 1. Installs what they need, idempotently and quietly: the i686 and x86_64
#    pc-windows-gnu Rust targets, Debian's mingw-w64 cross compilers, Wine with its 32-bit
#    half (wine32:i386, hence the i386 architecture), jq, and python3 with jsonschema for
#    the agent's schema check.
# 2. Builds, in release mode: jetconform.exe and the mock library esent.dll for
#    x86_64-pc-windows-gnu; the mock library for i686-pc-windows-gnu (undecorated stdcall
#    exports, runners/mock-dll/build.rs); the Linux jetconform (the in-process reference);
#    the C agent, build/agent-x86.exe and build/agent-x64.exe (make -C runners/agent-c).
# 3. Builds the bcryptprimitives.dll shim (.ci/wine/bcryptprimitives.c) for both
#    architectures: Debian 12's Wine 8.0 lacks ProcessPrng, which Rust's standard library
#    imports, so no Rust program or library (the mock esent.dll) loads under it without the
#    shim next to the executable (WINEDLLOVERRIDES=bcryptprimitives=n,b).
#
# Everything lands under target/: target/{x86_64,i686}-pc-windows-gnu/release/ and
# target/ci-shims/{x64,x86}/bcryptprimitives.dll; the agent under runners/agent-c/build/.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- 1. tools -------------------------------------------------------------------------------
for t in x86_64-pc-windows-gnu i686-pc-windows-gnu; do
    rustup target list --installed | grep -qx "$t" || rustup target add "$t" >/dev/null
done
missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
command -v i686-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-i686)
command -v wine >/dev/null || missing+=(wine wine64)
dpkg -s wine32:i386 >/dev/null 2>&1 || missing+=(wine32:i386)
command -v jq >/dev/null || missing+=(jq)
command -v make >/dev/null || missing+=(make)
command -v gcc >/dev/null || missing+=(gcc)
python3 -c 'import jsonschema' 2>/dev/null || missing+=(python3 python3-jsonschema)
if [ ${#missing[@]} -gt 0 ]; then
    dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# --- 2. builds ------------------------------------------------------------------------------
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_I686_PC_WINDOWS_GNU_LINKER=i686-w64-mingw32-gcc
cargo build -q --release --target x86_64-pc-windows-gnu -p jetconform -p jetconform-mock-dll
cargo build -q --release --target i686-pc-windows-gnu -p jetconform-mock-dll
cargo build -q --release -p jetconform
make -s -C runners/agent-c all

# --- 3. the ProcessPrng shims -----------------------------------------------------------------
for arch in x64 x86; do
    cc=x86_64-w64-mingw32-gcc
    [ "$arch" = x86 ] && cc=i686-w64-mingw32-gcc
    out="target/ci-shims/$arch/bcryptprimitives.dll"
    if [ ! -e "$out" ] || [ .ci/wine/bcryptprimitives.c -nt "$out" ]; then
        mkdir -p "$(dirname "$out")"
        # The .def names ProcessPrng undecorated; on x86 that is the stdcall ProcessPrng@8.
        "$cc" -shared -O2 -Wl,--enable-stdcall-fixup -o "$out" \
            .ci/wine/bcryptprimitives.c .ci/wine/bcryptprimitives.def -ladvapi32
    fi
done
