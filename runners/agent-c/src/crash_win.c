/* The unhandled-exception filter: answer the pending request with
 *   {"id":N,"type":"error","error":{"kind":"crashed","detail":"exception 0xC0000005
 *    (STATUS_ACCESS_VIOLATION) ...","during":"JetXxx"}}
 * then end the process with the exception code as its exit status.
 *
 * An unhandled-exception filter rather than a vectored handler: a vectored handler sees
 * every first-chance exception, including those ESENT raises and handles itself, and would
 * report crashes that are not. The filter runs in a damaged process (heap possibly corrupt,
 * stack nearly exhausted after a stack overflow), so it allocates nothing, formats by hand
 * into static storage and writes with WriteFile; it ends with TerminateProcess so that no DLL
 * detach code runs in that state. */
#include <windows.h>

#include "crash_win.h"
#include "io_win.h"
#include "protocol.h"
#include "sysnames.h"

static char line[2048];
static size_t at;
static volatile LONG crashing;

static void put(const char *s) {
    while (*s && at < sizeof line - 2) line[at++] = *s++;
}

static void put_hex(ULONG_PTR v, int digits) {
    static const char hex[] = "0123456789ABCDEF";
    int i;
    put("0x");
    for (i = digits - 1; i >= 0; i--) {
        char c[2] = {hex[(v >> (4 * i)) & 15], 0};
        put(c);
    }
}

static void put_u64(unsigned long long v) {
    char b[24];
    int i = 23;
    b[i] = 0;
    do { b[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    put(b + i);
}

/* A JSON string body: the function name came from a request (already valid UTF-8), cut at
 * 100 bytes on a character boundary. */
static void put_escaped(const char *s) {
    size_t n = 0;
    if (!s) { put("?"); return; }
    for (; *s && n < 100; s++, n++) {
        unsigned char c = (unsigned char)*s;
        if (n >= 96 && (c & 0xC0) != 0x80) break; /* stop before a character, not inside one */
        if (c == '"' || c == '\\') { char e[3] = {'\\', (char)c, 0}; put(e); }
        else if (c < 0x20) put("?");
        else { char e[2] = {(char)c, 0}; put(e); }
    }
}

/* " at esent.dll+0x1a2b": the module holding the faulting address, found through its
 * allocation base (VirtualQuery), which needs no loader lock. */
static void put_where(void *address) {
    MEMORY_BASIC_INFORMATION mbi;
    static wchar_t path[MAX_PATH + 1];
    static char name[MAX_PATH + 1];
    DWORD n;
    size_t i, base = 0, j = 0;
    if (!VirtualQuery(address, &mbi, sizeof mbi) || !mbi.AllocationBase) return;
    n = GetModuleFileNameW((HMODULE)mbi.AllocationBase, path, MAX_PATH);
    if (n == 0 || n > MAX_PATH) return;
    for (i = 0; i < n; i++) if (path[i] == L'\\' || path[i] == L'/') base = i + 1;
    for (i = base; i < n && j < sizeof name - 1; i++) name[j++] = path[i] < 0x80 && path[i] >= 0x20 && path[i] != '"' && path[i] != '\\' ? (char)path[i] : '?';
    name[j] = 0;
    put(" at ");
    put(name);
    put("+");
    put_hex((ULONG_PTR)address - (ULONG_PTR)mbi.AllocationBase, sizeof(void *) == 8 ? 8 : 6);
}

static LONG WINAPI on_unhandled(EXCEPTION_POINTERS *ep) {
    DWORD code = ep->ExceptionRecord->ExceptionCode, written;
    const char *name = exception_name(code);
    const char *during = (const char *)agent_current_function;
    HANDLE out = io_win_protocol_out(), err = GetStdHandle(STD_ERROR_HANDLE);
    size_t detail_start, detail_end;

    /* an exception on a second thread while the first reports: let the first finish */
    if (InterlockedExchange(&crashing, 1)) { Sleep(INFINITE); }

    at = 0;
    put("{\"id\":");
    if (agent_pending_valid) put_u64(agent_pending_id); else put("null");
    put(",\"type\":\"error\",\"error\":{\"kind\":\"crashed\",\"detail\":\"");
    detail_start = at;
    put("exception ");
    put_hex(code, 8);
    if (name) { put(" ("); put(name); put(")"); }
    if (code == EXCEPTION_ACCESS_VIOLATION && ep->ExceptionRecord->NumberParameters >= 2) {
        ULONG_PTR kind = ep->ExceptionRecord->ExceptionInformation[0];
        put(kind == 1 ? " writing " : kind == 8 ? " executing " : " reading ");
        put_hex(ep->ExceptionRecord->ExceptionInformation[1], sizeof(void *) * 2);
    }
    if (code == 0x80000100UL && ep->ExceptionRecord->NumberParameters >= 2) {
        /* Wine's stub for an unimplemented export names the DLL and the function */
        put(" (unimplemented ");
        put_escaped((const char *)ep->ExceptionRecord->ExceptionInformation[0]);
        put(".");
        put_escaped((const char *)ep->ExceptionRecord->ExceptionInformation[1]);
        put(")");
    }
    put_where(ep->ExceptionRecord->ExceptionAddress);
    detail_end = at;
    put("\"");
    if (during) { put(",\"during\":\""); put_escaped(during); put("\""); }
    put("}}");
    line[at++] = '\n';
    WriteFile(out, line, (DWORD)at, &written, NULL);
    if (err && err != INVALID_HANDLE_VALUE) {
        WriteFile(err, "agent: crashed: ", 16, &written, NULL);
        WriteFile(err, line + detail_start, (DWORD)(detail_end - detail_start), &written, NULL);
        WriteFile(err, "\n", 1, &written, NULL);
    }
    TerminateProcess(GetCurrentProcess(), code);
    return EXCEPTION_EXECUTE_HANDLER;
}

void crash_install(void) {
    /* No Windows Error Reporting dialog: on an unattended box it would hang the agent until
     * the harness's watchdog fires, and the report would say `timeout` instead of `crashed`. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    SetUnhandledExceptionFilter(on_unhandled);
}
