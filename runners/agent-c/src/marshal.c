/* Arguments in: one case per ParamType, in the order of marshal/mod.rs's Frame::build. */
#include <stdio.h>
#include <string.h>
#include "callbacks.h"
#include "marshal.h"
#include "marshal_text.h"
#include "marshal_utf.h"

static int push(frame *fr, uintptr_t w)
{
    if (fr->nwords == FRAME_MAX_WORDS)
        return 0;
    fr->words[fr->nwords++] = w;
    return 1;
}

/* ibRead (unsigned __int64): one slot on x64, two slots low-first on x86 (spec 1.1: the @36
 * decoration of JetOpenFileSectionInstanceA counts 8 bytes for it). */
static int push_u64(frame *fr, uint64_t v)
{
#if UINTPTR_MAX == 0xFFFFFFFFu
    return push(fr, (uintptr_t)(v & 0xFFFFFFFFu)) && push(fr, (uintptr_t)(v >> 32));
#else
    return push(fr, (uintptr_t)v);
#endif
}

/* The value of the size or count argument that goes with parameter i (cbMax, crstfilemap):
 * an i32 count below zero counts as 0 (claimed_size). */
static uint32_t claimed(const call_t *c, size_t i)
{
    int j = cat_size_of(c->f, i);
    const arg_t *a;
    if (j < 0)
        return 0;
    a = &c->args[j];
    if (a->kind == A_U32)
        return (uint32_t)a->u;
    if (a->kind == A_I32)
        return a->i > 0 ? (uint32_t)a->i : 0;
    return 0;
}

static const void *opt_text(arena *a, const char *root, const text_t *t, int wide, int *ok)
{
    const void *p;
    if (!t)
        return NULL;
    p = text_encode(a, root, t, wide);
    if (!p)
        *ok = 0;
    return p;
}

/* An array of n entries, padded to `count` (capped at 65536) when the count a scenario passes
 * is larger than its list, and never NULL for an empty list: ESENT reads as many entries as
 * the count says. The arena zeroes it, so padding entries are NULL pointers and zeros. */
static void *padded_array(arena *a, size_t n, uint32_t count, size_t size)
{
    size_t total = n;
    if (count > 65536)
        count = 65536;
    if (count > total)
        total = count;
    return ar_alloc(a, (total ? total : 1) * size);
}

/* JET_RSTMAP_A/W[]: a count larger than the list (a deliberate lie) makes ESENT read past
 * the list, so the array is padded with NULL entries up to the count (at most 65536); an
 * empty list still gets a valid, non-NULL array. */
static jet_rstmap *rstmaps(arena *a, const char *root, const rstmap_t *m, size_t n,
                           uint32_t count, int wide)
{
    size_t i;
    jet_rstmap *e = padded_array(a, n, count, sizeof *e);
    int ok = 1;
    if (!e)
        return NULL;
    for (i = 0; i < n; i++) {
        e[i].szDatabaseName = opt_text(a, root, m[i].db, wide, &ok);
        e[i].szNewDatabaseName = opt_text(a, root, m[i].new_db, wide, &ok);
    }
    return ok ? e : NULL;
}

static jet_setsysparam *sysparams(arena *a, const char *root, const sysparam_t *p, size_t n,
                                  uint32_t count, int wide)
{
    size_t i;
    jet_setsysparam *e = padded_array(a, n, count, sizeof *e);
    int ok = 1;
    if (!e)
        return NULL;
    for (i = 0; i < n; i++) {
        e[i].paramid = p[i].paramid;
        e[i].lParam = (jet_api_ptr)p[i].lparam; /* truncated to 32 bits on x86 (spec 1.1) */
        e[i].sz = opt_text(a, root, p[i].sz, wide, &ok);
    }
    return ok ? e : NULL;
}

/* JET_LOGINFO_A/W (spec 1.2) as passed in: the caller's cbSize as given (a wrong one is how
 * scenarios provoke -1003, spec 6.6, 8.3), the structure always at its real size. The base
 * name takes at most 3 units: UTF-16 units for W, UTF-8 bytes for A (as the ffi runner). */
