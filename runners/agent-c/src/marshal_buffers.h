/* Output buffers as the ffi runner allocates them (runners/ffi/src/buffers.rs): `size` bytes
 * at `offset` past a 4096-aligned address (JetReadFile wants page alignment, spec 6.4),
 * filled with a sentinel so what the call wrote can be told from what it left, with a guard
 * area up to the size claimed by cb/cbMax when that is larger (a deliberate lie lands in
 * memory the agent owns). */
#ifndef JETCONFORM_AGENT_BUFFERS_H
#define JETCONFORM_AGENT_BUFFERS_H

#include <stddef.h>
#include <stdint.h>

typedef struct out_buffer {
    unsigned char *storage; /* malloc'd, freed by buffer_free */
    unsigned char *start;   /* the pointer passed */
    size_t size;            /* bytes the scenario asked for */
    size_t capacity;        /* bytes after start: max(size, claimed) */
} out_buffer;

int buffer_new(out_buffer *b, uint32_t size, uint32_t offset, uint32_t claimed);
void buffer_free(out_buffer *b);
/* Length of the written prefix of the scenario's bytes: up to the last non-sentinel byte. */
size_t buffer_written_len(const out_buffer *b);
/* Whether the call wrote past `size`, into the guard area. */
int buffer_overran(const out_buffer *b);

#endif
