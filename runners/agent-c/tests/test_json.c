/* The JSON reader and writer: what RFC 8259 accepts and refuses, the protocol's integer
 * rule, u64/i64 edges, UTF-8 and escapes, limits, and writer output. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tests.h"

static int parses(const char *text) {
    char err[200];
    jv *v = jv_parse(text, strlen(text), err, sizeof err);
    jv_free(v);
    return v != NULL;
}

/* The error message for text, in a static buffer ("" when it parsed). */
static const char *error_of(const char *text, size_t n) {
    static char err[200];
    jv *v = jv_parse(text, n, err, sizeof err);
    if (v) { jv_free(v); return ""; }
    return err;
}

/* Parse, write back with jw_value; the result in a static buffer. */
static const char *rewritten(const char *text) {
    static char out[4096];
    char err[200];
    jw w;
    jv *v = jv_parse(text, strlen(text), err, sizeof err);
    if (!v) return NULL;
    jw_init(&w);
    jw_value(&w, v);
    snprintf(out, sizeof out, "%s", w.buf ? w.buf : "");
    jw_free(&w);
    jv_free(v);
    return out;
}

static void valid_and_invalid(void) {
    static const char *const good[] = {
        "null", "true", "false", "0", "-0", "123", "\"\"", "\"a\"", "[]", "{}", " [ 1 , 2 ] ",
        "{\"a\":{\"b\":[null,true,false]}}", "\t\r\n{}\n", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\"", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", "[[[[[]]]]]",
        "{\"id\":1,\"type\":\"start\",\"scenario\":\"s\",\"version\":\"win10\"}",
    };
    static const char *const bad[] = {
        "", " ", "nul", "True", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "[1 2]",
        "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "01", "-", "+1", "1.5", "1e3", "1E3", "-1.0",
        "0x10", "[1]]", "{} {}", "\"a\"b", "\"tab\there\"", "\"\\ud800\"", "\"\\udc00\"",
        "\"\\ud800\\u0041\"", "\"\xc3\"", "\"\xc0\xaf\"", "\"\xe0\x80\xaf\"", "\"\xed\xa0\x80\"",
        "\"\xf4\x90\x80\x80\"", "\"\xff\"", "\"\x80\"", "{\"a\":1,\"a\":2}", "NaN", "Infinity", "[", "{",
        "{\"a\"", "{\"a\":", "[1,", "\xef\xbb\xbf{}" /* a BOM is not JSON */,
    };
    size_t i;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        int ok = parses(good[i]);
        if (!ok) fprintf(stderr, "  should parse: %s (%s)\n", good[i], error_of(good[i], strlen(good[i])));
        CHECK(ok);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int ok = parses(bad[i]);
        if (ok) fprintf(stderr, "  should fail: %s\n", bad[i]);
        CHECK(!ok);
    }
    /* NUL bytes are part of the text given, not an end: a raw one in a string is a control char */
    CHECK(strstr(error_of("\"a\0b\"", 5), "control character") != NULL);
    CHECK(strstr(error_of("{} \0", 4), "trailing characters") != NULL);
}

static void messages(void) {
    CHECK(!strcmp(error_of("hello there", 11), "expected value at line 1 column 1"));
    CHECK(!strcmp(error_of("[1,\n 2,\n x]", 11), "expected value at line 3 column 2"));
    CHECK(strstr(error_of("1.5", 3), "integers") != NULL);
    CHECK(strstr(error_of("[1e9]", 5), "fraction or exponent") != NULL);
    CHECK(strstr(error_of("18446744073709551616", 20), "out of range") != NULL);
    CHECK(strstr(error_of("-9223372036854775809", 20), "out of range") != NULL);
    CHECK(strstr(error_of("{\"k\":1,\"k\":2}", 13), "duplicate field `k`") != NULL);
    CHECK(strstr(error_of("\"\xff\"", 3), "UTF-8") != NULL);
    CHECK(strstr(error_of("\"\\ud800x\"", 9), "surrogate") != NULL);
}

static void numbers(void) {
    char err[100];
    unsigned long long u;
    long long i;
    const char *text = "[0,18446744073709551615,9223372036854775807,9223372036854775808,-9223372036854775808,-1,-0]";
    jv *v = jv_parse(text, strlen(text), err, sizeof err);
    CHECK(v != NULL);
    if (!v) return;
    CHECK(jv_count(v) == 7);
    CHECK(jv_as_u64(jv_index(v, 0), &u) && u == 0);
    CHECK(jv_as_u64(jv_index(v, 1), &u) && u == 18446744073709551615ULL);
    CHECK(!jv_as_i64(jv_index(v, 1), &i));
    CHECK(jv_as_i64(jv_index(v, 2), &i) && i == 9223372036854775807LL);
    CHECK(jv_as_u64(jv_index(v, 3), &u) && u == 9223372036854775808ULL);
    CHECK(!jv_as_i64(jv_index(v, 3), &i));
    CHECK(jv_as_i64(jv_index(v, 4), &i) && i == (-9223372036854775807LL - 1));
    CHECK(!jv_as_u64(jv_index(v, 4), &u));
    CHECK(jv_as_i64(jv_index(v, 5), &i) && i == -1);
    CHECK(!jv_as_u64(jv_index(v, 5), &u));
    CHECK(jv_as_u64(jv_index(v, 6), &u) && u == 0); /* -0 is zero */
    CHECK(!jv_as_u64(jv_index(v, 7), &u));          /* out of range index */
    CHECK(!jv_as_str(jv_index(v, 0), NULL));
    jv_free(v);
    CHECK(!strcmp(rewritten("[18446744073709551615,-9223372036854775808,-0]"),
                  "[18446744073709551615,-9223372036854775808,0]"));
}

