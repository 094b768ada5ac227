/* libFuzzer harness for the protocol loop: any bytes on stdin give well-formed answers. The
 * input is served as a session (stub call module, POSIX sandboxes); every line written must
 * parse, carry a "type", and no request is answered twice: at most one answer per input
 * line, plus the hello. Sandboxes left behind would show as files in /tmp: the loop removes
 * each at end, shutdown or end of input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

typedef struct sink {
    const uint8_t *in;
    size_t in_len, at;
    char *out;
    size_t out_len, out_cap;
} sink;

static long rd(void *self, char *buf, size_t n) {
    sink *s = (sink *)self;
    size_t left = s->in_len - s->at;
    if (n > left) n = left;
    if (n > 97) n = 97; /* odd-sized reads: lines split anywhere */
    memcpy(buf, s->in + s->at, n);
    s->at += n;
    return (long)n;
}

static int wr(void *self, const char *buf, size_t n) {
    sink *s = (sink *)self;
    if (s->out_len + n > s->out_cap) {
        s->out_cap = (s->out_len + n) * 2;
        s->out = (char *)realloc(s->out, s->out_cap);
        if (!s->out) abort();
    }
    memcpy(s->out + s->out_len, buf, n);
    s->out_len += n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const agent_info info = {"win10", "10.0.19045", "10.0.19041.1", "00", "x64", "fuzz", NULL};
    sink s;
    agent_io io;
    agent_ctx ctx;
    size_t i, start = 0, lines = 0, input_lines = 1;
    memset(&s, 0, sizeof s);
    memset(&ctx, 0, sizeof ctx);
    s.in = data;
    s.in_len = size;
    io.read = rd;
    io.write = wr;
    io.self = &s;
    protocol_run(&ctx, &info, &io);
    for (i = 0; i < size; i++) input_lines += data[i] == '\n';
    for (i = 0; i < s.out_len; i++) {
        if (s.out[i] != '\n') continue;
        {
            char err[200];
            jv *v = jv_parse(s.out + start, i - start, err, sizeof err);
            if (!v || jv_kind(v) != JV_OBJECT || !jv_as_str(jv_member(v, "type"), NULL)) abort();
            jv_free(v);
        }
        lines++;
        start = i + 1;
    }
    if (start != s.out_len) abort();          /* every answer ends with its newline */
    if (lines < 1 || lines > input_lines + 1) abort(); /* the hello, then at most one per line */
    if (ctx.started || ctx.sandbox[0]) abort();   /* the sandbox went with the end of input */
    free(s.out);
    return 0;
}
