/* What the harness verbs do to the sandbox's real files when the library has no harness
 * extension (the ffi runner's verbs.rs, on std::fs): XP's wide file APIs, `\\?\` paths so
 * that names padded past MAX_PATH work, Win32 errors mapped to the JET_ERRs the ffi runner
 * maps io::ErrorKinds to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "call_files.h"
#include "marshal_text.h"
#include "marshal_utf.h"

/* ESENT's database header keeps the page size at this offset (le_cbPageSize). */
#define HEADER_PAGE_SIZE_OFFSET 236u
#define MAX_HELD 32

static struct { wchar_t *path; HANDLE h; } held[MAX_HELD];
static size_t nheld;

void files_release(void)
{
    size_t i;
    for (i = 0; i < nheld; i++) {
        CloseHandle(held[i].h);
        free(held[i].path);
    }
    nheld = 0;
}

jet_err files_code(DWORD e)
{
    switch (e) {
    case ERROR_FILE_NOT_FOUND: case ERROR_PATH_NOT_FOUND:
        return E_FILE_NOT_FOUND;
    case ERROR_ACCESS_DENIED:
        return E_FILE_ACCESS_DENIED;
    case ERROR_INVALID_PARAMETER: case ERROR_INVALID_DATA:
        return E_INVALID_PARAMETER;
    default:
        return E_DISK_IO;
    }
}

/* An absolute path for the wide file APIs, \\?\-prefixed so padded names past MAX_PATH work
 * (as Rust's standard library does for the ffi runner). */
wchar_t *files_native(arena *a, const char *utf8, size_t len)
{
    size_t n, i;
    uint16_t *w = utf8_to_utf16(a, utf8, len, &n);
    wchar_t *p;
    if (!w)
        return NULL;
    p = ar_alloc(a, (n + 9) * sizeof *p);
    if (!p)
        return NULL;
    if (n >= 2 && w[0] == '\\' && w[1] == '\\') {
        wcscpy(p, L"\\\\?\\UNC");
        for (i = 1; i <= n; i++)
            p[7 + i - 1] = w[i];
    } else {
        wcscpy(p, L"\\\\?\\");
        for (i = 0; i <= n; i++)
            p[4 + i] = w[i];
    }
    return p;
}

/* Creates every missing folder of `dir` (create_dir_all): an existing one is fine. */
DWORD files_make_dirs(wchar_t *dir)
{
    size_t len = wcslen(dir), i, start = 4;
    DWORD attr;
    if (wcsncmp(dir, L"\\\\?\\UNC\\", 8) == 0)
        start = 8;
    for (i = start; i <= len; i++) {
        wchar_t c = dir[i];
        if (c != L'\\' && c != 0)
            continue;
        if (i > start && dir[i - 1] != L':' && dir[i - 1] != L'\\') {
            dir[i] = 0;
            attr = GetFileAttributesW(dir);
            if (attr == INVALID_FILE_ATTRIBUTES && !CreateDirectoryW(dir, NULL) &&
                GetLastError() != ERROR_ALREADY_EXISTS) {
                DWORD e = GetLastError();
                dir[i] = c;
                return e;
            }
            if (attr != INVALID_FILE_ATTRIBUTES && !(attr & FILE_ATTRIBUTE_DIRECTORY)) {
                dir[i] = c;
                return ERROR_ALREADY_EXISTS;
            }
            dir[i] = c;
        }
    }
    return 0;
}

DWORD files_make_parent(wchar_t *path)
{
    wchar_t *sep = wcsrchr(path, L'\\');
    DWORD e;
    if (!sep || sep - path <= 7)
        return 0;
    *sep = 0;
    e = files_make_dirs(path);
    *sep = L'\\';
    return e;
}

