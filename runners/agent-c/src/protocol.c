/* The request loop: read a line, check it as the harness's serde types would, answer one
 * line. Messages follow `jetconform serve` (runners/process/src/server.rs) so a person reading
 * a log sees the same words whichever runner wrote them. */
#include "protocol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

volatile unsigned long long agent_pending_id;
volatile int agent_pending_valid;
volatile const char *agent_current_function;

static const char *const VERSION_IDS[] = {"win2000", "xp",   "server2003", "vista", "win7",
                                          "win8",    "win81", "win10",     "win11"};
#define N_VERSIONS (sizeof VERSION_IDS / sizeof VERSION_IDS[0])

/* ---- reading lines --------------------------------------------------------------------- */

typedef struct line_reader {
    const agent_io *io;
    char *buf;
    size_t cap, start, end;
    size_t dropped; /* bytes of an over-long line discarded so far */
    int eof;
} line_reader;

enum { LINE_OK, LINE_EOF, LINE_TOO_LONG, LINE_ERROR };

/* Next line (without its '\n') in *line / *n. A line over AGENT_MAX_LINE is skipped up to its
 * newline and reported as LINE_TOO_LONG, with its first bytes in *line / *n for the message
 * and its whole length in r->dropped + *n. */
static int next_line(line_reader *r, char **line, size_t *n) {
    size_t scan = r->start;
    int skipping = 0;
    r->dropped = 0;
    for (;;) {
        char *nl = r->buf ? (char *)memchr(r->buf + scan, '\n', r->end - scan) : NULL;
        if (nl || r->eof) {
            if (!nl && r->start == r->end) return LINE_EOF;
            /* a last line without '\n' is still a request */
            *line = r->buf + r->start;
            *n = nl ? (size_t)(nl - *line) : r->end - r->start;
            r->start = nl ? (size_t)(nl - r->buf) + 1 : r->end;
            /* the limit counts the '\n': a read may bring a whole over-long line at once */
            if (!skipping && *n + 1 > AGENT_MAX_LINE) {
                skipping = 1;
                r->dropped = *n - 256;
                *n = 256;
            }
            return skipping ? LINE_TOO_LONG : LINE_OK;
        }
        if (!skipping && r->end - r->start >= AGENT_MAX_LINE) {
            /* keep the head for the message, drop the rest of the line as it comes */
            skipping = 1;
        }
        if (skipping && r->end - r->start > 256) {
            r->dropped += r->end - r->start - 256;
            r->end = r->start + 256;
        }
        if (r->start > 0) { /* compact: the current line moves to the front */
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->start = 0;
        }
        scan = r->end;
        if (r->cap - r->end < 65536) {
            size_t ncap = r->cap ? r->cap * 2 : 131072;
            char *nb;
            if (ncap > AGENT_MAX_LINE + 131072) ncap = AGENT_MAX_LINE + 131072;
            nb = (char *)realloc(r->buf, ncap);
            if (!nb) return LINE_ERROR;
            r->buf = nb;
            r->cap = ncap;
        }
        {
            long got = r->io->read(r->io->self, r->buf + r->end, r->cap - r->end);
            if (got < 0) return LINE_ERROR;
            if (got == 0) r->eof = 1;
            else r->end += (size_t)got;
        }
    }
}

/* ---- answering ------------------------------------------------------------------------- */

static int send_line(const agent_io *io, jw *w) {
    if (w->oom || !w->buf) return -1;
    w->buf[w->len] = '\n';
    return io->write(io->self, w->buf, w->len + 1);
}

static void begin_answer(jw *w, int has_id, unsigned long long id, const char *type) {
    jw_reset(w);
    jw_obj_begin(w);
    jw_key(w, "id");
    if (has_id) jw_u64(w, id); else jw_null(w);
    jw_key(w, "type");
    jw_str(w, type);
}

static int send_error(const agent_io *io, jw *w, int has_id, unsigned long long id, const char *kind,
                      const char *message) {
    begin_answer(w, has_id, id, "error");
    jw_key(w, "error");
    jw_obj_begin(w);
    jw_key(w, "kind");
    jw_str(w, kind);
    jw_key(w, "message");
    jw_str(w, message);
    jw_obj_end(w);
    jw_obj_end(w);
    return send_line(io, w);
}

