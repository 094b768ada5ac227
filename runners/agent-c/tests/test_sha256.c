/* FIPS 180-4 example vectors (and the NIST long message), plus split updates. */
#include <string.h>
#include <stdlib.h>

#include "sha256.h"
#include "tests.h"

static int digest_is(const void *data, size_t n, const char *hex) {
    sha256_ctx c;
    unsigned char d[32];
    char out[65];
    sha256_init(&c);
    sha256_update(&c, data, n);
    sha256_final(&c, d);
    sha256_hex(d, out);
    return !strcmp(out, hex);
}

void test_sha256(void) {
    static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char *million = malloc(1000000);
    sha256_ctx c;
    unsigned char d[32];
    char out[65];
    size_t i;
    CHECK(digest_is("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    CHECK(digest_is("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    CHECK(digest_is(two_blocks, strlen(two_blocks), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    if (million) {
        memset(million, 'a', 1000000);
        CHECK(digest_is(million, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
        /* the same bytes fed in uneven pieces: block boundaries must not matter */
        sha256_init(&c);
        for (i = 0; i < 1000000;) {
            size_t step = 1 + (i * 7) % 131;
            if (step > 1000000 - i) step = 1000000 - i;
            sha256_update(&c, million + i, step);
            i += step;
        }
        sha256_final(&c, d);
        sha256_hex(d, out);
        CHECK(!strcmp(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
        free(million);
    }
    /* 55 and 56 bytes: the padding fits, or spills into a second block */
    CHECK(digest_is("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 55,
                    "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"));
    CHECK(digest_is("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 56,
                    "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"));
}
