/* The folder verbs on real files: see call_folders.h. XP's wide APIs only (FindFirstFileW,
 * RemoveDirectoryW, DeleteFileW, MoveFileW, GetFileAttributesW). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "call_files.h"
#include "call_folders.h"
#include "marshal_utf.h"

/* Files held open (by the engine, or lock_file) keep a folder: -1032, as the mock answers. */
static jet_err code_of(DWORD e)
{
    return e == ERROR_SHARING_VIOLATION || e == ERROR_LOCK_VIOLATION ? E_FILE_ACCESS_DENIED : files_code(e);
}

static void refuse(obs *o, const char *why)
{
    char note[320];
    snprintf(note, sizeof note, "refused: %s", why);
    obs_returned(o, E_INVALID_PARAMETER);
    obs_note(o, note);
}

int folders_inside(const wchar_t *root, const wchar_t *p, int allow_root, char *why, size_t whylen)
{
    size_t n = wcslen(root), i, start;
    wchar_t *at;
    while (n > 0 && root[n - 1] == L'\\')
        n--;
    if (_wcsnicmp(p, root, n) != 0 || (p[n] != 0 && p[n] != L'\\')) {
        snprintf(why, whylen, "the path is not inside the sandbox");
        return 0;
    }
    for (i = n; p[i] == L'\\'; i++)
        ;
    if (p[i] == 0 && !allow_root) {
        snprintf(why, whylen, "the path is the sandbox folder itself");
        return 0;
    }
    at = (wchar_t *)malloc((wcslen(p) + 1) * sizeof *at);
    if (!at) {
        snprintf(why, whylen, "out of memory");
        return 0;
    }
    wcscpy(at, p);
    /* Component by component below the sandbox: no `.` or `..`, no reparse point. */
    while (p[i]) {
        DWORD attr;
        start = i;
        while (p[i] && p[i] != L'\\')
            i++;
        if ((i - start == 1 && p[start] == L'.') || (i - start == 2 && p[start] == L'.' && p[start + 1] == L'.')) {
            snprintf(why, whylen, "the path has a . or .. component");
            free(at);
            return 0;
        }
        at[i] = 0;
        attr = GetFileAttributesW(at);
        at[i] = p[i];
        if (attr == INVALID_FILE_ATTRIBUTES)
            break; /* not there (yet): nothing below it can be a link */
        if (attr & FILE_ATTRIBUTE_REPARSE_POINT) {
            snprintf(why, whylen, "the path goes through a junction or symbolic link");
            free(at);
            return 0;
        }
        while (p[i] == L'\\')
            i++;
    }
    free(at);
    return 1;
}

/* `dir\name` in a fresh allocation. */
static wchar_t *join(const wchar_t *dir, const wchar_t *name)
{
    size_t a = wcslen(dir), b = wcslen(name);
    wchar_t *s = (wchar_t *)malloc((a + b + 2) * sizeof *s);
    if (!s)
        return NULL;
    wcscpy(s, dir);
    s[a] = L'\\';
    wcscpy(s + a + 1, name);
    return s;
}

static int dots(const wchar_t *n)
{
    return wcscmp(n, L".") == 0 || wcscmp(n, L"..") == 0;
}

/* Removes what is in `dir`, then `dir`: folders recursively, links (junctions) as
 * themselves, never what they point at. 0 or the first Win32 error. */
static DWORD remove_tree(const wchar_t *dir)
{
    WIN32_FIND_DATAW fd;
    wchar_t *pattern = join(dir, L"*");
    HANDLE h;
    DWORD err = 0;
    if (!pattern)
        return ERROR_NOT_ENOUGH_MEMORY;
    h = FindFirstFileW(pattern, &fd);
    free(pattern);
    if (h != INVALID_HANDLE_VALUE) {
        do {
            wchar_t *child;
            if (dots(fd.cFileName))
                continue;
            if (!(child = join(dir, fd.cFileName))) {
                err = ERROR_NOT_ENOUGH_MEMORY;
                break;
            }
            if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
                !(fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
                err = remove_tree(child);
            } else if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
                if (!RemoveDirectoryW(child)) /* a junction: the link goes, its target stays */
                    err = GetLastError();
            } else {
                if (fd.dwFileAttributes & FILE_ATTRIBUTE_READONLY)
                    SetFileAttributesW(child, FILE_ATTRIBUTE_NORMAL);
                if (!DeleteFileW(child))
                    err = GetLastError();
            }
            free(child);
        } while (!err && FindNextFileW(h, &fd));
        FindClose(h);
    }
    if (!err && !RemoveDirectoryW(dir))
        err = GetLastError();
    return err;
}