/* As protocol_shown, for a line of `total` bytes of which the first n are at hand. */
static void shown_of(const char *line, size_t n, size_t total, char *out, size_t cap) {
    size_t i = 0, chars = 0;
    while (n && (line[n - 1] == '\r' || line[n - 1] == '\n')) n--, total--;
    if (n == 0) { snprintf(out, cap, "an empty line"); return; }
    /* cut after 200 characters: count the bytes that start a UTF-8 sequence */
    while (i < n) {
        if (((unsigned char)line[i] & 0xC0) != 0x80) {
            if (chars == 200) break;
            chars++;
        }
        i++;
    }
    if (i == n && n == total) snprintf(out, cap, "`%.*s`", (int)n, line);
    else snprintf(out, cap, "`%.*s... (%lu bytes in all)`", (int)i, line, (unsigned long)total);
}

void protocol_shown(const char *line, size_t n, char *out, size_t cap) { shown_of(line, n, n, out, cap); }

void protocol_hello(const agent_info *info, jw *w) {
    size_t i, n;
    const char *const *names;
    jw_reset(w);
    jw_obj_begin(w);
    jw_key(w, "type"); jw_str(w, "hello");
    jw_key(w, "protocol"); jw_u64(w, AGENT_PROTOCOL_VERSION);
    jw_key(w, "runner");
    jw_obj_begin(w);
    jw_key(w, "name"); jw_str(w, "esent");
    jw_key(w, "versions");
    jw_arr_begin(w);
    if (info->version_id) jw_str(w, info->version_id);
    jw_arr_end(w);
    jw_key(w, "machine");
    jw_obj_begin(w);
    jw_key(w, "os"); jw_str(w, "windows");
    if (info->windows) { jw_key(w, "windows"); jw_str(w, info->windows); }
    if (info->esent) { jw_key(w, "esent"); jw_str(w, info->esent); }
    if (info->description) { jw_key(w, "description"); jw_str(w, info->description); }
    if (info->arch) { jw_key(w, "arch"); jw_str(w, info->arch); }
    if (info->esent_sha256) { jw_key(w, "esent_sha256"); jw_str(w, info->esent_sha256); }
    jw_obj_end(w);
    jw_key(w, "verbs");
    jw_arr_begin(w);
    names = agent_verbs(&n);
    for (i = 0; i < n; i++) jw_str(w, names[i]);
    jw_arr_end(w);
    jw_key(w, "fault_hooks"); jw_bool(w, agent_fault_hooks());
    jw_obj_end(w);
    jw_key(w, "functions");
    jw_arr_begin(w);
    names = agent_functions(&n);
    for (i = 0; i < n; i++) jw_str(w, names[i]);
    jw_arr_end(w);
    /* ESENT's run mode is process-global (spec 4.1): one process per scenario */
    jw_key(w, "process_global_state"); jw_bool(w, 1);
    jw_obj_end(w);
}

/* ---- requests -------------------------------------------------------------------------- */

typedef struct loop {
    agent_ctx *ctx;
    const agent_info *info;
    const agent_io *io;
    jw out, obs;
    char scenario[512];
    char version[16];
} loop;

static int end_scenario(loop *l) {
    char err[600];
    if (!l->ctx->started) return 0;
    l->ctx->started = 0;
    agent_scenario_end(l->ctx);
    if (sandbox_remove(l->ctx, err, sizeof err) != 0) {
        /* ESENT may still hold files when a scenario did not JetTerm; the process ends soon */
        fprintf(stderr, "agent: sandbox not fully removed: %s\n", err);
        return -1;
    }
    return 0;
}

static int do_start(loop *l, unsigned long long id, const jv *req) {
    char msg[1200], path[2048], err[600];
    size_t n;
    const char *scenario = jv_as_str(jv_member(req, "scenario"), &n);
    const char *version = jv_as_str(jv_member(req, "version"), NULL);
    if (l->ctx->started) {
        snprintf(msg, sizeof msg, "`start` of %.400s: a scenario is already started; send `end` first",
                 scenario ? scenario : "?");
        return send_error(l->io, &l->out, 1, id, "protocol", msg);
    }
    if (l->info->load_error) {
        snprintf(msg, sizeof msg, "esent.dll could not be loaded: %.800s", l->info->load_error);
        return send_error(l->io, &l->out, 1, id, "start", msg);
    }
    if (sandbox_create(l->ctx, path, sizeof path, err, sizeof err) != 0) {
        snprintf(msg, sizeof msg, "no sandbox: %.800s", err);
        return send_error(l->io, &l->out, 1, id, "start", msg);
    }
    snprintf(l->scenario, sizeof l->scenario, "%s", scenario);
    snprintf(l->version, sizeof l->version, "%s", version);
    l->ctx->scenario = l->scenario;
    l->ctx->version = l->version;
    l->ctx->started = 1;
    if (l->info->version_id && strcmp(version, l->info->version_id) != 0)
        fprintf(stderr, "agent: scenario %s judged as %s on a %s machine\n", l->scenario, version,
                l->info->version_id);
    begin_answer(&l->out, 1, id, "started");
    jw_key(&l->out, "sandbox");
    jw_str(&l->out, path);
    jw_obj_end(&l->out);
    return send_line(l->io, &l->out);
}

