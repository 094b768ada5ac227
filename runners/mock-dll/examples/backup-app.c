/*
 * backup-app.c: a small backup application written against ESENT's C API, run against the
 * jetconform mock library (libesent.so) as it would run against esent.dll.
 *
 *   gcc -o backup-app backup-app.c -L<dir of libesent.so> -lesent
 *   LD_LIBRARY_PATH=<dir> ./backup-app <empty work folder>
 *
 * It sets an instance up with several system parameters and reads two back, creates a
 * database with a table and writes a record in a transaction, streams a full backup into a
 * folder (database stream; then, after writing a second record, the logs, with
 * JetGetLogInfoInstance2 for the log range), truncates and ends the backup, writes a third
 * record, crashes (JetTerm2 with JET_bitTermDirty), restores the streams with
 * JetExternalRestore2 (hard recovery), starts a new instance that attaches the restored
 * database (listed by JetGetInstanceInfoA, freed with JetFreeBuffer) and reads the records
 * back: the first (in the streamed pages) and the second (replayed from the copied logs), not
 * the third (in no copied log). Finally it checks its own error handling with an injected
 * read failure (the library's JetconformFault extension). It prints one line per stage and
 * "RESULT: ok" or "RESULT: failed at <stage>", and exits 0 only on success.
 *
 * Types follow esent.h on 64-bit Windows (LLP64): `unsigned long` is 32 bits, handles are
 * pointer-sized. On Linux the library exports the same ABI, so `unsigned long` is written
 * uint32_t here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef int32_t JET_ERR;
typedef uintptr_t JET_API_PTR, JET_INSTANCE, JET_SESID, JET_HANDLE;
typedef uint32_t JET_DBID, JET_GRBIT, ULONG, JET_COLUMNID;
typedef uintptr_t JET_TABLEID;

typedef struct {
    ULONG cbStruct;
    JET_COLUMNID columnid;
    ULONG coltyp;
    uint16_t wCountry, langid, cp, wCollate;
    ULONG cbMax;
    JET_GRBIT grbit;
} JET_COLUMNDEF;

typedef struct {
    ULONG cbSize;
    ULONG ulGenLow;
    ULONG ulGenHigh;
    char szBaseName[4];
} JET_LOGINFO_A;

typedef struct {
    JET_INSTANCE hInstanceId;
    char *szInstanceName;
    JET_API_PTR cDatabases;
    char **szDatabaseFileName;
    char **szDatabaseDisplayName;
    char **szDatabaseSLVFileName_Obsolete;
} JET_INSTANCE_INFO_A;

typedef struct {
    const char *szDatabaseName;
    const char *szNewDatabaseName;
} JET_RSTMAP_A;

#define JET_paramSystemPath 0
#define JET_paramTempPath 1
#define JET_paramLogFilePath 2
#define JET_paramBaseName 3
#define JET_paramLogFileSize 11
#define JET_paramCircularLog 17
#define JET_paramNoInformationEvent 50
#define JET_paramCreatePathIfNotExist 100
#define JET_coltypLongText 12
#define JET_prepInsert 0
#define JET_MoveFirst ((int32_t)0x80000000)
#define JET_MoveNext 1
#define JET_errNoCurrentRecord (-1603)
#define JET_bitBackupEndNormal 0x1
#define JET_bitTermDirty 0x8
#define JET_errDirtyShutdown (-1116)

JET_ERR JetCreateInstanceA(JET_INSTANCE *, const char *);
JET_ERR JetSetSystemParameterA(JET_INSTANCE *, JET_SESID, ULONG, JET_API_PTR, const char *);
JET_ERR JetGetSystemParameterA(JET_INSTANCE, JET_SESID, ULONG, JET_API_PTR *, char *, ULONG);
JET_ERR JetInit(JET_INSTANCE *);
JET_ERR JetTerm2(JET_INSTANCE, JET_GRBIT);
JET_ERR JetBeginSessionA(JET_INSTANCE, JET_SESID *, const char *, const char *);
JET_ERR JetEndSession(JET_SESID, JET_GRBIT);
JET_ERR JetCreateDatabaseA(JET_SESID, const char *, const char *, JET_DBID *, JET_GRBIT);
JET_ERR JetAttachDatabaseA(JET_SESID, const char *, JET_GRBIT);
JET_ERR JetOpenDatabaseA(JET_SESID, const char *, const char *, JET_DBID *, JET_GRBIT);
JET_ERR JetCloseDatabase(JET_SESID, JET_DBID, JET_GRBIT);
JET_ERR JetGetInstanceInfoA(ULONG *, JET_INSTANCE_INFO_A **);
JET_ERR JetFreeBuffer(char *);
JET_ERR JetCreateTableA(JET_SESID, JET_DBID, const char *, ULONG, ULONG, JET_TABLEID *);
JET_ERR JetOpenTableA(JET_SESID, JET_DBID, const char *, const void *, ULONG, JET_GRBIT,
                      JET_TABLEID *);
JET_ERR JetCloseTable(JET_SESID, JET_TABLEID);
JET_ERR JetAddColumnA(JET_SESID, JET_TABLEID, const char *, const JET_COLUMNDEF *, const void *,
                      ULONG, JET_COLUMNID *);
JET_ERR JetPrepareUpdate(JET_SESID, JET_TABLEID, ULONG);
JET_ERR JetSetColumn(JET_SESID, JET_TABLEID, JET_COLUMNID, const void *, ULONG, JET_GRBIT, void *);
JET_ERR JetUpdate(JET_SESID, JET_TABLEID, void *, ULONG, ULONG *);
JET_ERR JetRetrieveColumn(JET_SESID, JET_TABLEID, JET_COLUMNID, void *, ULONG, ULONG *, JET_GRBIT,
                          void *);
JET_ERR JetMove(JET_SESID, JET_TABLEID, int32_t, JET_GRBIT);
JET_ERR JetBeginTransaction(JET_SESID);
JET_ERR JetCommitTransaction(JET_SESID, JET_GRBIT);
JET_ERR JetBeginExternalBackupInstance(JET_INSTANCE, JET_GRBIT);
JET_ERR JetGetAttachInfoInstanceA(JET_INSTANCE, void *, ULONG, ULONG *);
JET_ERR JetOpenFileInstanceA(JET_INSTANCE, const char *, JET_HANDLE *, ULONG *, ULONG *);
JET_ERR JetReadFileInstance(JET_INSTANCE, JET_HANDLE, void *, ULONG, ULONG *);
JET_ERR JetCloseFileInstance(JET_INSTANCE, JET_HANDLE);
JET_ERR JetGetLogInfoInstance2A(JET_INSTANCE, void *, ULONG, ULONG *, JET_LOGINFO_A *);
JET_ERR JetTruncateLogInstance(JET_INSTANCE);
JET_ERR JetEndExternalBackupInstance2(JET_INSTANCE, JET_GRBIT);
JET_ERR JetExternalRestore2A(const char *, const char *, JET_RSTMAP_A *, int32_t, const char *,
                             JET_LOGINFO_A *, const char *, const char *, const char *, void *);
/* Extensions of the mock library (esent.dll has neither). */
JET_ERR JetconformVerbA(const char *, JET_API_PTR, const char *, const char *, ULONG, ULONG);
JET_ERR JetconformFault(JET_INSTANCE, const char *);

