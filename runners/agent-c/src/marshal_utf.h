/* UTF-8 <-> UTF-16 by hand, lossy like Rust's from_utf16_lossy (a lone surrogate becomes
 * U+FFFD), so the agent decodes W outputs exactly as the ffi runner does and on every
 * Windows version (MultiByteToWideChar's handling of invalid input changed across releases). */
#ifndef JETCONFORM_AGENT_UTF_H
#define JETCONFORM_AGENT_UTF_H

#include <stddef.h>
#include <stdint.h>
#include "call_arena.h"

/* NUL-terminated copies; *out_len (optional) excludes the terminator. NULL on no memory. */
uint16_t *utf8_to_utf16(arena *a, const char *s, size_t len, size_t *out_len);
char *utf16_to_utf8(arena *a, const uint16_t *s, size_t len, size_t *out_len);
size_t utf16_len(const uint16_t *s);

#endif
