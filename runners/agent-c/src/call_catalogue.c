/* Lookups over the generated catalogue, and agent_functions for the hello. */
#include <string.h>
#include "agent.h"
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

/* Every name the agent can marshal: the exports of the catalogue. Whether the loaded
 * esent.dll has each one is answered per call (not_exported, spec 11.1); the hello's list is
 * informational (docs/protocol.md). */
const char *const *agent_functions(size_t *count)
{
    static const char *names[CAT_N];
    static size_t n;
    size_t i;
    if (n == 0)
        for (i = 0; i < CAT_N; i++)
            if (!cat_functions[i].is_verb)
                names[n++] = cat_functions[i].name;
    *count = n;
    return names;
}