static const char *stage = "start";

#define CHECK(call, want)                                                                  \
    do {                                                                                   \
        JET_ERR err_ = (call);                                                             \
        if (err_ != (want)) {                                                              \
            printf("%s: %s returned %d, expected %d\n", stage, #call, (int)err_, (int)(want)); \
            printf("RESULT: failed at %s\n", stage);                                        \
            exit(1);                                                                       \
        }                                                                                  \
    } while (0)

static char *buffer;
enum { BUFFER_SIZE = 65536 };

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    const char *b = strrchr(path, '\\');
    if (b && (!s || b > s))
        s = b;
    return s ? s + 1 : path;
}

/* Streams one file of the backup into `to`; returns its size in bytes. */
static unsigned long stream_file(JET_INSTANCE inst, const char *name, const char *to) {
    JET_HANDLE h = 0;
    ULONG low = 0, high = 0, got = 0;
    unsigned long total = 0;
    FILE *out = fopen(to, "wb");
    if (!out) {
        printf("%s: cannot write %s\n", stage, to);
        printf("RESULT: failed at %s\n", stage);
        exit(1);
    }
    CHECK(JetOpenFileInstanceA(inst, name, &h, &low, &high), 0);
    do {
        CHECK(JetReadFileInstance(inst, h, buffer, BUFFER_SIZE, &got), 0);
        fwrite(buffer, 1, got, out);
        total += got;
    } while (got > 0);
    CHECK(JetCloseFileInstance(inst, h), 0);
    fclose(out);
    return total;
}

/* Inserts one record holding `text` in a transaction of its own. */
static void write_record(JET_SESID s, JET_TABLEID t, JET_COLUMNID col, const char *text) {
    CHECK(JetBeginTransaction(s), 0);
    CHECK(JetPrepareUpdate(s, t, JET_prepInsert), 0);
    CHECK(JetSetColumn(s, t, col, text, (ULONG)strlen(text), 0, NULL), 0);
    CHECK(JetUpdate(s, t, NULL, 0, NULL), 0);
    CHECK(JetCommitTransaction(s, 0), 0);
    printf("%s: committed \"%s\"\n", stage, text);
}

