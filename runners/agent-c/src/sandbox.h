/* The scenario's sandbox directory: made fresh at `start`, removed with its contents at
 * `end`. Windows: under %TEMP% (sandbox_win.c); Linux tests: under /tmp (sandbox_posix.c). */
#ifndef JETCONFORM_AGENT_SANDBOX_H
#define JETCONFORM_AGENT_SANDBOX_H

#include <stddef.h>
#include "agent.h"

/* Make the directory, set ctx->sandbox, put its absolute path in UTF-8 into utf8.
 * 0 on success, -1 with a message in err. */
int sandbox_create(agent_ctx *ctx, char *utf8, size_t cap, char *err, size_t errlen);
/* Remove ctx->sandbox recursively. 0 on success, -1 with a message (what was left) in err. */
int sandbox_remove(agent_ctx *ctx, char *err, size_t errlen);

#endif
