/* Multi-string (szz) outputs (spec 6.2, 6.6, 6.7) decoded as
 * runners/interface/src/marshal.rs decode_szz does: the items up to the double NUL, or up to
 * the end of what was written (`terminated` false). W lists are UTF-16LE; A lists are in the
 * ANSI code page and reported as UTF-8, so an item passed back as {"raw": ...} converts to the
 * same bytes. */
#ifndef JETCONFORM_AGENT_SZZ_H
#define JETCONFORM_AGENT_SZZ_H

#include <stddef.h>
#include "call_arena.h"
#include "json.h"

/* Writes {"strings":{"items":[...],"terminated":bool}} for the n written bytes. */
void szz_write(jw *w, arena *a, const unsigned char *bytes, size_t n, int wide);

#endif
