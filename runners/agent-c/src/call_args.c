/* Strict parsing of a call's JSON into call_t, mirroring the serde derives of
 * runners/interface/src/call.rs: enums are objects with exactly one key, integers must fit
 * their Rust type, optional struct fields default as serde's `default` says, unknown struct
 * fields are ignored as serde ignores them. */
#include <stdio.h>
#include <string.h>
#include "call_args.h"

typedef struct parser { arena *a; char *err; size_t errlen; int depth; } parser;

static int fail(parser *p, const char *what, const char *where)
{
    snprintf(p->err, p->errlen, "%s%s%s", what, where ? " in " : "", where ? where : "");
    return 0;
}

static int get_u32(parser *p, const jv *v, uint32_t *out, const char *where)
{
    unsigned long long u;
    if (!v || !jv_as_u64(v, &u) || u > 0xFFFFFFFFull)
        return fail(p, "expected an unsigned 32-bit integer", where);
    *out = (uint32_t)u;
    return 1;
}

static int get_u64(parser *p, const jv *v, uint64_t *out, const char *where)
{
    unsigned long long u;
    if (!v || !jv_as_u64(v, &u))
        return fail(p, "expected an unsigned 64-bit integer", where);
    *out = u;
    return 1;
}

static int get_i32(parser *p, const jv *v, int32_t *out, const char *where)
{
    long long i;
    if (!v || !jv_as_i64(v, &i) || i < INT32_MIN || i > INT32_MAX)
        return fail(p, "expected a signed 32-bit integer", where);
    *out = (int32_t)i;
    return 1;
}

/* An optional u32/u64 struct field with serde's `default` (0). */
static int opt_u32(parser *p, const jv *obj, const char *key, uint32_t *out, int required)
{
    const jv *v = jv_member(obj, key);
    *out = 0;
    if (!v)
        return required ? fail(p, "missing field", key) : 1;
    return get_u32(p, v, out, key);
}

/* The single key of an externally tagged enum value. */
static const char *tag(parser *p, const jv *v, const jv **value, const char *where)
{
    if (!v || jv_kind(v) != JV_OBJECT || jv_count(v) != 1) {
        fail(p, "expected an object with exactly one key", where);
        return NULL;
    }
    *value = jv_value_at(v, 0);
    return jv_key_at(v, 0);
}

static int parse_text(parser *p, const jv *v, text_t *t)
{
    const jv *val, *m;
    const char *k = tag(p, v, &val, "TEXT");
    memset(t, 0, sizeof *t);
    if (!k)
        return 0;
    if (strcmp(k, "plain") == 0 || strcmp(k, "raw") == 0) {
        t->kind = k[0] == 'p' ? TX_PLAIN : TX_RAW;
        t->s = jv_as_str(val, &t->len);
        return t->s ? 1 : fail(p, "expected a string", k);
    }
    if (strcmp(k, "path") != 0)
        return fail(p, "unknown TEXT kind", k);
    t->kind = TX_PATH;
    if (jv_kind(val) != JV_OBJECT)
        return fail(p, "expected an object", "path");
    t->s = jv_as_str(jv_member(val, "path"), &t->len);
    if (!t->s)
        return fail(p, "expected a string", "path.path");
    m = jv_member(val, "pad_to");
    if (m && jv_kind(m) != JV_NULL) {
        if (!get_u32(p, m, &t->pad_to, "pad_to"))
            return 0;
        t->has_pad = 1;
    }
    m = jv_member(val, "trailing_separator");
    if (m && jv_kind(m) != JV_NULL) {
        if (jv_kind(m) != JV_TRUE && jv_kind(m) != JV_FALSE)
            return fail(p, "expected a bool", "trailing_separator");
        t->trailing_separator = jv_kind(m) == JV_TRUE;
    }
    return 1;
}

/* TEXT or null, as a pointer (NULL for null). A missing field is null (serde's Option). */
static int opt_text(parser *p, const jv *v, const text_t **out)
{
    text_t *t;
    *out = NULL;
    if (!v || jv_kind(v) == JV_NULL)
        return 1;
    t = ar_alloc(p->a, sizeof *t);
    if (!t)
        return fail(p, "out of memory", NULL);
    if (!parse_text(p, v, t))
        return 0;
    *out = t;
    return 1;
}

