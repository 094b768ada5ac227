#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "call.h"
#include "call_traffic.h"
#include "marshal_text.h"
#include "marshal_utf.h"
#include "verbs.h"

/* JET_ERRs a verb answers (runners/ffi/src/verbs.rs io_code). */
#define E_SUCCESS 0
#define E_INVALID_PARAMETER (-1003)
#define E_DISK_IO (-1022)
#define E_FILE_ACCESS_DENIED (-1032)
#define E_FILE_NOT_FOUND (-1811)

/* `JET_ERR JetconformVerbA(const char* verb, JET_API_PTR handle, const char* path1,
 * const char* path2, unsigned long n1, unsigned long n2)` (runners/ffi/src/exports.rs). */
typedef jet_err(JET_API *verb_fn)(const char *, jet_api_ptr, const char *, const char *, uint32_t, uint32_t);

/* ESENT's database header keeps the page size at this offset (le_cbPageSize). */
#define HEADER_PAGE_SIZE_OFFSET 236u
#define MAX_HELD 32

static struct { wchar_t *path; HANDLE h; } held[MAX_HELD];
static size_t nheld;
static unsigned traffic_runs;

/* The verbs listed in the hello. lock_file needs Windows share modes, which the agent
 * always has; log_traffic needs the extension or the engine's table calls. */
const char *const *agent_verbs(size_t *count)
{
    static const char *names[9] = {"corrupt_page", "corrupt_log", "delete_file", "write_file",
                                   "copy_file", "make_dir", "lock_file", "unlock_file", "log_traffic"};
    agent_ctx probe;
    memset(&probe, 0, sizeof probe);
    probe.dll = call_bound_dll();
    *count = call_symbol(&probe, "JetconformVerbA") || traffic_available(&probe) ? 9 : 8;
    return names;
}

void verbs_reset(void)
{
    size_t i;
    for (i = 0; i < nheld; i++) {
        CloseHandle(held[i].h);
        free(held[i].path);
    }
    nheld = 0;
    traffic_runs = 0;
}

static jet_err code_of(DWORD e)
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
static wchar_t *native(arena *a, const char *utf8, size_t len)
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
static DWORD make_dirs(wchar_t *dir)
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

static DWORD make_parent(wchar_t *path)
{
    wchar_t *sep = wcsrchr(path, L'\\');
    DWORD e;
    if (!sep || sep - path <= 7)
        return 0;
    *sep = 0;
    e = make_dirs(path);
    *sep = L'\\';
    return e;
}

