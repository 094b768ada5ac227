/* The protocol loop against scripted input: every request and answer kind, the errors of
 * docs/protocol.md, line handling (\r\n, blank lines, 16 MiB, reads split anywhere). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "protocol.h"
#include "tests.h"

typedef struct mem_io {
    const char *in;
    size_t in_len, at, chunk; /* chunk: most bytes one read returns (exercises split lines) */
    char *out;
    size_t out_len, out_cap;
} mem_io;

static long mem_read(void *self, char *buf, size_t n) {
    mem_io *m = (mem_io *)self;
    size_t left = m->in_len - m->at;
    if (n > left) n = left;
    if (m->chunk && n > m->chunk) n = m->chunk;
    memcpy(buf, m->in + m->at, n);
    m->at += n;
    return (long)n;
}

static int mem_write(void *self, const char *buf, size_t n) {
    mem_io *m = (mem_io *)self;
    if (m->out_len + n + 1 > m->out_cap) {
        m->out_cap = (m->out_len + n + 1) * 2;
        m->out = realloc(m->out, m->out_cap);
    }
    memcpy(m->out + m->out_len, buf, n);
    m->out_len += n;
    m->out[m->out_len] = 0;
    return 0;
}

static const agent_info INFO = {"win10", "10.0.19045", "10.0.19041.3636", "ab12", "x64", "test box", NULL};

/* Run the loop on `input`; returns the output (malloc'd) and the status in *status. */
static char *serve(const char *input, size_t len, size_t chunk, const agent_info *info, int *status) {
    mem_io m;
    agent_io io;
    agent_ctx ctx;
    memset(&m, 0, sizeof m);
    memset(&ctx, 0, sizeof ctx);
    m.in = input;
    m.in_len = len;
    m.chunk = chunk;
    io.read = mem_read;
    io.write = mem_write;
    io.self = &m;
    ctx.dll = (void *)1;
    *status = protocol_run(&ctx, info ? info : &INFO, &io);
    return m.out;
}

