/* Strict JSON reader (DOM) and writer for the runner protocol; see json.h for the rules. */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jv {
    jv_type type;
    int neg;                 /* JV_INT: the value is -mag */
    unsigned long long mag;  /* JV_INT: magnitude */
    char *str;               /* JV_STRING: UTF-8, NUL-terminated */
    size_t len;              /* JV_STRING: bytes; JV_ARRAY/JV_OBJECT: elements */
    jv **items;              /* JV_ARRAY/JV_OBJECT: values */
    char **keys;             /* JV_OBJECT: keys, NUL-terminated */
    size_t *key_lens;        /* JV_OBJECT: key lengths (keys may hold \u0000) */
};

/* ---- reader ---------------------------------------------------------------------------- */

typedef struct parser {
    const char *s;
    size_t len, pos;
    int depth;
    char *err;
    size_t errlen;
    int failed;
} parser;

/* Record the first error with the line and column it happened at (1-based, in bytes), in
 * the words serde_json uses, so the harness and the agent read alike. */
static void fail(parser *p, const char *fmt, ...) {
    size_t line = 1, col = 1, i, n;
    va_list ap;
    if (p->failed) return;
    p->failed = 1;
    if (!p->err || p->errlen == 0) return;
    for (i = 0; i < p->pos && i < p->len; i++) {
        if (p->s[i] == '\n') { line++; col = 1; } else col++;
    }
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
    n = strlen(p->err);
    if (n < p->errlen) snprintf(p->err + n, p->errlen - n, " at line %lu column %lu",
                                (unsigned long)line, (unsigned long)col);
}

static void skip_ws(parser *p) {
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->pos++;
    }
}

static jv *new_value(parser *p, jv_type t) {
    jv *v = (jv *)calloc(1, sizeof *v);
    if (!v) fail(p, "out of memory");
    else v->type = t;
    return v;
}

static jv *parse_value(parser *p);

static int hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static size_t put_utf8(char *o, unsigned cp) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F)); return 4;
}

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), 0 if ill-formed:
 * overlong forms, surrogates and code points above U+10FFFF are refused (RFC 3629). */
static size_t utf8_seq(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = 0x80, hi = 0xBF;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F; /* no UTF-16 surrogates */
        if (n < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80) return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = 0x80, hi = 0xBF;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
        if (n < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

/* Parse a string starting at the opening quote; on success *out holds a malloc'd copy. */
static int parse_string(parser *p, char **out, size_t *out_len) {
    size_t start = ++p->pos, end = start;
    char *buf, *o;
    /* Find the closing quote first: the decoded text is never longer than the source. */
    while (end < p->len && p->s[end] != '"') end += (p->s[end] == '\\') ? 2 : 1;
    if (end >= p->len) { p->pos = p->len; fail(p, "EOF while parsing a string"); return 0; }
    buf = (char *)malloc(end - start + 1);
    if (!buf) { fail(p, "out of memory"); return 0; }
    o = buf;
    while (p->pos < end) {
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c < 0x20) { fail(p, "control character (\\u%04x) not escaped in a string", c); goto bad; }
        if (c == '\\') {
            char e = p->s[p->pos + 1];
            unsigned cp, lo;
            switch (e) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '/': *o++ = '/'; break;
            case 'b': *o++ = '\b'; break;
            case 'f': *o++ = '\f'; break;
            case 'n': *o++ = '\n'; break;
            case 'r': *o++ = '\r'; break;
            case 't': *o++ = '\t'; break;
            case 'u':
                if (p->pos + 6 > end || !hex4(p->s + p->pos + 2, &cp)) {
                    fail(p, "invalid \\u escape (four hex digits expected)"); goto bad;
                }
                if (cp >= 0xDC00 && cp <= 0xDFFF) { fail(p, "lone trailing surrogate in \\u escape"); goto bad; }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (p->pos + 12 > end || p->s[p->pos + 6] != '\\' || p->s[p->pos + 7] != 'u' ||
                        !hex4(p->s + p->pos + 8, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                        fail(p, "lone leading surrogate in \\u escape"); goto bad;
                    }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p->pos += 6;
                }
                o += put_utf8(o, cp);
                p->pos += 6;
                continue;
            default:
                fail(p, "invalid escape"); goto bad;
            }
            p->pos += 2;
            continue;
        }
        {
            size_t n = utf8_seq((const unsigned char *)p->s + p->pos, end - p->pos);
            if (n == 0) { fail(p, "invalid UTF-8 in a string"); goto bad; }
            memcpy(o, p->s + p->pos, n);
            o += n;
            p->pos += n;
        }
    }
    p->pos = end + 1;
    *o = '\0';
    *out = buf;
    *out_len = (size_t)(o - buf);
    return 1;
bad:
    free(buf);
    return 0;
}

