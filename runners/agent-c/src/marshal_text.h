/* TEXT arguments made concrete (docs/protocol.md, TEXT; runners/interface/src/marshal.rs
 * text_to_string): sandbox paths absolute with `\` separators, padded and terminated exactly
 * as every other runner does, so path-length scenarios (spec 7.1) measure the same string;
 * then encoded for the function's character set (spec 1.1): UTF-16 for W forms, the ANSI
 * code page for A and undecorated forms. */
#ifndef JETCONFORM_AGENT_TEXT_H
#define JETCONFORM_AGENT_TEXT_H

#include <stddef.h>
#include <wchar.h>
#include "call_args.h"

/* The longest padded path built (interface MAX_PAD): caps a huge pad_to. */
#define TEXT_MAX_PAD 32768u

/* The sandbox as UTF-8 (computed once per call by the caller). */
const char *text_root_utf8(arena *a, const wchar_t *sandbox);
/* The string the engine receives, as UTF-8 (may hold NULs; *len tells). */
char *text_utf8(arena *a, const char *root, const text_t *t, size_t *len);
/* The same, NUL-terminated in the charset: char* (ANSI) when !wide, WCHAR* when wide. */
const void *text_encode(arena *a, const char *root, const text_t *t, int wide);
/* UTF-8 to the ANSI code page (ASCII passes as is; falls back to the UTF-8 bytes when the
 * conversion fails, as the ffi runner does). */
char *text_ansi(arena *a, const char *utf8, size_t len);
/* ANSI code page bytes to UTF-8 (how A lists are reported). */
char *text_from_ansi(arena *a, const char *ansi, size_t len, size_t *out_len);
/* Whether a sandbox-relative path stays inside the sandbox (no `..`, not absolute). */
int text_path_is_inside(const text_t *t);

#endif