static int parse_rstmaps(parser *p, const jv *v, const rstmap_t **out, size_t *n)
{
    size_t i;
    rstmap_t *m;
    if (jv_kind(v) != JV_ARRAY)
        return fail(p, "expected an array", "rst_map");
    *n = jv_count(v);
    m = ar_alloc(p->a, (*n ? *n : 1) * sizeof *m);
    if (!m)
        return fail(p, "out of memory", NULL);
    for (i = 0; i < *n; i++) {
        const jv *e = jv_index(v, i);
        if (jv_kind(e) != JV_OBJECT)
            return fail(p, "expected an object", "RSTMAP");
        if (!opt_text(p, jv_member(e, "szDatabaseName"), &m[i].db) ||
            !opt_text(p, jv_member(e, "szNewDatabaseName"), &m[i].new_db))
            return 0;
    }
    *out = m;
    return 1;
}

static const call_t *parse_call(parser *p, const jv *call);

static int parse_callback(parser *p, const jv *v, const callback_t **out)
{
    callback_t *cb;
    const jv *nested;
    if (jv_kind(v) != JV_OBJECT)
        return fail(p, "expected an object", "CALLBACK");
    cb = ar_alloc(p->a, sizeof *cb);
    if (!cb)
        return fail(p, "out of memory", NULL);
    nested = jv_member(v, "nested");
    if (nested && jv_kind(nested) != JV_NULL) {
        if (++p->depth > 8)
            return fail(p, "callbacks nested too deeply", NULL);
        cb->nested = parse_call(p, nested);
        p->depth--;
        if (!cb->nested)
            return 0;
    }
    *out = cb;
    return 1;
}