static jv *parse_number(parser *p) {
    int neg = 0;
    unsigned long long mag = 0;
    int overflow = 0;
    size_t digits = p->pos;
    jv *v;
    if (p->s[p->pos] == '-') { neg = 1; p->pos++; digits++; }
    if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9') {
        fail(p, "invalid number"); return NULL;
    }
    if (p->s[p->pos] == '0' && p->pos + 1 < p->len && p->s[p->pos + 1] >= '0' && p->s[p->pos + 1] <= '9') {
        fail(p, "invalid number (leading zero)"); return NULL;
    }
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
        unsigned d = (unsigned)(p->s[p->pos] - '0');
        if (mag > (~0ULL - d) / 10) overflow = 1;
        else mag = mag * 10 + d;
        p->pos++;
    }
    if (p->pos < p->len && (p->s[p->pos] == '.' || p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        p->pos = digits;
        fail(p, "numbers are integers in this protocol (fraction or exponent found)");
        return NULL;
    }
    if (overflow || (neg && mag > 0x8000000000000000ULL)) {
        p->pos = digits;
        fail(p, "integer out of range (u64 or i64 expected)");
        return NULL;
    }
    v = new_value(p, JV_INT);
    if (v) { v->neg = neg && mag != 0; v->mag = mag; }
    return v;
}

static int grow(parser *p, jv *v, size_t *cap, int with_keys) {
    size_t ncap = *cap ? *cap * 2 : 4;
    jv **items = (jv **)realloc(v->items, ncap * sizeof *items);
    if (!items) { fail(p, "out of memory"); return 0; }
    v->items = items;
    if (with_keys) {
        char **keys = (char **)realloc(v->keys, ncap * sizeof *keys);
        size_t *lens;
        if (!keys) { fail(p, "out of memory"); return 0; }
        v->keys = keys;
        lens = (size_t *)realloc(v->key_lens, ncap * sizeof *lens);
        if (!lens) { fail(p, "out of memory"); return 0; }
        v->key_lens = lens;
    }
    *cap = ncap;
    return 1;
}

static jv *parse_array(parser *p) {
    jv *v = new_value(p, JV_ARRAY);
    size_t cap = 0;
    if (!v) return NULL;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') { p->pos++; return v; }
    for (;;) {
        jv *item;
        if (v->len == cap && !grow(p, v, &cap, 0)) break;
        item = parse_value(p);
        if (!item) break;
        v->items[v->len++] = item;
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') { p->pos++; continue; }
        if (p->pos < p->len && p->s[p->pos] == ']') { p->pos++; return v; }
        if (p->pos >= p->len) fail(p, "EOF while parsing a list");
        else fail(p, "expected `,` or `]`");
        break;
    }
    jv_free(v);
    return NULL;
}

/* Sorting the keys finds duplicates in n log n: a quadratic scan would let one long line of
 * keys stall the agent. Each entry carries its own length, so the comparison needs no global
 * (the listener parses on several threads). */
typedef struct key_ref { const char *k; size_t n; } key_ref;
static int cmp_keys(const void *a, const void *b) {
    const key_ref *x = (const key_ref *)a, *y = (const key_ref *)b;
    int c = memcmp(x->k, y->k, x->n < y->n ? x->n : y->n);
    if (c) return c;
    return x->n < y->n ? -1 : x->n > y->n;
}

