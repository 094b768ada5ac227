#include <stdlib.h>
#include <string.h>
#include "call_arena.h"

struct arena_block {
    arena_block *next;
    /* Aligned for any structure the marshalling puts here. */
    union { long double ld; void *p; unsigned long long u; } data[1];
};

void *ar_alloc(arena *a, size_t size)
{
    arena_block *b;
    if (size > (size_t)-1 - sizeof(arena_block)) {
        a->failed = 1;
        return NULL;
    }
    b = calloc(1, sizeof(arena_block) + size);
    if (!b) {
        a->failed = 1;
        return NULL;
    }
    b->next = a->head;
    a->head = b;
    return b->data;
}

char *ar_strndup(arena *a, const char *s, size_t n)
{
    char *d = ar_alloc(a, n + 1);
    if (d)
        memcpy(d, s, n);
    return d;
}

void ar_free(arena *a)
{
    while (a->head) {
        arena_block *n = a->head->next;
        free(a->head);
        a->head = n;
    }
    a->failed = 0;
}
