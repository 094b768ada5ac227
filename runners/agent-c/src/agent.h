/* The boundary between the protocol loop (protocol.c, main.c) and the engine calls
 * (call*.c, marshal*.c, verbs.c, callbacks.c). The loop owns the process, the sandbox and
 * the JSON lines; the call side owns everything that touches esent.dll's functions. */
#ifndef JETCONFORM_AGENT_AGENT_H
#define JETCONFORM_AGENT_AGENT_H

#include <stddef.h>
#include <wchar.h>
#include "json.h"

typedef struct agent_ctx {
    void *dll;                     /* HMODULE of esent.dll (LoadLibrary), NULL if it could not load */
    wchar_t sandbox[520];          /* absolute path of the scenario's sandbox, no trailing separator */
    const char *scenario;          /* id of the started scenario */
    const char *version;           /* version id the trial is judged against */
    /* Loop-side fields (read-only for the call side). */
    const char *machine_version;   /* version id of this machine ("xp", "win10"), NULL if unknown */
    int started;                   /* 1 between start and end */
    unsigned long long request_id; /* id of the request being answered */
} agent_ctx;

/* Carry out `call` ({"function":..., "args":[...]}), write the observation OBJECT (the value of
   "observation") to w. Return 0; on a malformed call return -1 with a message in err (the loop
   answers a protocol error). */
int agent_call(agent_ctx *ctx, const jv *call, jw *w, char *err, size_t errlen);
/* Names for the hello: functions the agent can marshal, and harness verbs it implements. */
const char *const *agent_functions(size_t *count);
const char *const *agent_verbs(size_t *count);
/* Whether the loaded library arms a model's fault hooks (the `fault` verb), for the hello. */
int agent_fault_hooks(void);
/* Called by the loop: once the library is loaded (before the hello lists agent_verbs), and
   at `end` before the sandbox is removed (the call side releases what the scenario still
   holds, such as files locked by lock_file, which would keep the sandbox from going). */
void agent_bind(void *dll);
void agent_scenario_end(agent_ctx *ctx);
/* Set by the loop before each call so the crash handler can say where it happened. */
extern volatile const char *agent_current_function;

#endif