jet_err files_write(wchar_t *p, uint32_t size)
{
    static unsigned char chunk[65536];
    uint32_t head = size < (1u << 20) ? size : (1u << 20), done = 0, i;
    HANDLE h;
    DWORD e = files_make_parent(p), n;
    LONG high = 0;
    if (e)
        return files_code(e);
    h = CreateFileW(p, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return files_code(GetLastError());
    /* The first MiB counts 0..250 over and over; the rest of the size is zeros. */
    while (done < head) {
        uint32_t part = head - done < sizeof chunk ? head - done : (uint32_t)sizeof chunk;
        for (i = 0; i < part; i++)
            chunk[i] = (unsigned char)((done + i) % 251);
        if (!WriteFile(h, chunk, part, &n, NULL) || n != part)
            goto fail;
        done += part;
    }
    if (SetFilePointer(h, (LONG)size, &high, FILE_BEGIN) == INVALID_SET_FILE_POINTER &&
        GetLastError() != NO_ERROR)
        goto fail;
    if (!SetEndOfFile(h))
        goto fail;
    CloseHandle(h);
    return E_SUCCESS;
fail:
    e = GetLastError();
    CloseHandle(h);
    return files_code(e);
}

/* Inverts 8 bytes at `offset`; past the end of the file is an invalid parameter. */
jet_err files_flip(const wchar_t *p, unsigned long long offset)
{
    unsigned char b[8];
    DWORD n, high = 0, low, e;
    LONG off_high;
    unsigned long long len;
    int i;
    HANDLE h = CreateFileW(p, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return files_code(GetLastError());
    low = GetFileSize(h, &high);
    if (low == INVALID_FILE_SIZE && GetLastError() != NO_ERROR)
        goto fail;
    len = ((unsigned long long)high << 32) | low;
    if (offset + 8 > len) {
        CloseHandle(h);
        return E_INVALID_PARAMETER;
    }
    off_high = (LONG)(offset >> 32);
    if (SetFilePointer(h, (LONG)(offset & 0xFFFFFFFFu), &off_high, FILE_BEGIN) == INVALID_SET_FILE_POINTER &&
        GetLastError() != NO_ERROR)
        goto fail;
    if (!ReadFile(h, b, 8, &n, NULL) || n != 8)
        goto fail;
    for (i = 0; i < 8; i++)
        b[i] = (unsigned char)~b[i];
    off_high = (LONG)(offset >> 32);
    if (SetFilePointer(h, (LONG)(offset & 0xFFFFFFFFu), &off_high, FILE_BEGIN) == INVALID_SET_FILE_POINTER &&
        GetLastError() != NO_ERROR)
        goto fail;
    if (!WriteFile(h, b, 8, &n, NULL) || n != 8)
        goto fail;
    CloseHandle(h);
    return E_SUCCESS;
fail:
    e = GetLastError();
    CloseHandle(h);
    return e ? files_code(e) : E_DISK_IO;
}

/* Damages the middle of page `pgno` (after the two header pages) so its checksum fails
 * (spec 10.6); the page size comes from the header, 4096 when it is not ESENT's (spec 10.2:
 * 2 to 32 KiB). */
jet_err files_corrupt_page(const wchar_t *p, uint32_t pgno)
{
    unsigned char word[4];
    DWORD n, e;
    uint32_t size;
    unsigned long long page;
    HANDLE h = CreateFileW(p, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return files_code(GetLastError());
    if (SetFilePointer(h, HEADER_PAGE_SIZE_OFFSET, NULL, FILE_BEGIN) == INVALID_SET_FILE_POINTER ||
        !ReadFile(h, word, 4, &n, NULL) || n != 4) {
        e = GetLastError();
        CloseHandle(h);
        return e ? files_code(e) : E_DISK_IO; /* a short file: read_exact's UnexpectedEof */
    }
    CloseHandle(h);
    size = (uint32_t)word[0] | (uint32_t)word[1] << 8 | (uint32_t)word[2] << 16 | (uint32_t)word[3] << 24;
    page = (size >= 2048 && size <= 32768 && (size & (size - 1)) == 0) ? size : 4096;
    return files_flip(p, ((unsigned long long)pgno + 1) * page + page / 2);
}

jet_err files_lock(wchar_t *p)
{
    size_t i;
    /* Share mode 0: no other open (ESENT's included) succeeds while this one is held. */
    HANDLE h = CreateFileW(p, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return files_code(GetLastError());
    for (i = 0; i < nheld; i++)
        if (wcscmp(held[i].path, p) == 0) {
            CloseHandle(held[i].h);
            held[i].h = h;
            return E_SUCCESS;
        }
    if (nheld == MAX_HELD || !(held[nheld].path = _wcsdup(p))) {
        CloseHandle(h);
        return E_DISK_IO;
    }
    held[nheld++].h = h;
    return E_SUCCESS;
}

void files_unlock(const wchar_t *p)
{
    size_t i;
    for (i = 0; i < nheld; i++)
        if (wcscmp(held[i].path, p) == 0) {
            CloseHandle(held[i].h);
            free(held[i].path);
            held[i] = held[--nheld];
            return;
        }
}

int files_append(arena *a, const char *root, const char *rel, size_t rel_len,
                 const unsigned char *bytes, size_t n, char *note, size_t notelen)
{
    text_t t;
    size_t len;
    char *path;
    wchar_t *p;
    HANDLE h;
    DWORD e = 0, wrote;
    memset(&t, 0, sizeof t);
    t.kind = TX_PATH;
    t.s = rel;
    t.len = rel_len;
    if (!text_path_is_inside(&t)) {
        snprintf(note, notelen, "save_to %.200s failed: not a path inside the sandbox", rel);
        return 0;
    }
    path = text_utf8(a, root, &t, &len);
    p = path ? files_native(a, path, len) : NULL;
    if (!p) {
        snprintf(note, notelen, "save_to %.200s failed: out of memory", rel);
        return 0;
    }
    e = files_make_parent(p);
    if (!e) {
        h = CreateFileW(p, FILE_APPEND_DATA, FILE_SHARE_READ, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (h == INVALID_HANDLE_VALUE) {
            e = GetLastError();
        } else {
            SetFilePointer(h, 0, NULL, FILE_END);
            while (n > 0 && !e) {
                DWORD part = n > 0x40000000u ? 0x40000000u : (DWORD)n;
                if (!WriteFile(h, bytes, part, &wrote, NULL))
                    e = GetLastError();
                bytes += wrote;
                n -= wrote;
            }
            CloseHandle(h);
        }
    }
    if (e) {
        snprintf(note, notelen, "save_to %.200s failed: Windows error %lu", rel, (unsigned long)e);
        return 0;
    }
    return 1;
}

