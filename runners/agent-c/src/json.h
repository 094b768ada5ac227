/* Strict RFC 8259 JSON for the runner protocol: a DOM reader and a streaming writer.
 *
 * Portable C99 without windows.h, because the same file is built on Linux for the unit
 * tests, the sanitizers and the fuzzer. The protocol only ever carries integers, so the
 * reader rejects fractions and exponents with a message saying so, instead of guessing a
 * rounding. It also rejects invalid UTF-8, lone surrogates, duplicate keys in an object
 * (the harness's serde reader refuses them too, so the two sides agree on every line),
 * nesting deeper than JV_MAX_DEPTH and texts longer than JV_MAX_TEXT. The writer escapes control characters and emits valid UTF-8 only
 * (invalid input bytes become U+FFFD), so nothing it writes can break a protocol line. */
#ifndef JETCONFORM_AGENT_JSON_H
#define JETCONFORM_AGENT_JSON_H

#include <stddef.h>

#define JV_MAX_DEPTH 128                       /* nested arrays/objects */
#define JV_MAX_TEXT ((size_t)16 * 1024 * 1024) /* the protocol's line limit */

typedef enum { JV_NULL, JV_FALSE, JV_TRUE, JV_INT, JV_STRING, JV_ARRAY, JV_OBJECT } jv_type;
typedef struct jv jv;

/* Parse exactly one JSON value (surrounding whitespace allowed). NULL on error, with a
 * message such as "expected value at line 1 column 5" in err (always NUL-terminated). */
jv *jv_parse(const char *text, size_t len, char *err, size_t errlen);
void jv_free(jv *v);
jv_type jv_kind(const jv *v);
const jv *jv_member(const jv *obj, const char *key);   /* NULL if absent or not an object */
size_t jv_count(const jv *v);                          /* array elements / object members; 0 otherwise */
const jv *jv_index(const jv *arr, size_t i);           /* NULL if out of range or not an array */
const char *jv_key_at(const jv *obj, size_t i);        /* NULL if out of range or not an object */
const jv *jv_value_at(const jv *obj, size_t i);
int jv_as_u64(const jv *v, unsigned long long *out);   /* 1 if a non-negative integer in range */
int jv_as_i64(const jv *v, long long *out);            /* 1 if an integer in i64 range */
const char *jv_as_str(const jv *v, size_t *len);       /* UTF-8, NUL-terminated, may hold \u0000 (len tells); NULL if not a string */

/* Writer. Commas are automatic: call jw_key before each member value of an object. On
 * allocation failure `oom` is set and further output is dropped (callers check it once). */
typedef struct jw {
    char *buf;
    size_t len, cap;
    int need_comma; /* a value was written at the current level */
    int oom;
} jw;
void jw_init(jw *w);
void jw_free(jw *w);
void jw_reset(jw *w); /* empty the buffer, keep the allocation */
void jw_obj_begin(jw *w);
void jw_obj_end(jw *w);
void jw_arr_begin(jw *w);
void jw_arr_end(jw *w);
void jw_key(jw *w, const char *key);
void jw_str(jw *w, const char *utf8);
void jw_strn(jw *w, const char *utf8, size_t n);
void jw_u64(jw *w, unsigned long long v);
void jw_i64(jw *w, long long v);
void jw_bool(jw *w, int b);
void jw_null(jw *w);
/* Compatible extensions. */
void jw_value(jw *w, const jv *v); /* re-serialise a parsed value (round trips, echoing calls) */
void jw_raw(jw *w, const char *json, size_t n); /* splice already-valid JSON as one value */

#endif
