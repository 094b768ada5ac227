/* STUB call module, for the loop's own tests only (Linux unit tests, a Wine smoke run before
 * the real marshalling exists): every call is answered `not_modelled`. The release build links
 * the real call*.c / marshal*.c / verbs.c / callbacks.c instead (Makefile: CALL_SRCS). */
#include <string.h>

#include "agent.h"

int agent_call(agent_ctx *ctx, const jv *call, jw *w, char *err, size_t errlen) {
    const char *function = jv_as_str(jv_member(call, "function"), NULL);
    (void)ctx;
    if (!function) {
        if (errlen) strncpy(err, "no function named", errlen - 1), err[errlen - 1] = '\0';
        return -1;
    }
    jw_obj_begin(w);
    jw_key(w, "result");
    jw_obj_begin(w);
    jw_key(w, "not_modelled");
    jw_str(w, "this agent was built with the stub call module (call_stub.c): no call is marshalled");
    jw_obj_end(w);
    jw_obj_end(w);
    return 0;
}

const char *const *agent_functions(size_t *count) {
    *count = 0;
    return NULL;
}

const char *const *agent_verbs(size_t *count) {
    *count = 0;
    return NULL;
}
