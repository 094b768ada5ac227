/* Lookups over the generated catalogue, and agent_functions for the hello. */
#include <string.h>
#include "agent.h"
#include "call.h"
#include "call_catalogue.h"
#include "catalogue.inc"

#define CAT_N (sizeof cat_functions / sizeof cat_functions[0])

const cat_function *cat_find(const char *name)
{
    size_t i;
    for (i = 0; i < CAT_N; i++)
        if (strcmp(cat_functions[i].name, name) == 0)
            return &cat_functions[i];
    return NULL;
}

int cat_size_of(const cat_function *f, size_t i)
{
    size_t j;
    for (j = 0; j < f->nparams; j++)
        if (f->params[j].sizes == (int)i)
            return (int)j;
    return -1;
}

int cat_param_index(const cat_function *f, const char *name)
{
    size_t j;
    for (j = 0; j < f->nparams; j++)
        if (strcmp(f->params[j].name, name) == 0)
            return (int)j;
    return -1;
}

size_t cat_count(void) { return CAT_N; }

const cat_function *cat_at(size_t i) { return i < CAT_N ? &cat_functions[i] : NULL; }

/* For the hello: the catalogue's exports that the loaded library has, as the ffi runner's
 * hello lists them (an emulating library is asked through JetconformExported, spec 11.1);
 * every export of the catalogue when no library is loaded (then every `start` fails anyway).
 * Informational (docs/protocol.md): each call still answers not_exported on its own. */
const char *const *agent_functions(size_t *count)
{
    static const char *names[CAT_N];
    size_t i, n = 0;
    agent_ctx probe;
    memset(&probe, 0, sizeof probe);
    probe.dll = call_bound_dll();
    for (i = 0; i < CAT_N; i++)
        if (!cat_functions[i].is_verb && (!probe.dll || call_resolve(&probe, cat_functions[i].name)))
            names[n++] = cat_functions[i].name;
    *count = n;
    return names;
}
