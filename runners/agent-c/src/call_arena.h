/* A per-call arena: everything one call marshals (strings, structures, buffers, parsed
 * arguments) lives until its observation is written, then goes at once. */
#ifndef JETCONFORM_AGENT_ARENA_H
#define JETCONFORM_AGENT_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena { arena_block *head; int failed; } arena;

/* Zeroed memory, NULL (and `failed` set) when the allocation fails. */
void *ar_alloc(arena *a, size_t size);
char *ar_strndup(arena *a, const char *s, size_t n);
void ar_free(arena *a);

#endif
