/* Version ids, exception names, exit descriptions and the auth line. */
#include <string.h>

#include "sysnames.h"
#include "tests.h"

static int is(const char *got, const char *want) { return got && want ? !strcmp(got, want) : got == want; }

void test_sysnames(void) {
    char b[100];
    CHECK(is(version_id_for(5, 0, 2195), "win2000"));
    CHECK(is(version_id_for(5, 1, 2600), "xp"));
    CHECK(is(version_id_for(5, 2, 3790), "server2003"));
    CHECK(is(version_id_for(6, 0, 6002), "vista"));
    CHECK(is(version_id_for(6, 1, 7601), "win7"));
    CHECK(is(version_id_for(6, 2, 9200), "win8"));
    CHECK(is(version_id_for(6, 3, 9600), "win81"));
    CHECK(is(version_id_for(10, 0, 19045), "win10"));
    CHECK(is(version_id_for(10, 0, 21999), "win10"));
    CHECK(is(version_id_for(10, 0, 22000), "win11"));
    CHECK(is(version_id_for(10, 0, 26100), "win11"));
    CHECK(is(version_id_for(4, 0, 1381), NULL));
    CHECK(is(version_id_for(6, 4, 9841), NULL));
    CHECK(is(version_id_for(11, 0, 0), NULL));

    CHECK(is(exception_name(0xC0000005UL), "STATUS_ACCESS_VIOLATION"));
    CHECK(is(exception_name(0x80000100UL), "EXCEPTION_WINE_STUB"));
    CHECK(is(exception_name(0x12345678UL), NULL));
    describe_exit(0xC0000005UL, b, sizeof b);
    CHECK(!strcmp(b, "exception 0xC0000005 (STATUS_ACCESS_VIOLATION)"));
    describe_exit(0xC0001234UL, b, sizeof b);
    CHECK(!strcmp(b, "exception 0xC0001234"));
    describe_exit(0x80000003UL, b, sizeof b);
    CHECK(!strcmp(b, "exception 0x80000003 (STATUS_BREAKPOINT)"));
    describe_exit(3, b, sizeof b);
    CHECK(!strcmp(b, "exited with status 3"));
    describe_exit(0, b, sizeof b);
    CHECK(!strcmp(b, "exited with status 0"));

    CHECK(token_equal("abc", 3, "abc", 3));
    CHECK(!token_equal("abc", 3, "abd", 3));
    CHECK(!token_equal("abc", 3, "abcd", 4));
    CHECK(!token_equal("", 0, "a", 1));
    CHECK(auth_line_ok("{\"type\":\"auth\",\"token\":\"s3cret\"}\r", 33, "s3cret"));
    CHECK(auth_line_ok("{\"token\":\"s3cret\",\"type\":\"auth\"}", 32, "s3cret"));
    CHECK(!auth_line_ok("{\"type\":\"auth\",\"token\":\"s3cre\"}", 31, "s3cret"));
    CHECK(!auth_line_ok("{\"type\":\"auth\",\"token\":\"s3cret\\u0000x\"}", 40, "s3cret"));
    CHECK(!auth_line_ok("{\"type\":\"start\",\"token\":\"s3cret\"}", 33, "s3cret"));
    CHECK(!auth_line_ok("{\"type\":\"auth\"}", 15, "s3cret"));
    CHECK(!auth_line_ok("{\"type\":\"auth\",\"token\":\"\"}", 26, ""));
    CHECK(!auth_line_ok("garbage", 7, "s3cret"));
}