static const char *duplicate_key(const jv *v) {
    key_ref *refs;
    size_t i;
    const char *dup = NULL;
    if (v->len < 2) return NULL;
    if (v->len <= 8) { /* the common case: a few members, no allocation */
        size_t j;
        for (i = 0; i < v->len; i++)
            for (j = i + 1; j < v->len; j++)
                if (v->key_lens[i] == v->key_lens[j] && !memcmp(v->keys[i], v->keys[j], v->key_lens[i]))
                    return v->keys[i];
        return NULL;
    }
    refs = (key_ref *)malloc(v->len * sizeof *refs);
    if (!refs) return NULL;
    for (i = 0; i < v->len; i++) { refs[i].k = v->keys[i]; refs[i].n = v->key_lens[i]; }
    qsort(refs, v->len, sizeof *refs, cmp_keys);
    for (i = 1; i < v->len && !dup; i++)
        if (cmp_keys(&refs[i - 1], &refs[i]) == 0) dup = refs[i].k;
    free(refs);
    return dup;
}

static jv *parse_object(parser *p) {
    jv *v = new_value(p, JV_OBJECT);
    size_t cap = 0;
    const char *dup;
    if (!v) return NULL;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') { p->pos++; return v; }
    for (;;) {
        char *key;
        size_t klen;
        jv *item;
        if (p->pos >= p->len) { fail(p, "EOF while parsing an object"); break; }
        if (p->s[p->pos] != '"') { fail(p, "key must be a string"); break; }
        if (v->len == cap && !grow(p, v, &cap, 1)) break;
        if (!parse_string(p, &key, &klen)) break;
        skip_ws(p);
        if (p->pos >= p->len || p->s[p->pos] != ':') {
            free(key);
            fail(p, p->pos >= p->len ? "EOF while parsing an object" : "expected `:`");
            break;
        }
        p->pos++;
        item = parse_value(p);
        if (!item) { free(key); break; }
        v->keys[v->len] = key;
        v->key_lens[v->len] = klen;
        v->items[v->len++] = item;
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') { p->pos++; skip_ws(p); continue; }
        if (p->pos < p->len && p->s[p->pos] == '}') {
            p->pos++;
            dup = duplicate_key(v);
            if (!dup) return v;
            p->pos--;
            fail(p, "duplicate field `%.40s`", dup);
            break;
        }
        if (p->pos >= p->len) fail(p, "EOF while parsing an object");
        else fail(p, "expected `,` or `}`");
        break;
    }
    jv_free(v);
    return NULL;
}

static int literal(parser *p, const char *word) {
    size_t n = strlen(word);
    if (p->len - p->pos >= n && !memcmp(p->s + p->pos, word, n)) { p->pos += n; return 1; }
    fail(p, "expected value");
    return 0;
}

static jv *parse_value(parser *p) {
    jv *v = NULL;
    skip_ws(p);
    if (p->pos >= p->len) { fail(p, "EOF while parsing a value"); return NULL; }
    switch (p->s[p->pos]) {
    case '{':
    case '[':
        if (++p->depth > JV_MAX_DEPTH) { fail(p, "recursion limit exceeded (%d levels)", JV_MAX_DEPTH); return NULL; }
        v = p->s[p->pos] == '{' ? parse_object(p) : parse_array(p);
        p->depth--;
        return v;
    case '"': {
        char *s;
        size_t n;
        if (!parse_string(p, &s, &n)) return NULL;
        v = new_value(p, JV_STRING);
        if (!v) { free(s); return NULL; }
        v->str = s;
        v->len = n;
        return v;
    }
    case 't': return literal(p, "true") ? new_value(p, JV_TRUE) : NULL;
    case 'f': return literal(p, "false") ? new_value(p, JV_FALSE) : NULL;
    case 'n': return literal(p, "null") ? new_value(p, JV_NULL) : NULL;
    default:
        if (p->s[p->pos] == '-' || (p->s[p->pos] >= '0' && p->s[p->pos] <= '9')) return parse_number(p);
        fail(p, "expected value");
        return NULL;
    }
}

