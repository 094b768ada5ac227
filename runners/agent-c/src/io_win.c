/* The protocol's byte streams on Windows: the standard handles through ReadFile/WriteFile,
 * not the CRT's FILE (whose fread waits to fill its whole buffer from a pipe, and whose text
 * mode would turn "\n" into "\r\n"). */
#include <windows.h>

#include "io_win.h"

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
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
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
    io->read = std_read;
    io->write = std_write;
    io->self = NULL;
}

int io_win_write_stdout(const char *buf, size_t n) { return std_write(NULL, buf, n); }