static jet_err write_file(wchar_t *p, uint32_t size)
{
    static unsigned char chunk[65536];
    uint32_t head = size < (1u << 20) ? size : (1u << 20), done = 0, i;
    HANDLE h;
    DWORD e = make_parent(p), n;
    LONG high = 0;
    if (e)
        return code_of(e);
    h = CreateFileW(p, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return code_of(GetLastError());
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
    return code_of(e);
}

/* Inverts 8 bytes at `offset`; past the end of the file is an invalid parameter. */
static jet_err flip(const wchar_t *p, unsigned long long offset)
{
    unsigned char b[8];
    DWORD n, high = 0, low, e;
    LONG off_high;
    unsigned long long len;
    int i;
    HANDLE h = CreateFileW(p, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return code_of(GetLastError());
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
    return e ? code_of(e) : E_DISK_IO;
}

/* Damages the middle of page `pgno` (after the two header pages) so its checksum fails
 * (spec 10.6); the page size comes from the header, 4096 when it is not ESENT's (spec 10.2:
 * 2 to 32 KiB). */
static jet_err corrupt_page(const wchar_t *p, uint32_t pgno)
{
    unsigned char word[4];
    DWORD n, e;
    uint32_t size;
    unsigned long long page;
    HANDLE h = CreateFileW(p, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return code_of(GetLastError());
    if (SetFilePointer(h, HEADER_PAGE_SIZE_OFFSET, NULL, FILE_BEGIN) == INVALID_SET_FILE_POINTER ||
        !ReadFile(h, word, 4, &n, NULL) || n != 4) {
        e = GetLastError();
        CloseHandle(h);
        return e ? code_of(e) : E_DISK_IO; /* a short file: read_exact's UnexpectedEof */
    }
    CloseHandle(h);
    size = (uint32_t)word[0] | (uint32_t)word[1] << 8 | (uint32_t)word[2] << 16 | (uint32_t)word[3] << 24;
    page = (size >= 2048 && size <= 32768 && (size & (size - 1)) == 0) ? size : 4096;
    return flip(p, ((unsigned long long)pgno + 1) * page + page / 2);
}

static jet_err lock_file(wchar_t *p)
{
    size_t i;
    /* Share mode 0: no other open (ESENT's included) succeeds while this one is held. */
    HANDLE h = CreateFileW(p, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return code_of(GetLastError());
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

static void unlock_file(const wchar_t *p)
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

int verbs_append(arena *a, const char *root, const char *rel, size_t rel_len,
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
    p = path ? native(a, path, len) : NULL;
    if (!p) {
        snprintf(note, notelen, "save_to %.200s failed: out of memory", rel);
        return 0;
    }
    e = make_parent(p);
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

void verbs_run(agent_ctx *ctx, const call_t *c, obs *o)
{
    const cat_function *f = c->f;
    const char *paths[2] = {NULL, NULL};
    size_t lens[2] = {0, 0}, npaths = 0, nnum = 0, i;
    uint32_t num[2] = {0, 0};
    uint64_t handle = 0;
    char why[300];
    const char *root;
    wchar_t *p0 = NULL, *p1 = NULL;
    void *ext;
    jet_err code;
    arena a = {0};

    if (strcmp(f->name, "fault") == 0) {
        obs_not_modelled(o, "fault hooks exist only in a model");
        return;
    }
    root = text_root_utf8(&a, ctx->sandbox);
    for (i = 0; i < f->nparams && i < c->nargs; i++) {
        const cat_param *p = &f->params[i];
        const arg_t *arg = &c->args[i];
        if (p->type == PT_STR && p->sub == SUB_PATH && arg->kind == A_STR && arg->present) {
            if (!text_path_is_inside(&arg->text)) {
                snprintf(why, sizeof why, "argument %s of %s is not a path inside the sandbox", p->name, f->name);
                obs_not_modelled(o, why);
                ar_free(&a);
                return;
            }
            if (npaths < 2 && root) {
                paths[npaths] = text_utf8(&a, root, &arg->text, &lens[npaths]);
                npaths++;
            }
        } else if ((p->type == PT_SESID || p->type == PT_INSTANCE) && arg->kind == A_HANDLE) {
            handle = arg->u;
        } else if ((p->type == PT_ULONG || p->type == PT_DBID) && arg->kind == A_U32) {
            if (nnum < 2)
                num[nnum++] = (uint32_t)arg->u;
        } else {
            snprintf(why, sizeof why, "argument %s of %s has an unexpected form", p->name, f->name);
            obs_not_modelled(o, why);
            ar_free(&a);
            return;
        }
    }
    if (!root || (npaths > 0 && !paths[0]) || (npaths > 1 && !paths[1])) {
        obs_not_modelled(o, "out of memory");
        ar_free(&a);
        return;
    }
    ext = call_symbol(ctx, "JetconformVerbA");
    if (ext) {
        verb_fn verb;
        memcpy(&verb, &ext, sizeof verb);
        obs_returned(o, verb(f->name, (jet_api_ptr)handle, paths[0], paths[1], num[0], num[1]));
        ar_free(&a);
        return;
    }
    if (npaths > 0)
        p0 = native(&a, paths[0], lens[0]);
    if (npaths > 1)
        p1 = native(&a, paths[1], lens[1]);
    if ((npaths > 0 && !p0) || (npaths > 1 && !p1)) {
        obs_not_modelled(o, "out of memory");
        ar_free(&a);
        return;
    }
    if (strcmp(f->name, "log_traffic") == 0) {
        if (!traffic_available(ctx)) {
            obs_not_modelled(o, "log_traffic needs JetCreateTable, JetSetColumn, JetUpdate and the "
                                "transaction calls, which this library does not export");
            ar_free(&a);
            return;
        }
        {
            char table[48];
            snprintf(table, sizeof table, "jetconform_traffic_%u", ++traffic_runs);
            code = traffic_run(ctx, handle, num[0], num[1], table);
        }
    } else if (!p0) {
        snprintf(why, sizeof why, "verb %s needs a path", f->name);
        obs_not_modelled(o, why);
        ar_free(&a);
        return;
    } else if (strcmp(f->name, "write_file") == 0) {
        code = write_file(p0, num[0]);
    } else if (strcmp(f->name, "copy_file") == 0) {
        DWORD e;
        if (!p1)
            code = E_INVALID_PARAMETER;
        else if ((e = make_parent(p1)) != 0)
            code = code_of(e);
        else
            code = CopyFileW(p0, p1, FALSE) ? E_SUCCESS : code_of(GetLastError());
    } else if (strcmp(f->name, "delete_file") == 0) {
        code = DeleteFileW(p0) ? E_SUCCESS : code_of(GetLastError());
    } else if (strcmp(f->name, "make_dir") == 0) {
        DWORD e = make_dirs(p0);
        code = e ? code_of(e) : E_SUCCESS;
    } else if (strcmp(f->name, "corrupt_page") == 0) {
        code = corrupt_page(p0, num[0]);
    } else if (strcmp(f->name, "corrupt_log") == 0) {
        code = flip(p0, num[0]);
    } else if (strcmp(f->name, "lock_file") == 0) {
        code = lock_file(p0);
    } else if (strcmp(f->name, "unlock_file") == 0) {
        unlock_file(p0);
        code = E_SUCCESS;
    } else {
        snprintf(why, sizeof why, "verb %s needs the engine's own calls; this library has no harness extension",
                 f->name);
        obs_not_modelled(o, why);
        ar_free(&a);
        return;
    }
    obs_returned(o, code);
    ar_free(&a);
}
