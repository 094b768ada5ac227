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

/* True if `name` is jc-<pid>-<n> and that process is gone. A crashed or killed agent (the
 * harness's watchdog, an exception in ESENT) leaves its sandbox behind, with the engine's
 * databases and logs in it; over a corpus run of many such trials %TEMP% would fill a small
 * VM. A process that exists but cannot be opened (another user's) is left alone. */
static int stale(const wchar_t *name) {
    unsigned long pid = 0;
    const wchar_t *p = name + 3;
    HANDLE h;
    if (wcsncmp(name, L"jc-", 3) != 0 || *p < L'0' || *p > L'9') return 0;
    while (*p >= L'0' && *p <= L'9') pid = pid * 10 + (unsigned long)(*p++ - L'0');
    if (*p++ != L'-' || *p < L'0' || *p > L'9') return 0;
    while (*p >= L'0' && *p <= L'9') p++;
    if (*p || pid == GetCurrentProcessId()) return 0;
    h = OpenProcess(SYNCHRONIZE, FALSE, (DWORD)pid);
    if (h) {
        int gone = WaitForSingleObject(h, 0) == WAIT_OBJECT_0;
        CloseHandle(h);
        return gone;
    }
    return GetLastError() == ERROR_INVALID_PARAMETER; /* no such process */
}

/* Remove the sandboxes of agents that died without removing their own (once per process). */
static void sweep(const wchar_t *temp) {
    static wchar_t path[32768];
    WIN32_FIND_DATAW fd;
    HANDLE h;
    unsigned removed = 0;
    _snwprintf(path, sizeof path / sizeof path[0], L"%ls\\jc-*", temp);
    path[sizeof path / sizeof path[0] - 1] = 0;
    h = FindFirstFileW(path, &fd);
    if (h == INVALID_HANDLE_VALUE) return;
    do {
        DWORD first_error = 0;
        if (!(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) || !stale(fd.cFileName)) continue;
        _snwprintf(path, sizeof path / sizeof path[0], L"\\\\?\\%ls\\%ls", temp, fd.cFileName);
        path[sizeof path / sizeof path[0] - 1] = 0;
        if (remove_tree(path, sizeof path / sizeof path[0], &first_error) == 0) removed++;
    } while (FindNextFileW(h, &fd));
    FindClose(h);
    if (removed) fprintf(stderr, "agent: removed %u sandbox(es) left by agents that ended without removing them\n", removed);
}

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
    if (sandbox_serial == 0 && longer[0] != L'\\' && n > 3) sweep(longer);
    for (tries = 0; tries < 1000; tries++) {
        /* a root such as C:\ keeps its separator: do not double it */
        _snwprintf(dir, sizeof dir / sizeof dir[0], L"%ls%lsjc-%lu-%u", longer,
                   (n && longer[n - 1] == L'\\') ? L"" : L"\\", (unsigned long)GetCurrentProcessId(),
                   ++sandbox_serial);
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
