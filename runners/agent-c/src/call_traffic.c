#include <string.h>
#include "call.h"
#include "call_traffic.h"

typedef jet_api_ptr sesid_t;
typedef jet_api_ptr tableid_t;

/* JET_COLUMNDEF (esent.h): 28 bytes on both architectures. */
typedef struct {
    uint32_t cbStruct, columnid, coltyp;
    uint16_t wCountry, langid, cp, wCollate;
    uint32_t cbMax, grbit;
} jet_columndef;
typedef char assert_columndef[sizeof(jet_columndef) == 28 ? 1 : -1];

#define COLTYP_LONG_BINARY 11u /* JET_coltypLongBinary */
#define PREP_INSERT 0u         /* JET_prepInsert */
#define ROLLBACK_ALL 1u        /* JET_bitRollbackAll */
#define RECORD 1024u           /* bytes per record: what the mock lets one log record stand for */

typedef struct traffic {
    jet_err(JET_API *begin)(sesid_t);
    jet_err(JET_API *commit)(sesid_t, uint32_t);
    jet_err(JET_API *rollback)(sesid_t, uint32_t);
    jet_err(JET_API *create_table)(sesid_t, uint32_t, const char *, uint32_t, uint32_t, tableid_t *);
    jet_err(JET_API *add_column)(sesid_t, tableid_t, const char *, const jet_columndef *, const void *,
                                 uint32_t, uint32_t *);
    jet_err(JET_API *prepare)(sesid_t, tableid_t, uint32_t);
    jet_err(JET_API *set_column)(sesid_t, tableid_t, uint32_t, const void *, uint32_t, uint32_t, void *);
    jet_err(JET_API *update)(sesid_t, tableid_t, void *, uint32_t, uint32_t *);
    jet_err(JET_API *close_table)(sesid_t, tableid_t);
} traffic;

/* Each export into its typed field (esent.h's signatures), copied as an address. */
static int resolve(agent_ctx *ctx, traffic *t)
{
    static const char *const names[9] = {"JetBeginTransaction", "JetCommitTransaction", "JetRollback",
                                         "JetCreateTableA", "JetAddColumnA", "JetPrepareUpdate",
                                         "JetSetColumn", "JetUpdate", "JetCloseTable"};
    void *addr[9];
    size_t i;
    for (i = 0; i < 9; i++)
        if (!(addr[i] = call_symbol(ctx, names[i])))
            return 0;
    memcpy(&t->begin, &addr[0], sizeof addr[0]);
    memcpy(&t->commit, &addr[1], sizeof addr[1]);
    memcpy(&t->rollback, &addr[2], sizeof addr[2]);
    memcpy(&t->create_table, &addr[3], sizeof addr[3]);
    memcpy(&t->add_column, &addr[4], sizeof addr[4]);
    memcpy(&t->prepare, &addr[5], sizeof addr[5]);
    memcpy(&t->set_column, &addr[6], sizeof addr[6]);
    memcpy(&t->update, &addr[7], sizeof addr[7]);
    memcpy(&t->close_table, &addr[8], sizeof addr[8]);
    return 1;
}

int traffic_available(agent_ctx *ctx)
{
    traffic t;
    return resolve(ctx, &t);
}

/* One transaction with one insertion. */
static jet_err one(const traffic *t, sesid_t s, tableid_t table, uint32_t columnid, const unsigned char *data)
{
    jet_err err = t->begin(s);
    if (err < 0)
        return err;
    err = t->prepare(s, table, PREP_INSERT);
    if (err >= 0)
        err = t->set_column(s, table, columnid, data, RECORD, 0, NULL);
    if (err >= 0)
        err = t->update(s, table, NULL, 0, NULL);
    if (err < 0) {
        t->rollback(s, ROLLBACK_ALL);
        return err;
    }
    return t->commit(s, 0);
}

jet_err traffic_run(agent_ctx *ctx, uint64_t sesid, uint32_t dbid, uint32_t commits, const char *name)
{
    static unsigned char data[RECORD];
    traffic t;
    jet_columndef def;
    tableid_t table = 0;
    uint32_t columnid = 0, i;
    sesid_t s = (sesid_t)sesid; /* truncated on x86 (spec 1.1) */
    jet_err err;
    if (!resolve(ctx, &t))
        return -1003;
    memset(data, 0x5A, sizeof data);
    memset(&def, 0, sizeof def);
    def.cbStruct = sizeof def;
    def.coltyp = COLTYP_LONG_BINARY;
    err = t.create_table(s, dbid, name, 0, 100, &table);
    if (err < 0)
        return err;
    err = t.add_column(s, table, "data", &def, NULL, 0, &columnid);
    if (err < 0) {
        t.close_table(s, table);
        return err;
    }
    for (i = 0; i < commits; i++) {
        err = one(&t, s, table, columnid, data);
        if (err < 0) {
            t.close_table(s, table);
            return err;
        }
    }
    return t.close_table(s, table);
}
