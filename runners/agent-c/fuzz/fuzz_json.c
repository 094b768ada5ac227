/* libFuzzer harness for the JSON reader: any input either fails cleanly or parses; what
 * parses is written back with jw and must parse again to the same text (the writer's output
 * is canonical, so a second round trip is byte-identical). ASan/UBSan catch memory and
 * arithmetic faults on the way. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[200];
    jw a, b;
    jv *v = jv_parse((const char *)data, size, err, sizeof err), *again;
    if (!v) {
        if (!err[0] || !memchr(err, '\0', sizeof err)) abort(); /* a failure always says why */
        return 0;
    }
    jw_init(&a);
    jw_value(&a, v);
    if (a.oom) abort();
    again = jv_parse(a.buf, a.len, err, sizeof err);
    if (!again) {
        fprintf(stderr, "re-parse failed: %s\n", err);
        abort();
    }
    jw_init(&b);
    jw_value(&b, again);
    if (b.len != a.len || memcmp(a.buf, b.buf, a.len) != 0) abort();
    /* the accessors agree with the structure: every member is found by its own key */
    if (jv_kind(v) == JV_OBJECT) {
        size_t i;
        for (i = 0; i < jv_count(v); i++) {
            const char *k = jv_key_at(v, i);
            const jv *found = jv_member(v, k);
            /* a key holding \u0000 reads shorter through C strings and may match another */
            if (found != jv_value_at(v, i) && !strstr(a.buf, "\\u0000")) abort();
        }
    }
    if (jv_kind(v) == JV_ARRAY && jv_count(v) && !jv_index(v, jv_count(v) - 1)) abort();
    jw_free(&a);
    jw_free(&b);
    jv_free(v);
    jv_free(again);
    return 0;
}