static int do_call(loop *l, unsigned long long id, const jv *call) {
    char msg[1200], err[1000];
    const char *function = jv_as_str(jv_member(call, "function"), NULL);
    int rc;
    if (!l->ctx->started) {
        snprintf(msg, sizeof msg, "`call` of %.400s: no scenario is started; send `start` first", function);
        return send_error(l->io, &l->out, 1, id, "protocol", msg);
    }
    jw_reset(&l->obs);
    err[0] = '\0';
    agent_current_function = function;
    rc = agent_call(l->ctx, call, &l->obs, err, sizeof err);
    agent_current_function = NULL;
    if (rc != 0) {
        snprintf(msg, sizeof msg, "`call` of %.200s: %.900s", function, err[0] ? err : "malformed call");
        return send_error(l->io, &l->out, 1, id, "protocol", msg);
    }
    if (l->obs.oom) return send_error(l->io, &l->out, 1, id, "other", "out of memory writing the observation");
    {
        /* A marshalling slip must not put a broken line on the wire: check the object. */
        char perr[200];
        jv *check = jv_parse(l->obs.buf ? l->obs.buf : "", l->obs.len, perr, sizeof perr);
        int ok = check && jv_kind(check) == JV_OBJECT;
        jv_free(check);
        if (!ok) {
            snprintf(msg, sizeof msg, "the agent wrote an invalid observation for %.200s (%.200s)", function,
                     check ? "not an object" : perr);
            return send_error(l->io, &l->out, 1, id, "other", msg);
        }
    }
    begin_answer(&l->out, 1, id, "observation");
    jw_key(&l->out, "observation");
    jw_raw(&l->out, l->obs.buf, l->obs.len);
    jw_obj_end(&l->out);
    return send_line(l->io, &l->out);
}

/* Check one request the way serde reads `Request`; unknown fields are ignored as serde does.
 * Returns the answer's send status. */