/* 1 for an existing folder; else 0 with the observation set (-1811 nothing there, -1003 a file). */
static int folder(const wchar_t *p, obs *o)
{
    DWORD attr = GetFileAttributesW(p);
    if (attr == INVALID_FILE_ATTRIBUTES) {
        obs_returned(o, files_code(GetLastError()));
        return 0;
    }
    if (!(attr & FILE_ATTRIBUTE_DIRECTORY)) {
        refuse(o, "the path is not a folder");
        return 0;
    }
    return 1;
}

void folders_delete(const wchar_t *root, const wchar_t *p, obs *o)
{
    char why[200];
    DWORD e;
    if (!folders_inside(root, p, 0, why, sizeof why)) {
        refuse(o, why);
        return;
    }
    if (!folder(p, o))
        return;
    e = remove_tree(p);
    obs_returned(o, e ? code_of(e) : E_SUCCESS);
}

void folders_rename(const wchar_t *root, const wchar_t *from, const wchar_t *to, obs *o)
{
    char why[200];
    size_t n = wcslen(from);
    if (!folders_inside(root, from, 0, why, sizeof why) || !folders_inside(root, to, 0, why, sizeof why)) {
        refuse(o, why);
        return;
    }
    if (!folder(from, o))
        return;
    if (GetFileAttributesW(to) != INVALID_FILE_ATTRIBUTES) {
        refuse(o, "the new name exists already");
        return;
    }
    if (_wcsnicmp(to, from, n) == 0 && (to[n] == 0 || to[n] == L'\\')) {
        refuse(o, "the new name is inside the folder");
        return;
    }
    obs_returned(o, MoveFileW(from, to) ? E_SUCCESS : code_of(GetLastError()));
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void folders_list(arena *a, const wchar_t *root, const wchar_t *p, const char *utf8, obs *o)
{
    char why[200];
    WIN32_FIND_DATAW fd;
    wchar_t *pattern;
    HANDLE h;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    jw *w;
    if (!folders_inside(root, p, 1, why, sizeof why)) {
        refuse(o, why);
        return;
    }
    if (!folder(p, o))
        return;
    if (!(pattern = join(p, L"*"))) {
        obs_not_modelled(o, "out of memory");
        return;
    }
    h = FindFirstFileW(pattern, &fd);
    free(pattern);
    if (h != INVALID_HANDLE_VALUE) {
        do {
            size_t len;
            char *name;
            if (dots(fd.cFileName))
                continue;
            name = utf16_to_utf8(a, (const uint16_t *)fd.cFileName, wcslen(fd.cFileName), &len);
            if (n == cap) {
                char **more = (char **)realloc(names, (cap ? cap * 2 : 16) * sizeof *names);
                if (!more)
                    break;
                names = more;
                cap = cap ? cap * 2 : 16;
            }
            if (name)
                names[n++] = name;
        } while (FindNextFileW(h, &fd));
        FindClose(h);
    }
    qsort(names, n, sizeof *names, by_name);
    obs_returned(o, E_SUCCESS);
    w = obs_output_value(o, "entries");
    if (w) {
        jw_obj_begin(w);
        jw_key(w, "strings");
        jw_obj_begin(w);
        jw_key(w, "items");
        jw_arr_begin(w);
        for (i = 0; i < n; i++) {
            size_t len = strlen(utf8) + strlen(names[i]) + 2;
            char *full = (char *)ar_alloc(a, len);
            if (!full)
                continue;
            snprintf(full, len, "%s\\%s", utf8, names[i]);
            jw_str(w, full);
        }
        jw_arr_end(w);
        jw_key(w, "terminated");
        jw_bool(w, 1);
        jw_obj_end(w);
        jw_obj_end(w);
    }
    free(names);
}

void folders_exists(const wchar_t *root, const wchar_t *p, obs *o)
{
    char why[200];
    DWORD attr;
    jw *w;
    if (!folders_inside(root, p, 1, why, sizeof why)) {
        refuse(o, why);
        return;
    }
    attr = GetFileAttributesW(p);
    obs_returned(o, E_SUCCESS);
    w = obs_output_value(o, "exists");
    if (w) {
        jw_obj_begin(w);
        jw_key(w, "u32");
        jw_u64(w, attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY));
        jw_obj_end(w);
    }
}
