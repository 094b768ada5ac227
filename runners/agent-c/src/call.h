/* Everything behind agent_call (agent.h): parse, resolve the export, marshal, call, observe.
 * The same path serves the nested calls that status callbacks make. */
#ifndef JETCONFORM_AGENT_CALL_H
#define JETCONFORM_AGENT_CALL_H

#include "agent.h"
#include "call_args.h"
#include "call_obs.h"

/* Carries out a parsed call (an export or a harness verb) into `o`. */
void call_execute(agent_ctx *ctx, const call_t *c, obs *o);
/* The same, written as an observation object (nested calls of callbacks). */
void call_observe(agent_ctx *ctx, const call_t *c, jw *w);
/* An export of the loaded library by name, or NULL. */
void *call_symbol(agent_ctx *ctx, const char *name);
/* The same for a catalogue function, NULL also when an emulating library's
 * JetconformExported says the release it behaves as lacks it (spec 11.1). */
void *call_resolve(agent_ctx *ctx, const char *name);

/* Per-scenario state. The first call of a scenario (a new sandbox) sets what the ffi
 * runner's start sets: JETCONFORM_MOCK_VERSION names the trial's version (read by an
 * emulating library when it creates its engine; esent.dll ignores it); and every call runs
 * with the sandbox as current directory (spec 10.1). agent_scenario_end releases what the
 * scenario held (files locked by lock_file, which would keep the sandbox from being
 * removed); the loop calls it at `end` (agent.h), and the next scenario's first call or
 * the process's exit releases them otherwise. agent_bind (agent.h) names the library
 * whose verbs the hello lists; unbound, the loaded module named esent.dll is asked. */
/* That library: the bound one, or the loaded module named esent.dll, or NULL. */
void *call_bound_dll(void);

#endif
