#include <string.h>
#include "marshal_szz.h"
#include "marshal_text.h"
#include "marshal_utf.h"

static void item_a(jw *w, arena *a, const unsigned char *s, size_t len)
{
    size_t n;
    char *u = text_from_ansi(a, (const char *)s, len, &n);
    if (u)
        jw_strn(w, u, n);
    else
        jw_str(w, "");
}

static void item_w(jw *w, arena *a, const uint16_t *s, size_t len)
{
    size_t n;
    char *u = utf16_to_utf8(a, s, len, &n);
    if (u)
        jw_strn(w, u, n);
    else
        jw_str(w, "");
}

void szz_write(jw *w, arena *a, const unsigned char *bytes, size_t n, int wide)
{
    size_t count = wide ? (n + 1) / 2 : n, i, start = 0;
    uint16_t *units = NULL;
    int terminated = 0;
    if (wide) {
        /* Little-endian units; an odd last byte is the low half of a unit with a zero high. */
        units = ar_alloc(a, (count ? count : 1) * sizeof *units);
        if (!units)
            count = 0;
        for (i = 0; i < count; i++)
            units[i] = (uint16_t)(bytes[2 * i] | (2 * i + 1 < n ? bytes[2 * i + 1] << 8 : 0));
    }
    jw_obj_begin(w);
    jw_key(w, "strings");
    jw_obj_begin(w);
    jw_key(w, "items");
    jw_arr_begin(w);
    for (i = 0; i < count; i++) {
        int nul = wide ? units[i] == 0 : bytes[i] == 0;
        if (!nul)
            continue;
        if (i == start) { /* an empty item: the list's terminator */
            terminated = 1;
            break;
        }
        if (wide)
            item_w(w, a, units + start, i - start);
        else
            item_a(w, a, bytes + start, i - start);
        start = i + 1;
    }
    if (!terminated && start < count) {
        if (wide)
            item_w(w, a, units + start, count - start);
        else
            item_a(w, a, bytes + start, count - start);
    }
    jw_arr_end(w);
    jw_key(w, "terminated");
    jw_bool(w, terminated);
    jw_obj_end(w);
    jw_obj_end(w);
}
