#include <stdlib.h>
#include <string.h>
#include "call.h"
#include "callbacks.h"

/* JET_sntFail: its pv is not a JET_SNPROG (spec 1.2). */
#define SNT_FAIL 3u
/* Nested calls within nested calls: far deeper than any scenario goes. */
#define CB_MAX_DEPTH 16

typedef struct recording {
    recorded r;
    size_t cap;
    const call_t *nested; /* still to be made */
    agent_ctx *ctx;
} recording;

static recording stack[CB_MAX_DEPTH];
static size_t depth, overflow;

void cb_begin(const call_t *nested, agent_ctx *ctx)
{
    recording *top;
    if (depth == CB_MAX_DEPTH) {
        overflow++;
        return;
    }
    top = &stack[depth++];
    memset(top, 0, sizeof *top);
    top->nested = nested;
    top->ctx = ctx;
    jw_init(&top->r.nested);
}

void cb_finish(recorded *out)
{
    memset(out, 0, sizeof *out);
    jw_init(&out->nested);
    if (overflow) {
        overflow--;
        return;
    }
    if (depth == 0)
        return;
    jw_free(&out->nested);
    *out = stack[--depth].r;
}

void cb_recorded_free(recorded *r)
{
    free(r->events);
    r->events = NULL;
    jw_free(&r->nested);
}

jet_err JET_API cb_trampoline(jet_api_ptr sesid, uint32_t snp, uint32_t snt, void *pv)
{
    recording *top;
    cb_event e;
    const call_t *nested;
    size_t mine;
    (void)sesid; /* always JET_sesidNil (spec 1.2) */
    if (depth == 0 || overflow)
        return 0;
    memset(&e, 0, sizeof e);
    e.snp = snp;
    e.snt = snt;
    if (pv && snt != SNT_FAIL) {
        /* Progress, begin and complete notifications pass a JET_SNPROG* (spec 1.2). */
        jet_snprog prog;
        memcpy(&prog, pv, sizeof prog);
        e.done = prog.cunitDone;
        e.total = prog.cunitTotal;
        e.has_progress = 1;
    }
    top = &stack[depth - 1];
    if (top->r.nevents == top->cap) {
        size_t cap = top->cap ? top->cap * 2 : 16;
        cb_event *grown = realloc(top->r.events, cap * sizeof *grown);
        if (!grown)
            return 0;
        top->r.events = grown;
        top->cap = cap;
    }
    top->r.events[top->r.nevents++] = e;
    if (top->r.nevents != 1 || !top->nested)
        return 0;
    /* The first invocation makes the nested call; it may push a recording of its own, so
     * the slot is found again by index afterwards. */
    nested = top->nested;
    top->nested = NULL;
    mine = depth - 1;
    {
        jw w;
        jw_init(&w);
        call_observe(stack[mine].ctx, nested, &w);
        jw_free(&stack[mine].r.nested);
        stack[mine].r.nested = w;
        stack[mine].r.has_nested = 1;
    }
    return 0; /* ignored by backup and restore (spec 1.2) */
}
