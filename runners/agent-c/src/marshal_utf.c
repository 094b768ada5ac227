#include "marshal_utf.h"

size_t utf16_len(const uint16_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* The JSON reader hands over valid UTF-8 only; invalid sequences still decode to U+FFFD. */
uint16_t *utf8_to_utf16(arena *a, const char *s, size_t len, size_t *out_len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint16_t *d = ar_alloc(a, (len + 1) * sizeof(uint16_t));
    size_t i = 0, n = 0;
    if (!d)
        return NULL;
    while (i < len) {
        uint32_t c = p[i], need = 0, k;
        if (c < 0x80) need = 0;
        else if ((c & 0xE0) == 0xC0) { need = 1; c &= 0x1F; }
        else if ((c & 0xF0) == 0xE0) { need = 2; c &= 0x0F; }
        else if ((c & 0xF8) == 0xF0) { need = 3; c &= 0x07; }
        else { d[n++] = 0xFFFD; i++; continue; }
        if (i + need >= len) { d[n++] = 0xFFFD; i++; continue; } /* truncated sequence */
        for (k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                break;
            c = (c << 6) | (p[i + k] & 0x3F);
        }
        if (k <= need) { d[n++] = 0xFFFD; i += k; continue; }
        i += need + 1;
        if (c >= 0x10000) {
            c -= 0x10000;
            d[n++] = (uint16_t)(0xD800 | (c >> 10));
            d[n++] = (uint16_t)(0xDC00 | (c & 0x3FF));
        } else {
            d[n++] = (uint16_t)c;
        }
    }
    d[n] = 0;
    if (out_len)
        *out_len = n;
    return d;
}

char *utf16_to_utf8(arena *a, const uint16_t *s, size_t len, size_t *out_len)
{
    char *d = ar_alloc(a, len * 3 + 1);
    size_t i, n = 0;
    if (!d)
        return NULL;
    for (i = 0; i < len; i++) {
        uint32_t c = s[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
            i++;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD; /* a lone surrogate, as from_utf16_lossy */
        }
        if (c < 0x80) {
            d[n++] = (char)c;
        } else if (c < 0x800) {
            d[n++] = (char)(0xC0 | (c >> 6));
            d[n++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            d[n++] = (char)(0xE0 | (c >> 12));
            d[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            d[n++] = (char)(0x80 | (c & 0x3F));
        } else {
            d[n++] = (char)(0xF0 | (c >> 18));
            d[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
            d[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            d[n++] = (char)(0x80 | (c & 0x3F));
        }
    }
    d[n] = 0;
    if (out_len)
        *out_len = n;
    return d;
}
