/* STUB call module, for the loop's own tests only (Linux unit tests, a Wine smoke run before
 * the real marshalling exists): every call is answered `not_modelled`. The release build links
 * the real call*.c / marshal*.c / verbs.c / callbacks.c instead (Makefile: CALL_SRCS). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

/* Test hooks (no catalogue function has these names): AgentTestCrash writes to the address
 * named by the request id (small: unmapped); AgentTestExit exits with status 3;
 * AgentTestPrint prints on stdout. */

int agent_call(agent_ctx *ctx, const jv *call, jw *w, char *err, size_t errlen) {
    const char *function = jv_as_str(jv_member(call, "function"), NULL);
    if (!function) {
        if (errlen) strncpy(err, "no function named", errlen - 1), err[errlen - 1] = '\0';
        return -1;
    }
#ifndef AGENT_NO_TEST_HOOKS /* the protocol fuzzer must not find them */
    if (!strcmp(function, "AgentTestCrash")) {
        /* lets the tests see the crash filter at work: an access violation, as a faulty
         * engine would cause (no catalogue function has this name) */
        volatile int *nowhere = (volatile int *)(size_t)ctx->request_id;
        *nowhere = 1;
    }
    if (!strcmp(function, "AgentTestExit")) exit(3); /* a runner dying without a word */
    if (!strcmp(function, "AgentTestPrint")) { /* a library printing on stdout */
        printf("stray print from a library\n");
        fflush(stdout);
    }
#endif
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

void agent_bind(void *dll) { (void)dll; }
int agent_fault_hooks(void) { return 0; }
void agent_scenario_end(agent_ctx *ctx) { (void)ctx; }
