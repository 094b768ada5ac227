/* Outputs read back, as Frame::observe of the ffi runner's marshal/mod.rs reports them. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "callbacks.h"
#include "marshal.h"
#include "marshal_szz.h"
#include "marshal_utf.h"
#include "call_files.h"

static void out_kv_u64(obs *o, const char *key, const char *kind, unsigned long long v)
{
    jw *w = obs_output_value(o, key);
    if (!w)
        return;
    jw_obj_begin(w);
    jw_key(w, kind);
    jw_u64(w, v);
    jw_obj_end(w);
}

static void out_unwritten(obs *o, const char *key)
{
    jw *w = obs_output_value(o, key);
    if (w)
        jw_str(w, "unwritten");
}

/* The base name of a JET_LOGINFO: A bytes one character each, W UTF-16 (as loginfo.rs). */
static void loginfo_value(jw *w, const slot *s, int wide, const void *li_any, arena *a)
{
    char name[16];
    size_t n = 0, i;
    uint32_t cb, lo, hi;
    if (wide) {
        const jet_loginfo_w *li = li_any;
        size_t len = 0;
        char *u;
        while (len < 4 && li->szBaseName[len])
            len++;
        cb = li->cbSize, lo = li->ulGenLow, hi = li->ulGenHigh;
        u = utf16_to_utf8(a, li->szBaseName, len, &n);
        if (u && n < sizeof name)
            memcpy(name, u, n);
        else
            n = 0;
    } else {
        const jet_loginfo_a *li = li_any;
        cb = li->cbSize, lo = li->ulGenLow, hi = li->ulGenHigh;
        for (i = 0; i < 4 && li->szBaseName[i]; i++) {
            unsigned char c = (unsigned char)li->szBaseName[i];
            if (c < 0x80) {
                name[n++] = (char)c;
            } else { /* U+0080..U+00FF */
                name[n++] = (char)(0xC0 | (c >> 6));
                name[n++] = (char)(0x80 | (c & 0x3F));
            }
        }
    }
    (void)s;
    jw_obj_begin(w);
    jw_key(w, "cbSize");
    jw_u64(w, cb);
    jw_key(w, "ulGenLow");
    jw_u64(w, lo);
    jw_key(w, "ulGenHigh");
    jw_u64(w, hi);
    jw_key(w, "szBaseName");
    jw_strn(w, name, n);
    jw_obj_end(w);
}

/* Equal as the reported values are: the fields, and the name up to its NUL. */
static int loginfo_equal(const void *x, const void *y, int wide)
{
    size_t i;
    if (wide) {
        const jet_loginfo_w *a = x, *b = y;
        if (a->cbSize != b->cbSize || a->ulGenLow != b->ulGenLow || a->ulGenHigh != b->ulGenHigh)
            return 0;
        for (i = 0; i < 4; i++) {
            if (a->szBaseName[i] != b->szBaseName[i])
                return 0;
            if (!a->szBaseName[i])
                break;
        }
    } else {
        const jet_loginfo_a *a = x, *b = y;
        if (a->cbSize != b->cbSize || a->ulGenLow != b->ulGenLow || a->ulGenHigh != b->ulGenHigh)
            return 0;
        for (i = 0; i < 4; i++) {
            if (a->szBaseName[i] != b->szBaseName[i])
                return 0;
            if (!a->szBaseName[i])
                break;
        }
    }
    return 1;
}

