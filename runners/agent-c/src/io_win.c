/* The protocol's byte streams on Windows: the standard handles through ReadFile/WriteFile,
 * not the CRT's FILE (whose fread waits to fill its whole buffer from a pipe, and whose text
 * mode would turn "\n" into "\r\n").
 *
 * The protocol keeps a private copy of the stdout handle, and the process's stdout (the
 * Win32 standard handle and the C runtime's descriptor 1, which esent.dll shares through
 * msvcrt.dll) is pointed at stderr: a stray print from the engine or a library then lands in
 * the log instead of breaking a protocol line, as `jetconform serve` does for its libraries. */
#include <windows.h>
#include <io.h>
#include <stdio.h>

#include "io_win.h"

static HANDLE proto_out = INVALID_HANDLE_VALUE;

static long std_read(void *self, char *buf, size_t n) {
    DWORD got = 0;
    (void)self;
    if (n > 1u << 20) n = 1u << 20;
    if (!ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, (DWORD)n, &got, NULL)) {
        DWORD e = GetLastError();
        /* the other side closed the pipe: that is the end of input, not a failure */
        return (e == ERROR_BROKEN_PIPE || e == ERROR_HANDLE_EOF || e == ERROR_NO_DATA) ? 0 : -1;
    }
    return (long)got;
}

static int std_write(void *self, const char *buf, size_t n) {
    HANDLE out = io_win_protocol_out();
    (void)self;
    while (n) {
        DWORD put = 0, chunk = n > (1u << 20) ? (1u << 20) : (DWORD)n;
        if (!WriteFile(out, buf, chunk, &put, NULL) || put == 0) return -1;
        buf += put;
        n -= put;
    }
    return 0; /* WriteFile to a pipe or console is unbuffered: nothing left to flush */
}

void io_win_std(agent_io *io) {
    HANDLE self = GetCurrentProcess(), out = GetStdHandle(STD_OUTPUT_HANDLE), err = GetStdHandle(STD_ERROR_HANDLE);
    if (proto_out == INVALID_HANDLE_VALUE) {
        if (out && out != INVALID_HANDLE_VALUE && err && err != INVALID_HANDLE_VALUE &&
            DuplicateHandle(self, out, self, &proto_out, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
            fflush(stdout);
            SetStdHandle(STD_OUTPUT_HANDLE, err);
            _dup2(_fileno(stderr), _fileno(stdout));
        } else {
            proto_out = out; /* no stderr to send strays to: share stdout as it is */
        }
    }
    io->read = std_read;
    io->write = std_write;
    io->self = NULL;
}

HANDLE io_win_protocol_out(void) {
    return proto_out != INVALID_HANDLE_VALUE ? proto_out : GetStdHandle(STD_OUTPUT_HANDLE);
}
