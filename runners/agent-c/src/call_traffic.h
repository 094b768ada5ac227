/* The log_traffic verb through the engine's own calls (the ffi runner's traffic.rs; spec
 * 10.5: log records are what backups copy and truncation removes): each commit inserts one
 * 1 KiB record into a table of its own in one transaction. These exports are not in the
 * catalogue (they are not the backup API), so they are resolved here; a library that lacks
 * any of them does not get the verb. */
#ifndef JETCONFORM_AGENT_CALL_TRAFFIC_H
#define JETCONFORM_AGENT_CALL_TRAFFIC_H

#include <stdint.h>
#include "abi.h"
#include "agent.h"

int traffic_available(agent_ctx *ctx);
/* `commits` committed insertions into a new table `name` of `dbid`; the first error code, or
 * success. */
jet_err traffic_run(agent_ctx *ctx, uint64_t sesid, uint32_t dbid, uint32_t commits, const char *name);

#endif
