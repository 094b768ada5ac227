#include <string.h>
#include <windows.h>
#include "marshal_text.h"
#include "marshal_utf.h"

const char *text_root_utf8(arena *a, const wchar_t *sandbox)
{
    return utf16_to_utf8(a, (const uint16_t *)sandbox, utf16_len((const uint16_t *)sandbox), NULL);
}

/* Same algorithm as text_to_string: lengths in bytes of UTF-8, as the Rust String's len(). */
char *text_utf8(arena *a, const char *root, const text_t *t, size_t *len)
{
    size_t rootlen, start, end, cap, n, pad, i;
    const char *rel;
    char *s;
    if (t->kind != TX_PATH) {
        *len = t->len;
        return ar_strndup(a, t->s, t->len);
    }
    rel = t->s;
    start = 0;
    end = t->len;
    while (start < end && rel[start] == '/')
        start++;
    while (end > start && rel[end - 1] == '/')
        end--;
    rootlen = strlen(root);
    pad = t->has_pad ? (t->pad_to < TEXT_MAX_PAD ? t->pad_to : TEXT_MAX_PAD) : 0;
    cap = rootlen + 1 + (end - start) + pad + 2;
    s = ar_alloc(a, cap + 1);
    if (!s)
        return NULL;
    memcpy(s, root, rootlen);
    n = rootlen;
    int self = end == start || (end - start == 1 && rel[start] == '.');
    if (!self) {
        s[n++] = '\\';
        for (i = start; i < end; i++)
            s[n++] = rel[i] == '/' ? '\\' : rel[i];
    }
    if (t->has_pad) {
        if (self && n < pad)
            s[n++] = '\\';
        while (n < pad)
            s[n++] = 'x';
    }
    if (t->trailing_separator)
        s[n++] = '\\';
    s[n] = 0;
    *len = n;
    return s;
}

static int is_ascii(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

char *text_ansi(arena *a, const char *utf8, size_t len)
{
    size_t wlen;
    uint16_t *w;
    int size;
    char *out;
    if (is_ascii(utf8, len))
        return ar_strndup(a, utf8, len);
    w = utf8_to_utf16(a, utf8, len, &wlen);
    if (!w || wlen > 0x7FFFFFFF)
        return ar_strndup(a, utf8, len);
    size = WideCharToMultiByte(CP_ACP, 0, (LPCWSTR)w, (int)wlen, NULL, 0, NULL, NULL);
    if (size <= 0)
        return ar_strndup(a, utf8, len);
    out = ar_alloc(a, (size_t)size + 1);
    if (!out)
        return NULL;
    size = WideCharToMultiByte(CP_ACP, 0, (LPCWSTR)w, (int)wlen, out, size, NULL, NULL);
    out[size > 0 ? size : 0] = 0;
    return out;
}

char *text_from_ansi(arena *a, const char *ansi, size_t len, size_t *out_len)
{
    int wlen;
    uint16_t *w;
    if (is_ascii(ansi, len) || len > 0x7FFFFFFF) {
        *out_len = len;
        return ar_strndup(a, ansi, len);
    }
    wlen = MultiByteToWideChar(CP_ACP, 0, ansi, (int)len, NULL, 0);
    if (wlen <= 0) {
        *out_len = len;
        return ar_strndup(a, ansi, len);
    }
    w = ar_alloc(a, ((size_t)wlen + 1) * sizeof *w);
    if (!w)
        return NULL;
    wlen = MultiByteToWideChar(CP_ACP, 0, ansi, (int)len, (LPWSTR)w, wlen);
    return utf16_to_utf8(a, w, (size_t)(wlen > 0 ? wlen : 0), out_len);
}

const void *text_encode(arena *a, const char *root, const text_t *t, int wide)
{
    size_t len;
    char *s = text_utf8(a, root, t, &len);
    if (!s)
        return NULL;
    if (wide)
        return utf8_to_utf16(a, s, len, NULL);
    return text_ansi(a, s, len);
}

int text_path_is_inside(const text_t *t)
{
    size_t i = 0, start;
    if (t->kind != TX_PATH)
        return 0;
    if (memchr(t->s, 0, t->len) || memchr(t->s, ':', t->len) || memchr(t->s, '\\', t->len))
        return 0; /* a drive, a stream or a native separator: not a sandbox-relative name */
    while (i <= t->len) {
        start = i;
        while (i < t->len && t->s[i] != '/')
            i++;
        if (i - start == 2 && t->s[start] == '.' && t->s[start + 1] == '.')
            return 0;
        i++;
    }
    return 1;
}
