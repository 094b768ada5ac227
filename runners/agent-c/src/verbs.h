/* Harness verbs (docs/scenario-format.md), as the ffi runner's verbs.rs carries them out: a
 * library exporting the JetconformVerbA extension (the mock library) does them itself, on its
 * own view of the files; otherwise they act on the sandbox's real files through Win32 calls
 * that XP has: write/copy/delete files, make folders, damage a database page or a log, hold
 * a file open without sharing so ESENT's opens fail (spec 6.3), and log_traffic through the
 * engine's own table calls (call_traffic.c). Every path is inside the sandbox. */
#ifndef JETCONFORM_AGENT_VERBS_H
#define JETCONFORM_AGENT_VERBS_H

#include "agent.h"
#include "call_args.h"
#include "call_obs.h"

void verbs_run(agent_ctx *ctx, const call_t *c, obs *o);
/* Closes the files lock_file holds and restarts log_traffic's table numbering. */
void verbs_reset(void);

#endif