static int parse_arg(parser *p, const jv *v, arg_t *a)
{
    const jv *val;
    const char *k = tag(p, v, &val, "an argument");
    memset(a, 0, sizeof *a);
    a->present = 1;
    if (!k)
        return 0;
    if (strcmp(k, "handle") == 0) {
        a->kind = A_HANDLE;
        return get_u64(p, val, &a->u, k);
    }
    if (strcmp(k, "u32") == 0) {
        uint32_t u;
        a->kind = A_U32;
        if (!get_u32(p, val, &u, k))
            return 0;
        a->u = u;
        return 1;
    }
    if (strcmp(k, "i32") == 0) {
        a->kind = A_I32;
        return get_i32(p, val, &a->i, k);
    }
    if (strcmp(k, "u64") == 0) {
        a->kind = A_U64;
        return get_u64(p, val, &a->u, k);
    }
    if (strcmp(k, "out") == 0) {
        a->kind = A_OUT;
        if (jv_kind(val) != JV_TRUE && jv_kind(val) != JV_FALSE)
            return fail(p, "expected a bool", k);
        a->flag = jv_kind(val) == JV_TRUE;
        return 1;
    }
    /* The remaining kinds are Option<...>: null is a NULL pointer. */
    a->present = jv_kind(val) != JV_NULL;
    if (strcmp(k, "str") == 0) {
        a->kind = A_STR;
        return !a->present || parse_text(p, val, &a->text);
    }
    if (strcmp(k, "in_out") == 0) {
        a->kind = A_IN_OUT;
        return !a->present || get_u64(p, val, &a->u, k);
    }
    if (strcmp(k, "buffer") == 0) {
        const jv *s;
        a->kind = A_BUFFER;
        if (!a->present)
            return 1;
        if (jv_kind(val) != JV_OBJECT)
            return fail(p, "expected an object", k);
        if (!opt_u32(p, val, "size", &a->buf.size, 1) || !opt_u32(p, val, "offset", &a->buf.offset, 0))
            return 0;
        s = jv_member(val, "save_to");
        if (s && jv_kind(s) != JV_NULL) {
            a->buf.save_to = jv_as_str(s, &a->buf.save_len);
            if (!a->buf.save_to)
                return fail(p, "expected a string", "save_to");
        }
        return 1;
    }
    if (strcmp(k, "log_info") == 0) {
        const jv *s;
        a->kind = A_LOG_INFO;
        if (!a->present)
            return 1;
        if (jv_kind(val) != JV_OBJECT)
            return fail(p, "expected an object", k);
        if (!opt_u32(p, val, "cbSize", &a->li.cb, 1) || !opt_u32(p, val, "ulGenLow", &a->li.lo, 0) ||
            !opt_u32(p, val, "ulGenHigh", &a->li.hi, 0))
            return 0;
        a->li.name = "";
        s = jv_member(val, "szBaseName");
        if (s && !(a->li.name = jv_as_str(s, &a->li.name_len)))
            return fail(p, "expected a string", "szBaseName");
        return 1;
    }
    if (strcmp(k, "rst_map") == 0) {
        a->kind = A_RST_MAP;
        return !a->present || parse_rstmaps(p, val, &a->map, &a->n);
    }
    if (strcmp(k, "set_sys_params") == 0) {
        size_t i;
        sysparam_t *sp;
        a->kind = A_SET_SYS_PARAMS;
        if (!a->present)
            return 1;
        if (jv_kind(val) != JV_ARRAY)
            return fail(p, "expected an array", k);
        a->n = jv_count(val);
        sp = ar_alloc(p->a, (a->n ? a->n : 1) * sizeof *sp);
        if (!sp)
            return fail(p, "out of memory", NULL);
        for (i = 0; i < a->n; i++) {
            const jv *e = jv_index(val, i), *l;
            if (jv_kind(e) != JV_OBJECT)
                return fail(p, "expected an object", "SETSYSPARAM");
            if (!opt_u32(p, e, "paramid", &sp[i].paramid, 1))
                return 0;
            l = jv_member(e, "lParam");
            if (l && !get_u64(p, l, &sp[i].lparam, "lParam"))
                return 0;
            if (!opt_text(p, jv_member(e, "sz"), &sp[i].sz))
                return 0;
        }
        a->params = sp;
        return 1;
    }
    if (strcmp(k, "rst_info") == 0) {
        const jv *m;
        a->kind = A_RST_INFO;
        if (!a->present)
            return 1;
        if (jv_kind(val) != JV_OBJECT)
            return fail(p, "expected an object", k);
        if (!opt_u32(p, val, "cbStruct", &a->cb_struct, 1))
            return 0;
        m = jv_member(val, "rgrstmap");
        if (m && !parse_rstmaps(p, m, &a->map, &a->n))
            return 0;
        m = jv_member(val, "pfnStatus");
        return !m || jv_kind(m) == JV_NULL || parse_callback(p, m, &a->callback);
    }
    if (strcmp(k, "callback") == 0) {
        a->kind = A_CALLBACK;
        return !a->present || parse_callback(p, val, &a->callback);
    }
    return fail(p, "unknown argument kind", k);
}

static const call_t *parse_call(parser *p, const jv *call)
{
    const char *name;
    const jv *args;
    call_t *c;
    arg_t *list;
    size_t i;
    if (jv_kind(call) != JV_OBJECT) {
        fail(p, "expected an object", "call");
        return NULL;
    }
    name = jv_as_str(jv_member(call, "function"), NULL);
    if (!name) {
        fail(p, "missing field `function`", "call");
        return NULL;
    }
    c = ar_alloc(p->a, sizeof *c);
    if (!c) {
        fail(p, "out of memory", NULL);
        return NULL;
    }
    c->f = cat_find(name);
    if (!c->f) {
        snprintf(p->err, p->errlen, "unknown function `%.100s`", name);
        return NULL;
    }
    args = jv_member(call, "args");
    if (!args || jv_kind(args) != JV_ARRAY) {
        fail(p, "missing field `args` (an array)", "call");
        return NULL;
    }
    c->nargs = jv_count(args);
    list = ar_alloc(p->a, (c->nargs ? c->nargs : 1) * sizeof *list);
    if (!list) {
        fail(p, "out of memory", NULL);
        return NULL;
    }
    for (i = 0; i < c->nargs; i++)
        if (!parse_arg(p, jv_index(args, i), &list[i]))
            return NULL;
    c->args = list;
    return c;
}

const call_t *args_parse_call(arena *a, const jv *call, char *err, size_t errlen)
{
    parser p;
    p.a = a;
    p.err = err;
    p.errlen = errlen;
    p.depth = 0;
    return parse_call(&p, call);
}
