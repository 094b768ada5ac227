/* Mutants of the mock library (libesent.so): each changes one behaviour of ESENT's backup
 * API, so that `jetconform explore` can be shown to find it. Build one with
 *   gcc -shared -fPIC -DMUTANT_<NAME> -o libmutant.so mutant.c -L<dir> -l:libesent.so \
 *       -Wl,-rpath,<dir> -ldl
 * The mutant defines only the exports it changes; every other export is found in
 * libesent.so, its dependency (dlsym on a handle searches the library, then its
 * dependencies). The real function is reached through RTLD_NEXT.
 *
 * MUTANT_WRONG_ORDER   Begin checks "backup in progress" before its grbit (spec 5.3 notes:
 *                      Begin(0x4) during a backup is -900, not -505).
 * MUTANT_GRBIT_ACCEPTED End2 accepts Normal|Abort together as Normal (spec 5.3: -1003).
 * MUTANT_CODE_SWAPPED  TruncateLog answers -521 where ESENT answers -520 (no backup).
 * MUTANT_READ_OFF_BY_ONE ReadFile reports one byte less for the last, short chunk.
 * MUTANT_LEAK_AFTER_END End forgets to clear "in progress": the next Begin is -505.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>

#include "../fakes/wrap.h"

static int in_backup __attribute__((unused)); /* as this wrapper sees it */
static int ended __attribute__((unused));

#if defined(MUTANT_WRONG_ORDER) || defined(MUTANT_LEAK_AFTER_END)
JET_ERR JetBeginExternalBackupInstance(JET_INSTANCE instance, JET_GRBIT grbit) {
    typedef JET_ERR (*fn)(JET_INSTANCE, JET_GRBIT);
    REAL(JetBeginExternalBackupInstance, fn);
#ifdef MUTANT_WRONG_ORDER
    if (in_backup) return -505; /* JET_errBackupInProgress, before the grbit check */
#endif
#ifdef MUTANT_LEAK_AFTER_END
    if (ended) return -505;
#endif
    JET_ERR err = real_JetBeginExternalBackupInstance(instance, grbit);
    if (err == 0) in_backup = 1;
    return err;
}
#endif

#if defined(MUTANT_WRONG_ORDER) || defined(MUTANT_LEAK_AFTER_END) || defined(MUTANT_GRBIT_ACCEPTED)
JET_ERR JetEndExternalBackupInstance2(JET_INSTANCE instance, JET_GRBIT grbit) {
    typedef JET_ERR (*fn)(JET_INSTANCE, JET_GRBIT);
    REAL(JetEndExternalBackupInstance2, fn);
#ifdef MUTANT_GRBIT_ACCEPTED
    if (grbit == 0x3) grbit = 0x1; /* Normal|Abort taken as Normal */
#endif
    JET_ERR err = real_JetEndExternalBackupInstance2(instance, grbit);
    if (err == 0) { in_backup = 0; ended = 1; }
    return err;
}
#endif

#if defined(MUTANT_WRONG_ORDER) || defined(MUTANT_LEAK_AFTER_END)
JET_ERR JetEndExternalBackupInstance(JET_INSTANCE instance) {
    typedef JET_ERR (*fn)(JET_INSTANCE);
    REAL(JetEndExternalBackupInstance, fn);
    JET_ERR err = real_JetEndExternalBackupInstance(instance);
    if (err == 0) { in_backup = 0; ended = 1; }
    return err;
}
#endif

#ifdef MUTANT_CODE_SWAPPED
JET_ERR JetTruncateLogInstance(JET_INSTANCE instance) {
    typedef JET_ERR (*fn)(JET_INSTANCE);
    REAL(JetTruncateLogInstance, fn);
    JET_ERR err = real_JetTruncateLogInstance(instance);
    return err == -520 ? -521 : err;
}
#endif

#ifdef MUTANT_READ_OFF_BY_ONE
JET_ERR JetReadFileInstance(JET_INSTANCE instance, JET_HANDLE hfFile, void *pv, uint32_t cb,
                            uint32_t *pcbActual) {
    typedef JET_ERR (*fn)(JET_INSTANCE, JET_HANDLE, void *, uint32_t, uint32_t *);
    REAL(JetReadFileInstance, fn);
    JET_ERR err = real_JetReadFileInstance(instance, hfFile, pv, cb, pcbActual);
    if (err == 0 && pcbActual && *pcbActual > 0 && *pcbActual < cb) *pcbActual -= 1;
    return err;
}
#endif
