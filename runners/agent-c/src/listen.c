/* The TCP transport: `agent --listen ADDR:PORT`.
 *
 * Every accepted connection must first send {"type":"auth","token":"..."} within 10 s; then
 * it gets a fresh child process of this agent in stdio mode (the process per scenario ESENT's
 * process-global state needs, spec 4.1), and the connection relays to the child's stdin and
 * from its stdout. The child writes the hello. If the child dies without having said `bye`
 * or reported its own crash, the relay writes a `crashed` error decoded from the exit status
 * before closing, so the harness reports it as it would for a local process.
 *
 * What the token is for: it keeps other local users, and stray clients that find the port,
 * from driving the agent (which runs code in esent.dll with the listener's rights and writes
 * under %TEMP%). It is compared in constant time. It is NOT encryption: the token and all
 * traffic cross the network in clear text, so anyone who can read the traffic can replay
 * it. Listen on loopback (the default) or on a private network only. */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "listen.h"
#include "sysnames.h"
#include "winutil.h"

#define MAX_CONNECTIONS 8
#define AUTH_TIMEOUT_MS 10000
#define AUTH_MAX 4096
#define CHILD_GRACE_MS 2000 /* after the socket closes: time for the child to clean its sandbox */

static const char *listen_token;
static const wchar_t *listen_dll;
static volatile LONG active;
static CRITICAL_SECTION spawn_lock; /* one CreateProcess at a time: see spawn_child */
static HANDLE kill_job;             /* children die with the listener, where jobs allow it */

typedef struct conn {
    SOCKET s;
    HANDLE process, child_in, child_out;
    volatile LONG socket_closed;
    char leftover[AUTH_MAX];
    int leftover_len;
    unsigned serial;
    unsigned long pid;
} conn;

static int send_all(SOCKET s, const char *buf, int n) {
    while (n > 0) {
        int put = send(s, buf, n, 0);
        if (put <= 0) return -1;
        buf += put;
        n -= put;
    }
    return 0;
}

static void send_error_line(SOCKET s, const char *kind, const char *field, const char *text) {
    char line[600];
    /* the texts are the listener's own, ASCII without quotes: no escaping needed */
    int n = snprintf(line, sizeof line, "{\"id\":null,\"type\":\"error\",\"error\":{\"kind\":\"%s\",\"%s\":\"%s\"}}\n",
                     kind, field, text);
    if (n > 0 && n < (int)sizeof line) send_all(s, line, n);
}

/* Read the auth line (10 s at most); bytes after its newline are kept for the child. Returns
 * 1 when the token matches; otherwise 0 with the reason in why (for the listener's log). */
