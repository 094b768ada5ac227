/* Faulty libraries for the fault tests: each wraps the mock library (libesent.so) and breaks
 * one rule a well-behaved engine keeps, so that the tests can show jetconform reports it and
 * leaves nothing behind. Build one with
 *   cc -shared -fPIC -DFAULTY_<NAME> -o libfaulty.so faulty.c -L<dir> -l:libesent.so \
 *       -Wl,-rpath,<dir> -ldl
 * (tests/common/mod.rs does). The real function is reached through RTLD_NEXT, as in
 * tests/mutants/mutant.c.
 *
 * FAULTY_CRASH        Begin aborts the process.
 * FAULTY_HANG         TruncateLog creates `hung` in the current folder (the sandbox), then
 *                     sleeps.
 * FAULTY_FORK_EXIT    Begin forks a child that keeps every descriptor and sleeps, and the
 *                     library exits the process: the child holds the runner's pipes.
 * FAULTY_SETSID_EXIT  The same, the child leaving the process group first (setsid).
 * FAULTY_ENDLESS      ReadFile never reports 0 bytes: past the end it fills the buffer again.
 * FAULTY_TOO_MUCH     ReadFile reports 4096 bytes more than cb in pcbActual.
 * FAULTY_WRITE_AFTER  ReadFile writes 16 bytes just after the cb bytes it was given.
 * FAULTY_WRITE_BEFORE ReadFile writes 8 bytes 64 bytes before the buffer.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "wrap.h"

#ifdef FAULTY_CRASH
JET_ERR JetBeginExternalBackupInstance(JET_INSTANCE instance, JET_GRBIT grbit) {
    (void)instance;
    (void)grbit;
    abort();
}
#endif

#ifdef FAULTY_HANG
JET_ERR JetTruncateLogInstance(JET_INSTANCE instance) {
    (void)instance;
    int fd = open("hung", O_CREAT | O_WRONLY, 0600);
    if (fd >= 0) close(fd);
    sleep(300);
    return 0;
}
#endif

#if defined(FAULTY_FORK_EXIT) || defined(FAULTY_SETSID_EXIT)
JET_ERR JetBeginExternalBackupInstance(JET_INSTANCE instance, JET_GRBIT grbit) {
    (void)instance;
    (void)grbit;
    if (fork() == 0) {
#ifdef FAULTY_SETSID_EXIT
        setsid();
#endif
        sleep(300);
        _exit(0);
    }
    _exit(3);
}
#endif

#if defined(FAULTY_ENDLESS) || defined(FAULTY_TOO_MUCH) || defined(FAULTY_WRITE_AFTER) \
    || defined(FAULTY_WRITE_BEFORE)
JET_ERR JetReadFileInstance(JET_INSTANCE instance, JET_HANDLE hfFile, void *pv, uint32_t cb,
                            uint32_t *pcbActual) {
    typedef JET_ERR (*fn)(JET_INSTANCE, JET_HANDLE, void *, uint32_t, uint32_t *);
    REAL(JetReadFileInstance, fn);
    JET_ERR err = real_JetReadFileInstance(instance, hfFile, pv, cb, pcbActual);
    if (err != 0 || !pcbActual || !pv) return err;
#ifdef FAULTY_ENDLESS
    if (*pcbActual == 0) {
        memset(pv, 'x', cb);
        *pcbActual = cb;
    }
#endif
#ifdef FAULTY_TOO_MUCH
    *pcbActual = cb + 4096;
#endif
#ifdef FAULTY_WRITE_AFTER
    memset((char *)pv + cb, 'A', 16);
#endif
#ifdef FAULTY_WRITE_BEFORE
    memset((char *)pv - 64, 'B', 8);
#endif
    return err;
}
#endif
