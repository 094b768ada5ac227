/* The generic caller: any export called with its argument slots. Every argument of every
 * export is an integer or a pointer (spec 1.1), so one function-pointer type per slot count
 * calls any of them: on x64 each argument is one 64-bit slot (the callee reads the low half
 * of a 32-bit one); on x86 JET_API is __stdcall with 32-bit slots, the unsigned __int64
 * ibRead taking two (low first), and the callee pops exactly what was pushed, so the slot
 * count must be the export's (the esent.def decorations, spec 1.1, give the same byte
 * counts). */
#ifndef JETCONFORM_AGENT_INVOKE_H
#define JETCONFORM_AGENT_INVOKE_H

#include <stddef.h>
#include "abi.h"

/* 0 when more slots are given than any export has (the call is not made). */
int invoke(void *addr, const uintptr_t *w, size_t n, jet_err *out);

#endif
