#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "call_obs.h"

void obs_init(obs *o)
{
    memset(o, 0, sizeof *o);
    o->result = OBS_RETURNED;
}

void obs_free(obs *o)
{
    size_t i;
    for (i = 0; i < o->noutputs; i++)
        jw_free(&o->outputs[i].value);
    o->noutputs = 0;
}

void obs_returned(obs *o, int32_t code)
{
    o->result = OBS_RETURNED;
    o->code = code;
}

void obs_not_exported(obs *o) { o->result = OBS_NOT_EXPORTED; }

void obs_not_modelled(obs *o, const char *why)
{
    o->result = OBS_NOT_MODELLED;
    snprintf(o->why, sizeof o->why, "%s", why);
}

jw *obs_output_value(obs *o, const char *key)
{
    size_t i;
    for (i = 0; i < o->noutputs; i++)
        if (strcmp(o->outputs[i].key, key) == 0) {
            jw_reset(&o->outputs[i].value);
            o->outputs[i].value.need_comma = 0;
            return &o->outputs[i].value;
        }
    if (o->noutputs == OBS_MAX_OUTPUTS)
        return NULL;
    i = o->noutputs++;
    snprintf(o->outputs[i].key, sizeof o->outputs[i].key, "%s", key);
    jw_init(&o->outputs[i].value);
    return &o->outputs[i].value;
}

void obs_note(obs *o, const char *note)
{
    if (o->nnotes < OBS_MAX_NOTES)
        snprintf(o->notes[o->nnotes++], sizeof o->notes[0], "%s", note);
}

static int by_key(const void *a, const void *b)
{
    const obs_output *const *x = a, *const *y = b;
    return strcmp((*x)->key, (*y)->key);
}

void obs_write(const obs *o, jw *w)
{
    const obs_output *sorted[OBS_MAX_OUTPUTS];
    size_t i;
    jw_obj_begin(w);
    jw_key(w, "result");
    switch (o->result) {
    case OBS_NOT_EXPORTED:
        jw_str(w, "not_exported");
        break;
    case OBS_NOT_MODELLED:
        jw_obj_begin(w);
        jw_key(w, "not_modelled");
        jw_str(w, o->why);
        jw_obj_end(w);
        break;
    default:
        jw_obj_begin(w);
        jw_key(w, "returned");
        jw_i64(w, o->code);
        jw_obj_end(w);
    }
    if (o->noutputs) {
        for (i = 0; i < o->noutputs; i++)
            sorted[i] = &o->outputs[i];
        qsort(sorted, o->noutputs, sizeof sorted[0], by_key);
        jw_key(w, "outputs");
        jw_obj_begin(w);
        for (i = 0; i < o->noutputs; i++) {
            jw_key(w, sorted[i]->key);
            if (sorted[i]->value.oom || sorted[i]->value.len == 0)
                jw_null(w);
            else
                jw_raw(w, sorted[i]->value.buf, sorted[i]->value.len);
        }
        jw_obj_end(w);
    }
    if (o->undefined[0]) {
        jw_key(w, "undefined");
        jw_str(w, o->undefined);
    }
    if (o->nnotes) {
        jw_key(w, "notes");
        jw_arr_begin(w);
        for (i = 0; i < o->nnotes; i++)
            jw_str(w, o->notes[i]);
        jw_arr_end(w);
    }
    jw_obj_end(w);
}