static void loginfo_in(slot *s, const arg_t *a, int wide, arena *ar)
{
    size_t i;
    memset(&s->li, 0, sizeof s->li);
    if (wide) {
        size_t n;
        uint16_t *w = utf8_to_utf16(ar, a->li.name, a->li.name_len, &n);
        s->li.w.cbSize = a->li.cb;
        s->li.w.ulGenLow = a->li.lo;
        s->li.w.ulGenHigh = a->li.hi;
        for (i = 0; w && i < n && i < 3; i++)
            s->li.w.szBaseName[i] = w[i];
    } else {
        s->li.a.cbSize = a->li.cb;
        s->li.a.ulGenLow = a->li.lo;
        s->li.a.ulGenHigh = a->li.hi;
        for (i = 0; i < a->li.name_len && i < 3; i++)
            s->li.a.szBaseName[i] = a->li.name[i];
    }
    s->li_before = s->li;
}

static void mismatch(const cat_function *f, size_t i, char *why, size_t whylen)
{
    snprintf(why, whylen, "argument %u (%s) of %s has an unexpected form", (unsigned)i,
             f->params[i].name, f->name);
}

int frame_build(frame *fr, arena *a, const call_t *c, const char *root, char *why, size_t whylen)
{
    const cat_function *f = c->f;
    size_t i;
    memset(fr, 0, sizeof *fr);
    fr->f = f;
    fr->wide = f->charset == CS_W;
    if (f->nparams > FRAME_MAX_PARAMS) {
        snprintf(why, whylen, "%s: the arguments do not fit its signature", f->name);
        return 0;
    }
    for (i = 0; i < f->nparams; i++) {
        const cat_param *p = &f->params[i];
        const arg_t *arg = &c->args[i];
        slot *s = &fr->slots[i];
        uintptr_t w = 0;
        switch (p->type) {
        case PT_INSTANCE: case PT_SESID: case PT_TABLEID: case PT_FILE_HANDLE: case PT_API_PTR:
            /* Handles are u64 in the protocol, pointer-sized here: x86 truncates (spec 1.1). */
            if (arg->kind != A_HANDLE && arg->kind != A_U64)
                goto bad;
            w = (uintptr_t)arg->u;
            break;
        case PT_DBID: case PT_ULONG: case PT_GRBIT: case PT_PARAM_ID:
            if (arg->kind != A_U32)
                goto bad;
            w = (uintptr_t)arg->u;
            break;
        case PT_LONG:
            /* long is 32 bits (LLP64); the callee reads the slot's low half. */
            if (arg->kind == A_I32)
                w = (uintptr_t)(uint32_t)arg->i;
            else if (arg->kind == A_U32)
                w = (uintptr_t)(uint32_t)arg->u;
            else
                goto bad;
            break;
        case PT_U64:
            if (arg->kind != A_U64)
                goto bad;
            if (!push_u64(fr, arg->u))
                goto too_many;
            continue;
        case PT_STR:
            if (arg->kind != A_STR)
                goto bad;
            /* A value's bytes are passed as they are, whatever the function's charset. */
            if (arg->present
                && !(w = (uintptr_t)text_encode(a, root, &arg->text, p->sub == SUB_DATA ? 0 : fr->wide)))
                goto oom;
            break;
        case PT_COLUMNDEF: {
            /* JET_COLUMNDEF (28 bytes): cbStruct, columnid, coltyp, wCountry, langid, cp,
             * wCollate, cbMax, grbit; text columns get code page 1252. */
            uint32_t *def;
            if (arg->kind != A_U32)
                goto bad;
            if (!(def = (uint32_t *)ar_alloc(a, 28)))
                goto oom;
            memset(def, 0, 28);
            def[0] = 28;
            def[2] = (uint32_t)arg->u;
            def[4] = (arg->u == 10 || arg->u == 12) ? 1252 : 0;
            w = (uintptr_t)def;
            break;
        }
        case PT_INSTANCE_OUT: case PT_SESID_OUT: case PT_TABLEID_OUT: case PT_FILE_HANDLE_OUT:
        case PT_OUT_API_PTR: /* a JET_API_PTR* (JetGetSystemParameter's plParam, JetGetInstanceInfo's array) */
            if (arg->kind != A_OUT)
                goto bad;
            if (arg->flag) {
                s->kind = SL_HANDLE;
                s->handle = HANDLE_SENTINEL;
                w = (uintptr_t)&s->handle;
            }
            break;
        case PT_INSTANCE_IN_OUT:
            if (arg->kind != A_IN_OUT)
                goto bad;
            if (arg->present) {
                s->kind = SL_IN_OUT;
                s->handle = s->before = (jet_api_ptr)arg->u;
                w = (uintptr_t)&s->handle;
            }
            break;
        case PT_DBID_OUT: case PT_OUT_ULONG:
            if (arg->kind != A_OUT)
                goto bad;
            if (arg->flag) {
                s->kind = SL_U32;
                s->u32 = U32_SENTINEL;
                w = (uintptr_t)&s->u32;
            }
            break;
        case PT_OUT_LONG:
            if (arg->kind != A_OUT)
                goto bad;
            if (arg->flag) {
                s->kind = SL_I32;
                s->i32 = (int32_t)U32_SENTINEL;
                w = (uintptr_t)&s->i32;
            }
            break;
        case PT_OUT_BUFFER:
            if (arg->kind != A_BUFFER)
                goto bad;
            if (arg->present) {
                if (!buffer_new(&s->buf, arg->buf.size, arg->buf.offset, claimed(c, i)))
                    goto oom;
                s->kind = SL_BUFFER;
                s->buf_kind = p->sub;
                s->save_to = arg->buf.save_to;
                s->save_len = arg->buf.save_len;
                w = (uintptr_t)s->buf.start;
            }
            break;
        case PT_LOG_INFO:
            if (arg->kind != A_LOG_INFO)
                goto bad;
            if (arg->present) {
                s->kind = SL_LOG_INFO;
                loginfo_in(s, arg, fr->wide, a);
                w = (uintptr_t)&s->li;
            }
            break;
        case PT_RST_MAP:
            if (arg->kind != A_RST_MAP)
                goto bad;
            if (arg->present && !(w = (uintptr_t)rstmaps(a, root, arg->map, arg->n, claimed(c, i), fr->wide)))
                goto oom;
            break;
        case PT_SET_SYS_PARAMS:
            if (arg->kind != A_SET_SYS_PARAMS)
                goto bad;
            if (arg->present && !(w = (uintptr_t)sysparams(a, root, arg->params, arg->n, claimed(c, i), fr->wide)))
                goto oom;
            break;
        case PT_RST_INFO:
            if (arg->kind != A_RST_INFO)
                goto bad;
            if (arg->present) {
                /* JET_RSTINFO_A/W (spec 1.2, JetInit3): cbStruct as given (wrong sizes provoke
                 * -1003), no stop position, the map with its own length as count. */
                jet_rstinfo *ri = ar_alloc(a, sizeof *ri);
                if (!ri)
                    goto oom;
                ri->cbStruct = arg->cb_struct;
                if (arg->n) {
                    ri->rgrstmap = rstmaps(a, root, arg->map, arg->n, 0, fr->wide);
                    if (!ri->rgrstmap)
                        goto oom;
                }
                ri->crstmap = (int32_t)arg->n;
                if (arg->callback) {
                    ri->pfnStatus = cb_trampoline;
                    fr->has_callback = 1;
                    fr->nested = arg->callback->nested;
                }
                w = (uintptr_t)ri;
            }
            break;
        case PT_CALLBACK:
            if (arg->kind != A_CALLBACK)
                goto bad;
            if (arg->present) {
                jet_pfnstatus pfn = cb_trampoline;
                fr->has_callback = 1;
                fr->nested = arg->callback->nested;
                memcpy(&w, &pfn, sizeof w);
            }
            break;
        case PT_OUT_NAMES: /* harness verbs only (verbs.c): no export takes one */
            goto bad;
        }
        if (!push(fr, w))
            goto too_many;
        continue;
    bad:
        mismatch(f, i, why, whylen);
        return 0;
    too_many:
        snprintf(why, whylen, "%s: the arguments do not fit its signature", f->name);
        return 0;
    oom:
        snprintf(why, whylen, "argument %u (%s) of %s: cannot allocate it", (unsigned)i, p->name, f->name);
        return 0;
    }
    return 1;
}

void frame_free(frame *fr)
{
    size_t i;
    for (i = 0; i < FRAME_MAX_PARAMS; i++)
        if (fr->slots[i].kind == SL_BUFFER)
            buffer_free(&fr->slots[i].buf);
}