static void events(jw *w, const recorded *r)
{
    size_t i;
    jw_obj_begin(w);
    jw_key(w, "callbacks");
    jw_arr_begin(w);
    for (i = 0; i < r->nevents; i++) {
        const cb_event *e = &r->events[i];
        jw_obj_begin(w);
        jw_key(w, "snp");
        jw_u64(w, e->snp);
        jw_key(w, "snt");
        jw_u64(w, e->snt);
        if (e->has_progress) {
            jw_key(w, "done");
            jw_u64(w, e->done);
            jw_key(w, "total");
            jw_u64(w, e->total);
        }
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

void frame_observe(const frame *fr, int32_t code, const recorded *rec, arena *a,
                   const char *root, obs *o)
{
    const cat_function *f = fr->f;
    int init = strcmp(f->op, "init") == 0 || strcmp(f->op, "init2") == 0 || strcmp(f->op, "init3") == 0;
    int have_cb_actual = 0;
    uint32_t cb_actual = 0;
    size_t i;
    obs_returned(o, code);
    /* pcbActual as written: the byte count of a read buffer. */
    for (i = 0; i < f->nparams; i++)
        if (strcmp(f->params[i].name, "pcbActual") == 0 && fr->slots[i].kind == SL_U32 &&
            fr->slots[i].u32 != U32_SENTINEL) {
            have_cb_actual = 1;
            cb_actual = fr->slots[i].u32;
        }
    for (i = 0; i < f->nparams; i++) {
        const slot *s = &fr->slots[i];
        const char *key = f->params[i].name;
        switch (s->kind) {
        case SL_NONE:
            break;
        case SL_HANDLE:
            if (s->handle == HANDLE_SENTINEL)
                out_unwritten(o, key);
            else
                out_kv_u64(o, key, "handle", (unsigned long long)s->handle);
            break;
        case SL_IN_OUT:
            /* A value written back unchanged cannot be told from one left alone; the JetInit
             * family writes the instance back on success (spec 9). Compared at this
             * architecture's width: an x86 handle is the protocol's value truncated. */
            if (s->handle != s->before || (init && code >= 0))
                out_kv_u64(o, key, "handle", (unsigned long long)s->handle);
            else
                out_unwritten(o, key);
            break;
        case SL_U32:
            if (s->u32 == U32_SENTINEL)
                out_unwritten(o, key);
            else
                out_kv_u64(o, key, "u32", s->u32);
            break;
        case SL_I32:
            if (s->i32 == (int32_t)U32_SENTINEL) {
                out_unwritten(o, key);
            } else {
                jw *w = obs_output_value(o, key);
                if (w) {
                    jw_obj_begin(w);
                    jw_key(w, "i32");
                    jw_i64(w, s->i32);
                    jw_obj_end(w);
                }
            }
            break;
        case SL_BUFFER:
            if (s->buf_kind == SUB_COLUMN) {
                /* A column value: one text of the bytes written (pcbActual, the size at most). */
                size_t n = have_cb_actual ? cb_actual : 0;
                unsigned char *tmp;
                if (n > s->buf.size)
                    n = s->buf.size;
                if (n == 0 || code < 0 || !(tmp = (unsigned char *)ar_alloc(a, n + 2))) {
                    out_unwritten(o, key);
                } else {
                    jw *w = obs_output_value(o, key);
                    memcpy(tmp, s->buf.start, n);
                    tmp[n] = tmp[n + 1] = 0;
                    if (w)
                        szz_write(w, a, tmp, n + 2, 0);
                }
            } else if (s->buf_kind == SUB_BYTES) {
                size_t n = have_cb_actual ? cb_actual : buffer_written_len(&s->buf);
                int has = have_cb_actual || n > 0;
                if (has && s->save_to) {
                    char note[320];
                    size_t keep = n < s->buf.size ? n : s->buf.size;
                    if (!files_append(a, root, s->save_to, s->save_len, s->buf.start, keep, note, sizeof note))
                        obs_note(o, note);
                }
                if (has)
                    out_kv_u64(o, key, "bytes", n);
                else
                    out_unwritten(o, key);
            } else {
                size_t n = buffer_written_len(&s->buf);
                if (buffer_overran(&s->buf))
                    snprintf(o->undefined, sizeof o->undefined, "%s",
                             "cbMax exceeds the buffer: ESENT writes past its end");
                if (fr->wide && n % 2 == 1)
                    n++;
                if (n == 0) {
                    out_unwritten(o, key);
                } else {
                    jw *w = obs_output_value(o, key);
                    if (w)
                        szz_write(w, a, s->buf.start, n < s->buf.size ? n : s->buf.size, fr->wide);
                }
            }
            break;
        case SL_LOG_INFO:
            /* Reported for JetGetLogInfoInstance2 only (the restore calls read it). */
            if (strcmp(f->op, "get_log_info2") == 0) {
                if (loginfo_equal(&s->li, &s->li_before, fr->wide)) {
                    out_unwritten(o, key);
                } else {
                    jw *w = obs_output_value(o, key);
                    if (w) {
                        jw_obj_begin(w);
                        jw_key(w, "log_info");
                        loginfo_value(w, s, fr->wide, &s->li, a);
                        jw_obj_end(w);
                    }
                }
            }
            break;
        }
    }
    if (rec) {
        /* As the mock reports it: the invocations under the callback's name, or the nested
         * observation there and the invocations under `<name>.callbacks`. */
        const char *name = "pfnStatus";
        char key[64];
        jw *w;
        for (i = 0; i < f->nparams; i++)
            if (f->params[i].type == PT_CALLBACK || f->params[i].type == PT_RST_INFO) {
                name = f->params[i].name;
                break;
            }
        if (rec->has_nested) {
            w = obs_output_value(o, name);
            if (w) {
                jw_obj_begin(w);
                jw_key(w, "nested");
                jw_raw(w, rec->nested.buf, rec->nested.len);
                jw_obj_end(w);
            }
            snprintf(key, sizeof key, "%s.callbacks", name);
            w = obs_output_value(o, key);
        } else {
            w = obs_output_value(o, name);
        }
        if (w)
            events(w, rec);
    }
}