static int handle(loop *l, const char *line, size_t n, int *done) {
    char err[400], msg[1600], shown[1100];
    jv *req = jv_parse(line, n, err, sizeof err);
    const jv *idv, *typev;
    const char *type;
    unsigned long long id = 0;
    int has_id = 0, rc;
    size_t i;

    if (req && jv_kind(req) != JV_OBJECT) snprintf(err, sizeof err, "invalid type: expected a request object");
    idv = jv_member(req, "id");
    if (idv) has_id = jv_as_u64(idv, &id);
    if (req && jv_kind(req) == JV_OBJECT) {
        typev = jv_member(req, "type");
        type = jv_as_str(typev, NULL);
        if (!idv) snprintf(err, sizeof err, "missing field `id`");
        else if (!has_id) snprintf(err, sizeof err, "invalid value for `id`: expected u64");
        else if (!typev) snprintf(err, sizeof err, "missing field `type`");
        else if (!type) snprintf(err, sizeof err, "invalid type for `type`: expected a string");
        else if (!strcmp(type, "start")) {
            const jv *sc = jv_member(req, "scenario"), *ve = jv_member(req, "version");
            const char *v = jv_as_str(ve, NULL);
            if (!sc) snprintf(err, sizeof err, "missing field `scenario`");
            else if (!jv_as_str(sc, NULL)) snprintf(err, sizeof err, "invalid type for `scenario`: expected a string");
            else if (!ve) snprintf(err, sizeof err, "missing field `version`");
            else if (!v) snprintf(err, sizeof err, "invalid type for `version`: expected a string");
            else {
                for (i = 0; i < N_VERSIONS && strcmp(v, VERSION_IDS[i]); i++) {}
                if (i == N_VERSIONS)
                    snprintf(err, sizeof err, "unknown variant `%.40s`, expected one of `win2000`, `xp`, "
                             "`server2003`, `vista`, `win7`, `win8`, `win81`, `win10`, `win11`", v);
                else err[0] = '\0';
            }
        } else if (!strcmp(type, "call")) {
            const jv *call = jv_member(req, "call");
            const jv *fn = jv_member(call, "function"), *args = jv_member(call, "args");
            if (!call) snprintf(err, sizeof err, "missing field `call`");
            else if (jv_kind(call) != JV_OBJECT) snprintf(err, sizeof err, "invalid type for `call`: expected an object");
            else if (!fn) snprintf(err, sizeof err, "missing field `function` in `call`");
            else if (!jv_as_str(fn, NULL)) snprintf(err, sizeof err, "invalid type for `function`: expected a string");
            else if (!args) snprintf(err, sizeof err, "missing field `args` in `call`");
            else if (jv_kind(args) != JV_ARRAY) snprintf(err, sizeof err, "invalid type for `args`: expected an array");
            else err[0] = '\0';
        } else if (!strcmp(type, "end") || !strcmp(type, "shutdown")) {
            err[0] = '\0';
        } else {
            snprintf(err, sizeof err, "unknown variant `%.40s`, expected one of `start`, `call`, `end`, `shutdown`", type);
        }
    }
    if (!req || err[0]) {
        protocol_shown(line, n, shown, sizeof shown);
        snprintf(msg, sizeof msg, "malformed request (%.300s): received %s", err, shown);
        rc = send_error(l->io, &l->out, has_id, id, "protocol", msg);
        jv_free(req);
        return rc;
    }

    agent_pending_id = id;
    agent_pending_valid = 1;
    l->ctx->request_id = id;
    type = jv_as_str(jv_member(req, "type"), NULL);
    if (!strcmp(type, "start")) {
        rc = do_start(l, id, req);
    } else if (!strcmp(type, "call")) {
        rc = do_call(l, id, jv_member(req, "call"));
    } else if (!strcmp(type, "end")) {
        if (!l->ctx->started) {
            rc = send_error(l->io, &l->out, 1, id, "protocol", "`end`: no scenario is started; send `start` first");
        } else {
            end_scenario(l);
            begin_answer(&l->out, 1, id, "ended");
            jw_obj_end(&l->out);
            rc = send_line(l->io, &l->out);
        }
    } else { /* shutdown */
        end_scenario(l);
        begin_answer(&l->out, 1, id, "bye");
        jw_obj_end(&l->out);
        rc = send_line(l->io, &l->out);
        *done = 1;
    }
    agent_pending_valid = 0;
    jv_free(req);
    return rc;
}

int protocol_run(agent_ctx *ctx, const agent_info *info, const agent_io *io) {
    loop l;
    line_reader r;
    int status = 0, done = 0;
    memset(&l, 0, sizeof l);
    memset(&r, 0, sizeof r);
    l.ctx = ctx;
    l.info = info;
    l.io = io;
    r.io = io;
    jw_init(&l.out);
    jw_init(&l.obs);

    protocol_hello(info, &l.out);
    if (send_line(io, &l.out) != 0) status = 1;
    while (!status && !done) {
        char *line;
        size_t n;
        int got = next_line(&r, &line, &n);
        if (got == LINE_EOF) break;
        if (got == LINE_ERROR) { status = 1; break; }
        if (got == LINE_TOO_LONG) {
            char shown[1100], msg[1300];
            shown_of(line, n, n + r.dropped, shown, sizeof shown);
            snprintf(msg, sizeof msg, "request longer than %lu bytes: received %s", (unsigned long)AGENT_MAX_LINE,
                     shown);
            if (send_error(io, &l.out, 0, 0, "protocol", msg) != 0) status = 1;
            continue;
        }
        if (n && line[n - 1] == '\r') n--; /* "\r\n" is tolerated */
        {
            size_t i;
            for (i = 0; i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'); i++) {}
            if (i == n) continue; /* blank lines are no requests */
        }
        if (handle(&l, line, n, &done) != 0) status = 1;
    }
    end_scenario(&l); /* end of input means the same as shutdown, without the answer */
    jw_free(&l.out);
    jw_free(&l.obs);
    free(r.buf);
    return status;
}
