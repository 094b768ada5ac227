/* agent_call: the ffi runner's caller.rs in C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "call.h"
#include "callbacks.h"
#include "call_invoke.h"
#include "marshal.h"
#include "marshal_text.h"
#include "verbs.h"

/* `int JetconformExported(const char* name)`: optional export of a library that emulates
 * several releases (the mock library): whether the release it emulates has `name`. A library
 * cannot hide its own symbols per release (runners/ffi/src/exports.rs). */
typedef int(JET_API *exported_fn)(const char *name);

static wchar_t entered[520]; /* the sandbox of the scenario whose state the call side holds */
static void *bound;

void agent_bind(void *dll) { bound = dll; }

void *call_bound_dll(void)
{
    return bound ? bound : (void *)GetModuleHandleW(L"esent.dll");
}

void *call_symbol(agent_ctx *ctx, const char *name)
{
    FARPROC p;
    void *addr;
    if (!ctx->dll)
        return NULL;
    p = GetProcAddress((HMODULE)ctx->dll, name);
    memcpy(&addr, &p, sizeof addr);
    return addr;
}

/* Whether the library has `name` as the release it behaves as (spec 11.1). */
void *call_resolve(agent_ctx *ctx, const char *name)
{
    void *addr = call_symbol(ctx, name), *ext;
    exported_fn exported;
    if (!addr)
        return NULL;
    ext = call_symbol(ctx, "JetconformExported");
    if (ext) {
        memcpy(&exported, &ext, sizeof exported);
        if (exported(name) == 0)
            return NULL;
    }
    return addr;
}

/* Per-scenario state is reset when a call comes with a sandbox not seen before. */
static void enter_scenario(agent_ctx *ctx)
{
    wchar_t version[32];
    size_t i;
    if (wcscmp(entered, ctx->sandbox) == 0)
        return;
    verbs_reset();
    wcsncpy(entered, ctx->sandbox, sizeof entered / sizeof entered[0] - 1);
    if (ctx->version) {
        for (i = 0; ctx->version[i] && i + 1 < sizeof version / sizeof version[0]; i++)
            version[i] = (wchar_t)(unsigned char)ctx->version[i];
        version[i] = 0;
        /* What the ffi runner's start does: an emulating library (the mock library) reads it
         * when it creates its engine, at the scenario's first call; esent.dll ignores it. */
        SetEnvironmentVariableW(L"JETCONFORM_MOCK_VERSION", version);
    }
}

void agent_scenario_end(agent_ctx *ctx)
{
    (void)ctx;
    verbs_reset();
    entered[0] = 0;
}

void call_execute(agent_ctx *ctx, const call_t *c, obs *o)
{
    const cat_function *f = c->f;
    char why[512];
    const char *root;
    void *addr;
    frame *fr;
    arena a = {0};
    recorded rec;
    jet_err code = 0;
    int ok;
    volatile const char *was = agent_current_function;

    if (f->is_verb) {
        verbs_run(ctx, c, o);
        return;
    }
    addr = call_resolve(ctx, f->name);
    if (!addr) {
        obs_not_exported(o);
        return;
    }
    if (c->nargs != f->nparams) {
        snprintf(why, sizeof why, "%s takes %u arguments, got %u", f->name, (unsigned)f->nparams,
                 (unsigned)c->nargs);
        obs_not_modelled(o, why);
        return;
    }
    root = text_root_utf8(&a, ctx->sandbox);
    fr = ar_alloc(&a, sizeof *fr);
    if (!root || !fr) {
        obs_not_modelled(o, "out of memory marshalling the call");
        ar_free(&a);
        return;
    }
    if (!frame_build(fr, &a, c, root, why, sizeof why)) {
        frame_free(fr);
        obs_not_modelled(o, why);
        ar_free(&a);
        return;
    }
    if (fr->has_callback)
        cb_begin(fr->nested, ctx);
    agent_current_function = f->name; /* a crash report names the innermost call */
    ok = invoke(addr, fr->words, fr->nwords, &code);
    agent_current_function = was;
    if (fr->has_callback)
        cb_finish(&rec);
    if (!ok) {
        snprintf(why, sizeof why, "%s: the arguments do not fit its signature", f->name);
        obs_not_modelled(o, why);
    } else {
        frame_observe(fr, code, fr->has_callback ? &rec : NULL, &a, root, o);
    }
    if (fr->has_callback)
        cb_recorded_free(&rec);
    frame_free(fr);
    ar_free(&a);
}

void call_observe(agent_ctx *ctx, const call_t *c, jw *w)
{
    obs *o = malloc(sizeof *o);
    if (!o) {
        static const char oom[] = "{\"result\":{\"not_modelled\":\"out of memory\"}}";
        jw_raw(w, oom, sizeof oom - 1);
        return;
    }
    obs_init(o);
    call_execute(ctx, c, o);
    obs_write(o, w);
    obs_free(o);
    free(o);
}

int agent_call(agent_ctx *ctx, const jv *call, jw *w, char *err, size_t errlen)
{
    static wchar_t previous[MAX_PATH + 1];
    arena a = {0};
    DWORD n;
    int moved;
    const call_t *c = args_parse_call(&a, call, err, errlen);
    if (!c) {
        ar_free(&a);
        return -1;
    }
    if (!bound)
        bound = ctx->dll;
    enter_scenario(ctx);
    /* The sandbox is the current directory during every call, as it is for the ffi runner's
     * whole scenario: ESENT resolves its default paths (`.\`) against it (spec 10.1), at
     * the call that takes them (JetInit makes them absolute), and so does the mock library
     * when its first call creates the engine. Between calls the loop's own directory is
     * back, so `end` can remove the sandbox (Windows cannot remove a current directory). */
    n = GetCurrentDirectoryW(sizeof previous / sizeof previous[0], previous);
    moved = n > 0 && n < sizeof previous / sizeof previous[0] && SetCurrentDirectoryW(ctx->sandbox);
    call_observe(ctx, c, w);
    if (moved)
        SetCurrentDirectoryW(previous);
    ar_free(&a);
    return 0;
}