static void access(void) {
    char err[100];
    size_t n;
    const char *s;
    const char text[] = "{\"a\":\"x\\u0000y\",\"b\":[1],\"c\":{}}";
    jv *v = jv_parse(text, sizeof text - 1, err, sizeof err);
    CHECK(v && jv_kind(v) == JV_OBJECT && jv_count(v) == 3);
    if (!v) return;
    s = jv_as_str(jv_member(v, "a"), &n);
    CHECK(s && n == 3 && s[0] == 'x' && s[1] == 0 && s[2] == 'y' && s[3] == 0);
    CHECK(jv_kind(jv_member(v, "b")) == JV_ARRAY);
    CHECK(jv_member(v, "zz") == NULL);
    CHECK(jv_member(jv_member(v, "b"), "a") == NULL);
    CHECK(!strcmp(jv_key_at(v, 2), "c") && jv_kind(jv_value_at(v, 2)) == JV_OBJECT);
    CHECK(jv_key_at(v, 3) == NULL && jv_value_at(v, 3) == NULL);
    CHECK(jv_index(v, 0) == NULL);
    CHECK(jv_kind(NULL) == JV_NULL && jv_count(NULL) == 0 && jv_member(NULL, "a") == NULL);
    /* a key holding \u0000 is not the shorter key */
    jv_free(v);
    v = jv_parse("{\"a\\u0000b\":1}", 14, err, sizeof err);
    CHECK(v && jv_member(v, "a") == NULL);
    jv_free(v);
}

static void limits(void) {
    char err[200];
    size_t depth;
    char *deep = malloc(2 * JV_MAX_DEPTH + 4);
    jv *v;
    /* exactly the limit parses, one more does not (and never blows the stack) */
    for (depth = JV_MAX_DEPTH; depth <= JV_MAX_DEPTH + 1; depth++) {
        memset(deep, '[', depth);
        memset(deep + depth, ']', depth);
        v = jv_parse(deep, 2 * depth, err, sizeof err);
        CHECK(depth == JV_MAX_DEPTH ? v != NULL : (v == NULL && strstr(err, "recursion limit") != NULL));
        jv_free(v);
    }
    free(deep);
    CHECK(jv_parse("[]", JV_MAX_TEXT + 1, err, sizeof err) == NULL && strstr(err, "longer than"));
    /* many members: duplicates found by sorting, not by a quadratic scan */
    {
        size_t i, n = 20000, at = 0;
        char *big = malloc(n * 16 + 16);
        big[at++] = '{';
        for (i = 0; i < n; i++) at += (size_t)sprintf(big + at, "%s\"k%lu\":%lu", i ? "," : "", (unsigned long)i, (unsigned long)i);
        big[at++] = '}';
        v = jv_parse(big, at, err, sizeof err);
        CHECK(v && jv_count(v) == n);
        jv_free(v);
        at -= 1;
        at += (size_t)sprintf(big + at, ",\"k777\":0}");
        v = jv_parse(big, at, err, sizeof err);
        CHECK(!v && strstr(err, "duplicate field `k777`"));
        free(big);
    }
    /* a tiny error buffer is still terminated */
    CHECK(jv_parse("x", 1, err, 4) == NULL && strlen(err) == 3);
}

static void writer(void) {
    jw w;
    jw_init(&w);
    jw_obj_begin(&w);
    jw_key(&w, "s");
    jw_str(&w, "q\"b\\n\n\r\t\b\f\x01\x1f\x7f/");
    jw_key(&w, "bad");
    jw_strn(&w, "a\xff" "b\xc3", 4); /* invalid bytes, one cut sequence at the end */
    jw_key(&w, "nul");
    jw_strn(&w, "x\0y", 3);
    jw_key(&w, "n");
    jw_arr_begin(&w);
    jw_u64(&w, 0);
    jw_u64(&w, 18446744073709551615ULL);
    jw_i64(&w, -9223372036854775807LL - 1);
    jw_i64(&w, 42);
    jw_bool(&w, 1);
    jw_bool(&w, 0);
    jw_null(&w);
    jw_arr_begin(&w);
    jw_arr_end(&w);
    jw_obj_begin(&w);
    jw_obj_end(&w);
    jw_raw(&w, "{\"r\":1}", 7);
    jw_arr_end(&w);
    jw_key(&w, "emoji");
    jw_str(&w, "\xf0\x9f\x98\x80\xc3\xa9");
    jw_obj_end(&w);
    CHECK(!w.oom);
    CHECK(!strcmp(w.buf, "{\"s\":\"q\\\"b\\\\n\\n\\r\\t\\b\\f\\u0001\\u001f\x7f/\",\"bad\":\"a\xef\xbf\xbd" "b\xef\xbf\xbd\","
                         "\"nul\":\"x\\u0000y\",\"n\":[0,18446744073709551615,-9223372036854775808,42,true,false,null,"
                         "[],{},{\"r\":1}],\"emoji\":\"\xf0\x9f\x98\x80\xc3\xa9\"}"));
    /* whatever it wrote parses back */
    {
        char err[100];
        jv *v = jv_parse(w.buf, w.len, err, sizeof err);
        CHECK(v != NULL);
        jv_free(v);
    }
    jw_reset(&w);
    CHECK(w.len == 0 && w.buf[0] == 0);
    jw_u64(&w, 7);
    CHECK(!strcmp(w.buf, "7"));
    jw_free(&w);
    CHECK(!strcmp(rewritten(" { \"a\" : [ 1 , \"\\u00e9\\n\" ] , \"b\" : { } } "), "{\"a\":[1,\"\xc3\xa9\\n\"],\"b\":{}}"));
}

void test_json(void) {
    valid_and_invalid();
    messages();
    numbers();
    access();
    limits();
    writer();
}
