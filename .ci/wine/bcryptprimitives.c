/*
 * bcryptprimitives.dll shim for Wine 8.0 (Debian 12's wine), whose bcryptprimitives.dll lacks
 * ProcessPrng. Rust's standard library imports ProcessPrng from bcryptprimitives.dll on
 * Windows (it is there since Windows 10), so without this shim every Rust program fails to
 * start under that Wine with "unimplemented function". .ci/wine.sh builds it with mingw and
 * puts it next to the executables (loaded as native by WINEDLLOVERRIDES).
 *
 * ProcessPrng fills the buffer from the system's random generator (RtlGenRandom, exported
 * by advapi32 as SystemFunction036) and, as on Windows, always returns TRUE.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        SystemFunction036(data, chunk);
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}
