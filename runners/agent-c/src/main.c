/* jetconform's C agent: the process protocol (docs/protocol.md) over stdio, or over TCP with
 * --listen, running each call against the machine's esent.dll.
 *
 *   agent.exe [--dll PATH]                          serve on stdin/stdout
 *   agent.exe --listen [ADDR:]PORT [--token TOKEN] [--dll PATH]
 *                                                   serve TCP; token from --token or
 *                                                   JETCONFORM_AGENT_TOKEN */
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "agent.h"
#include "crash_win.h"
#include "io_win.h"
#include "listen.h"
#include "protocol.h"
#include "sysinfo_win.h"
#include "winutil.h"

static void usage(void) {
    fputs("usage: agent [--dll PATH]\n"
          "       agent --listen [ADDR:]PORT [--token TOKEN] [--dll PATH]\n"
          "Serves jetconform's runner protocol (docs/protocol.md) on stdin/stdout, running every\n"
          "call against esent.dll (or PATH). With --listen, serves it over TCP instead: each\n"
          "connection presents the token first ({\"type\":\"auth\",\"token\":...}) and gets a fresh\n"
          "agent process. ADDR defaults to 127.0.0.1 (this machine only). The token comes from\n"
          "--token or from the environment variable JETCONFORM_AGENT_TOKEN (preferred: command\n"
          "lines are visible to every local user).\n",
          stderr);
}

int wmain(int argc, wchar_t **argv) {
    const wchar_t *dll_arg = NULL, *listen_arg = NULL, *token_arg = NULL;
    wchar_t dll_full[MAX_PATH + 1];
    const wchar_t *dll_name = L"esent.dll";
    agent_ctx ctx;
    agent_info info;
    agent_io io;
    HMODULE dll;
    DWORD load_error = 0;
    int i;

    /* stray CRT prints must not turn "\n" into "\r\n" on the protocol stream */
    _setmode(_fileno(stdin), _O_BINARY);
    _setmode(_fileno(stdout), _O_BINARY);

    for (i = 1; i < argc; i++) {
        if (!wcscmp(argv[i], L"--dll") && i + 1 < argc) dll_arg = argv[++i];
        else if (!wcscmp(argv[i], L"--listen") && i + 1 < argc) listen_arg = argv[++i];
        else if (!wcscmp(argv[i], L"--token") && i + 1 < argc) token_arg = argv[++i];
        else if (!wcscmp(argv[i], L"--help") || !wcscmp(argv[i], L"-h")) { usage(); return 0; }
        else {
            char a[512];
            wide_to_utf8(argv[i], a, sizeof a);
            fprintf(stderr, "agent: unexpected argument `%s`\n", a);
            usage();
            return 2;
        }
    }
    if (dll_arg) {
        /* absolute, so that LoadLibrary takes exactly that file and children get the same one */
        DWORD n = GetFullPathNameW(dll_arg, MAX_PATH + 1, dll_full, NULL);
        if (n == 0 || n > MAX_PATH) { fputs("agent: --dll path too long\n", stderr); return 2; }
        dll_name = dll_full;
    }

    if (listen_arg) {
        char addr[256], token_utf8[1024] = "";
        const char *token = NULL;
        wide_to_utf8(listen_arg, addr, sizeof addr);
        if (token_arg) {
            wide_to_utf8(token_arg, token_utf8, sizeof token_utf8);
            token = token_utf8;
            fputs("agent: note: a token on the command line is visible to other local users; "
                  "JETCONFORM_AGENT_TOKEN keeps it out of the process list\n", stderr);
        } else {
            token = getenv("JETCONFORM_AGENT_TOKEN");
        }
        if (!token || !*token) {
            fputs("agent: refusing to listen without a token (--token or JETCONFORM_AGENT_TOKEN)\n", stderr);
            return 2;
        }
        return listen_serve(addr, token, dll_arg ? dll_full : NULL);
    }

    io_win_std(&io); /* first: esent.dll's DllMain may already print */
    crash_install();
    dll = LoadLibraryW(dll_name);
    if (!dll) load_error = GetLastError();
    else agent_bind(dll); /* a --dll of another name still gets its verbs listed */
    sysinfo_collect(&info, dll, load_error, dll_name);

    memset(&ctx, 0, sizeof ctx);
    ctx.dll = dll;
    ctx.machine_version = info.version_id;
    return protocol_run(&ctx, &info, &io);
}