static int authenticate(conn *c, char *why, size_t whylen) {
    char buf[AUTH_MAX];
    int len = 0;
    DWORD timeout, t0 = GetTickCount();
    for (;;) {
        char *nl;
        int got, e;
        /* 10 s for the whole line, not per piece: a client trickling a byte at a time must not
         * hold one of the few connection slots */
        DWORD elapsed = GetTickCount() - t0;
        if (elapsed >= AUTH_TIMEOUT_MS) {
            snprintf(why, whylen, "no complete auth line within %d s (%d bytes)", AUTH_TIMEOUT_MS / 1000, len);
            return 0;
        }
        timeout = AUTH_TIMEOUT_MS - elapsed;
        setsockopt(c->s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
        got = recv(c->s, buf + len, (int)sizeof buf - len, 0);
        if (got == 0) {
            snprintf(why, whylen, "closed by the client after %d bytes", len);
            return 0;
        }
        if (got < 0) {
            e = WSAGetLastError();
            /* interrupted, not ready yet, or a receive timeout that came early (suspected under
             * Wine on a loaded machine, where a correct token was once refused): the
             * deadline above still bounds the wait */
            if (e == WSAEINTR || e == WSAEWOULDBLOCK || e == WSAEINPROGRESS || e == WSAETIMEDOUT) {
                Sleep(10);
                continue;
            }
            snprintf(why, whylen, "winsock error %d after %d bytes", e, len);
            return 0;
        }
        len += got;
        nl = (char *)memchr(buf, '\n', (size_t)len);
        if (nl) {
            int line_len = (int)(nl - buf);
            c->leftover_len = len - line_len - 1;
            memcpy(c->leftover, nl + 1, (size_t)c->leftover_len);
            timeout = 0; /* from now on the harness's own watchdog decides */
            setsockopt(c->s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
            if (auth_line_ok(buf, (size_t)line_len, listen_token)) return 1;
            snprintf(why, whylen, "the first line (%d bytes) is not the auth line with the token", line_len);
            return 0;
        }
        if (len == (int)sizeof buf) {
            snprintf(why, whylen, "no newline in the first %d bytes", len);
            return 0;
        }
    }
}

/* Start this executable in stdio mode with pipes for stdin/stdout; stderr is shared with the
 * listener so the children's logs show on its console. Inheritable handle copies exist only
 * inside the lock, so a child started for another connection cannot inherit (and keep open)
 * this one's pipes. */
static int spawn_child(conn *c, char *err, size_t errlen) {
    static wchar_t exe[MAX_PATH + 1];
    wchar_t cmd[2 * MAX_PATH + 64];
    HANDLE in_r = NULL, in_w = NULL, out_r = NULL, out_w = NULL, in_r_inh = NULL, out_w_inh = NULL, err_inh = NULL;
    HANDLE self = GetCurrentProcess(), std_err = GetStdHandle(STD_ERROR_HANDLE);
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    BOOL ok;
    DWORD n = GetModuleFileNameW(NULL, exe, MAX_PATH + 1);
    if (n == 0 || n > MAX_PATH) { snprintf(err, errlen, "cannot find the agent's own executable"); return -1; }
    exe[n] = 0;
    if (listen_dll) _snwprintf(cmd, sizeof cmd / sizeof cmd[0], L"\"%ls\" --dll \"%ls\"", exe, listen_dll);
    else _snwprintf(cmd, sizeof cmd / sizeof cmd[0], L"\"%ls\"", exe);
    cmd[sizeof cmd / sizeof cmd[0] - 1] = 0;
    if (!CreatePipe(&in_r, &in_w, NULL, 0) || !CreatePipe(&out_r, &out_w, NULL, 0)) {
        win_error_text(GetLastError(), err, errlen);
        if (in_r) { CloseHandle(in_r); CloseHandle(in_w); }
        return -1;
    }
    EnterCriticalSection(&spawn_lock);
    DuplicateHandle(self, in_r, self, &in_r_inh, 0, TRUE, DUPLICATE_SAME_ACCESS);
    DuplicateHandle(self, out_w, self, &out_w_inh, 0, TRUE, DUPLICATE_SAME_ACCESS);
    if (std_err && std_err != INVALID_HANDLE_VALUE)
        DuplicateHandle(self, std_err, self, &err_inh, 0, TRUE, DUPLICATE_SAME_ACCESS);
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_r_inh;
    si.hStdOutput = out_w_inh;
    si.hStdError = err_inh;
    ok = in_r_inh && out_w_inh &&
         CreateProcessW(exe, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi);
    if (!ok) win_error_text(GetLastError(), err, errlen);
    if (in_r_inh) CloseHandle(in_r_inh);
    if (out_w_inh) CloseHandle(out_w_inh);
    if (err_inh) CloseHandle(err_inh);
    LeaveCriticalSection(&spawn_lock);
    CloseHandle(in_r);
    CloseHandle(out_w);
    if (!ok) { CloseHandle(in_w); CloseHandle(out_r); return -1; }
    /* in the job before it runs a single instruction; failure (nested jobs before Windows 8)
     * only loses the cleanup when the listener itself is killed */
    if (kill_job) AssignProcessToJobObject(kill_job, pi.hProcess);
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    c->process = pi.hProcess;
    c->pid = pi.dwProcessId;
    c->child_in = in_w;
    c->child_out = out_r;
    return 0;
}

/* socket -> child stdin. When the socket closes, the child gets end of input (it ends its
 * scenario and removes its sandbox) and, if still running after a grace period, is killed. */
static DWORD WINAPI to_child(void *arg) {
    conn *c = (conn *)arg;
    char buf[65536];
    DWORD put;
    if (c->leftover_len > 0 && !WriteFile(c->child_in, c->leftover, (DWORD)c->leftover_len, &put, NULL))
        goto done;
    for (;;) {
        int got = recv(c->s, buf, sizeof buf, 0), off = 0;
        if (got <= 0) { InterlockedExchange(&c->socket_closed, 1); break; }
        while (off < got) {
            if (!WriteFile(c->child_in, buf + off, (DWORD)(got - off), &put, NULL)) goto done;
            off += (int)put;
        }
    }
done:
    CloseHandle(c->child_in);
    c->child_in = NULL;
    if (c->socket_closed && WaitForSingleObject(c->process, CHILD_GRACE_MS) == WAIT_TIMEOUT) {
        fprintf(stderr, "agent: connection %u closed; terminating its agent process\n", c->serial);
        TerminateProcess(c->process, 1);
    }
    return 0;
}

/* Remember what the child's lines were: a `bye` or a `crashed` error it wrote itself means
 * the relay has nothing to add when it exits. Only each line's head is kept (the answers'
 * "type"/"kind" come first in what the agent writes). */
typedef struct line_watch {
    char head[256];
    size_t len;
    int saw_bye, saw_crashed;
} line_watch;

static void watch_line_end(line_watch *w) {
    w->head[w->len] = 0;
    if (w->len) {
        w->saw_bye = strstr(w->head, "\"type\":\"bye\"") != NULL;
        if (strstr(w->head, "\"kind\":\"crashed\"")) w->saw_crashed = 1;
    }
    w->len = 0;
}

/* CreateProcess can fail transiently while the machine is loaded (seen under Wine as error
 * 1359, ERROR_INTERNAL_ERROR, about once in 500 connections): a connection is worth three
 * tries a quarter second apart before it is refused. A failure that persists still ends it. */
static int spawn_child_retrying(conn *c, char *err, size_t errlen) {
    int attempt;
    for (attempt = 1; attempt <= 3; attempt++) {
        if (spawn_child(c, err, errlen) == 0) return 0;
        fprintf(stderr, "agent: connection %u: starting an agent process failed (try %d of 3): %s\n",
                c->serial, attempt, err);
        if (attempt < 3) Sleep(250);
    }
    return -1;
}

static void watch(line_watch *w, const char *buf, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        if (buf[i] == '\n') watch_line_end(w);
        else if (w->len < sizeof w->head - 1) w->head[w->len++] = buf[i];
    }
}

static DWORD WINAPI serve_connection(void *arg) {
    conn *c = (conn *)arg;
    char err[400], buf[65536];
    HANDLE relay = NULL;
    line_watch lw;
    DWORD got, code = 0;

    if (!authenticate(c, err, sizeof err)) {
        fprintf(stderr, "agent: connection %u refused: bad or missing token (%s)\n", c->serial, err);
        send_error_line(c->s, "protocol", "message", "bad or missing token");
        goto close;
    }
    if (spawn_child_retrying(c, err, sizeof err) != 0) {
        fprintf(stderr, "agent: connection %u: cannot start an agent process: %s\n", c->serial, err);
        send_error_line(c->s, "other", "message", "the listener could not start an agent process");
        goto close;
    }
    fprintf(stderr, "agent: connection %u: agent process %lu started\n", c->serial, c->pid);
    relay = CreateThread(NULL, 0, to_child, c, 0, NULL);
    if (!relay) {
        TerminateProcess(c->process, 1);
        CloseHandle(c->child_in);
        c->child_in = NULL;
    }
    memset(&lw, 0, sizeof lw);
    while (ReadFile(c->child_out, buf, sizeof buf, &got, NULL) && got > 0) {
        watch(&lw, buf, got);
        if (send_all(c->s, buf, (int)got) != 0) break;
    }
    if (lw.len) watch_line_end(&lw);
    if (WaitForSingleObject(c->process, 5000) == WAIT_TIMEOUT) TerminateProcess(c->process, 1);
    WaitForSingleObject(c->process, INFINITE);
    GetExitCodeProcess(c->process, &code);
    if (!lw.saw_bye && !lw.saw_crashed && !c->socket_closed) {
        char detail[200];
        describe_exit(code, detail, sizeof detail);
        send_error_line(c->s, "crashed", "detail", detail);
    }
    fprintf(stderr, "agent: connection %u: agent process ended (%s)\n", c->serial,
            lw.saw_bye ? "after bye" : (describe_exit(code, err, sizeof err), err));
close:
    shutdown(c->s, SD_BOTH);
    closesocket(c->s); /* also wakes the relay thread out of recv */
    if (relay) {
        WaitForSingleObject(relay, INFINITE);
        CloseHandle(relay);
    }
    if (c->child_in) CloseHandle(c->child_in);
    if (c->child_out) CloseHandle(c->child_out);
    if (c->process) CloseHandle(c->process);
    free(c);
    InterlockedDecrement(&active);
    return 0;
}

/* "PORT", ":PORT" or "ADDR:PORT", ADDR an IPv4 address or "localhost". */
static int parse_addr(const char *text, struct sockaddr_in *sa, char *err, size_t errlen) {
    const char *colon = strrchr(text, ':');
    char host[64];
    const char *port_text = colon ? colon + 1 : text;
    char *end;
    long port = strtol(port_text, &end, 10);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    if (!*port_text || *end || port < 1 || port > 65535) {
        snprintf(err, errlen, "`%s`: expected [ADDR:]PORT with a port from 1 to 65535", text);
        return -1;
    }
    sa->sin_port = htons((unsigned short)port);
    if (!colon || colon == text) { sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK); return 0; }
    if ((size_t)(colon - text) >= sizeof host) { snprintf(err, errlen, "`%s`: address too long", text); return -1; }
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = 0;
    if (!strcmp(host, "localhost")) { sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK); return 0; }
    sa->sin_addr.s_addr = inet_addr(host);
    if (sa->sin_addr.s_addr == INADDR_NONE) {
        snprintf(err, errlen, "`%s`: not an IPv4 address (names other than localhost and IPv6 are not supported)", host);
        return -1;
    }
    return 0;
}

