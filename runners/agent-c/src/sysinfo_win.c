/* See sysinfo_win.h.
 *
 * The Windows version comes from ntdll's RtlGetVersion, resolved at run time: unlike
 * GetVersionEx it ignores compatibility shims and manifests, so Windows 10 does not pose as
 * 8, and it is not a static import (the import allow-list stays kernel32/advapi32/msvcrt). */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "sysinfo_win.h"
#include "sysnames.h"
#include "winutil.h"

typedef LONG(WINAPI *rtl_get_version_fn)(OSVERSIONINFOEXW *);
typedef const char *(CDECL *wine_get_version_fn)(void);

static char windows_text[64], esent_text[64], sha_text[65], description[1024], load_error_text[1400];

static void windows_version(OSVERSIONINFOEXW *v) {
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    rtl_get_version_fn rtl = ntdll ? (rtl_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "RtlGetVersion") : NULL;
    memset(v, 0, sizeof *v);
    v->dwOSVersionInfoSize = sizeof *v;
    if (rtl && rtl(v) == 0) return;
    /* Windows 2000 has no RtlGetVersion in user mode; no shims lie there either */
    memset(v, 0, sizeof *v);
    v->dwOSVersionInfoSize = sizeof *v;
    if (!GetVersionExW((OSVERSIONINFOW *)v)) {
        v->dwOSVersionInfoSize = sizeof(OSVERSIONINFOW);
        GetVersionExW((OSVERSIONINFOW *)v);
    }
}

/* "10.0.19041.3636" from the DLL's VS_FIXEDFILEINFO; 0 if it has none. */
static int file_version(const wchar_t *path, char *out, size_t cap) {
    DWORD handle = 0, size = GetFileVersionInfoSizeW(path, &handle);
    void *data;
    VS_FIXEDFILEINFO *fixed = NULL;
    UINT len = 0;
    int ok = 0;
    if (size == 0) return 0;
    data = malloc(size);
    if (!data) return 0;
    if (GetFileVersionInfoW(path, 0, size, data) && VerQueryValueW(data, L"\\", (void **)&fixed, &len) && fixed &&
        len >= sizeof *fixed) {
        snprintf(out, cap, "%lu.%lu.%lu.%lu", (unsigned long)HIWORD(fixed->dwFileVersionMS),
                 (unsigned long)LOWORD(fixed->dwFileVersionMS), (unsigned long)HIWORD(fixed->dwFileVersionLS),
                 (unsigned long)LOWORD(fixed->dwFileVersionLS));
        ok = 1;
    }
    free(data);
    return ok;
}

static int file_sha256(const wchar_t *path, char out[65]) {
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    static unsigned char buf[65536];
    unsigned char digest[32];
    sha256_ctx c;
    DWORD got;
    if (f == INVALID_HANDLE_VALUE) return 0;
    sha256_init(&c);
    while (ReadFile(f, buf, sizeof buf, &got, NULL) && got > 0) sha256_update(&c, buf, got);
    CloseHandle(f);
    sha256_final(&c, digest);
    sha256_hex(digest, out);
    return 1;
}

void sysinfo_collect(agent_info *info, HMODULE dll, DWORD load_error, const wchar_t *requested) {
    OSVERSIONINFOEXW v;
    wchar_t dll_path[MAX_PATH + 1], computer[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD computer_len = MAX_COMPUTERNAME_LENGTH + 1;
    char path_utf8[MAX_PATH * 3 + 1] = "", host[64] = "?", extra[256] = "";
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    wine_get_version_fn wine = ntdll ? (wine_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_version") : NULL;
    const char *edition;

    memset(info, 0, sizeof *info);
    windows_version(&v);
    snprintf(windows_text, sizeof windows_text, "%lu.%lu.%lu", (unsigned long)v.dwMajorVersion,
             (unsigned long)v.dwMinorVersion, (unsigned long)v.dwBuildNumber);
    info->windows = windows_text;
    info->version_id = version_id_for(v.dwMajorVersion, v.dwMinorVersion, v.dwBuildNumber);
    info->arch = sizeof(void *) == 8 ? "x64" : "x86";
    if (!info->version_id) {
        fprintf(stderr, "agent: Windows %s is outside the versions the harness knows (2000 .. 11): "
                        "the hello lists no version, so no trial is planned for it\n", windows_text);
        snprintf(extra, sizeof extra, "; Windows %s is outside the known versions (2000 .. 11)", windows_text);
    }

    if (dll) {
        DWORD n = GetModuleFileNameW(dll, dll_path, MAX_PATH + 1);
        if (n > 0 && n <= MAX_PATH) {
            dll_path[n] = 0;
            wide_to_utf8(dll_path, path_utf8, sizeof path_utf8);
            if (file_version(dll_path, esent_text, sizeof esent_text)) info->esent = esent_text;
            if (file_sha256(dll_path, sha_text)) info->esent_sha256 = sha_text;
        }
    } else {
        char why[300], name[MAX_PATH * 3 + 1];
        win_error_text(load_error, why, sizeof why);
        wide_to_utf8(requested, name, sizeof name);
        snprintf(load_error_text, sizeof load_error_text, "LoadLibrary(%s) failed: %s", name, why);
        info->load_error = load_error_text;
        fprintf(stderr, "agent: %s\n", load_error_text);
    }

    if (GetComputerNameW(computer, &computer_len)) wide_to_utf8(computer, host, sizeof host);
    edition = v.wProductType == VER_NT_WORKSTATION ? "workstation" : v.wProductType ? "server" : "edition unknown";
    snprintf(description, sizeof description, "%s; Windows %s SP%u (%s)%s%s; %s agent; esent.dll: %s%s", host,
             windows_text, (unsigned)v.wServicePackMajor, edition, wine ? "; Wine " : "", wine ? wine() : "",
             info->arch, dll ? path_utf8 : "not loaded", extra);
    info->description = description;
}