/* Line `k` (0-based) of out, in a static buffer. */
static const char *line_of(const char *out, int k) {
    static char buf[4096];
    const char *p = out, *nl;
    while (k-- > 0 && p) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    if (!p || !*p) return "";
    nl = strchr(p, '\n');
    snprintf(buf, sizeof buf, "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
    return buf;
}

static int count_lines(const char *out) {
    int n = 0;
    for (; *out; out++) n += *out == '\n';
    return n;
}

static int dir_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The sandbox path from a started line. */
static void sandbox_of(const char *line, char *out, size_t cap) {
    const char *p = strstr(line, "\"sandbox\":\"");
    out[0] = 0;
    if (p) snprintf(out, cap, "%.*s", (int)strcspn(p + 11, "\""), p + 11);
}

static void session(void) {
    const char *in =
        "{\"id\":1,\"type\":\"start\",\"scenario\":\"docs/x\",\"version\":\"win10\"}\n"
        "{\"id\":2,\"type\":\"call\",\"call\":{\"function\":\"JetTerm\",\"args\":[{\"handle\":1}]}}\r\n"
        "\n   \r\n"
        "{\"id\":3,\"type\":\"end\"}\n"
        "{\"id\":4,\"type\":\"shutdown\"}\n"
        "{\"id\":5,\"type\":\"end\"}\n";
    size_t chunk;
    for (chunk = 0; chunk <= 7; chunk += 7) { /* whole, and in 7-byte reads */
        int status;
        char sandbox[300];
        char *out = serve(in, strlen(in), chunk, NULL, &status);
        CHECK(status == 0);
        CHECK(count_lines(out) == 5); /* hello + 4 answers; nothing after bye */
        CHECK(!strcmp(line_of(out, 0),
                      "{\"type\":\"hello\",\"protocol\":1,\"runner\":{\"name\":\"esent\",\"versions\":[\"win10\"],"
                      "\"machine\":{\"os\":\"windows\",\"windows\":\"10.0.19045\",\"esent\":\"10.0.19041.3636\","
                      "\"description\":\"test box\",\"arch\":\"x64\",\"esent_sha256\":\"ab12\"},\"verbs\":[],"
                      "\"fault_hooks\":false},\"functions\":[],\"process_global_state\":true}"));
        CHECK(!strncmp(line_of(out, 1), "{\"id\":1,\"type\":\"started\",\"sandbox\":\"/tmp/jc-test-", 49));
        sandbox_of(line_of(out, 1), sandbox, sizeof sandbox);
        CHECK(sandbox[0] && !dir_exists(sandbox)); /* removed at end */
        CHECK(!strncmp(line_of(out, 2), "{\"id\":2,\"type\":\"observation\",\"observation\":{\"result\":{\"not_modelled\":", 69));
        CHECK(!strcmp(line_of(out, 3), "{\"id\":3,\"type\":\"ended\"}"));
        CHECK(!strcmp(line_of(out, 4), "{\"id\":4,\"type\":\"bye\"}"));
        free(out);
    }
}

/* End of input mid-scenario: the sandbox goes too. */
static void end_of_input(void) {
    const char *in = "{\"id\":1,\"type\":\"start\",\"scenario\":\"s\",\"version\":\"xp\"}"; /* no final newline */
    int status;
    char sandbox[300];
    char *out = serve(in, strlen(in), 0, NULL, &status);
    CHECK(status == 0 && count_lines(out) == 2);
    sandbox_of(line_of(out, 1), sandbox, sizeof sandbox);
    CHECK(sandbox[0] && !dir_exists(sandbox));
    free(out);
}

static void errors(void) {
    static const struct { const char *in, *answer; } cases[] = {
        {"hello there", "{\"id\":null,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":\"malformed request "
                        "(expected value at line 1 column 1): received `hello there`\"}}"},
        {"{\"id\":2,\"type\":\"launch\"}", "{\"id\":2,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":"
                                           "\"malformed request (unknown variant `launch`, expected one of `start`, "
                                           "`call`, `end`, `shutdown`): received `{\\\"id\\\":2,\\\"type\\\":\\\"launch\\\"}`\"}}"},
        {"{\"id\":1,\"type\":\"call\",\"call\":{\"function\":\"JetTerm\",\"args\":[{\"handle\":1}]}}",
         "{\"id\":1,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":\"`call` of JetTerm: no scenario is "
         "started; send `start` first\"}}"},
        {"{\"id\":3,\"type\":\"start\",\"scenario\":\"s\",\"version\":\"win95\"}", "unknown variant `win95`, expected one of `win2000`"},
        {"{\"type\":\"end\"}", "{\"id\":null,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":\"malformed request (missing field `id`)"},
        {"{\"id\":-1,\"type\":\"end\"}", "{\"id\":null,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":\"malformed request (invalid value for `id`"},
        {"{\"id\":1.5,\"type\":\"end\"}", "{\"id\":null,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":\"malformed request (numbers are integers"},
        {"{\"id\":7}", "{\"id\":7,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":\"malformed request (missing field `type`)"},
        {"{\"id\":7,\"type\":3}", "invalid type for `type`"},
        {"[1,2]", "{\"id\":null,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":\"malformed request (invalid type: expected a request object)"},
        {"{\"id\":8,\"type\":\"start\",\"version\":\"xp\"}", "missing field `scenario`"},
        {"{\"id\":8,\"type\":\"start\",\"scenario\":\"s\"}", "missing field `version`"},
        {"{\"id\":8,\"type\":\"start\",\"scenario\":1,\"version\":\"xp\"}", "invalid type for `scenario`"},
        {"{\"id\":9,\"type\":\"call\"}", "missing field `call`"},
        {"{\"id\":9,\"type\":\"call\",\"call\":{\"args\":[]}}", "missing field `function`"},
        {"{\"id\":9,\"type\":\"call\",\"call\":{\"function\":\"F\"}}", "missing field `args`"},
        {"{\"id\":9,\"type\":\"call\",\"call\":{\"function\":\"F\",\"args\":{}}}", "invalid type for `args`"},
        {"{\"id\":9,\"type\":\"call\",\"call\":[]}", "invalid type for `call`"},
        {"{\"id\":10,\"type\":\"end\"}", "{\"id\":10,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":\"`end`: no scenario is started"},
        {"{\"id\":11,\"type\":\"end\",\"id\":12}", "{\"id\":null,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":\"malformed request (duplicate field `id`"},
        {"\"\xff\xfe\"", "invalid UTF-8"},
        {"{\"id\":12,\"type\":\"end\",\"extra\":{\"ignored\":true}}", "`end`: no scenario is started"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status;
        char in[1024];
        char *out;
        const char *got;
        snprintf(in, sizeof in, "%s\n", cases[i].in);
        out = serve(in, strlen(in), 0, NULL, &status);
        got = line_of(out, 1);
        if (!(status == 0 && count_lines(out) == 2 && strstr(got, cases[i].answer) && !strncmp(got, "{\"id\":", 6)))
            fprintf(stderr, "  case %lu: %s\n   got: %s\n", (unsigned long)i, cases[i].in, got);
        CHECK(status == 0 && count_lines(out) == 2 && strstr(got, cases[i].answer) != NULL);
        free(out);
    }
}

static void ordering(void) {
    const char *in =
        "{\"id\":1,\"type\":\"start\",\"scenario\":\"a\",\"version\":\"win7\"}\n"
        "{\"id\":2,\"type\":\"start\",\"scenario\":\"b\",\"version\":\"win7\"}\n"
        "{\"id\":3,\"type\":\"shutdown\"}\n";
    int status;
    char *out = serve(in, strlen(in), 0, NULL, &status);
    CHECK(strstr(line_of(out, 2), "{\"id\":2,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":\"`start` of b: a "
                                  "scenario is already started; send `end` first\"}}") != NULL);
    CHECK(!strcmp(line_of(out, 3), "{\"id\":3,\"type\":\"bye\"}"));
    free(out);
}

/* An engine that did not load: start answers a `start` error, the rest of the loop works. */
static void engine_missing(void) {
    agent_info info = INFO;
    const char *in = "{\"id\":1,\"type\":\"start\",\"scenario\":\"a\",\"version\":\"win7\"}\n";
    int status;
    char *out;
    info.load_error = "LoadLibrary(esent.dll) failed: error 126";
    info.esent = NULL;
    info.esent_sha256 = NULL;
    info.version_id = NULL;
    out = serve(in, strlen(in), 0, &info, &status);
    CHECK(strstr(line_of(out, 0), "\"versions\":[],\"machine\":{\"os\":\"windows\",\"windows\":\"10.0.19045\",\"description\"") != NULL);
    CHECK(!strcmp(line_of(out, 1), "{\"id\":1,\"type\":\"error\",\"error\":{\"kind\":\"start\",\"message\":\"esent.dll could "
                                   "not be loaded: LoadLibrary(esent.dll) failed: error 126\"}}"));
    free(out);
}

/* A line over 16 MiB is answered (id null, its head quoted) and skipped; the next one works. */
static void long_line(void) {
    size_t n = AGENT_MAX_LINE + 100, len, chunk;
    char *in = malloc(n + 64);
    memset(in, 'x', n);
    in[0] = '[';
    len = n + (size_t)sprintf(in + n, "\n{\"id\":5,\"type\":\"shutdown\"}\n");
    for (chunk = 0; chunk <= 65521; chunk += 65521) { /* all at once, and in odd-sized reads */
        int status;
        char *out = serve(in, len, chunk, NULL, &status);
        CHECK(count_lines(out) == 3);
        CHECK(strstr(line_of(out, 1), "{\"id\":null,\"type\":\"error\",\"error\":{\"kind\":\"protocol\",\"message\":\"request "
                                      "longer than 16777216 bytes: received `[xxxx") != NULL);
        CHECK(strstr(line_of(out, 1), "... (16777316 bytes in all)`\"}}") != NULL);
        CHECK(!strcmp(line_of(out, 2), "{\"id\":5,\"type\":\"bye\"}"));
        free(out);
    }
    /* the boundary: MAX bytes with the '\n' is a request (here a malformed one), one more is not */
    for (len = AGENT_MAX_LINE - 1; len <= AGENT_MAX_LINE; len++) {
        int status;
        char *out;
        memset(in, 'x', len);
        in[len] = '\n';
        out = serve(in, len + 1, 0, NULL, &status);
        CHECK(strstr(line_of(out, 1), len < AGENT_MAX_LINE ? "malformed request" : "request longer than") != NULL);
        free(out);
    }
    free(in);
}

static void shown(void) {
    char out[1200], line[300];
    protocol_shown("abc\r\n", 5, out, sizeof out);
    CHECK(!strcmp(out, "`abc`"));
    protocol_shown("\n", 1, out, sizeof out);
    CHECK(!strcmp(out, "an empty line"));
    memset(line, 'y', 250);
    protocol_shown(line, 250, out, sizeof out);
    CHECK(strlen(out) == 1 + 200 + strlen("... (250 bytes in all)") + 1);
    CHECK(strstr(out, "... (250 bytes in all)`") != NULL);
    /* cut on a character boundary: 250 two-byte characters, 200 kept */
    {
        size_t i;
        char wide[500];
        for (i = 0; i < 250; i++) { wide[2 * i] = (char)0xC3; wide[2 * i + 1] = (char)0xA9; }
        protocol_shown(wide, 500, out, sizeof out);
        CHECK(strlen(out) == 1 + 400 + strlen("... (500 bytes in all)") + 1);
    }
}

void test_protocol(void) {
    session();
    end_of_input();
    errors();
    ordering();
    engine_missing();
    long_line();
    shown();
}
