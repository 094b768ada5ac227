#include <string.h>
#include "call_invoke.h"

#define U uintptr_t
typedef jet_err(JET_API *fn0)(void);
typedef jet_err(JET_API *fn1)(U);
typedef jet_err(JET_API *fn2)(U, U);
typedef jet_err(JET_API *fn3)(U, U, U);
typedef jet_err(JET_API *fn4)(U, U, U, U);
typedef jet_err(JET_API *fn5)(U, U, U, U, U);
typedef jet_err(JET_API *fn6)(U, U, U, U, U, U);
typedef jet_err(JET_API *fn7)(U, U, U, U, U, U, U);
typedef jet_err(JET_API *fn8)(U, U, U, U, U, U, U, U);
typedef jet_err(JET_API *fn9)(U, U, U, U, U, U, U, U, U);
typedef jet_err(JET_API *fn10)(U, U, U, U, U, U, U, U, U, U);
typedef jet_err(JET_API *fn11)(U, U, U, U, U, U, U, U, U, U, U);
typedef jet_err(JET_API *fn12)(U, U, U, U, U, U, U, U, U, U, U, U);

/* A data pointer to a function pointer without a cast between function types (which
 * -Wcast-function-type refuses): the export's address is a code address either way. */
#define AS(type, addr) (memcpy(&f.type, &(addr), sizeof(void *)), f.type)

int invoke(void *addr, const uintptr_t *w, size_t n, jet_err *out)
{
    union {
        fn0 f0; fn1 f1; fn2 f2; fn3 f3; fn4 f4; fn5 f5; fn6 f6; fn7 f7; fn8 f8; fn9 f9;
        fn10 f10; fn11 f11; fn12 f12;
    } f;
    switch (n) {
    case 0: *out = AS(f0, addr)(); break;
    case 1: *out = AS(f1, addr)(w[0]); break;
    case 2: *out = AS(f2, addr)(w[0], w[1]); break;
    case 3: *out = AS(f3, addr)(w[0], w[1], w[2]); break;
    case 4: *out = AS(f4, addr)(w[0], w[1], w[2], w[3]); break;
    case 5: *out = AS(f5, addr)(w[0], w[1], w[2], w[3], w[4]); break;
    case 6: *out = AS(f6, addr)(w[0], w[1], w[2], w[3], w[4], w[5]); break;
    case 7: *out = AS(f7, addr)(w[0], w[1], w[2], w[3], w[4], w[5], w[6]); break;
    case 8: *out = AS(f8, addr)(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]); break;
    case 9: *out = AS(f9, addr)(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]); break;
    case 10: *out = AS(f10, addr)(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9]); break;
    case 11: *out = AS(f11, addr)(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10]); break;
    case 12: *out = AS(f12, addr)(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11]); break;
    default: return 0;
    }
    return 1;
}