jv *jv_parse(const char *text, size_t len, char *err, size_t errlen) {
    parser p;
    jv *v;
    memset(&p, 0, sizeof p);
    p.s = text;
    p.len = len;
    p.err = err;
    p.errlen = errlen;
    if (err && errlen) err[0] = '\0';
    if (len > JV_MAX_TEXT) {
        if (err && errlen) snprintf(err, errlen, "text longer than %lu bytes", (unsigned long)JV_MAX_TEXT);
        return NULL;
    }
    v = parse_value(&p);
    if (!v) return NULL;
    skip_ws(&p);
    if (p.pos != p.len) {
        fail(&p, "trailing characters");
        jv_free(v);
        return NULL;
    }
    return v;
}

void jv_free(jv *v) {
    size_t i;
    if (!v) return;
    for (i = 0; i < v->len && v->items; i++) {
        jv_free(v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->key_lens);
    free(v->str);
    free(v);
}

jv_type jv_kind(const jv *v) { return v ? v->type : JV_NULL; }

const jv *jv_member(const jv *obj, const char *key) {
    size_t i, n;
    if (!obj || obj->type != JV_OBJECT || !key) return NULL;
    n = strlen(key);
    for (i = 0; i < obj->len; i++)
        if (obj->key_lens[i] == n && !memcmp(obj->keys[i], key, n)) return obj->items[i];
    return NULL;
}

size_t jv_count(const jv *v) {
    return (v && (v->type == JV_ARRAY || v->type == JV_OBJECT)) ? v->len : 0;
}

const jv *jv_index(const jv *arr, size_t i) {
    return (arr && arr->type == JV_ARRAY && i < arr->len) ? arr->items[i] : NULL;
}

const char *jv_key_at(const jv *obj, size_t i) {
    return (obj && obj->type == JV_OBJECT && i < obj->len) ? obj->keys[i] : NULL;
}

const jv *jv_value_at(const jv *obj, size_t i) {
    return (obj && obj->type == JV_OBJECT && i < obj->len) ? obj->items[i] : NULL;
}

int jv_as_u64(const jv *v, unsigned long long *out) {
    if (!v || v->type != JV_INT || v->neg) return 0;
    if (out) *out = v->mag;
    return 1;
}

int jv_as_i64(const jv *v, long long *out) {
    if (!v || v->type != JV_INT) return 0;
    if (v->neg) {
        /* -2^63 has no positive counterpart: build it without overflowing */
        if (out) *out = v->mag == 0x8000000000000000ULL ? (-0x7FFFFFFFFFFFFFFFLL - 1) : -(long long)v->mag;
        return 1;
    }
    if (v->mag > 0x7FFFFFFFFFFFFFFFULL) return 0;
    if (out) *out = (long long)v->mag;
    return 1;
}

const char *jv_as_str(const jv *v, size_t *len) {
    if (!v || v->type != JV_STRING) return NULL;
    if (len) *len = v->len;
    return v->str;
}

/* ---- writer ---------------------------------------------------------------------------- */

void jw_init(jw *w) { memset(w, 0, sizeof *w); }

void jw_free(jw *w) {
    free(w->buf);
    jw_init(w);
}

void jw_reset(jw *w) {
    w->len = 0;
    w->need_comma = 0;
    w->oom = 0;
    if (w->buf) w->buf[0] = '\0';
}

/* Append n bytes, keeping the buffer NUL-terminated so it can be printed as is. */
static void put(jw *w, const char *s, size_t n) {
    if (w->oom) return;
    if (w->len + n + 1 > w->cap) {
        size_t ncap = w->cap ? w->cap : 256;
        char *nb;
        while (ncap < w->len + n + 1) {
            if (ncap > ((size_t)-1) / 2) { w->oom = 1; return; }
            ncap *= 2;
        }
        nb = (char *)realloc(w->buf, ncap);
        if (!nb) { w->oom = 1; return; }
        w->buf = nb;
        w->cap = ncap;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void comma(jw *w) {
    if (w->need_comma) put(w, ",", 1);
}

void jw_obj_begin(jw *w) { comma(w); put(w, "{", 1); w->need_comma = 0; }
void jw_obj_end(jw *w) { put(w, "}", 1); w->need_comma = 1; }
void jw_arr_begin(jw *w) { comma(w); put(w, "[", 1); w->need_comma = 0; }
void jw_arr_end(jw *w) { put(w, "]", 1); w->need_comma = 1; }

static void quoted(jw *w, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, run = 0;
    put(w, "\"", 1);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[6];
        size_t k;
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) { i++; run++; continue; }
        put(w, s + i - run, run); /* the plain bytes before this one */
        run = 0;
        if (c >= 0x80) {
            k = utf8_seq((const unsigned char *)s + i, n - i);
            if (k) put(w, s + i, k);
            else { put(w, "\xEF\xBF\xBD", 3); k = 1; } /* U+FFFD for a byte that is not UTF-8 */
            i += k;
            continue;
        }
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0'; u[4] = hex[c >> 4]; u[5] = hex[c & 15];
            put(w, u, 6);
        }
        if (esc) put(w, esc, 2);
        i++;
    }
    put(w, s + i - run, run);
    put(w, "\"", 1);
}