static void set_up(JET_INSTANCE *inst, const char *name, const char *dir) {
    char path[512];
    CHECK(JetCreateInstanceA(inst, name), 0);
    CHECK(JetSetSystemParameterA(inst, 0, JET_paramCreatePathIfNotExist, 1, NULL), 0);
    snprintf(path, sizeof path, "%s/logs/", dir);
    CHECK(JetSetSystemParameterA(inst, 0, JET_paramLogFilePath, 0, path), 0);
    snprintf(path, sizeof path, "%s/sys/", dir);
    CHECK(JetSetSystemParameterA(inst, 0, JET_paramSystemPath, 0, path), 0);
    snprintf(path, sizeof path, "%s/tmp/", dir);
    CHECK(JetSetSystemParameterA(inst, 0, JET_paramTempPath, 0, path), 0);
    CHECK(JetSetSystemParameterA(inst, 0, JET_paramBaseName, 0, "app"), 0);
    CHECK(JetSetSystemParameterA(inst, 0, JET_paramLogFileSize, 1024, NULL), 0);
    CHECK(JetSetSystemParameterA(inst, 0, JET_paramCircularLog, 0, NULL), 0);
    CHECK(JetSetSystemParameterA(inst, 0, JET_paramNoInformationEvent, 1, NULL), 0);
}