int listen_serve(const char *addr_port, const char *token, const wchar_t *dll) {
    WSADATA wsa;
    struct sockaddr_in sa;
    SOCKET ls;
    char err[300];
    BOOL yes = TRUE;
    unsigned serial = 0;
    unsigned long ip;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;

    listen_token = token;
    listen_dll = dll;
    InitializeCriticalSection(&spawn_lock);
    if (parse_addr(addr_port, &sa, err, sizeof err) != 0) {
        fprintf(stderr, "agent: --listen %s\n", err);
        return 2;
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fputs("agent: WSAStartup failed\n", stderr);
        return 2;
    }
    kill_job = CreateJobObjectW(NULL, NULL);
    if (kill_job) {
        memset(&limits, 0, sizeof limits);
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        if (!SetInformationJobObject(kill_job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) {
            CloseHandle(kill_job);
            kill_job = NULL;
        }
    }
    ls = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (ls == INVALID_SOCKET) {
        fprintf(stderr, "agent: socket failed: %d\n", WSAGetLastError());
        return 2;
    }
    /* Winsock sockets are inheritable by default: a child would keep the listening socket
     * and other connections open, and a closed connection would never reach its client. */
    SetHandleInformation((HANDLE)ls, HANDLE_FLAG_INHERIT, 0);
    /* no other process may bind the same port and steal connections */
    setsockopt(ls, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&yes, sizeof yes);
    if (bind(ls, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(ls, SOMAXCONN) != 0) {
        fprintf(stderr, "agent: cannot listen on %s: winsock error %d\n", addr_port, WSAGetLastError());
        closesocket(ls);
        return 2;
    }
    ip = ntohl(sa.sin_addr.s_addr);
    fprintf(stderr, "agent: listening on %lu.%lu.%lu.%lu:%u, %s; every connection must present the token first\n",
            ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, (unsigned)ntohs(sa.sin_port),
            (ip >> 24) == 127 ? "loopback only (only this machine can connect)"
                              : "NOT loopback: reachable from the network; the token is sent in clear text "
                                "and does not protect against anyone who can read the traffic");
    for (;;) {
        SOCKET s = accept(ls, NULL, NULL);
        conn *c;
        HANDLE t;
        if (s == INVALID_SOCKET) {
            fprintf(stderr, "agent: accept failed: winsock error %d\n", WSAGetLastError());
            Sleep(100);
            continue;
        }
        serial++;
        SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
        /* the relay may send one line in several pieces: without this, Nagle's algorithm and
         * the peer's delayed ACK would hold the tail of a line back by up to 200 ms */
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&yes, sizeof yes);
        if (InterlockedIncrement(&active) > MAX_CONNECTIONS) {
            InterlockedDecrement(&active);
            fprintf(stderr, "agent: connection %u refused: %d connections already served\n", serial, MAX_CONNECTIONS);
            send_error_line(s, "other", "message", "too many connections: the listener serves 8 at a time");
            closesocket(s);
            continue;
        }
        c = (conn *)calloc(1, sizeof *c);
        if (!c) { closesocket(s); InterlockedDecrement(&active); continue; }
        c->s = s;
        c->serial = serial;
        t = CreateThread(NULL, 0, serve_connection, c, 0, NULL);
        if (!t) { closesocket(s); free(c); InterlockedDecrement(&active); continue; }
        CloseHandle(t);
    }
}
