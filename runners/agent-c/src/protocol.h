/* The protocol loop of docs/protocol.md: hello, then start / call / end / shutdown, one JSON
 * line per request and per answer. Portable: the Windows main and the Linux tests drive it
 * through the agent_io callbacks and the sandbox functions (sandbox.h). */
#ifndef JETCONFORM_AGENT_PROTOCOL_H
#define JETCONFORM_AGENT_PROTOCOL_H

#include <stddef.h>
#include "agent.h"

#define AGENT_PROTOCOL_VERSION 1
#define AGENT_MAX_LINE ((size_t)16 * 1024 * 1024) /* a request, its '\n' included */

/* What the hello says about this machine; NULL fields are left out. */
typedef struct agent_info {
    const char *version_id;   /* the machine's version id ("xp"), NULL when outside the known ones */
    const char *windows;      /* "5.1.2600" */
    const char *esent;        /* file version of the loaded esent.dll */
    const char *esent_sha256; /* lowercase hex of the DLL file */
    const char *arch;         /* "x86" / "x64": the agent's own bitness */
    const char *description;  /* free text */
    const char *load_error;   /* why esent.dll did not load (answered to `start`), NULL if it did */
} agent_info;

/* Byte streams: stdin/stdout on Windows, memory in the tests. */
typedef struct agent_io {
    long (*read)(void *self, char *buf, size_t n);        /* >0 bytes, 0 at end of input, <0 error */
    int (*write)(void *self, const char *buf, size_t n);  /* 0 once all bytes are out (flushed) */
    void *self;
} agent_io;

/* Serve until shutdown or end of input; returns the process exit status (0, or 1 when the
 * output broke). */
int protocol_run(agent_ctx *ctx, const agent_info *info, const agent_io *io);

/* For the crash handler: the id of the request being answered, if it had one. */
extern volatile unsigned long long agent_pending_id;
extern volatile int agent_pending_valid;

/* The hello line, without its newline (exposed for the tests). */
void protocol_hello(const agent_info *info, jw *w);
/* `line` as error messages quote it: in backticks, cut at 200 characters. */
void protocol_shown(const char *line, size_t n, char *out, size_t cap);

#endif