int main(int argc, char **argv) {
    char cwd[1024], db[1200], map_from[1200], map_to[1200], names[4096], saved[1400];
    JET_INSTANCE inst = 0, rst = 0;
    JET_SESID sesid = 0, rs = 0;
    JET_DBID dbid = 0, rdb = 0;
    JET_TABLEID table = 0;
    JET_COLUMNID column = 0;
    JET_COLUMNDEF def;
    JET_API_PTR value = 0;
    char text[64];
    ULONG cb = 0;
    JET_LOGINFO_A li;
    JET_RSTMAP_A map;
    unsigned long bytes = 0;
    int logs = 0;

    if (argc != 2 || chdir(argv[1]) != 0 || !getcwd(cwd, sizeof cwd)) {
        printf("usage: backup-app <empty work folder>\n");
        return 2;
    }
    buffer = aligned_alloc(4096, BUFFER_SIZE); /* ReadFile wants page-aligned buffers */

    stage = "set-up";
    set_up(&inst, "app", "app");
    CHECK(JetGetSystemParameterA(inst, 0, JET_paramLogFileSize, &value, NULL, 0), 0);
    CHECK(JetGetSystemParameterA(inst, 0, JET_paramBaseName, NULL, text, sizeof text), 0);
    if (value != 1024 || strcmp(text, "app") != 0) {
        printf("%s: parameters read back as %lu and \"%s\"\n", stage, (unsigned long)value, text);
        printf("RESULT: failed at %s\n", stage);
        return 1;
    }
    CHECK(JetInit(&inst), 0);
    CHECK(JetBeginSessionA(inst, &sesid, NULL, NULL), 0);
    printf("set-up: instance initialized, log file size %lu KiB, base name %s\n",
           (unsigned long)value, text);

    stage = "write";
    snprintf(db, sizeof db, "%s/app.edb", cwd);
    CHECK(JetCreateDatabaseA(sesid, db, NULL, &dbid, 0), 0);
    CHECK(JetCreateTableA(sesid, dbid, "notes", 0, 0, &table), 0);
    memset(&def, 0, sizeof def);
    def.cbStruct = sizeof def;
    def.coltyp = JET_coltypLongText;
    def.cp = 1252;
    CHECK(JetAddColumnA(sesid, table, "body", &def, NULL, 0, &column), 0);
    write_record(sesid, table, column, "written before the backup");

    stage = "backup";
    mkdir("backup", 0755);
    mkdir("backup/logs", 0755);
    CHECK(JetBeginExternalBackupInstance(inst, 0), 0);
    CHECK(JetGetAttachInfoInstanceA(inst, names, sizeof names, &cb), 0);
    for (const char *n = names; *n; n += strlen(n) + 1) {
        snprintf(saved, sizeof saved, "backup/%s", base_name(n));
        bytes += stream_file(inst, n, saved);
    }
    stage = "write";
    write_record(sesid, table, column, "written during the backup");
    stage = "backup";
    memset(&li, 0, sizeof li);
    li.cbSize = sizeof li;
    CHECK(JetGetLogInfoInstance2A(inst, names, sizeof names, &cb, &li), 0);
    for (const char *n = names; *n; n += strlen(n) + 1) {
        snprintf(saved, sizeof saved, "backup/logs/%s", base_name(n));
        bytes += stream_file(inst, n, saved);
        logs++;
    }
    CHECK(JetTruncateLogInstance(inst), 0);
    CHECK(JetEndExternalBackupInstance2(inst, JET_bitBackupEndNormal), 0);
    printf("backup: %lu bytes streamed, %d log file(s), generations %lu..%lu, base name %s\n",
           bytes, logs, (unsigned long)li.ulGenLow, (unsigned long)li.ulGenHigh, li.szBaseName);

    stage = "write";
    write_record(sesid, table, column, "written after the backup");
    stage = "crash";
    CHECK(JetTerm2(inst, JET_bitTermDirty), JET_errDirtyShutdown);
    printf("crash: terminated dirty\n");

    stage = "restore";
    snprintf(map_from, sizeof map_from, "%s", db);
    snprintf(map_to, sizeof map_to, "%s/backup/app.edb", cwd);
    map.szDatabaseName = map_from;
    map.szNewDatabaseName = map_to;
    CHECK(JetExternalRestore2A("restore/sys", "restore/logs", &map, 1, "backup/logs", &li, NULL,
                               NULL, NULL, NULL),
          0);
    printf("restore: hard recovery of the streams done\n");

    stage = "recover";
    set_up(&rst, "rst", "rst");
    CHECK(JetInit(&rst), 0);
    CHECK(JetBeginSessionA(rst, &rs, NULL, NULL), 0);
    CHECK(JetAttachDatabaseA(rs, map_to, 0), 0);
    CHECK(JetOpenDatabaseA(rs, map_to, NULL, &rdb, 0), 0);
    printf("recover: restored database attached and opened (dbid %u)\n", (unsigned)rdb);
    stage = "read-back";
    {
        static const char *want[] = {"written before the backup", "written during the backup"};
        JET_TABLEID t = 0;
        char value[256];
        ULONG got = 0;
        int n = 0;
        JET_ERR err;
        CHECK(JetOpenTableA(rs, rdb, "notes", NULL, 0, 0, &t), 0);
        for (err = JetMove(rs, t, JET_MoveFirst, 0); err == 0; err = JetMove(rs, t, JET_MoveNext, 0)) {
            CHECK(JetRetrieveColumn(rs, t, column, value, sizeof value - 1, &got, 0, NULL), 0);
            value[got < sizeof value ? got : sizeof value - 1] = 0;
            printf("read-back: \"%s\"\n", value);
            if (n >= 2 || strcmp(value, want[n]) != 0) {
                printf("%s: record %d is not \"%s\"\n", stage, n + 1, n < 2 ? want[n] : "(none)");
                printf("RESULT: failed at %s\n", stage);
                return 1;
            }
            n++;
        }
        if (err != JET_errNoCurrentRecord || n != 2) {
            printf("%s: %d record(s) read back, JetMove ended with %d\n", stage, n, (int)err);
            printf("RESULT: failed at %s\n", stage);
            return 1;
        }
        printf("read-back: the 2 records of the backup and its logs, not the later one\n");
        CHECK(JetCloseTable(rs, t), 0);
    }
    stage = "recover";
    {
        ULONG n = 0;
        JET_INSTANCE_INFO_A *infos = NULL;
        CHECK(JetGetInstanceInfoA(&n, &infos), 0);
        if (n != 1 || strcmp(infos[0].szInstanceName, "rst") != 0 || infos[0].cDatabases != 1) {
            printf("%s: JetGetInstanceInfoA listed %u instance(s)\n", stage, (unsigned)n);
            printf("RESULT: failed at %s\n", stage);
            return 1;
        }
        printf("recover: running instance %s with %s\n", infos[0].szInstanceName,
               base_name(infos[0].szDatabaseFileName[0]));
        CHECK(JetFreeBuffer((char *)infos), 0);
    }

    stage = "error-handling";
    CHECK(JetconformFault(rst, "read_file_fail:1:JET_errDiskIO"), 0);
    CHECK(JetBeginExternalBackupInstance(rst, 0), 0);
    {
        JET_HANDLE h = 0;
        ULONG low = 0, high = 0, got = 0;
        CHECK(JetOpenFileInstanceA(rst, map_to, &h, &low, &high), 0);
        JET_ERR err = JetReadFileInstance(rst, h, buffer, BUFFER_SIZE, &got);
        printf("error-handling: injected read failure reported as %d\n", (int)err);
        if (err != -1022) {
            printf("RESULT: failed at %s\n", stage);
            return 1;
        }
        JetCloseFileInstance(rst, h);
    }
    JetEndExternalBackupInstance2(rst, 0x2 /* JET_bitBackupEndAbort */);
    CHECK(JetCloseDatabase(rs, rdb, 0), 0);
    CHECK(JetEndSession(rs, 0), 0);
    CHECK(JetTerm2(rst, 0), 0);
    printf("RESULT: ok\n");
    return 0;
}