void jw_key(jw *w, const char *key) {
    comma(w);
    quoted(w, key, strlen(key));
    put(w, ":", 1);
    w->need_comma = 0;
}

void jw_strn(jw *w, const char *utf8, size_t n) {
    comma(w);
    quoted(w, utf8, n);
    w->need_comma = 1;
}

void jw_str(jw *w, const char *utf8) { jw_strn(w, utf8, strlen(utf8)); }

static void digits(jw *w, int neg, unsigned long long v) {
    char b[24];
    size_t i = sizeof b;
    do { b[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    if (neg) b[--i] = '-';
    comma(w);
    put(w, b + i, sizeof b - i);
    w->need_comma = 1;
}

void jw_u64(jw *w, unsigned long long v) { digits(w, 0, v); }

void jw_i64(jw *w, long long v) {
    /* the magnitude of -2^63 fits an unsigned long long when computed as 0 - (unsigned) */
    if (v < 0) digits(w, 1, 0ULL - (unsigned long long)v);
    else digits(w, 0, (unsigned long long)v);
}

void jw_bool(jw *w, int b) {
    comma(w);
    if (b) put(w, "true", 4); else put(w, "false", 5);
    w->need_comma = 1;
}

void jw_null(jw *w) {
    comma(w);
    put(w, "null", 4);
    w->need_comma = 1;
}

void jw_raw(jw *w, const char *json, size_t n) {
    comma(w);
    put(w, json, n);
    w->need_comma = 1;
}

void jw_value(jw *w, const jv *v) {
    size_t i;
    if (!v) { jw_null(w); return; }
    switch (v->type) {
    case JV_NULL: jw_null(w); break;
    case JV_FALSE: jw_bool(w, 0); break;
    case JV_TRUE: jw_bool(w, 1); break;
    case JV_INT: digits(w, v->neg, v->mag); break;
    case JV_STRING: jw_strn(w, v->str, v->len); break;
    case JV_ARRAY:
        jw_arr_begin(w);
        for (i = 0; i < v->len; i++) jw_value(w, v->items[i]);
        jw_arr_end(w);
        break;
    case JV_OBJECT:
        jw_obj_begin(w);
        for (i = 0; i < v->len; i++) {
            comma(w);
            quoted(w, v->keys[i], v->key_lens[i]);
            put(w, ":", 1);
            w->need_comma = 0;
            jw_value(w, v->items[i]);
        }
        jw_obj_end(w);
        break;
    }
}
