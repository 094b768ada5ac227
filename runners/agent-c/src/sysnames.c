/* See sysnames.h. */
#include "sysnames.h"

#include <stdio.h>
#include <string.h>

#include "json.h"

const char *version_id_for(unsigned long major, unsigned long minor, unsigned long build) {
    /* Server editions share the client's kernel number (the harness aliases server2008 to
     * vista and so on), except 5.2: Server 2003 and XP x64 are one ESENT code base. */
    if (major == 5 && minor == 0) return "win2000";
    if (major == 5 && minor == 1) return "xp";
    if (major == 5 && minor == 2) return "server2003";
    if (major == 6 && minor == 0) return "vista";
    if (major == 6 && minor == 1) return "win7";
    if (major == 6 && minor == 2) return "win8";
    if (major == 6 && minor == 3) return "win81";
    if (major == 10 && minor == 0) return build >= 22000 ? "win11" : "win10";
    return NULL;
}

static const struct { unsigned long code; const char *name; } EXCEPTIONS[] = {
    {0x80000001UL, "STATUS_GUARD_PAGE_VIOLATION"},
    {0x80000002UL, "STATUS_DATATYPE_MISALIGNMENT"},
    {0x80000003UL, "STATUS_BREAKPOINT"},
    {0x80000004UL, "STATUS_SINGLE_STEP"},
    {0x80000100UL, "EXCEPTION_WINE_STUB"}, /* Wine's unimplemented-function stubs */
    {0xC0000005UL, "STATUS_ACCESS_VIOLATION"},
    {0xC0000006UL, "STATUS_IN_PAGE_ERROR"},
    {0xC0000008UL, "STATUS_INVALID_HANDLE"},
    {0xC000000DUL, "STATUS_INVALID_PARAMETER"},
    {0xC0000017UL, "STATUS_NO_MEMORY"},
    {0xC000001DUL, "STATUS_ILLEGAL_INSTRUCTION"},
    {0xC0000025UL, "STATUS_NONCONTINUABLE_EXCEPTION"},
    {0xC0000026UL, "STATUS_INVALID_DISPOSITION"},
    {0xC000008CUL, "STATUS_ARRAY_BOUNDS_EXCEEDED"},
    {0xC000008DUL, "STATUS_FLOAT_DENORMAL_OPERAND"},
    {0xC000008EUL, "STATUS_FLOAT_DIVIDE_BY_ZERO"},
    {0xC000008FUL, "STATUS_FLOAT_INEXACT_RESULT"},
    {0xC0000090UL, "STATUS_FLOAT_INVALID_OPERATION"},
    {0xC0000091UL, "STATUS_FLOAT_OVERFLOW"},
    {0xC0000092UL, "STATUS_FLOAT_STACK_CHECK"},
    {0xC0000093UL, "STATUS_FLOAT_UNDERFLOW"},
    {0xC0000094UL, "STATUS_INTEGER_DIVIDE_BY_ZERO"},
    {0xC0000095UL, "STATUS_INTEGER_OVERFLOW"},
    {0xC0000096UL, "STATUS_PRIVILEGED_INSTRUCTION"},
    {0xC00000FDUL, "STATUS_STACK_OVERFLOW"},
    {0xC0000135UL, "STATUS_DLL_NOT_FOUND"},
    {0xC0000139UL, "STATUS_ENTRYPOINT_NOT_FOUND"},
    {0xC000013AUL, "STATUS_CONTROL_C_EXIT"},
    {0xC0000142UL, "STATUS_DLL_INIT_FAILED"},
    {0xC0000194UL, "STATUS_POSSIBLE_DEADLOCK"},
    {0xC00001ADUL, "STATUS_NO_MEMORY_RESOURCES"},
    {0xC0000374UL, "STATUS_HEAP_CORRUPTION"},
    {0xC0000409UL, "STATUS_STACK_BUFFER_OVERRUN"},
    {0xC0000417UL, "STATUS_INVALID_CRUNTIME_PARAMETER"},
    {0xC000041DUL, "STATUS_FATAL_USER_CALLBACK_EXCEPTION"},
    {0xC0000420UL, "STATUS_ASSERTION_FAILURE"},
    {0xE06D7363UL, "C++ exception"}, /* MSVC's throw */
};

const char *exception_name(unsigned long code) {
    size_t i;
    for (i = 0; i < sizeof EXCEPTIONS / sizeof EXCEPTIONS[0]; i++)
        if (EXCEPTIONS[i].code == code) return EXCEPTIONS[i].name;
    return NULL;
}

int exit_is_exception(unsigned long code) {
    /* Severity error (0xC...) or warning (0x8..., STATUS_BREAKPOINT): an exception, not a status
     * a program would choose. The same rule as the harness (runners/process/src/exit.rs). */
    return (code & 0xFFFFFFFFUL) >= 0x80000000UL;
}

void describe_exit(unsigned long code, char *out, size_t cap) {
    const char *name = exception_name(code);
    if (!exit_is_exception(code)) snprintf(out, cap, "exited with status %lu", code);
    else if (name) snprintf(out, cap, "exception 0x%08lX (%s)", code, name);
    else snprintf(out, cap, "exception 0x%08lX", code);
}

int token_equal(const char *a, size_t an, const char *b, size_t bn) {
    size_t i, n = an > bn ? an : bn;
    unsigned diff = an != bn;
    for (i = 0; i < n; i++) {
        unsigned char x = i < an ? (unsigned char)a[i] : 0, y = i < bn ? (unsigned char)b[i] : 0;
        diff |= (unsigned)(x ^ y);
    }
    return diff == 0;
}

int auth_line_ok(const char *line, size_t n, const char *token) {
    char err[100];
    jv *v;
    const char *type, *got;
    size_t got_len = 0;
    int ok;
    if (!token || !*token) return 0;
    while (n && (line[n - 1] == '\r' || line[n - 1] == '\n')) n--;
    v = jv_parse(line, n, err, sizeof err);
    type = jv_as_str(jv_member(v, "type"), NULL);
    got = jv_as_str(jv_member(v, "token"), &got_len);
    ok = type && !strcmp(type, "auth") && got && token_equal(got, got_len, token, strlen(token));
    jv_free(v);
    return ok;
}
