/* What the C wrappers of the mock library share (tests/fakes/faulty.c, tests/mutants/mutant.c):
 * ESENT's types as the mock library's exports take them on Linux, and REAL(name, type), which
 * finds the wrapped function in the library below (RTLD_NEXT) once. */
#ifndef JETCONFORM_TESTS_WRAP_H
#define JETCONFORM_TESTS_WRAP_H

#include <dlfcn.h>
#include <stdint.h>

typedef int32_t JET_ERR;
typedef uintptr_t JET_INSTANCE;
typedef uintptr_t JET_HANDLE;
typedef uint32_t JET_GRBIT;

#define REAL(name, type) static type real_##name; \
    if (!real_##name) real_##name = (type)dlsym(RTLD_NEXT, #name); \
    if (!real_##name) return -1; /* JET_errInternalError: the mock library is missing */

#endif
