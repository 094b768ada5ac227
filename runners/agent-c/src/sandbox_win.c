/* Sandboxes on Windows: %TEMP%\jc-<pid>-<n>, made fresh at `start` and removed at `end`.
 *
 * The temp path is expanded to its long form: XP's %TEMP% is often 8.3
 * (C:\DOCUME~1\...), and ESENT hands back the paths it was given, so a short sandbox would
 * make the harness fail to recognise its own files in `szz` lists. Removal goes through
 * \\?\ paths because scenarios pad names past MAX_PATH on purpose (`pad_to`). */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

#include "sandbox.h"
#include "winutil.h"

static unsigned sandbox_serial;

int sandbox_create(agent_ctx *ctx, char *utf8, size_t cap, char *err, size_t errlen) {
    wchar_t tmp[MAX_PATH + 1], longer[520], dir[520];
    DWORD n = GetTempPathW(MAX_PATH + 1, tmp), e;
    int tries;
    if (n == 0 || n > MAX_PATH) {
        win_error_text(GetLastError(), err, errlen);
        return -1;
    }
    n = GetLongPathNameW(tmp, longer, sizeof longer / sizeof longer[0]);
    if (n == 0 || n >= sizeof longer / sizeof longer[0]) wcscpy(longer, tmp);
    n = (DWORD)wcslen(longer);
    while (n > 3 && (longer[n - 1] == L'\\' || longer[n - 1] == L'/')) longer[--n] = 0;
    for (tries = 0; tries < 1000; tries++) {
        _snwprintf(dir, sizeof dir / sizeof dir[0], L"%ls\\jc-%lu-%u", longer,
                   (unsigned long)GetCurrentProcessId(), ++sandbox_serial);
        dir[sizeof dir / sizeof dir[0] - 1] = 0;
        if (CreateDirectoryW(dir, NULL)) {
            wcscpy(ctx->sandbox, dir);
            wide_to_utf8(dir, utf8, cap);
            return 0;
        }
        e = GetLastError();
        if (e != ERROR_ALREADY_EXISTS) { /* left over by an earlier process with our pid */
            char why[300], where[1100];
            win_error_text(e, why, sizeof why);
            wide_to_utf8(dir, where, sizeof where);
            snprintf(err, errlen, "cannot create %s: %s", where, why);
            return -1;
        }
    }
    snprintf(err, errlen, "no free sandbox name under the temp directory");
    return -1;
}

/* Remove `path` (a \\?\ path in a buffer of `cap` wchar_t) and everything under it; counts
 * what could not be removed. */
static unsigned remove_tree(wchar_t *path, size_t cap, DWORD *first_error) {
    size_t len = wcslen(path);
    WIN32_FIND_DATAW fd;
    HANDLE h;
    unsigned failed = 0;
    if (len + 3 >= cap) return 1;
    wcscpy(path + len, L"\\*");
    h = FindFirstFileW(path, &fd);
    path[len] = 0;
    if (h != INVALID_HANDLE_VALUE) {
        do {
            size_t nlen = wcslen(fd.cFileName);
            if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L"..")) continue;
            if (len + 1 + nlen + 1 >= cap) { failed++; continue; }
            path[len] = L'\\';
            wcscpy(path + len + 1, fd.cFileName);
            /* read-only files (ESENT marks some) cannot be deleted as they are */
            if (fd.dwFileAttributes & FILE_ATTRIBUTE_READONLY)
                SetFileAttributesW(path, fd.dwFileAttributes & ~(DWORD)FILE_ATTRIBUTE_READONLY);
            if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
                !(fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
                failed += remove_tree(path, cap, first_error);
            } else if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ? !RemoveDirectoryW(path)
                                                                          : !DeleteFileW(path)) {
                if (!*first_error) *first_error = GetLastError();
                failed++;
            }
            path[len] = 0;
        } while (FindNextFileW(h, &fd));
        FindClose(h);
    }
    if (!RemoveDirectoryW(path)) {
        if (!*first_error) *first_error = GetLastError();
        failed++;
    }
    return failed;
}

int sandbox_remove(agent_ctx *ctx, char *err, size_t errlen) {
    static wchar_t path[32768]; /* the \\?\ limit; static: too big for a thread's stack */
    DWORD first_error = 0;
    unsigned failed;
    if (!ctx->sandbox[0]) return 0;
    if (ctx->sandbox[0] == L'\\' && ctx->sandbox[1] == L'\\') wcscpy(path, ctx->sandbox); /* UNC: as is */
    else _snwprintf(path, sizeof path / sizeof path[0], L"\\\\?\\%ls", ctx->sandbox);
    path[sizeof path / sizeof path[0] - 1] = 0;
    failed = remove_tree(path, sizeof path / sizeof path[0], &first_error);
    if (failed) {
        char why[300], where[1100];
        win_error_text(first_error, why, sizeof why);
        wide_to_utf8(ctx->sandbox, where, sizeof where);
        snprintf(err, errlen, "%u entries left in %s (first failure: %s)", failed, where, why);
        return -1;
    }
    ctx->sandbox[0] = 0;
    return 0;
}
