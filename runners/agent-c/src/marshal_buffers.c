#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "marshal_buffers.h"

int buffer_new(out_buffer *b, uint32_t size, uint32_t offset, uint32_t claimed)
{
    size_t total;
    uintptr_t base;
    b->size = size;
    b->capacity = size > claimed ? size : claimed;
    total = b->capacity + (size_t)offset + PAGE_SIZE_ALIGN;
    if (total < b->capacity) /* wrapped: no such allocation on 32 bits */
        return 0;
    b->storage = malloc(total);
    if (!b->storage)
        return 0;
    memset(b->storage, BUFFER_SENTINEL, total);
    base = (uintptr_t)b->storage;
    b->start = b->storage + ((PAGE_SIZE_ALIGN - base % PAGE_SIZE_ALIGN) % PAGE_SIZE_ALIGN) + offset;
    return 1;
}

void buffer_free(out_buffer *b)
{
    free(b->storage);
    b->storage = b->start = NULL;
}

size_t buffer_written_len(const out_buffer *b)
{
    size_t n = b->size;
    while (n > 0 && b->start[n - 1] == BUFFER_SENTINEL)
        n--;
    return n;
}

int buffer_overran(const out_buffer *b)
{
    size_t i;
    for (i = b->size; i < b->capacity; i++)
        if (b->start[i] != BUFFER_SENTINEL)
            return 1;
    return 0;
}
