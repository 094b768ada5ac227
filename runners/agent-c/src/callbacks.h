/* JET_PFNSTATUS callbacks (spec 1.2), recorded like the ffi runner's callbacks.rs: one
 * trampoline records every invocation for the innermost call that passed a callback and
 * makes the scenario's nested call from inside the first invocation (how the corpus provokes
 * JET_errRestoreInProgress during a restore, spec 13). The engine calls it on the calling
 * thread, during the call, so a plain stack of recordings is enough. */
#ifndef JETCONFORM_AGENT_CALLBACKS_H
#define JETCONFORM_AGENT_CALLBACKS_H

#include "abi.h"
#include "agent.h"
#include "call_args.h"
#include "json.h"

typedef struct cb_event { uint32_t snp, snt, done, total; int has_progress; } cb_event;

typedef struct recorded {
    cb_event *events; /* malloc'd; freed by cb_recorded_free */
    size_t nevents;
    int has_nested;   /* the nested call was made: its observation is in `nested` */
    jw nested;        /* the observation object, as JSON */
} recorded;

/* Starts recording for a call about to be made; `nested` (or NULL) is made by the first
 * invocation, through `ctx`. */
void cb_begin(const call_t *nested, agent_ctx *ctx);
/* Stops the innermost recording and hands over what it saw. */
void cb_finish(recorded *out);
void cb_recorded_free(recorded *r);

jet_err JET_API cb_trampoline(jet_api_ptr sesid, uint32_t snp, uint32_t snt, void *pv);

#endif
