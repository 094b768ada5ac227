/* The protocol loop as a Linux program (stub call module, POSIX sandbox, fixed machine
 * info), so tests/schema_check.py can hold every line it writes against the protocol's
 * JSON Schema without Windows or Wine. Not a runner anyone should use: it marshals nothing. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "protocol.h"

static long fd_read(void *self, char *buf, size_t n) {
    ssize_t got;
    (void)self;
    do got = read(0, buf, n); while (got < 0 && errno == EINTR);
    return (long)got;
}

static int fd_write(void *self, const char *buf, size_t n) {
    (void)self;
    while (n) {
        ssize_t put = write(1, buf, n);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) return -1;
        buf += put;
        n -= (size_t)put;
    }
    return 0;
}

int main(int argc, char **argv) {
    agent_info info = {"win10", "10.0.19045", "10.0.19041.3636",
                       "0000000000000000000000000000000000000000000000000000000000000000", "x64",
                       "Linux build of the C agent's protocol loop (tests only)", NULL};
    agent_ctx ctx;
    agent_io io = {fd_read, fd_write, NULL};
    if (argc > 1 && !strcmp(argv[1], "--no-engine")) {
        info.load_error = "LoadLibrary(esent.dll) failed: error 126 (The specified module could not be found.)";
        info.esent = info.esent_sha256 = NULL;
    }
    memset(&ctx, 0, sizeof ctx);
    ctx.machine_version = info.version_id;
    return protocol_run(&ctx, &info, &io);
}
